/*
** cluster_metrics.c — external clustering scores of a clustering K against
** true classes C (methods.md §4), computed as scikit-learn 1.2 does
** (tests/reference/cluster_reference.py).  Labels and clusters are first
** renumbered densely (sort + binary search), then the nonzero cells n_ck of
** the contingency table are counted from the sorted (class, cluster)
** pairs, so memory is O(N) even when every row is its own cluster.
**   a_c, b_k = class and cluster sizes;  H(C) = −Σ_c (a_c/N)(log a_c − log N),
**   0 for one class; likewise H(K)
**   MI = Σ_ck (n_ck/N)(log n_ck − log N) + (n_ck/N)(log N + log N − log(a_c b_k)),
**        terms below machine epsilon set to 0, sum clipped at 0, and 0 with
**        one class or one cluster
**   homogeneity h = MI/H(C) (1 if H(C) = 0), completeness c = MI/H(K) (1 if
**   H(K) = 0), V-measure = 2hc/(h+c) (0 if h+c = 0)
**   NMI (arithmetic) = MI / ((H(C)+H(K))/2); 1 when both have a single group,
**   0 when MI = 0
**   ARI over pairs of rows, with S = Σ n_ck²: tp = S − N, fp = Σ_k b_k² − S,
**   fn = Σ_c a_c² − S, tn = N² − tp − fp − fn − N;
**   ARI = 2(tp·tn − fn·fp) / ((tp+fn)(fn+tn) + (tp+fp)(fp+tn)), 1 if fn = fp = 0
**   purity = (1/N) Σ_k max_c n_ck
*/
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "cluster_internal.h"
#include "gapkit/cluster.h"
#include "core/sort_internal.h"

static int cmp_i32(const void *pa, const void *pb)
{
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    return (a > b) - (a < b);
}

/* dense[i] = rank of v[i] among the distinct values; returns how many there are. */
static int64_t renumber(const int32_t *v, int64_t n, int32_t *sorted, int64_t *dense)
{
    int64_t g = 0;
    memcpy(sorted, v, (size_t)n * sizeof *sorted);
    qsort(sorted, (size_t)n, sizeof *sorted, cmp_i32);
    for (int64_t i = 0; i < n; i++)
        if (i == 0 || sorted[i] != sorted[g - 1]) sorted[g++] = sorted[i];
    for (int64_t i = 0; i < n; i++) {
        int64_t lo = 0, hi = g - 1;
        while (lo < hi) {
            int64_t mid = lo + (hi - lo) / 2;
            if (sorted[mid] < v[i]) lo = mid + 1;
            else hi = mid;
        }
        dense[i] = lo;
    }
    return g;
}

/* scikit-learn's entropy(): 0 for a single group. */
static double entropy(const int64_t *size, int64_t g, int64_t n)
{
    if (g <= 1) return 0.0;
    double h = 0, ln = log((double)n);
    for (int64_t i = 0; i < g; i++) h -= ((double)size[i] / n) * (log((double)size[i]) - ln);
    return h;
}

typedef struct ctab {
    int64_t n, gc, gk;
    int64_t *cls, *clu;  /* (N,) dense class and cluster of each row */
    int64_t *a, *b;      /* (gc,), (gk,) sizes */
    int64_t *cell;       /* (N,) class·gk + cluster, sorted */
    int64_t *best;       /* (gk,) max_c n_ck */
} ctab;

/* MI, Σ n_ck² and purity from the sorted cells. */
static void scan_cells(const ctab *t, double *mi, long double *sq, double *purity)
{
    const int64_t n = t->n;
    const double ln = log((double)n);
    double m = 0;
    long double s = 0;
    memset(t->best, 0, (size_t)t->gk * sizeof *t->best);
    for (int64_t i = 0, run = 1; i < n; i++, run++) {
        if (i + 1 < n && t->cell[i + 1] == t->cell[i]) continue;
        const int64_t c = t->cell[i] / t->gk, k = t->cell[i] % t->gk;
        const double v = (double)run, ab = (double)t->a[c] * (double)t->b[k];
        double term = (v / n) * (log(v) - ln) + (v / n) * (-log(ab) + ln + ln);
        m += fabs(term) < DBL_EPSILON ? 0.0 : term;
        s += (long double)run * run;
        if (run > t->best[k]) t->best[k] = run;
        run = 0;
    }
    int64_t pure = 0;
    for (int64_t k = 0; k < t->gk; k++) pure += t->best[k];
    *mi = (t->gc == 1 || t->gk == 1) ? 0.0 : (m > 0 ? m : 0.0);
    *sq = s;
    *purity = (double)pure / (double)n;
}

