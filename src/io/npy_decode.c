/*
** npy_decode.c — turning the bytes of a .npy array into a row-major float32
** (N,D) matrix: float16/float64 conversion, byte swapping, Fortran order and
** the selection of one view of an (M,N,D) array.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "io_internal.h"

/* IEEE binary16 -> binary32, exact for every input:
**   sign s, exponent e (5 bits, bias 15), mantissa m (10 bits)
**   e == 0:  (-1)^s * m * 2^-24        (zero and subnormals)
**   e == 31: ±Inf (m == 0) or NaN (payload kept in the top mantissa bits)
**   else:    (-1)^s * (1 + m/1024) * 2^(e-15), rebased to bias 127. */
static float half_to_float(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t e = (h >> 10) & 0x1fu, m = h & 0x3ffu, bits;
    if (e == 0) {
        float v = (float)m * 0x1p-24f; /* exact: m < 2^10 */
        memcpy(&bits, &v, 4);
        bits |= sign;
    } else if (e == 31)
        bits = sign | 0x7f800000u | (m << 13);
    else
        bits = sign | ((e + 112u) << 23) | (m << 13);
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

/* Unsigned integer of `size` bytes at p, in the file's byte order. */
static uint64_t load_uint(const unsigned char *p, int size, int big_endian)
{
    uint64_t v = 0;
    for (int i = 0; i < size; i++) {
        int k = big_endian ? i : size - 1 - i;
        v = (v << 8) | p[k];
    }
    return v;
}

/* Element at p as float32 (float64 is rounded to nearest; values beyond the
** float32 range become ±Inf and are caught by the finite check). */
static float load_elem(const unsigned char *p, int itemsize, int big_endian)
{
    uint64_t u = load_uint(p, itemsize, big_endian);
    if (itemsize == 2) return half_to_float((uint16_t)u);
    if (itemsize == 4) {
        uint32_t b = (uint32_t)u;
        float f;
        memcpy(&f, &b, 4);
        return f;
    }
    double d;
    memcpy(&d, &u, 8);
    return (float)d;
}

/* A finite float64 that became ±Inf is too large for float32: say so
** (the caller frees the matrix), rather than calling it Inf later. */
static int check_float64(const unsigned char *p, const io_npy_header *h, int64_t i, int64_t j)
{
    uint64_t u = load_uint(p, 8, h->big_endian);
    double d;
    memcpy(&d, &u, 8);
    GK_FAIL_IF(isfinite(d), GK_ENUMERIC, "row %lld, column %lld is %g, beyond the float32 range "
               "(±3.4e38) gapkit computes in", (long long)i, (long long)j, d);
    return GK_OK;
}

/* Strides in elements of the file's layout: C order has the last axis
** contiguous, Fortran order the first. */
static void layout_strides(const io_npy_header *h, int64_t *st)
{
    if (h->fortran) {
        st[0] = 1;
        for (int a = 1; a < h->ndim; a++) st[a] = st[a - 1] * h->shape[a - 1];
    } else {
        st[h->ndim - 1] = 1;
        for (int a = h->ndim - 2; a >= 0; a--) st[a] = st[a + 1] * h->shape[a + 1];
    }
}

int io_npy_decode(const io_npy_header *h, const unsigned char *data, int64_t view,
                  gk_mat **out)
{
    int64_t st[3], rows, cols;
    layout_strides(h, st);
    io_npy_dims(h, &rows, &cols);
    GK_TRY(gk_mat_create(rows, cols, out));
    /* element (i,j) of the view lives at base + i*rs + j*cs elements */
    int64_t base = h->ndim == 3 ? view * st[0] : 0;
    int64_t rs = st[h->ndim - 2], cs = st[h->ndim - 1];
    size_t isz = (size_t)h->itemsize;
    float *dst = (*out)->data;
    if (io_npy_mappable(h) || (h->itemsize == 4 && !h->big_endian && !h->fortran &&
                               io_host_little_endian())) {
        memcpy(dst, data + (size_t)base * isz, (size_t)rows * (size_t)cols * isz);
        return GK_OK;
    }
    for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++) {
            size_t off = (size_t)(base + i * rs + j * cs) * isz;
            *dst = load_elem(data + off, h->itemsize, h->big_endian);
            if (isinf(*dst) && h->itemsize == 8 && check_float64(data + off, h, i, j)) {
                gk_mat_free(*out);
                *out = NULL;
                return GK_ENUMERIC;
            }
            dst++;
        }
    return GK_OK;
}

int io_host_little_endian(void)
{
    const uint16_t one = 1;
    return *(const unsigned char *)&one == 1;
}

int io_npy_mappable(const io_npy_header *h)
{
    return io_host_little_endian() && !h->big_endian && h->itemsize == 4 && !h->fortran &&
           h->data_offset % sizeof(float) == 0;
}
