/*
** npy_header.c — parsing and validating the header of an untrusted .npy file.
**
** Layout (numpy format versions 1.0, 2.0 and 3.0):
**   "\x93NUMPY" major minor HLEN header-text data
** HLEN is a little-endian uint16 (v1) or uint32 (v2, v3); the header text is a
** Python dict literal, ASCII (v1, v2) or UTF-8 (v3), e.g.
**   {'descr': '<f4', 'fortran_order': False, 'shape': (500, 512), }
** Everything is checked before any allocation: magic, version, length, dict
** syntax, dtype, order, shape, the size product in size_t, and the file size.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "io_internal.h"

#define NPY_MAX_HEADER (1u << 20) /* numpy writes < 10 kB; more is hostile */
#define NPY_MAX_DIMS 32           /* numpy's NPY_MAXDIMS */

typedef struct cursor {
    const char *p, *end;
} cursor;

static void skip_ws(cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

/* Consumes `ch` after optional blanks; @return : 1 if it was there. */
static int accept(cursor *c, char ch)
{
    skip_ws(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return 1;
    }
    return 0;
}

static int expect(cursor *c, char ch, const char *what)
{
    GK_FAIL_IF(!accept(c, ch), GK_EFORMAT, "malformed header: expected '%c' %s", ch, what);
    return GK_OK;
}

/* A quoted string 'x' or "x" without escapes, copied into out[0..cap). */
static int parse_str(cursor *c, char *out, size_t cap, const char *what)
{
    skip_ws(c);
    GK_FAIL_IF(c->p >= c->end || (*c->p != '\'' && *c->p != '"'), GK_EFORMAT,
               "malformed header: expected a quoted string for %s", what);
    char q = *c->p++;
    const char *s = c->p;
    while (c->p < c->end && *c->p != q) c->p++;
    GK_FAIL_IF(c->p >= c->end, GK_EFORMAT, "malformed header: unterminated string in %s", what);
    size_t n = (size_t)(c->p - s);
    c->p++;
    GK_FAIL_IF(n >= cap, GK_EFORMAT, "malformed header: %s is too long (%zu characters)", what, n);
    memcpy(out, s, n);
    out[n] = '\0';
    return GK_OK;
}

static int parse_bool(cursor *c, int *v)
{
    skip_ws(c);
    size_t left = (size_t)(c->end - c->p);
    if (left >= 4 && memcmp(c->p, "True", 4) == 0) {
        *v = 1;
        c->p += 4;
    } else if (left >= 5 && memcmp(c->p, "False", 5) == 0) {
        *v = 0;
        c->p += 5;
    } else
        return gk_set_error(GK_EFORMAT, "malformed header: fortran_order must be True or False");
    return GK_OK;
}

/* A non-negative decimal integer that fits in int64 (an optional "L" suffix
** of Python 2 headers is accepted). */
static int parse_dim(cursor *c, int64_t *v)
{
    skip_ws(c);
    GK_FAIL_IF(c->p >= c->end || *c->p < '0' || *c->p > '9', GK_EFORMAT,
               "malformed header: shape must hold non-negative integers");
    uint64_t x = 0;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        unsigned d = (unsigned)(*c->p++ - '0');
        GK_FAIL_IF(x > ((uint64_t)INT64_MAX - d) / 10, GK_EFORMAT,
                   "shape has a dimension that overflows a 64-bit integer");
        x = x * 10 + d;
    }
    if (c->p < c->end && *c->p == 'L') c->p++;
    *v = (int64_t)x;
    return GK_OK;
}

/* "(a, b, c)" with an optional trailing comma; "()" is 0-D. */
static int parse_shape(cursor *c, int64_t *dims, int *ndim)
{
    GK_TRY(expect(c, '(', "to open the shape tuple"));
    *ndim = 0;
    while (!accept(c, ')')) {
        GK_FAIL_IF(*ndim >= NPY_MAX_DIMS, GK_EFORMAT, "shape has more than %d dimensions",
                   NPY_MAX_DIMS);
        GK_TRY(parse_dim(c, &dims[(*ndim)++]));
        if (!accept(c, ',')) {
            GK_TRY(expect(c, ')', "or ',' in the shape tuple"));
            break;
        }
    }
    return GK_OK;
}

typedef struct raw_header {
    char descr[16];
    int fortran;
    int64_t dims[NPY_MAX_DIMS];
    int ndim;
    int seen; /* bit 0 descr, 1 fortran_order, 2 shape */
} raw_header;