static double adjusted_rand(const ctab *t, long double sq)
{
    long double sa = 0, sb = 0, n = (long double)t->n;
    for (int64_t c = 0; c < t->gc; c++) sa += (long double)t->a[c] * t->a[c];
    for (int64_t k = 0; k < t->gk; k++) sb += (long double)t->b[k] * t->b[k];
    long double tp = sq - n, fp = sb - sq, fn = sa - sq, tn = n * n - tp - fp - fn - n;
    if (fn == 0 && fp == 0) return 1.0;
    return (double)(2 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn)));
}

static void fill_scores(const ctab *t, gk_cluster_scores *out)
{
    double mi, purity;
    long double sq;
    scan_cells(t, &mi, &sq, &purity);
    const double hc = entropy(t->a, t->gc, t->n), hk = entropy(t->b, t->gk, t->n);
    out->n = t->n;
    out->n_classes = (int32_t)t->gc;
    out->n_clusters = (int32_t)t->gk;
    out->mutual_info = mi;
    out->homogeneity = hc != 0 ? mi / hc : 1.0;
    out->completeness = hk != 0 ? mi / hk : 1.0;
    const double h = out->homogeneity, c = out->completeness;
    out->v_measure = h + c == 0 ? 0.0 : 2 * h * c / (h + c);
    if (t->gc == 1 && t->gk == 1) out->nmi = 1.0;
    else out->nmi = mi == 0 ? 0.0 : mi / ((hc + hk) / 2);
    out->ari = adjusted_rand(t, sq);
    out->purity = purity;
}

static int build(const int32_t *labels, const int32_t *clusters, int64_t n, ctab *t)
{
    int32_t *sorted = gk_malloc((size_t)n * sizeof *sorted);
    t->cls = gk_malloc((size_t)n * sizeof *t->cls);
    t->clu = gk_malloc((size_t)n * sizeof *t->clu);
    t->cell = gk_malloc((size_t)n * sizeof *t->cell);
    t->a = gk_calloc((size_t)n, sizeof *t->a);
    t->b = gk_calloc((size_t)n, sizeof *t->b);
    t->best = gk_malloc((size_t)n * sizeof *t->best);
    int ok = sorted && t->cls && t->clu && t->cell && t->a && t->b && t->best;
    if (ok) {
        t->n = n;
        t->gc = renumber(labels, n, sorted, t->cls);
        t->gk = renumber(clusters, n, sorted, t->clu);
        for (int64_t i = 0; i < n; i++) {
            t->a[t->cls[i]]++;
            t->b[t->clu[i]]++;
            t->cell[i] = t->cls[i] * t->gk + t->clu[i];
        }
        qsort(t->cell, (size_t)n, sizeof *t->cell, gk_cmp_i64);
    }
    gk_free(sorted);
    GK_FAIL_IF(!ok, GK_ENOMEM, "cluster scores: out of memory for %lld rows", (long long)n);
    return GK_OK;
}

static void ctab_free(ctab *t)
{
    gk_free(t->cls);
    gk_free(t->clu);
    gk_free(t->cell);
    gk_free(t->a);
    gk_free(t->b);
    gk_free(t->best);
}

int gk_cluster_scores_eval(const int32_t *labels, const int32_t *clusters, int64_t n,
                           gk_cluster_scores *out)
{
    GK_FAIL_IF(!labels || !clusters || !out, GK_EARG, "cluster scores: NULL argument");
    GK_FAIL_IF(n < 1, GK_EARG, "cluster scores: no rows");
    ctab t;
    memset(&t, 0, sizeof t);
    int rc = build(labels, clusters, n, &t);
    if (rc == GK_OK) fill_scores(&t, out);
    ctab_free(&t);
    return rc;
}

int grp_renumber(const int32_t *v, int64_t n, int32_t *dense, int32_t *n_groups)
{
    int32_t *sorted = gk_malloc((size_t)(n ? n : 1) * sizeof *sorted);
    int64_t *d = gk_malloc((size_t)(n ? n : 1) * sizeof *d);
    int rc = sorted && d ? GK_OK : gk_set_error(GK_ENOMEM, "labels: out of memory");
    if (rc == GK_OK) *n_groups = (int32_t)renumber(v, n, sorted, d);
    for (int64_t i = 0; rc == GK_OK && i < n; i++) dense[i] = (int32_t)d[i];
    gk_free(sorted);
    gk_free(d);
    return rc;
}
