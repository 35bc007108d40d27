/*
** nngs_sweep.c — NNGS at several scales k at once, so a person sees at which
** scale two spaces agree: small k = local neighbourhoods, k near N/2 = the
** coarse layout (clusters and their arrangement).
**
** Because each row's neighbour list is sorted (ORDER), its first k entries
** are its k nearest: one graph at the largest k serves every smaller k.
** When that graph would be large (N·k_max > 2^24 entries), the spectrum of
** nngs_spectrum.c gives every k in O(N²) instead; both rank by the same
** keys, so the numbers are the same.
*/
#include <string.h>

#include "core/error_internal.h"
#include "nngs_internal.h"

#define SWEEP_GRAPH_MAX ((int64_t)1 << 24)

int gk_nngs_sweep_defaults(gk_kspec *ks)
{
    static const gk_kspec def[] = {{1, 0},    {5, 0},    {10, 0},   {0, 0.01},
                                   {0, 0.05}, {0, 0.10}, {0, 0.20}, {0, 0.50}};
    memcpy(ks, def, sizeof def);
    return (int)(sizeof def / sizeof def[0]);
}

int nngs_resolve_scales(const gk_kspec *ks, int nk, int64_t n, nngs_scale *out)
{
    int m = 0;
    for (int i = 0; i < nk; i++) {
        const int64_t k = ks[i].k > 0 ? ks[i].k : (int64_t)(ks[i].frac * (double)(n - 1));
        int dup = k < 1 || k > n - 2;
        for (int j = 0; j < m && !dup; j++) dup = out[j].k == k;
        if (dup) continue;
        int at = m++;
        while (at > 0 && out[at - 1].k > k) { /* insertion keeps them ascending */
            out[at] = out[at - 1];
            at--;
        }
        out[at] = (nngs_scale){k, ks[i]};
    }
    return m;
}

/* raw[p] for every scale from one pair of graphs at the largest k. */
static int raw_by_graphs(const gk_mat *X, const gk_mat *Y, const nngs_scale *s, int m,
                         gk_distance d, double *raw)
{
    const int64_t kmax = s[m - 1].k;
    int64_t *gx, *gy;
    GK_TRY(nbr_graphs(X, Y, kmax, d, &gx, &gy));
    int rc = GK_OK;
    for (int p = 0; p < m && rc == GK_OK; p++)
        rc = gk_nngs_graphs(gx, kmax, gy, kmax, X->rows, s[p].k, &raw[p], NULL);
    gk_free(gx);
    gk_free(gy);
    return rc;
}

static int raw_by_spectrum(const gk_mat *X, const gk_mat *Y, const nngs_scale *s, int m,
                           gk_distance d, double *raw)
{
    gk_tas *t;
    GK_TRY(gk_nngs_spectrum(X, Y, d, &t));
    for (int p = 0; p < m; p++) raw[p] = t->raw[s[p].k - 1];
    gk_tas_free(t);
    return GK_OK;
}

int nngs_sweep_begin(const gk_mat *X, const gk_mat *Y, const gk_kspec *ks, int nk,
                     nngs_scale *s, int *ns)
{
    GK_TRY(nbr_check("nngs sweep", X, Y, 3));
    gk_kspec def[8];
    if (!ks) {
        nk = gk_nngs_sweep_defaults(def);
        ks = def;
    }
    GK_FAIL_IF(nk < 1 || nk > GK_NNGS_SWEEP_MAX, GK_EARG, "nngs sweep: %d scales; expected "
               "1..%d", nk, GK_NNGS_SWEEP_MAX);
    *ns = nngs_resolve_scales(ks, nk, X->rows, s);
    GK_FAIL_IF(*ns == 0, GK_EARG, "nngs sweep: no scale gives k in 1..%lld for N = %lld items",
               (long long)(X->rows - 2), (long long)X->rows);
    return GK_OK;
}

int gk_nngs_sweep(const gk_mat *X, const gk_mat *Y, const gk_kspec *ks, int nk, gk_distance d,
                  gk_nbr_result *out, int *n_out)
{
    GK_FAIL_IF(!out || !n_out, GK_EARG, "nngs sweep: out and n_out must not be NULL");
    *n_out = 0;
    nngs_scale s[GK_NNGS_SWEEP_MAX];
    double raw[GK_NNGS_SWEEP_MAX];
    int m;
    GK_TRY(nngs_sweep_begin(X, Y, ks, nk, s, &m));
    if (X->rows * s[m - 1].k <= SWEEP_GRAPH_MAX) GK_TRY(raw_by_graphs(X, Y, s, m, d, raw));
    else GK_TRY(raw_by_spectrum(X, Y, s, m, d, raw));
    for (int p = 0; p < m; p++) nngs_result_from_raw(&out[p], X, Y, s[p].k, s[p].spec, d, raw[p]);
    *n_out = m;
    return GK_OK;
}