static int parse_entry(cursor *c, raw_header *r)
{
    char key[32];
    GK_TRY(parse_str(c, key, sizeof key, "a key"));
    GK_TRY(expect(c, ':', "after a key"));
    if (strcmp(key, "descr") == 0) {
        skip_ws(c);
        GK_FAIL_IF(c->p < c->end && *c->p == '[', GK_EFORMAT,
                   "descr is a structured dtype; expected a float type such as '<f4'");
        GK_TRY(parse_str(c, r->descr, sizeof r->descr, "descr"));
        r->seen |= 1;
    } else if (strcmp(key, "fortran_order") == 0) {
        GK_TRY(parse_bool(c, &r->fortran));
        r->seen |= 2;
    } else if (strcmp(key, "shape") == 0) {
        GK_TRY(parse_shape(c, r->dims, &r->ndim));
        r->seen |= 4;
    } else
        return gk_set_error(GK_EFORMAT, "malformed header: unexpected key '%s'; expected "
                                        "'descr', 'fortran_order' and 'shape'", key);
    return GK_OK;
}

static int parse_dict(const char *text, size_t n, raw_header *r)
{
    cursor c = {text, text + n};
    memset(r, 0, sizeof *r);
    GK_TRY(expect(&c, '{', "at the start of the header dict"));
    while (!accept(&c, '}')) {
        GK_TRY(parse_entry(&c, r));
        if (!accept(&c, ',')) {
            GK_TRY(expect(&c, '}', "or ',' after a value in the header dict"));
            break;
        }
    }
    skip_ws(&c);
    GK_FAIL_IF(c.p != c.end, GK_EFORMAT, "malformed header: unexpected text after the dict");
    GK_FAIL_IF(r->seen != 7, GK_EFORMAT, "malformed header: missing key '%s'",
               !(r->seen & 1) ? "descr" : !(r->seen & 2) ? "fortran_order" : "shape");
    return GK_OK;
}

/* '<f4' etc.: byte order '<', '>', '|' or '=' (the last two: native, i.e.
** little-endian on the hosts gapkit supports) and float of 2, 4 or 8 bytes. */
static int parse_descr(const char *d, io_npy_header *h)
{
    const char *t = d;
    h->big_endian = 0;
    if (*t == '<' || *t == '>' || *t == '|' || *t == '=') h->big_endian = (*t++ == '>');
    int ok = t[0] == 'f' && (t[1] == '2' || t[1] == '4' || t[1] == '8') && t[2] == '\0';
    GK_FAIL_IF(!ok, GK_EFORMAT, "dtype '%s' is not supported; expected float16, float32 or "
                                "float64 ('<f2', '<f4', '<f8' or big-endian '>f2', '>f4', '>f8')",
               d);
    h->itemsize = t[1] - '0';
    snprintf(h->descr, sizeof h->descr, "%s", d);
    return GK_OK;
}

static void format_shape(const int64_t *dims, int ndim, char *buf, size_t cap)
{
    size_t k = (size_t)snprintf(buf, cap, "(");
    for (int i = 0; i < ndim && k < cap; i++)
        k += (size_t)snprintf(buf + k, cap - k, i ? ", %lld" : "%lld", (long long)dims[i]);
    if (k < cap) snprintf(buf + k, cap - k, ndim == 1 ? ",)" : ")");
}

static const char *dtype_name(int itemsize)
{
    return itemsize == 2 ? "float16" : itemsize == 4 ? "float32" : "float64";
}

/* Dimensions: 2-D or 3-D, none of them zero; the byte size must fit size_t. */
static int check_shape(const raw_header *r, io_npy_header *h)
{
    char s[256];
    format_shape(r->dims, r->ndim, s, sizeof s);
    GK_FAIL_IF(r->ndim < 2 || r->ndim > 3, GK_ESHAPE,
               "array of shape %s is %d-D; expected a 2-D (N, D) array, or a 3-D (M, N, D) "
               "array with a selector FILE:INDEX", s, r->ndim);
    size_t bytes = (size_t)h->itemsize;
    for (int i = 0; i < r->ndim; i++) {
        GK_FAIL_IF(r->dims[i] == 0, GK_ESHAPE, "shape %s has zero %s; expected at least one",
                   s, i == r->ndim - 1 ? "columns" : i == r->ndim - 2 ? "rows" : "views");
        GK_FAIL_IF((uint64_t)r->dims[i] > SIZE_MAX / bytes, GK_EFORMAT,
                   "shape %s of %s overflows the addressable size", s, dtype_name(h->itemsize));
        bytes *= (size_t)r->dims[i];
        h->shape[i] = r->dims[i];
    }
    h->ndim = r->ndim;
    h->data_bytes = bytes;
    return GK_OK;
}

