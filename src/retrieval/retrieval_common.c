/*
** retrieval_common.c — what the retrieval and its naive twin share:
** input checks, the gallery rows of each group, and the reduction of
** per-query ranks to R@K, mAP, MedR and MeanR.
*/
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "core/matrix_internal.h"
#include "retrieval/retrieval_internal.h"
#include "core/sort_internal.h"

gk_retrieval_opts gk_retrieval_opts_default(void)
{
    gk_retrieval_opts o = {0, (int64_t)1 << 21};
    return o;
}

void ev_copy_text(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

/* Every id of g (n,) is >= 0; *max receives the largest (or -1). */
static int check_groups(const int32_t *g, int64_t n, const char *name, int64_t *max)
{
    *max = -1;
    for (int64_t i = 0; i < n; i++) {
        GK_FAIL_IF(g[i] < 0, GK_EARG, "retrieval: %s[%lld] = %d; group ids must be >= 0", name,
                   (long long)i, g[i]);
        if (g[i] > *max) *max = g[i];
    }
    return GK_OK;
}

int rt_check_inputs(const gk_mat *Q, const gk_mat *G, const int32_t *qgroup,
                    const int32_t *ggroup, gk_retrieval_metrics *out)
{
    int64_t mq, mg;
    GK_FAIL_IF(!Q || !G || !out, GK_EARG, "retrieval: queries, gallery and out must not be NULL");
    GK_FAIL_IF(!qgroup != !ggroup, GK_EARG,
               "retrieval: give groups for both queries and gallery, or for neither");
    GK_FAIL_IF(Q->cols != G->cols, GK_ESHAPE,
               "retrieval: queries have %lld columns but the gallery has %lld",
               (long long)Q->cols, (long long)G->cols);
    GK_FAIL_IF(Q->rows < 1 || G->rows < 1, GK_ESHAPE,
               "retrieval: %lld queries and %lld gallery rows; need at least one of each",
               (long long)Q->rows, (long long)G->rows);
    GK_FAIL_IF(!qgroup && Q->rows > G->rows, GK_ESHAPE,
               "retrieval: %lld queries but %lld gallery rows; without groups query i "
               "matches gallery row i", (long long)Q->rows, (long long)G->rows);
    GK_FAIL_IF(Q->cs != 1 || G->cs != 1, GK_ESHAPE,
               "retrieval: rows must be contiguous (cs == 1)");
    GK_TRY(gk_mat_check_magnitude(Q, "retrieval: queries"));
    GK_TRY(gk_mat_check_magnitude(G, "retrieval: gallery"));
    if (qgroup) {
        GK_TRY(check_groups(qgroup, Q->rows, "query group", &mq));
        GK_TRY(check_groups(ggroup, G->rows, "gallery group", &mg));
    }
    return GK_OK;
}

int rt_truth_build(const int32_t *ggroup, int64_t N, rt_truth *t)
{
    memset(t, 0, sizeof *t);
    int64_t ng = N;
    if (ggroup) {
        ng = 0;
        for (int64_t j = 0; j < N; j++)
            if (ggroup[j] + (int64_t)1 > ng) ng = ggroup[j] + (int64_t)1;
    }
    t->n_groups = ng;
    t->start = gk_calloc((size_t)ng + 1, sizeof(int64_t));
    t->items = gk_malloc((size_t)(N ? N : 1) * sizeof(int64_t));
    if (!t->start || !t->items) {
        rt_truth_free(t);
        return GK_ENOMEM;
    }
    /* counting sort of gallery rows by group: stable, so ascending within a group */
    for (int64_t j = 0; j < N; j++) t->start[(ggroup ? ggroup[j] : j) + 1]++;
    for (int64_t g = 0; g < ng; g++) {
        if (t->start[g + 1] > t->max_m) t->max_m = t->start[g + 1];
        t->start[g + 1] += t->start[g];
    }
    for (int64_t j = 0; j < N; j++) {
        int64_t g = ggroup ? ggroup[j] : j;
        t->items[t->start[g]++] = j;
    }
    for (int64_t g = ng; g > 0; g--) t->start[g] = t->start[g - 1];
    t->start[0] = 0;
    return GK_OK;
}

void rt_truth_free(rt_truth *t)
{
    gk_free(t->start);
    gk_free(t->items);
    memset(t, 0, sizeof *t);
}

/* Median of the best ranks of scored queries (numpy's: mean of the two middles). */
static int median_rank(const rt_query *q, int64_t nq, int64_t n_scored, double *med)
{
    int64_t *r = gk_malloc((size_t)n_scored * sizeof *r);
    if (!r) return GK_ENOMEM;
    int64_t c = 0;
    for (int64_t i = 0; i < nq; i++)
        if (q[i].best > 0) r[c++] = q[i].best;
    qsort(r, (size_t)c, sizeof *r, gk_cmp_i64);
    *med = c % 2 ? (double)r[c / 2] : 0.5 * ((double)r[c / 2 - 1] + (double)r[c / 2]);
    gk_free(r);
    return GK_OK;
}

int rt_reduce(const rt_query *q, int64_t nq, int64_t N, gk_retrieval_metrics *out,
              int64_t *ranks)
{
    int64_t n = 0, h1 = 0, h5 = 0, h10 = 0;
    double ap10 = 0, ap = 0, sumr = 0;
    for (int64_t i = 0; i < nq; i++) {
        if (ranks) ranks[i] = q[i].best;
        if (q[i].best <= 0) continue;
        n++;
        h1 += q[i].best <= 1;
        h5 += q[i].best <= 5;
        h10 += q[i].best <= 10;
        ap10 += q[i].ap10;
        ap += q[i].ap;
        sumr += (double)q[i].best;
    }
    GK_FAIL_IF(n == 0, GK_EARG, "retrieval: none of the %lld queries has a true match in the "
               "gallery (check the groups)", (long long)nq);
    memset(out, 0, sizeof *out);
    out->n_queries = nq;
    out->n_gallery = N;
    out->n_scored = n;
    out->r1 = (double)h1 / (double)n;
    out->r5 = (double)h5 / (double)n;
    out->r10 = (double)h10 / (double)n;
    out->map10 = ap10 / (double)n;
    out->map = ap / (double)n;
    out->meanr = sumr / (double)n;
    return median_rank(q, nq, n, &out->medr);
}
