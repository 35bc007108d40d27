/*
** gap.c — gk_gap_diagnose(): runs every modality-gap diagnostic of
** methods.md §2 (gap_moments.c, gap_spectrum.c, gap_separability.c) and
** owns the result's lifetime.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "core/matrix_internal.h"
#include "gap_internal.h"
#include "gapkit/linalg.h"

gk_gap_opts gk_gap_opts_default(void)
{
    gk_gap_opts o;
    memset(&o, 0, sizeof o);
    const int64_t m[] = {1, 5, 10, 20, 50, 100, 200};
    o.n_top_m = 7;
    memcpy(o.top_m, m, sizeof m);
    o.n_pc = 10;
    o.subspace_k = 10;
    o.separability = 1;
    o.cv_folds = 5;
    o.sep_cap = 20000;
    o.sep_lambda = 1e-4;
    return o;
}

void gk_gap_result_free(gk_gap_result *r)
{
    if (!r) return;
    gk_free(r->gap_vector);
    gk_free(r->pc_share);
    gk_free(r->angles);
    gk_free(r);
}

/* NaN in every cross-modal field (they stay NaN when Dx != Dy). */
static void mark_cross_nan(gk_gap_result *r)
{
    double *f[] = {&r->gap, &r->rmg, &r->cos_true, &r->cos_nonpair, &r->mean_term,
                   &r->centred_true, &r->centred_nonpair, &r->mean_share_true,
                   &r->mean_share_nonpair, &r->sep_accuracy, &r->sep_accuracy_sd,
                   &r->w2_uniformity};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) *f[i] = NAN;
}

int gap_check_opts(const gk_gap_opts *o)
{
    GK_FAIL_IF(o->n_top_m < 0 || o->n_top_m > GK_GAP_MAX_TOP_M, GK_EARG,
               "gap: n_top_m = %d outside 0..%d", o->n_top_m, GK_GAP_MAX_TOP_M);
    for (int q = 0; q < o->n_top_m; q++)
        GK_FAIL_IF(o->top_m[q] < 1, GK_EARG, "gap: top-m value %lld must be >= 1",
                   (long long)o->top_m[q]);
    GK_FAIL_IF(o->subspace_k < 1 || o->n_pc < 1, GK_EARG, "gap: subspace_k and n_pc must be >= 1");
    return GK_OK;
}

static int check_args(const gk_mat *X, const gk_mat *Y, const gk_gap_opts *o)
{
    GK_FAIL_IF(!X || !Y, GK_EARG, "gap: NULL input");
    GK_FAIL_IF(X->rows != Y->rows, GK_ESHAPE, "gap: X has %lld rows but Y has %lld (rows are "
               "pairs)", (long long)X->rows, (long long)Y->rows);
    GK_FAIL_IF(X->rows < 2, GK_EARG, "gap: needs at least 2 pairs (got %lld)",
               (long long)X->rows);
    GK_TRY(gap_check_opts(o));
    GK_TRY(gk_mat_check_magnitude(X, "gap: X"));
    return gk_mat_check_magnitude(Y, "gap: Y");
}

/* A zeroed result with its arrays allocated. */
static int result_alloc(const gk_mat *X, const gk_mat *Y, int64_t n, const gk_gap_opts *o,
                        gk_gap_result **out)
{
    gk_gap_result *r = gk_calloc(1, sizeof *r);
    GK_FAIL_IF(!r, GK_ENOMEM, "gap: out of memory");
    r->n = n, r->dx = X->cols, r->dy = Y->cols, r->same_dim = X->cols == Y->cols;
    r->n_top_m = o->n_top_m;
    memcpy(r->top_m, o->top_m, sizeof r->top_m);
    r->n_pc = o->n_pc < r->dx ? o->n_pc : r->dx;
    r->subspace_k = o->subspace_k < r->dx ? o->subspace_k : r->dx;
    mark_cross_nan(r);
    if (r->same_dim) {
        r->gap_vector = gk_calloc((size_t)r->dx, sizeof(double));
        r->pc_share = gk_calloc((size_t)r->n_pc, sizeof(double));
        r->angles = gk_calloc((size_t)r->subspace_k, sizeof(double));
        if (!r->gap_vector || !r->pc_share || !r->angles) {
            gk_gap_result_free(r);
            return gk_set_error(GK_ENOMEM, "gap: out of memory");
        }
    }
    *out = r;
    return GK_OK;
}

static int sum_local(const double *parts, int64_t nb, int64_t len, double *total)
{
    memset(total, 0, (size_t)len * sizeof *total);
    for (int64_t b = 0; b < nb; b++)
        for (int64_t q = 0; q < len; q++) total[q] += parts[b * len + q];
    return GK_OK;
}

static int gram_local(const gk_mat *A, const double *mu, double *G)
{
    return gk_cross_centered(A, mu, A, mu, G);
}

gap_sums gap_sums_local(int64_t n) { return (gap_sums){n, sum_local, gram_local}; }

int gap_run(const gk_mat *X, const gk_mat *Y, const gk_gap_opts *o, const gap_sums *s,
            gk_gap_result **out)
{
    gk_gap_result *r = NULL;
    double *mux = NULL;
    int rc;
    *out = NULL;
    GK_TRY(result_alloc(X, Y, s->n, o, &r));
    mux = gk_malloc((size_t)(X->cols + Y->cols) * sizeof(double));
    if (!mux) GK_FAIL_GOTO(rc, GK_ENOMEM, cleanup, "gap: out of memory");
    GK_TRY_GOTO(rc, gap_moments(X, Y, s, r, mux, mux + X->cols), cleanup);
    GK_TRY_GOTO(rc, gap_spectrum(X, Y, mux, mux + X->cols, s, r), cleanup);
    if (r->same_dim && o->separability)
        GK_TRY_GOTO(rc, gap_separability(X, Y, o, r), cleanup);
    *out = r;
    r = NULL;
cleanup:
    gk_free(mux);
    gk_gap_result_free(r);
    return rc;
}

int gk_gap_diagnose(const gk_mat *X, const gk_mat *Y, const gk_gap_opts *opts,
                    gk_gap_result **out)
{
    gk_gap_opts o = opts ? *opts : gk_gap_opts_default();
    GK_FAIL_IF(!out, GK_EARG, "gap: NULL output");
    *out = NULL;
    GK_TRY(check_args(X, Y, &o));
    const gap_sums s = gap_sums_local(X->rows);
    return gap_run(X, Y, &o, &s, out);
}
