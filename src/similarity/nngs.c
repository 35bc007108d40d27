/*
** nngs.c — NNGS (nearest-neighbour graph similarity) of two spaces at one
** scale k, its chance level, the parsing of k, and the helpers every
** neighbourhood measure shares (graphs of both spaces, per-row overlaps).
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "core/error_internal.h"
#include "nngs_internal.h"

int gk_kspec_parse(const char *s, gk_kspec *out)
{
    GK_FAIL_IF(!s || !out, GK_EARG, "k: NULL argument");
    char *end;
    const size_t len = strlen(s);
    const int pct = len > 0 && s[len - 1] == '%';
    memset(out, 0, sizeof *out);
    errno = 0;
    if (pct || strchr(s, '.')) {
        double v = strtod(s, &end);
        if (pct) v /= 100;
        GK_FAIL_IF(errno || end == s || end != s + len - (size_t)pct || !(v > 0 && v <= 1),
                   GK_EARG, "k '%s': a fraction of N−1 must be in (0, 1] (e.g. 0.2 or 20%%)",
                   s);
        out->frac = v;
        return GK_OK;
    }
    long long v = strtoll(s, &end, 10);
    GK_FAIL_IF(errno || end == s || *end || v < 1, GK_EARG,
               "k '%s': expected a positive count (10) or a fraction of N−1 (0.2 or 20%%)", s);
    out->k = v;
    return GK_OK;
}

int gk_kspec_resolve(gk_kspec s, int64_t n, int64_t kmin, int64_t kmax, int64_t *k)
{
    GK_FAIL_IF(!k, GK_EARG, "k: NULL argument");
    if (s.k > 0) *k = s.k;
    else *k = (int64_t)floor(s.frac * (double)(n - 1));
    if (*k >= kmin && *k <= kmax) return GK_OK;
    if (s.k > 0)
        return gk_set_error(GK_EARG, "k = %lld is out of range: with N = %lld items k must be "
                            "in %lld..%lld", (long long)*k, (long long)n, (long long)kmin,
                            (long long)kmax);
    return gk_set_error(GK_EARG, "k = floor(%g·(N−1)) = %lld is out of range: with N = %lld "
                        "items k must be in %lld..%lld", s.frac, (long long)*k, (long long)n,
                        (long long)kmin, (long long)kmax);
}

double gk_nngs_chance(int64_t k, int64_t n)
{
    if (k < 1 || k > n - 1) return NAN;
    return (double)k / (2.0 * (double)(n - 1) - (double)k);
}

/* log of the binomial coefficient C(a, b) */
static double log_choose(double a, double b)
{
    return lgamma(a + 1) - lgamma(b + 1) - lgamma(a - b + 1);
}

double gk_nngs_chance_exact(int64_t k, int64_t n)
{
    if (k < 1 || k > n - 1) return NAN;
    const double m = (double)(n - 1), kk = (double)k, lc = log_choose(m, kk);
    double e = 0;
    for (int64_t i = 2 * k - (n - 1) > 1 ? 2 * k - (n - 1) : 1; i <= k; i++) {
        const double p = exp(log_choose(kk, (double)i) + log_choose(m - kk, kk - (double)i) - lc);
        e += p * (double)i / (2.0 * kk - (double)i);
    }
    return e;
}

int nbr_check(const char *what, const gk_mat *X, const gk_mat *Y, int64_t nmin)
{
    GK_FAIL_IF(!X || !Y || !X->data || !Y->data, GK_EARG, "%s: X and Y must not be NULL", what);
    GK_FAIL_IF(X->rows != Y->rows, GK_ESHAPE, "%s: X has %lld rows but Y has %lld; row i of "
               "X and row i of Y must be the same item", what, (long long)X->rows,
               (long long)Y->rows);
    GK_FAIL_IF(X->rows < nmin, GK_EARG, "%s: %lld items are too few (need at least %lld)",
               what, (long long)X->rows, (long long)nmin);
    return GK_OK;
}

/* One space's graph; `name` prefixes a failure message. */
static int one_graph(const gk_mat *A, int64_t k, gk_distance d, const char *name,
                     int64_t **g)
{
    gk_knn *idx;
    int rc = gk_knn_create(A, d, &idx);
    if (rc == GK_OK) {
        *g = gk_malloc((size_t)A->rows * (size_t)k * sizeof **g);
        rc = *g ? gk_knn_graph(idx, k, *g, NULL) : GK_ENOMEM;
        gk_knn_free(idx);
    }
    return rc == GK_OK ? GK_OK : gk_error_prepend(rc, name);
}

int nbr_graphs(const gk_mat *X, const gk_mat *Y, int64_t k, gk_distance d, int64_t **gx,
               int64_t **gy)
{
    *gx = *gy = NULL;
    int rc = one_graph(X, k, d, "X", gx);
    if (rc == GK_OK) rc = one_graph(Y, k, d, "Y", gy);
    if (rc == GK_OK) return GK_OK;
    gk_free(*gx);
    gk_free(*gy);
    *gx = *gy = NULL;
    return rc;
}

int nbr_begin(const char *what, const gk_mat *X, const gk_mat *Y, gk_kspec ks, gk_distance d,
              int64_t nmin, int64_t kmin, int64_t kgap, int64_t *k, int64_t **gx, int64_t **gy)
{
    GK_TRY(nbr_check(what, X, Y, nmin));
    GK_TRY(gk_kspec_resolve(ks, X->rows, kmin, X->rows - kgap, k));
    return nbr_graphs(X, Y, *k, d, gx, gy);
}