/* Magic, version and header length; sets major/minor/data_offset. */
static int parse_preamble(const unsigned char *buf, size_t len, io_npy_header *h,
                          size_t *hlen)
{
    GK_FAIL_IF(len == 0, GK_EFORMAT, "file is empty (0 bytes); expected a .npy array");
    GK_FAIL_IF(len < 6 || memcmp(buf, "\x93NUMPY", 6) != 0, GK_EFORMAT,
               "not a .npy file: the first bytes are not the magic \"\\x93NUMPY\"");
    GK_FAIL_IF(len < 10, GK_EFORMAT, "header is truncated (%zu bytes)", len);
    h->major = buf[6];
    h->minor = buf[7];
    GK_FAIL_IF(h->major < 1 || h->major > 3 || h->minor != 0, GK_EFORMAT,
               "unsupported .npy version %d.%d; expected 1.0, 2.0 or 3.0", h->major, h->minor);
    size_t pre = h->major == 1 ? 10 : 12;
    GK_FAIL_IF(len < pre, GK_EFORMAT, "header is truncated (%zu bytes)", len);
    *hlen = (size_t)buf[8] | (size_t)buf[9] << 8;
    if (h->major > 1) *hlen |= (size_t)buf[10] << 16 | (size_t)buf[11] << 24;
    GK_FAIL_IF(*hlen > NPY_MAX_HEADER, GK_EFORMAT,
               "header length %zu is implausible (more than %u bytes)", *hlen, NPY_MAX_HEADER);
    GK_FAIL_IF(len - pre < *hlen, GK_EFORMAT,
               "header is truncated: it announces %zu bytes but the file holds %zu after the "
               "preamble", *hlen, len - pre);
    h->data_offset = pre + *hlen;
    return GK_OK;
}

int io_npy_header_parse(const unsigned char *buf, size_t len, io_npy_header *h)
{
    return io_npy_header_parse_part(buf, len, len, h);
}

int io_npy_header_parse_part(const unsigned char *buf, size_t avail, size_t len,
                             io_npy_header *h)
{
    raw_header r;
    size_t hlen = 0;
    memset(h, 0, sizeof *h);
    GK_TRY(parse_preamble(buf, avail, h, &hlen));
    GK_TRY(parse_dict((const char *)buf + (h->data_offset - hlen), hlen, &r));
    GK_TRY(parse_descr(r.descr, h));
    h->fortran = r.fortran;
    GK_TRY(check_shape(&r, h));
    size_t body = len - h->data_offset;
    if (body != h->data_bytes) {
        char s[256];
        format_shape(r.dims, r.ndim, s, sizeof s);
        return gk_set_error(GK_EFORMAT,
                            "header says shape %s of %s = %zu bytes but the file holds %zu "
                            "bytes after the header", s, dtype_name(h->itemsize),
                            h->data_bytes, body);
    }
    return GK_OK;
}

int io_npy_view(const io_npy_header *h, const char *sel, int64_t *view)
{
    *view = -1;
    if (h->ndim == 2) {
        GK_FAIL_IF(sel != NULL, GK_EARG, "selector '%s' given but the array is 2-D (%lld, %lld)",
                   sel, (long long)h->shape[0], (long long)h->shape[1]);
        return GK_OK;
    }
    GK_FAIL_IF(sel == NULL, GK_EARG,
               "array has shape (%lld, %lld, %lld); choose one of its %lld views with "
               "FILE:INDEX (INDEX in 0..%lld)", (long long)h->shape[0], (long long)h->shape[1],
               (long long)h->shape[2], (long long)h->shape[0], (long long)h->shape[0] - 1);
    char *end;
    errno = 0;
    long long v = strtoll(sel, &end, 10);
    GK_FAIL_IF(errno || end == sel || *end || v < 0 || v >= h->shape[0], GK_EARG,
               "selector '%s' is not a view index in 0..%lld of the (%lld, %lld, %lld) array",
               sel, (long long)h->shape[0] - 1, (long long)h->shape[0], (long long)h->shape[1],
               (long long)h->shape[2]);
    *view = v;
    return GK_OK;
}

void io_npy_dims(const io_npy_header *h, int64_t *rows, int64_t *cols)
{
    *rows = h->shape[h->ndim - 2];
    *cols = h->shape[h->ndim - 1];
}

void io_npy_info(const io_npy_header *h, int64_t view, gk_array_info *info)
{
    if (!info) return;
    snprintf(info->dtype, sizeof info->dtype, "%s", dtype_name(h->itemsize));
    snprintf(info->byte_order, sizeof info->byte_order, "%s", h->big_endian ? "big" : "little");
    info->fortran_order = h->fortran;
    info->ndim = h->ndim;
    for (int i = 0; i < 3; i++) info->shape[i] = i < h->ndim ? h->shape[i] : 0;
    info->view = view;
}
