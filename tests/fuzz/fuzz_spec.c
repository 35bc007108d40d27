/*
** fuzz_spec.c — libFuzzer target for the "FILE:SELECTOR" spec syntax.
**
** The input is a spec (up to its first NUL).  At start-up a scratch directory
** is filled with one small file of every kind (a 2-D and a 3-D .npy, an .npz
** with two members, one whose name holds a colon, GloVe text, word2vec binary,
** a CSV and a label file) and made the working directory; specs are relative
** names inside it (absolute paths and ".." are skipped so the fuzzer cannot
** wander to devices).  Each spec goes through the splitter, gk_load_matrix_ex()
** and gk_labels_read(); the split must put back together into the spec.
*/
#include "fuzz_common.h" /* first: it sets the feature macros */

#include <dirent.h>

#include "io/io_internal.h"

static char dir[64];

/* Removes the (flat) scratch directory at exit. */
static void cleanup(void)
{
    DIR *d = dir[0] ? opendir(dir) : NULL;
    if (!d) return;
    struct dirent *e;
    char p[512];
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        remove(p);
    }
    closedir(d);
    rmdir(dir);
}

static void put(const char *name, const void *p, size_t n)
{
    FILE *f = fopen(name, "wb");
    FUZZ_CHECK(f && fwrite(p, 1, n, f) == n && fclose(f) == 0);
}

/* A 3-D (2, 2, 3) float32 .npy written byte by byte (gk_npy_write is 2-D). */
static void put_npy3(const char *name)
{
    unsigned char b[128 + 48];
    const char *dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2, 3), }";
    memset(b, ' ', 128);
    memcpy(b, "\x93NUMPY\x01\x00\x76\x00", 10);
    memcpy(b + 10, dict, strlen(dict));
    b[127] = '\n';
    for (int i = 0; i < 12; i++) {
        float v = (float)(i + 1);
        memcpy(b + 128 + 4 * i, &v, 4);
    }
    put(name, b, sizeof b);
}

static void make_files(void)
{
    float d[6] = {1, 2, 3, 4, 5, 6};
    gk_mat *m = NULL;
    FUZZ_CHECK(gk_mat_wrap(d, 2, 3, &m) == GK_OK);
    FUZZ_CHECK(gk_npy_write("m.npy", m) == GK_OK);
    FUZZ_CHECK(gk_npy_write("noext", m) == GK_OK);
    gk_npz_entry e[2] = {{"x", m}, {"y", m}};
    FUZZ_CHECK(gk_npz_write("a.npz", e, 2, NULL) == GK_OK);
    FUZZ_CHECK(gk_npz_write("a:b.npz", e, 1, "{}") == GK_OK);
    gk_mat_free(m);
    put_npy3("v.npy");
    const char *glove = "the 0.1 0.2 0.3\nof 0.4 -0.5 0.6\n";
    put("g.txt", glove, strlen(glove));
    unsigned char bin[64] = "2 2\nab ";
    float r[2] = {1.5f, -2.0f};
    memcpy(bin + 7, r, 8);
    memcpy(bin + 15, "\ncd ", 4);
    memcpy(bin + 19, r, 8);
    put("w.bin", bin, 27);
    const char *csv = "id,class\n1,dog\n2,\"cat, big\"\n";
    put("l.csv", csv, strlen(csv));
    put("labels.txt", "dog\ncat\n", 8);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_init_threads();
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/gk-fuzz-spec-XXXXXX", tmp && strlen(tmp) < 32 ? tmp : "/tmp");
    FUZZ_CHECK(mkdtemp(dir) != NULL && chdir(dir) == 0);
    atexit(cleanup);
    make_files();
    return 0;
}

/* The splitter: a selector is what follows the colon after an existing file. */
static void check_split(const char *spec)
{
    char *path = NULL;
    const char *sel = NULL;
    int rc = io_spec_split(spec, &path, &sel);
    if (rc != GK_OK) {
        FUZZ_CHECK(path == NULL && !spec[0]);
        return;
    }
    size_t n = strlen(path);
    FUZZ_CHECK(strncmp(spec, path, n) == 0);
    if (sel) FUZZ_CHECK(spec[n] == ':' && sel == spec + n + 1 && access(path, F_OK) == 0);
    else FUZZ_CHECK(spec[n] == '\0');
    gk_free(path);
}

static void load(const char *spec)
{
    gk_mat *m = (gk_mat *)1;
    gk_array_info info;
    gk_load_opts o = gk_load_opts_default();
    int rc = gk_load_matrix_ex(spec, &o, &m, &info);
    if (rc == GK_OK) {
        fuzz_check_matrix(m);
        gk_mat_free(m);
    } else {
        FUZZ_CHECK(m == NULL);
        if (spec[0]) fuzz_check_failure(rc, spec);
    }
    gk_labels *l = (gk_labels *)1;
    rc = gk_labels_read(spec, &l);
    if (rc == GK_OK) gk_labels_free(l);
    else FUZZ_CHECK(l == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256) return 0;
    char spec[257];
    memcpy(spec, data, size);
    spec[size] = '\0';
    if (spec[0] == '/' || strstr(spec, "..")) return 0;
    check_split(spec);
    load(spec);
    return 0;
}
