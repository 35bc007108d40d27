/*
** dist_shard.c — each rank's rows of an input: one memory-mapped file of
** which a rank touches only its own rows, or "@LIST", a text file naming
** shard files whose rows follow one another.  The rows of a rank are whole
** GK_CROSS_BLOCK blocks of the global row order (gk_dist_row_range), never
** file boundaries, so a result does not depend on how the data was split
** into files nor on the rank count.
*/
#include <stdio.h>
#include <string.h>

#include "core/error_internal.h"
#include "core/matrix_internal.h"
#include "dist_internal.h"
#include "gapkit/linalg.h"
#include "io/io_internal.h"

void gk_dist_row_range(int64_t n, int rank, int size, int64_t *r0, int64_t *nr)
{
    const int64_t bs = n < GK_CROSS_BLOCK ? (n > 0 ? n : 1) : GK_CROSS_BLOCK;
    const int64_t nblocks = (n + bs - 1) / bs, q = nblocks / size, rem = nblocks % size;
    const int64_t b0 = rank * q + (rank < rem ? rank : rem), nb = q + (rank < rem);
    const int64_t end = (b0 + nb) * bs < n ? (b0 + nb) * bs : n;
    *r0 = b0 * bs < n ? b0 * bs : n;
    *nr = end - *r0;
}

void gk_shard_free(gk_shard *s)
{
    if (!s) return;
    gk_mat_free(s->store);
    gk_free(s);
}

/* Appends " (rank R)" to the current message: a job's ranks share stderr. */
static int with_rank(int rc)
{
    char msg[512];
    snprintf(msg, sizeof msg, "%s", gk_last_error());
    return gk_set_error(rc, "%s (rank %d)", msg, gk_dist_rank());
}

/* The specs of `spec`: itself, or the lines of the list file after '@'.
** *lines points into *buf (both caller-freed with gk_free). */
static int shard_specs(const char *spec, char **buf, char ***lines, int64_t *n)
{
    *buf = NULL, *lines = NULL;
    if (spec[0] != '@') {
        *lines = gk_malloc(sizeof **lines);
        GK_FAIL_IF(!*lines, GK_ENOMEM, "out of memory");
        (*lines)[0] = (char *)spec, *n = 1;
        return GK_OK;
    }
    size_t len;
    GK_TRY(io_file_read(spec + 1, (unsigned char **)buf, &len));
    GK_TRY(io_split_lines(*buf, len, lines, n));
    GK_FAIL_IF(*n == 0, GK_EFORMAT, "%s: the shard list names no file", spec + 1);
    return GK_OK;
}

/* Opens every shard and checks widths; mats (n,) out.  A float32 .npy is
** memory-mapped, so only its header is read here and only this rank's rows
** later; other formats are decoded whole (by every rank).  Every rank needs
** every shard's row count to know where its rows are.  Messages name the
** shard and this rank. */
static int open_all(const char *spec, char **specs, int64_t n, gk_mat **mats)
{
    gk_load_opts o = {.normalize = 0, .allow_mmap = 1, .allow_nonfinite = 1};
    for (int64_t i = 0; i < n; i++) {
        int rc = gk_load_matrix(specs[i], &o, &mats[i]);
        char where[300];
        snprintf(where, sizeof where, "%s: shard %lld", spec + 1, (long long)i);
        if (rc != GK_OK && spec[0] == '@') gk_error_prepend(rc, where);
        if (rc != GK_OK) return with_rank(rc);
        GK_FAIL_IF(mats[i]->cols != mats[0]->cols, GK_ESHAPE,
                   "%s: shard %lld (%s) has %lld columns but shard 0 (%s) has %lld "
                   "(rank %d)", spec + 1, (long long)i, specs[i],
                   (long long)mats[i]->cols, specs[0], (long long)mats[0]->cols,
                   gk_dist_rank());
    }
    return GK_OK;
}

