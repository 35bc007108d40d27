/*
** dist_align.c — align fit and apply over rows spread across ranks
** (methods.md §4, §8).
**
** The fits that touch the rows only through sums — the view means (center,
** shift, ablate), the centred cross-products (procrustes, cca and COMET with
** three or more views: each pair's C_vl and each view's Gram C_vv) and
** two-view COMET — run the one-process fit (al_fit_run) with those sums taken
** over every rank's blocks in global block order (dist_cross.c,
** dist_comet.c), so the model is that of one process, bit for bit.
** projdec keeps rows, not sums: every rank receives the anchor view's rows
** (dist_all_rows) and runs the one-process fit on them.  Apply is row-local: each rank
** transforms its rows, rank 0 gathers them in row order and writes once.
*/
#include <string.h>

#include "align/align_internal.h"
#include "core/error_internal.h"
#include "dist_internal.h"
#include "gapkit/io.h"

static const al_sums dist_sums_proto = {0, dist_col_mean, dist_cross_centered,
                                        gk_dist_comet_fit, dist_all_rows};

int gk_dist_align_supported(const gk_align_opts *o, int n_views)
{
    (void)n_views; /* each method takes 2..GK_ALIGN_MAX_VIEWS views on ranks as in one process */
    switch (o->method) {
    case GK_ALIGN_IDENTITY:
    case GK_ALIGN_CENTER:
    case GK_ALIGN_SHIFT:
    case GK_ALIGN_ABLATE:
    case GK_ALIGN_PROCRUSTES:
    case GK_ALIGN_CCA:
    case GK_ALIGN_PROJDEC: return 1;
    case GK_ALIGN_COMET: return o->k > 0; /* k = 0: the rule is resolved on all rows */
    default: return 0;
    }
}

/* Every view has this rank's rows of the same N ≥ 2 global rows. */
static int check_views(const gk_align_opts *o, const gk_mat *const *views, int M, int64_t *n)
{
    GK_FAIL_IF(!o || !views || M < 2 || M > GK_ALIGN_MAX_VIEWS, GK_EARG,
               "align fit: bad argument (2..%d views)", GK_ALIGN_MAX_VIEWS);
    int rc = gk_dist_align_supported(o, M) ? GK_OK
             : gk_set_error(GK_EARG, "align fit: --method %s%s does not run under MPI (identity, "
                            "center, shift, ablate, procrustes, cca, projdec and comet with a "
                            "fixed --k do)", gk_align_method_name(o->method),
                            o->method == GK_ALIGN_COMET ? " --k auto" : "");
    for (int v = 0; rc == GK_OK && v < M; v++)
        if (!views[v] || views[v]->cs != 1 || views[v]->rows != views[0]->rows)
            rc = gk_set_error(GK_ESHAPE, "align fit: rank %d: view %d is not paired with view 0",
                              gk_dist_rank(), v);
    if (rc == GK_OK) rc = al_check_dims(o, views, M);
    *n = dist_total(views[0] ? views[0]->rows : 0);
    if (rc == GK_OK && *n < 2)
        rc = gk_set_error(GK_ESHAPE, "align fit: %lld rows; at least 2 pairs needed",
                          (long long)*n);
    return gk_dist_agree(rc, NULL) != GK_OK ? (rc ? rc : GK_EARG) : GK_OK;
}

int gk_dist_align_fit(const gk_align_opts *o, const gk_mat *const *views, int n_views,
                      gk_align **out)
{
    GK_FAIL_IF(!out, GK_EARG, "align fit: NULL output");
    *out = NULL;
    al_sums sums = dist_sums_proto;
    GK_TRY(check_views(o, views, n_views, &sums.n));
    return al_fit_run(o, views, n_views, sums.n, &sums, out);
}

static void shards_free(gk_shard **s, int M)
{
    for (int v = 0; v < M; v++) gk_shard_free(s[v]);
}

/* Every view's shard; all of N rows (the message names both specs). */
static int open_views(const char *const *specs, int M, int normalize, gk_shard **s)
{
    int rc = GK_OK;
    for (int v = 0; v < M; v++) s[v] = NULL;
    for (int v = 0; rc == GK_OK && v < M; v++) {
        rc = gk_shard_open(specs[v], normalize, &s[v]);
        if (rc == GK_OK && s[v]->n != s[0]->n) /* every rank sees both totals */
            rc = gk_set_error(GK_ESHAPE, "%s has %lld rows but %s has %lld: rows are paired by "
                              "index", specs[0], (long long)s[0]->n, specs[v],
                              (long long)s[v]->n);
    }
    if (rc != GK_OK) shards_free(s, M);
    return rc;
}

int gk_dist_align_fit_files(const gk_align_opts *o, const char *const *specs, int n_views,
                            int normalize, const char *path, gk_align **out)
{
    GK_FAIL_IF(!o || !specs || !path || !out || n_views < 2 || n_views > GK_ALIGN_MAX_VIEWS,
               GK_EARG, "align fit: bad argument");
    *out = NULL;
    gk_shard *s[GK_ALIGN_MAX_VIEWS];
    const gk_mat *views[GK_ALIGN_MAX_VIEWS];
    gk_align *m = NULL;
    GK_TRY(open_views(specs, n_views, normalize, s));
    for (int v = 0; v < n_views; v++) views[v] = &s[v]->rows;
    int rc = gk_dist_align_fit(o, views, n_views, &m);
    if (rc == GK_OK && gk_dist_rank() == 0) rc = gk_align_save(m, path);
    int who, all = gk_dist_agree(rc, &who);
    if (all != GK_OK && rc == GK_OK)
        rc = gk_set_error(all, "align fit: stopped: rank %d failed (see its message)", who);
    shards_free(s, n_views);
    if (rc != GK_OK) return gk_align_free(m), rc;
    *out = m;
    return GK_OK;
}

/* out (rows, d_out) = the transform of this rank's rows (none: NULL). */
static int apply_mine(const gk_align *m, int view, const gk_mat *X, gk_mat **out)
{
    *out = NULL;
    if (!X->rows) return GK_OK;
    /* shards start at multiples of GK_CROSS_BLOCK rows, a multiple of every
    ** block and tile of the apply: each row meets the GEMM calls of one process */
    return gk_align_apply(m, view, X, out);
}

int gk_dist_align_apply_files(const gk_align *m, int view, const char *in, int normalize,
                              const char *path)
{
    GK_FAIL_IF(!m || !in || !path, GK_EARG, "align apply: NULL argument");
    gk_shard *s = NULL;
    gk_mat *o = NULL;
    GK_TRY(gk_shard_open(in, normalize, &s));
    const int64_t d_out = gk_align_out_dim(m, view);
    int rc = view >= 0 && view < gk_align_n_views(m) && s->rows.cols == gk_align_dim(m, view)
             ? GK_OK
             : gk_set_error(GK_ESHAPE, "%s: input has D = %lld but view %d of the model has "
                            "D = %lld", in, (long long)s->rows.cols, view,
                            (long long)gk_align_dim(m, view));
    if (rc == GK_OK) rc = apply_mine(m, view, &s->rows, &o);
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK) rc = gk_dist_write_rows(o, d_out, path);
    int who, agreed = gk_dist_agree(rc, &who);
    if (agreed != GK_OK && rc == GK_OK)
        rc = gk_set_error(agreed, "align apply: stopped: rank %d failed (see its message)", who);
    gk_mat_free(o);
    gk_shard_free(s);
    return rc;
}
