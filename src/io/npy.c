/*
** npy.c — reading .npy arrays: from memory (gk_npy_read_mem) and from a file,
** memory-mapped copy-on-write when the data is little-endian float32 in C
** order, decoded into a heap matrix otherwise.
*/
#include <stdio.h>
#include <string.h>

#include "core/error_internal.h"
#include "core/matrix_internal.h"
#include "io_internal.h"

/* A .npy held in memory: see io_internal.h. */
int io_npy_from_buffer(const unsigned char *buf, size_t len, const char *sel, gk_mat **out,
                       gk_array_info *info)
{
    io_npy_header h;
    int64_t view;
    GK_TRY(io_npy_header_parse(buf, len, &h));
    GK_TRY(io_npy_view(&h, sel, &view));
    GK_TRY(io_npy_decode(&h, buf + h.data_offset, view, out));
    io_npy_info(&h, view, info);
    return GK_OK;
}

int gk_npy_read_mem(const void *buf, size_t len, const char *selector, const char *name,
                    gk_mat **out)
{
    const char *nm = name ? name : "<memory>";
    GK_FAIL_IF(!out, GK_EARG, "%s: gk_npy_read_mem: out is NULL", nm);
    *out = NULL;
    GK_FAIL_IF(!buf && len, GK_EARG, "%s: gk_npy_read_mem: buf is NULL", nm);
    return io_array_finish(io_npy_from_buffer(buf ? buf : "", len, selector, out, NULL), out,
                           NULL, nm);
}

/* Keeps the mapping as the matrix storage: view `view` of the array. */
static int adopt_map(void *base, size_t len, const io_npy_header *h, int64_t view, gk_mat **out)
{
    int64_t rows, cols;
    io_npy_dims(h, &rows, &cols);
    float *data = (float *)((unsigned char *)base + h->data_offset);
    if (view > 0) data += view * rows * cols;
    return gk_mat_from_map(base, len, data, rows, cols, cols, 1, out);
}

static int load_mapped(const char *path, const char *sel, gk_mat **out, gk_array_info *info)
{
    void *base;
    size_t len;
    io_npy_header h;
    int64_t view;
    int rc;
    GK_TRY(io_file_map(path, 1, &base, &len));
    GK_TRY_GOTO(rc, io_npy_header_parse(base, len, &h), fail);
    GK_TRY_GOTO(rc, io_npy_view(&h, sel, &view), fail);
    io_npy_info(&h, view, info);
    if (io_npy_mappable(&h)) {
        if (info) info->mmapped = 1;
        return adopt_map(base, len, &h, view, out); /* unmaps on failure */
    }
    rc = io_npy_decode(&h, (const unsigned char *)base + h.data_offset, view, out);
fail:
    io_file_unmap(base, len);
    return rc;
}

static int load_read(const char *path, const char *sel, gk_mat **out, gk_array_info *info)
{
    unsigned char *buf;
    size_t len;
    GK_TRY(io_file_read(path, &buf, &len));
    int rc = io_npy_from_buffer(buf, len, sel, out, info);
    gk_free(buf);
    return rc;
}

int io_npy_load(const char *path, const char *sel, int allow_mmap, gk_mat **out,
                gk_array_info *info)
{
    *out = NULL;
    if (info) snprintf(info->format, sizeof info->format, "npy");
    return allow_mmap ? load_mapped(path, sel, out, info) : load_read(path, sel, out, info);
}
