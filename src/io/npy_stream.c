/*
** npy_stream.c — a float32 .npy written block by block through gk_outfile
** (temporary file, fsync, rename), so an output far larger than memory never
** exists in memory at once.  The bytes are those gk_npy_write() would write.
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/error_internal.h"
#include "io_internal.h"

struct gk_npy_stream {
    gk_outfile *o;
    char *path;
    int64_t rows, cols, written;
    float *buf; /* one row, little-endian */
};

static int host_is_little_endian(void)
{
    const uint32_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    return b == 1;
}

int gk_npy_stream_open(const char *path, int64_t rows, int64_t cols, gk_npy_stream **out)
{
    char hdr[256];
    GK_FAIL_IF(!path || !out || rows < 0 || cols < 0, GK_EARG, "npy stream: bad argument");
    *out = NULL;
    size_t off = io_npy_header_make(hdr, sizeof hdr, "<f4", rows, cols);
    GK_FAIL_IF(off == 0, GK_EINTERNAL, "npy header does not fit");
    gk_npy_stream *s = gk_calloc(1, sizeof *s);
    if (s) s->path = gk_strdup(path);
    if (s) s->buf = gk_malloc((size_t)(cols ? cols : 1) * sizeof(float));
    if (!s || !s->path || !s->buf) {
        gk_npy_stream_abort(s);
        return gk_set_error(GK_ENOMEM, "%s: out of memory", path);
    }
    s->rows = rows, s->cols = cols;
    int rc = gk_outfile_open(path, &s->o);
    if (rc == GK_OK && fwrite(hdr, 1, off, gk_outfile_stream(s->o)) != off)
        rc = gk_set_error(GK_EIO, "%s: write failed: %s", path, strerror(errno));
    if (rc != GK_OK) gk_npy_stream_abort(s);
    else *out = s;
    return rc;
}

/* Row i of b as little-endian float32 bytes: a pointer to write. */
static const float *row_bytes(gk_npy_stream *s, const gk_mat *b, int64_t i, int le)
{
    if (le && b->cs == 1) return gk_mat_row(b, i);
    for (int64_t j = 0; j < s->cols; j++) {
        float f = gk_mat_at(b, i, j);
        uint32_t u;
        unsigned char *p = (unsigned char *)&s->buf[j];
        memcpy(&u, &f, 4);
        for (int k = 0; k < 4; k++) p[k] = (unsigned char)(u >> (8 * k));
    }
    return s->buf;
}

int gk_npy_stream_write(gk_npy_stream *s, const gk_mat *block)
{
    GK_FAIL_IF(!s || !block, GK_EARG, "npy stream: NULL argument");
    GK_FAIL_IF(block->cols != s->cols || s->written + block->rows > s->rows, GK_ESHAPE,
               "%s: block of (%lld, %lld) does not fit the announced (%lld, %lld) after %lld "
               "rows", s->path, (long long)block->rows, (long long)block->cols,
               (long long)s->rows, (long long)s->cols, (long long)s->written);
    const int le = host_is_little_endian();
    FILE *f = gk_outfile_stream(s->o);
    if (le && block->cs == 1 && block->rs == block->cols) { /* one contiguous write */
        size_t n = (size_t)block->rows * (size_t)block->cols;
        GK_FAIL_IF(fwrite(block->data, sizeof(float), n, f) != n, GK_EIO, "%s: write failed: "
                   "%s", s->path, strerror(errno));
    } else {
        for (int64_t i = 0; i < block->rows; i++)
            GK_FAIL_IF(fwrite(row_bytes(s, block, i, le), sizeof(float), (size_t)s->cols, f) !=
                       (size_t)s->cols, GK_EIO, "%s: write failed: %s", s->path, strerror(errno));
    }
    s->written += block->rows;
    return GK_OK;
}

int gk_npy_stream_commit(gk_npy_stream *s)
{
    GK_FAIL_IF(!s, GK_EARG, "npy stream: NULL argument");
    if (s->written != s->rows) {
        int rc = gk_set_error(GK_ESHAPE, "%s: %lld of %lld rows written", s->path,
                              (long long)s->written, (long long)s->rows);
        gk_npy_stream_abort(s);
        return rc;
    }
    int rc = gk_outfile_commit(s->o);
    s->o = NULL;
    gk_npy_stream_abort(s);
    return rc;
}

void gk_npy_stream_abort(gk_npy_stream *s)
{
    if (!s) return;
    if (s->o) gk_outfile_abort(s->o);
    gk_free(s->path);
    gk_free(s->buf);
    gk_free(s);
}
