/*
** synth_recovery.c — scoring a COMET fit against the generator's truth: for
** every shared axis e_j, the model axis that points the same way, how well
** it does on each side, and how much of e_j the recovered subspace holds.
** This is what the demo shows: COMET finds the axes it was given.
*/
#include <math.h>

#include "core/error_internal.h"
#include "gapkit/synth.h"

void gk_synth_recovery_free(gk_synth_recovery *r)
{
    if (!r) return;
    gk_free(r->match);
    gk_free(r->cos_t);
    gk_free(r->cos_a);
    gk_free(r->subspace);
    gk_free(r->corr_model);
    gk_free(r);
}

static int recovery_alloc(int64_t K, int64_t k, gk_synth_recovery **out)
{
    gk_synth_recovery *r = gk_calloc(1, sizeof *r);
    GK_FAIL_IF(!r, GK_ENOMEM, "synth recovery: out of memory");
    r->k_true = K, r->k_model = k;
    r->match = gk_calloc((size_t)K, sizeof *r->match);
    r->cos_t = gk_calloc((size_t)K, sizeof *r->cos_t);
    r->cos_a = gk_calloc((size_t)K, sizeof *r->cos_a);
    r->subspace = gk_calloc((size_t)K, sizeof *r->subspace);
    r->corr_model = gk_calloc((size_t)K, sizeof *r->corr_model);
    if (!r->match || !r->cos_t || !r->cos_a || !r->subspace || !r->corr_model) {
        gk_synth_recovery_free(r);
        return gk_set_error(GK_ENOMEM, "synth recovery: out of memory");
    }
    *out = r;
    return GK_OK;
}

/* e · column l of axes (D,Kcols) row-major. */
static double dot_column(const float *e, const float *axes, int64_t d, int64_t kcols, int64_t l)
{
    double v = 0;
    for (int64_t i = 0; i < d; i++) v += (double)e[i] * axes[i * kcols + l];
    return v;
}

int gk_synth_recovery_compare(const gk_synth *s, const gk_comet *m, int64_t k,
                              gk_synth_recovery **out)
{
    *out = NULL;
    GK_FAIL_IF(!s || !m, GK_EARG, "synth recovery: NULL argument");
    const int64_t K = s->axes->rows, d = s->axes->cols, km = gk_comet_k(m);
    GK_FAIL_IF(gk_comet_dim(m, 0) != d || gk_comet_dim(m, 1) != d, GK_ESHAPE,
               "synth recovery: the model is %lld x %lld-d, the generator %lld-d",
               (long long)gk_comet_dim(m, 0), (long long)gk_comet_dim(m, 1), (long long)d);
    GK_FAIL_IF(k < 1 || k > km, GK_EARG, "synth recovery: k = %lld (the model keeps %lld)",
               (long long)k, (long long)km);
    GK_TRY(recovery_alloc(K, k, out));
    gk_synth_recovery *r = *out;
    const float *U = gk_comet_axes(m, 0), *V = gk_comet_axes(m, 1), *corr = gk_comet_corr(m);
    for (int64_t j = 0; j < K; j++) {
        const float *e = gk_mat_row(s->axes, j);
        double best = -1, energy = 0;
        for (int64_t l = 0; l < k; l++) {
            double c = fabs(dot_column(e, U, d, km, l));
            energy += c * c; /* the u_l are orthonormal: Σ (e·u_l)² = ‖P e‖² */
            if (c > best) best = c, r->match[j] = l;
        }
        r->cos_t[j] = best;
        r->cos_a[j] = fabs(dot_column(e, V, d, km, r->match[j]));
        r->subspace[j] = sqrt(energy);
        r->corr_model[j] = corr[r->match[j]];
    }
    return GK_OK;
}
