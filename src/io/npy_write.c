/*
** npy_write.c — writing float32 and float64 arrays as .npy (version 1.0,
** little-endian, C order), atomically through gk_outfile.
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/error_internal.h"
#include "io_internal.h"

/* The 10-byte preamble plus the dict, padded with spaces and a final '\n' so
** that the data starts at a multiple of 64 bytes (numpy's alignment).
** Writes into hdr[0..cap) and returns the header size (data offset). */
size_t io_npy_header_make(char *hdr, size_t cap, const char *descr, int64_t rows, int64_t cols)
{
    char dict[160];
    int n = snprintf(dict, sizeof dict,
                     "{'descr': '%s', 'fortran_order': False, 'shape': (%lld, %lld), }", descr,
                     (long long)rows, (long long)cols);
    size_t total = 10 + (size_t)n + 1;
    total = (total + 63) / 64 * 64;
    if (total > cap) return 0;
    memcpy(hdr, "\x93NUMPY\x01\x00", 8);
    size_t hlen = total - 10;
    hdr[8] = (char)(hlen & 0xff);
    hdr[9] = (char)(hlen >> 8);
    memset(hdr + 10, ' ', hlen);
    memcpy(hdr + 10, dict, (size_t)n);
    hdr[total - 1] = '\n';
    return total;
}

/* Little-endian bytes of v (width 4 or 8) at p. */
static void store_le(unsigned char *p, uint64_t v, int width)
{
    for (int i = 0; i < width; i++) p[i] = (unsigned char)(v >> (8 * i));
}

/* Array data: from m (float32, any strides) or d64 (row-major doubles). */
static void encode_data(unsigned char *p, const gk_mat *m, const double *d64, int64_t rows,
                        int64_t cols)
{
    for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++) {
            if (m) {
                float f = gk_mat_at(m, i, j);
                uint32_t u;
                memcpy(&u, &f, 4);
                store_le(p, u, 4);
                p += 4;
            } else {
                uint64_t u;
                memcpy(&u, &d64[i * cols + j], 8);
                store_le(p, u, 8);
                p += 8;
            }
        }
}

int io_npy_encode(const gk_mat *m, const double *d64, int64_t rows, int64_t cols,
                  unsigned char **buf, size_t *len)
{
    char hdr[256];
    *buf = NULL;
    GK_FAIL_IF(rows < 0 || cols < 0, GK_EARG, "array shape (%lld, %lld) is negative",
               (long long)rows, (long long)cols);
    size_t isz = m ? 4 : 8;
    GK_FAIL_IF(cols && (uint64_t)rows > SIZE_MAX / 2 / isz / (uint64_t)cols, GK_ENOMEM,
               "array shape (%lld, %lld) is too large", (long long)rows, (long long)cols);
    size_t off = io_npy_header_make(hdr, sizeof hdr, m ? "<f4" : "<f8", rows, cols);
    GK_FAIL_IF(off == 0, GK_EINTERNAL, "npy header does not fit");
    size_t data = (size_t)rows * (size_t)cols * isz;
    *buf = gk_malloc(off + data);
    if (!*buf) return GK_ENOMEM;
    memcpy(*buf, hdr, off);
    encode_data(*buf + off, m, d64, rows, cols);
    *len = off + data;
    return GK_OK;
}

/* Encodes, then writes atomically. */
static int write_npy(const char *path, const gk_mat *m, const double *d64, int64_t rows,
                     int64_t cols)
{
    unsigned char *buf;
    size_t len;
    gk_outfile *o;
    int rc;
    if ((rc = io_npy_encode(m, d64, rows, cols, &buf, &len)) != GK_OK)
        return gk_error_prepend(rc, path);
    GK_TRY_GOTO(rc, gk_outfile_open(path, &o), cleanup);
    if (fwrite(buf, 1, len, gk_outfile_stream(o)) != len) {
        int e = errno;
        gk_outfile_abort(o);
        GK_FAIL_GOTO(rc, GK_EIO, cleanup, "%s: write failed: %s", path, strerror(e));
    }
    rc = gk_outfile_commit(o);
cleanup:
    gk_free(buf);
    return rc;
}

int gk_npy_write(const char *path, const gk_mat *m)
{
    GK_FAIL_IF(!path || !m, GK_EARG, "gk_npy_write: path and matrix must not be NULL");
    return write_npy(path, m, NULL, m->rows, m->cols);
}

int gk_npy_write_f64(const char *path, const double *data, int64_t rows, int64_t cols)
{
    GK_FAIL_IF(!path || (!data && rows && cols), GK_EARG,
               "gk_npy_write_f64: path and data must not be NULL");
    return write_npy(path, NULL, data, rows, cols);
}
