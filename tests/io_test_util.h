/*
** io_test_util.h — helpers of the io tests: a scratch directory made with
** mkdtemp (removed at the end), writing raw bytes to files in it, and building
** .npy images byte by byte so that every header variant can be produced.
*/
#ifndef GAPKIT_IO_TEST_UTIL_H
#define GAPKIT_IO_TEST_UTIL_H

#include <dirent.h>
#include <unistd.h>

#include "test_util.h"

static char scratch_dir[256];

static int scratch_setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(scratch_dir, sizeof scratch_dir, "%s/gapkit-io-XXXXXX", tmp ? tmp : "/tmp");
    return mkdtemp(scratch_dir) ? 0 : -1;
}

/* Removes the (flat) scratch directory and everything in it. */
static int scratch_teardown(void **state)
{
    (void)state;
    DIR *d = opendir(scratch_dir);
    if (!d) return -1;
    struct dirent *e;
    char p[768];
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(p, sizeof p, "%s/%s", scratch_dir, e->d_name);
        remove(p);
    }
    closedir(d);
    return rmdir(scratch_dir);
}

/* Path of `name` in the scratch directory (static buffer, one of 4 in turn). */
static inline const char *tmp_path(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", scratch_dir, name);
    return buf[k];
}

/* Writes n bytes to the scratch file `name`; returns its path. */
static inline const char *write_bytes(const char *name, const void *p, size_t n)
{
    const char *path = tmp_path(name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    return path;
}

static inline const char *write_text(const char *name, const char *s)
{
    return write_bytes(name, s, strlen(s));
}

/* A .npy image in buf: magic, version major.0, the dict padded with spaces
** to a 64-byte boundary plus '\n', then n data bytes.  @return : total size. */
static inline size_t make_npy(unsigned char *buf, int major, const char *dict, const void *data,
                       size_t n)
{
    size_t pre = major == 1 ? 10 : 12, dl = strlen(dict);
    size_t total = (pre + dl + 1 + 63) / 64 * 64, hlen = total - pre;
    memcpy(buf, "\x93NUMPY", 6);
    buf[6] = (unsigned char)major;
    buf[7] = 0;
    memset(buf + 8, 0, pre - 8);
    buf[8] = (unsigned char)(hlen & 0xff);
    buf[9] = (unsigned char)(hlen >> 8);
    memset(buf + pre, ' ', hlen);
    memcpy(buf + pre, dict, dl);
    buf[total - 1] = '\n';
    if (n) memcpy(buf + total, data, n);
    return total + n;
}

/* Reverses the bytes of each of the n items of size w (to build big-endian data). */
static inline void swap_items(void *p, size_t n, size_t w)
{
    unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < w / 2; k++) {
            unsigned char t = b[i * w + k];
            b[i * w + k] = b[i * w + w - 1 - k];
            b[i * w + w - 1 - k] = t;
        }
}

#endif