int nbr_overlaps(const int64_t *gx, int64_t ldx, const int64_t *gy, int64_t ldy, int64_t n,
                 int64_t k, int64_t *I)
{
    const int nt = gk_get_threads() > 1 ? gk_get_threads() : 1;
    /* stamp[j] == i+1 marks j as an X-neighbour of row i: no clearing */
    int64_t *stamp = gk_calloc((size_t)nt * (size_t)n, sizeof *stamp);
    if (!stamp) return gk_set_error(GK_ENOMEM, "nngs: out of memory");
#pragma omp parallel for num_threads(nt) schedule(static)
    for (int64_t i = 0; i < n; i++) {
        int tid = 0;
#ifdef _OPENMP
        tid = omp_get_thread_num();
#endif
        int64_t *st = stamp + (int64_t)tid * n, c = 0;
        for (int64_t a = 0; a < k; a++) st[gx[i * ldx + a]] = i + 1;
        for (int64_t a = 0; a < k; a++) c += st[gy[i * ldy + a]] == i + 1;
        I[i] = c;
    }
    gk_free(stamp);
    return GK_OK;
}

double nbr_mean_jaccard(const int64_t *I, int64_t n, int64_t k)
{
    double s = 0;
    for (int64_t i = 0; i < n; i++) s += (double)I[i] / (double)(2 * k - I[i]);
    return s / (double)n;
}

int gk_nngs_graphs(const int64_t *gx, int64_t ldx, const int64_t *gy, int64_t ldy, int64_t n,
                   int64_t k, double *raw, double *mutual)
{
    GK_FAIL_IF(!gx || !gy || !raw || n < 1, GK_EARG, "nngs: NULL graph or no rows");
    GK_FAIL_IF(k < 1 || k > ldx || k > ldy, GK_EARG, "nngs: k = %lld but the graphs hold "
               "%lld and %lld neighbours per row", (long long)k, (long long)ldx,
               (long long)ldy);
    int64_t *I = gk_malloc((size_t)n * sizeof *I);
    if (!I) return GK_ENOMEM;
    int rc = nbr_overlaps(gx, ldx, gy, ldy, n, k, I);
    if (rc == GK_OK) {
        *raw = nbr_mean_jaccard(I, n, k);
        if (mutual) {
            int64_t s = 0;
            for (int64_t i = 0; i < n; i++) s += I[i];
            *mutual = (double)s / ((double)n * (double)k);
        }
    }
    gk_free(I);
    return rc;
}

void nbr_k_text(char *buf, size_t cap, int64_t k, double frac)
{
    if (frac > 0) snprintf(buf, cap, "k = %lld (%g%% of N-1)", (long long)k, 100 * frac);
    else snprintf(buf, cap, "k = %lld", (long long)k);
}

void nbr_result_init(gk_nbr_result *r, gk_nbr_kind kind, const gk_mat *X, const gk_mat *Y,
                     int64_t k, gk_kspec ks, gk_distance d)
{
    static const char *names[] = {"?", "nngs", "mutual-knn", "cycle-knn", "cknna"};
    memset(r, 0, sizeof *r);
    r->kind = kind;
    snprintf(r->measure, sizeof r->measure, "%s", names[kind]);
    r->n = X->rows;
    r->dx = X->cols;
    r->dy = Y->cols;
    r->k = k;
    r->k_frac = ks.k > 0 ? 0 : ks.frac;
    r->distance = d;
    r->raw = r->chance = r->hsic_xy = r->hsic_xx = r->hsic_yy = NAN;
    r->ci_lo = r->ci_hi = NAN;
}

/* Fills raw, chance, value and the estimator of an NNGS result. */
static void nngs_finish(gk_nbr_result *r, double raw)
{
    char kt[64];
    r->raw = raw;
    r->chance = gk_nngs_chance(r->k, r->n);
    r->value = (raw - r->chance) / (1 - r->chance);
    nbr_k_text(kt, sizeof kt, r->k, r->k_frac);
    snprintf(r->estimator, sizeof r->estimator,
             "NNGS (Tavares et al.): mean Jaccard index of the k-NN sets, %s, %s distance, "
             "self excluded, ties by lower index; normalised (raw - H)/(1 - H) with chance "
             "H = k/(2(N-1) - k) = %.6f; raw %.6f", kt, gk_distance_name(r->distance),
             r->chance, raw);
}

int gk_nngs(const gk_mat *X, const gk_mat *Y, gk_kspec ks, gk_distance d, gk_nbr_result *out)
{
    GK_FAIL_IF(!out, GK_EARG, "nngs: out is NULL");
    int64_t k, *gx, *gy;
    GK_TRY(nbr_begin("nngs", X, Y, ks, d, 3, 1, 2, &k, &gx, &gy));
    double raw = 0;
    int rc = gk_nngs_graphs(gx, k, gy, k, X->rows, k, &raw, NULL);
    gk_free(gx);
    gk_free(gy);
    if (rc != GK_OK) return rc;
    nbr_result_init(out, GK_NBR_NNGS, X, Y, k, ks, d);
    nngs_finish(out, raw);
    return GK_OK;
}

/* For the sweep: an NNGS result from an already computed raw value. */
void nngs_result_from_raw(gk_nbr_result *r, const gk_mat *X, const gk_mat *Y, int64_t k,
                          gk_kspec ks, gk_distance d, double raw)
{
    nbr_result_init(r, GK_NBR_NNGS, X, Y, k, ks, d);
    nngs_finish(r, raw);
}
