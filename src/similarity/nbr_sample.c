/*
** nbr_sample.c — sampled estimates of the neighbourhood measures: m rows
** drawn without replacement, their exact neighbours against all N rows
** through the kNN engine's query path, the per-row terms of the measure, and
** a 95 % t interval with the finite-population correction (methods.md,
** "sampled neighbourhood measures").  CKNNA's per-row terms live in
** cknna_sample.c.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "nngs_internal.h"

#define SWEEP_SAMPLE_MAX ((int64_t)1 << 24) /* most neighbour entries m·k of a sampled sweep */

static int cmp_i64(const void *a, const void *b)
{
    const int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* rows (m,) = m distinct rows of [0, n) drawn by a partial Fisher–Yates
** shuffle seeded by `seed`, then sorted (the order changes no term). */
static int draw_rows(int64_t n, int64_t m, uint64_t seed, int64_t *rows)
{
    int64_t *perm = gk_malloc((size_t)n * sizeof *perm);
    if (!perm) return gk_set_error(GK_ENOMEM, "sample: out of memory for %lld rows", (long long)n);
    gk_rng r;
    gk_rng_seed(&r, seed);
    for (int64_t i = 0; i < n; i++) perm[i] = i;
    for (int64_t i = 0; i < m; i++) {
        const int64_t j = i + (int64_t)gk_rng_below(&r, (uint64_t)(n - i)), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    memcpy(rows, perm, (size_t)m * sizeof *rows);
    gk_free(perm);
    qsort(rows, (size_t)m, sizeof *rows, cmp_i64);
    return GK_OK;
}

int nbr_rows_knn(const gk_knn *idx, const gk_mat *A, const int64_t *rows, int64_t m, int64_t k,
                 int64_t *ids)
{
    gk_mat *Q = NULL;
    int64_t *all = gk_malloc((size_t)m * (size_t)(k + 1) * sizeof *all);
    int rc = all ? gk_mat_select_rows(A, rows, m, &Q) : GK_ENOMEM;
    if (rc == GK_OK) rc = gk_knn_query(idx, Q, k + 1, all, NULL);
    /* the first k+1 of the full order, the row itself removed by index (or,
    ** when k+1 tied rows come before it, the last one): graph row rows[r] */
    for (int64_t r = 0; rc == GK_OK && r < m; r++) {
        int64_t *dst = ids + r * k;
        for (int64_t a = 0, c = 0; a <= k && c < k; a++)
            if (all[r * (k + 1) + a] != rows[r]) dst[c++] = all[r * (k + 1) + a];
    }
    gk_mat_free(Q);
    gk_free(all);
    return rc;
}

int nbr_sample_graphs(const gk_mat *A, gk_distance d, const int64_t *rows, int64_t m, int64_t k,
                      const char *name, int64_t **ids)
{
    gk_knn *idx = NULL;
    *ids = gk_malloc((size_t)m * (size_t)k * sizeof **ids);
    int rc = *ids ? gk_knn_create(A, d, &idx) : GK_ENOMEM;
    if (rc == GK_OK) rc = nbr_rows_knn(idx, A, rows, m, k, *ids);
    gk_knn_free(idx);
    if (rc == GK_OK) return GK_OK;
    gk_free(*ids);
    *ids = NULL;
    return gk_error_prepend(rc, name);
}

/* Student's t quantile t(0.975, nu) by the Cornish–Fisher expansion around
** the normal quantile (Abramowitz & Stegun 26.7.5): error < 1e-5 for
** nu >= 19, the smallest nu of a sample (GK_NBR_SAMPLE_MIN − 1). */
static double t975(double nu)
{
    const double z = 1.959963984540054, z2 = z * z;
    const double g1 = (z2 + 1) * z / 4;
    const double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
    const double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
    const double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
    return z + g1 / nu + g2 / (nu * nu) + g3 / (nu * nu * nu) + g4 / (nu * nu * nu * nu);
}

void nbr_interval(const double *v, int64_t m, int64_t n, double *mean, double *half)
{
    double s = 0, ss = 0;
    for (int64_t i = 0; i < m; i++) s += v[i];
    *mean = s / (double)m;
    for (int64_t i = 0; i < m; i++) ss += (v[i] - *mean) * (v[i] - *mean);
    const double fpc = 1 - (double)m / (double)n;
    *half = t975((double)(m - 1)) * sqrt(ss / (double)(m - 1) / (double)m * fpc);
}

/* I (m,) = overlaps of the sampled rows' neighbour lists gx, gy (m,k). */
static void overlaps(const int64_t *gx, const int64_t *gy, int64_t m, int64_t k, int64_t *I)
{
    for (int64_t r = 0; r < m; r++) {
        int64_t c = 0;
        for (int64_t a = 0; a < k; a++)
            for (int64_t b = 0; b < k; b++) c += gx[r * k + a] == gy[r * k + b];
        I[r] = c;
    }
}

/* v (m,) = each sampled row's cycle: 1 when row rows[r] is among the X
** neighbours of one of its Y neighbours gy (m,k).  Searches X once more for
** the distinct Y neighbours. */
static int cycle_terms(const gk_mat *X, gk_distance d, const int64_t *rows, const int64_t *gy,
                       int64_t m, int64_t k, double *v)
{
    int64_t *u = gk_malloc((size_t)(m * k) * sizeof *u), nu = 0, *gu = NULL;
    if (!u) return gk_set_error(GK_ENOMEM, "cycle-knn: out of memory");
    memcpy(u, gy, (size_t)(m * k) * sizeof *u);
    qsort(u, (size_t)(m * k), sizeof *u, cmp_i64);
    for (int64_t e = 0; e < m * k; e++)
        if (e == 0 || u[e] != u[nu - 1]) u[nu++] = u[e];
    int rc = nbr_sample_graphs(X, d, u, nu, k, "X", &gu);
    for (int64_t r = 0; rc == GK_OK && r < m; r++) {
        int hit = 0;
        for (int64_t a = 0; a < k && !hit; a++) {
            const int64_t *p = bsearch(&gy[r * k + a], u, (size_t)nu, sizeof *u, cmp_i64);
            for (int64_t b = 0; b < k && !hit; b++) hit = gu[(p - u) * k + b] == rows[r];
        }
        v[r] = hit;
    }
    gk_free(u);
    gk_free(gu);
    return rc;
}

/* The per-row terms v (m,) of nngs, mutual-knn or cycle-knn. */
static int row_terms(gk_nbr_kind kind, const gk_mat *X, const gk_mat *Y, gk_distance d,
                     const int64_t *rows, int64_t m, int64_t k, double *v)
{
    int64_t *gx = NULL, *gy = NULL, *I = gk_malloc((size_t)m * sizeof *I);
    int rc = I ? GK_OK : GK_ENOMEM;
    if (rc == GK_OK && kind != GK_NBR_CYCLE_KNN) rc = nbr_sample_graphs(X, d, rows, m, k, "X", &gx);
    if (rc == GK_OK) rc = nbr_sample_graphs(Y, d, rows, m, k, "Y", &gy);
    if (rc == GK_OK && kind == GK_NBR_CYCLE_KNN) rc = cycle_terms(X, d, rows, gy, m, k, v);
    if (rc == GK_OK && kind != GK_NBR_CYCLE_KNN) {
        overlaps(gx, gy, m, k, I);
        for (int64_t r = 0; r < m; r++)
            v[r] = kind == GK_NBR_NNGS ? (double)I[r] / (double)(2 * k - I[r])
                                       : (double)I[r] / (double)k;
    }
    gk_free(gx);
    gk_free(gy);
    gk_free(I);
    return rc;
}

/* The exact measure's result filled from the estimated mean, with its interval. */
static void finish(gk_nbr_result *r, gk_nbr_kind kind, const gk_mat *X, const gk_mat *Y,
                   int64_t k, gk_kspec ks, gk_distance d, double mean, double half)
{
    double lo = mean - half, hi = mean + half;
    if (kind == GK_NBR_NNGS) {
        nngs_result_from_raw(r, X, Y, k, ks, d, mean);
        lo = (lo - r->chance) / (1 - r->chance); /* the normalisation is increasing */
        hi = (hi - r->chance) / (1 - r->chance);
    } else if (kind == GK_NBR_MUTUAL_KNN) {
        mutual_result(r, X, Y, k, ks, d, mean);
    } else {
        cycle_result(r, X, Y, k, ks, d, mean);
    }
    r->ci_lo = lo;
    r->ci_hi = hi;
}

/* The measure's kind and its (N, k) ranges, as the exact functions check them. */
static int sample_kind(const char *name, gk_nbr_kind *kind, int64_t *nmin, int64_t *kmin,
                       int64_t *kgap)
{
    static const struct {
        const char *name;
        gk_nbr_kind kind;
        int64_t nmin, kmin, kgap;
    } kinds[] = {{"nngs", GK_NBR_NNGS, 3, 1, 2},
                 {"mutual-knn", GK_NBR_MUTUAL_KNN, 2, 1, 1},
                 {"cycle-knn", GK_NBR_CYCLE_KNN, 2, 1, 1},
                 {"cknna", GK_NBR_CKNNA, 4, 2, 1}};
    for (size_t i = 0; name && i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(name, kinds[i].name)) {
            *kind = kinds[i].kind;
            *nmin = kinds[i].nmin;
            *kmin = kinds[i].kmin;
            *kgap = kinds[i].kgap;
            return GK_OK;
        }
    return gk_set_error(GK_EARG, "unknown measure '%s': expected nngs, mutual-knn, cycle-knn "
                        "or cknna", name ? name : "(null)");
}

/* m rows drawn from n: GK_NBR_SAMPLE_MIN <= m <= n.  @return : GK_OK, GK_EARG. */
static int check_sample(const char *what, int64_t m, int64_t n)
{
    GK_FAIL_IF(m < GK_NBR_SAMPLE_MIN || m > n, GK_EARG, "%s: a sample of %lld rows is out of "
               "range: with N = %lld it must be in %d..%lld", what, (long long)m, (long long)n,
               GK_NBR_SAMPLE_MIN, (long long)n);
    return GK_OK;
}

/* Appends the sampling to the estimator text. */
static void note_sampling(gk_nbr_result *r, int64_t m, uint64_t seed)
{
    const size_t len = strlen(r->estimator);
    snprintf(r->estimator + len, sizeof r->estimator - len,
             "; ESTIMATED from %lld of %lld rows drawn without replacement (seed %llu), exact "
             "neighbours of those rows; 95%% t interval [%.6f, %.6f] with finite-population "
             "correction", (long long)m, (long long)r->n, (unsigned long long)seed, r->ci_lo,
             r->ci_hi);
    r->sampled_rows = m;
}

int gk_nbr_measure_sampled(const char *name, const gk_mat *X, const gk_mat *Y, gk_kspec ks,
                           gk_distance d, int64_t m, uint64_t seed, gk_nbr_result *out)
{
    GK_FAIL_IF(!out, GK_EARG, "sampled measure: out is NULL");
    gk_nbr_kind kind = GK_NBR_NNGS;
    int64_t nmin = 0, kmin = 0, kgap = 0, k = 0;
    GK_TRY(sample_kind(name, &kind, &nmin, &kmin, &kgap));
    GK_TRY(nbr_check(name, X, Y, nmin));
    GK_TRY(gk_kspec_resolve(ks, X->rows, kmin, X->rows - kgap, &k));
    GK_TRY(check_sample(name, m, X->rows));
    if (kind == GK_NBR_CKNNA)
        GK_FAIL_IF(d != GK_DIST_COSINE && d != GK_DIST_IP, GK_EARG, "cknna: distance %s: the "
                   "kernel is the inner product, so the neighbours must be by cosine (unit "
                   "rows) or ip", gk_distance_name(d));
    int64_t *rows = gk_malloc((size_t)m * sizeof *rows);
    double *v = gk_malloc((size_t)m * sizeof *v), mean = 0, half = 0;
    int rc = rows && v ? draw_rows(X->rows, m, seed, rows) : GK_ENOMEM;
    if (rc == GK_OK && kind == GK_NBR_CKNNA) {
        rc = cknna_sampled(X, Y, ks, d, rows, m, k, out);
    } else if (rc == GK_OK) {
        rc = row_terms(kind, X, Y, d, rows, m, k, v);
        if (rc == GK_OK) nbr_interval(v, m, X->rows, &mean, &half);
        if (rc == GK_OK) finish(out, kind, X, Y, k, ks, d, mean, half);
    }
    if (rc == GK_OK) note_sampling(out, m, seed);
    gk_free(rows);
    gk_free(v);
    return rc;
}

/* cnt (kmax,) += for one row: cnt[t] = the entries common to the lists x, y
** (kmax,) whose later position max(a, b) is t, so that the overlap of the
** first k of both is Σ_{t<k} cnt[t].  pos (2·kmax,) scratch. */
static void overlap_profile(const int64_t *x, const int64_t *y, int64_t kmax, int64_t *pos,
                            int64_t *cnt)
{
    for (int64_t b = 0; b < kmax; b++) pos[2 * b] = y[b], pos[2 * b + 1] = b;
    qsort(pos, (size_t)kmax, 2 * sizeof *pos, cmp_i64); /* by id: the first of each pair */
    for (int64_t a = 0; a < kmax; a++) {
        const int64_t *hit = bsearch(&x[a], pos, (size_t)kmax, 2 * sizeof *pos, cmp_i64);
        if (hit) cnt[a > hit[1] ? a : hit[1]]++;
    }
}

/* out[p] for every scale s[p] from the sampled rows' lists gx, gy (m,kmax). */
static int sweep_results(const gk_mat *X, const gk_mat *Y, const nngs_scale *s, int ns,
                         gk_distance d, const int64_t *gx, const int64_t *gy, int64_t m,
                         gk_nbr_result *out)
{
    const int64_t kmax = s[ns - 1].k;
    int64_t *cnt = gk_malloc((size_t)(3 * kmax) * sizeof *cnt), *pos = cnt + kmax;
    double *v = gk_malloc((size_t)(ns * m) * sizeof *v);
    if (!cnt || !v) {
        gk_free(cnt);
        gk_free(v);
        return gk_set_error(GK_ENOMEM, "nngs sweep: out of memory");
    }
    for (int64_t r = 0; r < m; r++) {
        memset(cnt, 0, (size_t)kmax * sizeof *cnt);
        overlap_profile(gx + r * kmax, gy + r * kmax, kmax, pos, cnt);
        int64_t I = 0, t = 0;
        for (int p = 0; p < ns; p++) {
            for (; t < s[p].k; t++) I += cnt[t];
            v[p * m + r] = (double)I / (double)(2 * s[p].k - I);
        }
    }
    for (int p = 0; p < ns; p++) {
        double mean, half;
        nbr_interval(v + p * m, m, X->rows, &mean, &half);
        finish(&out[p], GK_NBR_NNGS, X, Y, s[p].k, s[p].spec, d, mean, half);
    }
    gk_free(cnt);
    gk_free(v);
    return GK_OK;
}

int gk_nngs_sweep_sampled(const gk_mat *X, const gk_mat *Y, const gk_kspec *ks, int nk,
                          gk_distance d, int64_t m, uint64_t seed, gk_nbr_result *out,
                          int *n_out)
{
    GK_FAIL_IF(!out || !n_out, GK_EARG, "nngs sweep: out and n_out must not be NULL");
    *n_out = 0;
    nngs_scale s[GK_NNGS_SWEEP_MAX];
    int ns;
    GK_TRY(nngs_sweep_begin(X, Y, ks, nk, s, &ns));
    GK_TRY(check_sample("nngs sweep", m, X->rows));
    while (ns > 0 && m * s[ns - 1].k > SWEEP_SAMPLE_MAX) ns--;
    GK_FAIL_IF(ns == 0, GK_EARG, "nngs sweep: no scale gives k in 1..%lld with at most %lld "
               "neighbours per sampled row", (long long)(X->rows - 2),
               (long long)(SWEEP_SAMPLE_MAX / m));
    int64_t *rows = gk_malloc((size_t)m * sizeof *rows), *gx = NULL, *gy = NULL;
    int rc = rows ? draw_rows(X->rows, m, seed, rows) : GK_ENOMEM;
    if (rc == GK_OK) rc = nbr_sample_graphs(X, d, rows, m, s[ns - 1].k, "X", &gx);
    if (rc == GK_OK) rc = nbr_sample_graphs(Y, d, rows, m, s[ns - 1].k, "Y", &gy);
    if (rc == GK_OK) rc = sweep_results(X, Y, s, ns, d, gx, gy, m, out);
    for (int p = 0; rc == GK_OK && p < ns; p++) note_sampling(&out[p], m, seed);
    if (rc == GK_OK) *n_out = ns;
    gk_free(rows);
    gk_free(gx);
    gk_free(gy);
    return rc;
}
