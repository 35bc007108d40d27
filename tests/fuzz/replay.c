/*
** replay.c — runs a fuzz target without libFuzzer: every file named on the
** command line, or found in a directory named there, is passed once to
** LLVMFuzzerTestOneInput().  Linked with each fuzz_*.c into the normal
** (and ASan) test build, so that the seed corpus and every past finding in
** tests/fuzz/regressions/ are replayed by ctest.  A finding aborts.
*/
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

static long replayed;

/* Reads the whole file and runs the target on it. */
static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf) return 1;
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    replayed++;
    return 0;
}

/* A file, or every regular file of a directory (not recursive). */
static int replay_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) return 0; /* no regressions yet for this target */
    if (!S_ISDIR(st.st_mode)) return replay_file(path);
    DIR *d = opendir(path);
    if (!d) return 1;
    struct dirent *e;
    int bad = 0;
    char p[4096];
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) bad |= replay_file(p);
    }
    closedir(d);
    return bad;
}

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
    int bad = 0;
    for (int i = 1; i < argc; i++) bad |= replay_path(argv[i]);
    printf("%ld inputs replayed, %s\n", replayed, bad ? "some unreadable" : "no finding");
    return bad || replayed == 0;
}