/* s->rows = global rows [r0, r0+nr) of the concatenated mats: a view of one
** shard when they lie in one, else a copy. */
static int take_rows(gk_mat **mats, int64_t n, int64_t r0, int64_t nr, gk_shard *s)
{
    int64_t off = 0, i = 0;
    while (i < n - 1 && r0 >= off + mats[i]->rows) off += mats[i++]->rows;
    if (r0 + nr <= off + mats[i]->rows) {
        s->store = mats[i], mats[i] = NULL;
        s->rows = gk_mat_view_rows(s->store, r0 - off, nr);
        return GK_OK;
    }
    GK_TRY(gk_mat_create(nr, mats[0]->cols, &s->store));
    for (int64_t g = r0; g < r0 + nr; g++) {
        while (g >= off + mats[i]->rows) off += mats[i++]->rows;
        for (int64_t j = 0; j < s->store->cols; j++)
            s->store->data[(g - r0) * s->store->rs + j] = gk_mat_at(mats[i], g - off, j);
    }
    s->rows = gk_mat_view_rows(s->store, 0, nr);
    return GK_OK;
}

/* This rank's rows of the shards, checked (and normalised) in place. */
static int shard_rows(const char *spec, char **specs, int64_t n, int normalize, gk_shard *s)
{
    gk_mat **mats = gk_calloc((size_t)n, sizeof *mats);
    GK_FAIL_IF(!mats, GK_ENOMEM, "out of memory");
    int rc = open_all(spec, specs, n, mats);
    int64_t nr = 0;
    for (int64_t i = 0; rc == GK_OK && i < n; i++) s->n += mats[i]->rows;
    if (rc == GK_OK) {
        gk_dist_row_range(s->n, gk_dist_rank(), gk_dist_size(), &s->r0, &nr);
        rc = take_rows(mats, n, s->r0, nr, s);
    }
    if (rc == GK_OK)
        rc = normalize ? mat_normalize_loaded(&s->store, &s->rows) : gk_mat_check_finite(&s->rows);
    if (rc == GK_ENUMERIC) { /* row numbers of the message are this rank's: say from where */
        char where[300];
        snprintf(where, sizeof where, "%s: rows from %lld", spec, (long long)s->r0);
        rc = with_rank(gk_error_prepend(rc, where));
    }
    for (int64_t i = 0; i < n; i++) gk_mat_free(mats[i]);
    gk_free(mats);
    return rc;
}

int gk_shard_open(const char *spec, int normalize, gk_shard **out)
{
    GK_FAIL_IF(!spec || !out, GK_EARG, "gk_shard_open: NULL argument");
    *out = NULL;
    char *buf = NULL, **specs = NULL;
    int64_t n = 0;
    gk_shard *s = gk_calloc(1, sizeof *s);
    int rc = s ? shard_specs(spec, &buf, &specs, &n) : gk_set_error(GK_ENOMEM, "out of memory");
    if (rc == GK_OK) rc = shard_rows(spec, specs, n, normalize, s);
    if (rc != GK_OK && !strstr(gk_last_error(), "(rank ")) rc = with_rank(rc);
    gk_free(buf), gk_free(specs);
    int who, all = gk_dist_agree(rc, &who);
    if (all != GK_OK && rc == GK_OK)
        rc = gk_set_error(all, "%s: stopped: rank %d could not read its rows", spec, who);
    if (rc != GK_OK) return gk_shard_free(s), rc;
    *out = s;
    return GK_OK;
}

int gk_shard_open_pair(const char *xs, const char *ys, int normalize, gk_shard **x, gk_shard **y)
{
    GK_FAIL_IF(!xs || !ys || !x || !y, GK_EARG, "gk_shard_open_pair: NULL argument");
    *x = *y = NULL;
    GK_TRY(gk_shard_open(xs, normalize, x));
    int rc = gk_shard_open(ys, normalize, y);
    if (rc == GK_OK && (*x)->n != (*y)->n) /* every rank sees both totals: the same verdict */
        rc = gk_set_error(GK_ESHAPE, "%s has %lld rows but %s has %lld: rows are paired by "
                          "index", xs, (long long)(*x)->n, ys, (long long)(*y)->n);
    if (rc != GK_OK) gk_shard_free(*x), gk_shard_free(*y), *x = *y = NULL;
    return rc;
}
