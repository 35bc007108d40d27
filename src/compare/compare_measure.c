/*
** compare_measure.c — what `gapkit compare` measures on the held-out items
** after one transform (methods.md §4, §5): for every pair of views the gap
** ‖mean(a') − mean(b')‖ and the mean true-pair cosine over the test items,
** retrieval both ways between the DISTINCT rows of the two views (a row
** repeated for several items, e.g. one prompt per class, is one gallery
** entry matching every item it is paired with), zero-shot of each view's
** items against the transformed class prompts, and the group-level tasks on
** the joint rows.  Numbers a transform cannot produce (views left in spaces
** of different dimension) are NaN.
*/
#include <math.h>
#include <string.h>

#include "compare_internal.h"
#include "core/error_internal.h"
#include "gapkit/linalg.h"
#include "linalg/linalg_internal.h"
#include "retrieval/retrieval_internal.h"

/*====  one pair of views  ====*/

/* ‖mean(a) − mean(b)‖ and mean a_i·b_i over the rows of a and b (n,D). */
static int gap_and_cosine(const gk_mat *a, const gk_mat *b, double *gap, double *cos)
{
    const int64_t d = a->cols;
    double *ma = gk_malloc((size_t)(2 * d) * sizeof *ma), s = 0, c = 0;
    GK_FAIL_IF(!ma, GK_ENOMEM, "compare: out of memory");
    double *mb = ma + d;
    int rc = gk_col_mean_blocked(a, ma, NULL);
    if (rc == GK_OK) rc = gk_col_mean_blocked(b, mb, NULL);
    for (int64_t j = 0; rc == GK_OK && j < d; j++) s += (ma[j] - mb[j]) * (ma[j] - mb[j]);
    for (int64_t i = 0; rc == GK_OK && i < a->rows; i++) {
        const float *x = gk_mat_row(a, i), *y = gk_mat_row(b, i);
        double dot = 0;
        for (int64_t j = 0; j < d; j++) dot += (double)x[j] * y[j];
        c += dot;
    }
    *gap = sqrt(s);
    *cos = c / (double)a->rows;
    gk_free(ma);
    return rc;
}

/* The distinct rows (by key) of X with the component of their first item. */
static int distinct_rows(const gk_mat *key, const gk_mat *X, const int32_t *comp, gk_mat **out,
                         int32_t **g)
{
    const int64_t n = key->rows;
    int64_t *first = gk_malloc((size_t)n * sizeof *first), nd = 0, m = 0;
    *g = gk_malloc((size_t)n * sizeof **g);
    int rc = first && *g ? gk_mat_first_rows(key, first, &nd) : GK_ENOMEM;
    for (int64_t i = 0; rc == GK_OK && i < n; i++)
        if (first[i] == i) {
            (*g)[m] = comp[i];
            first[m++] = i;
        }
    if (rc == GK_OK) rc = gk_mat_select_rows(X, first, m, out);
    gk_free(first);
    return rc == GK_ENOMEM ? gk_set_error(GK_ENOMEM, "compare: out of memory") : rc;
}

/* Q → G as gk_retrieval_eval, keeping each query's best rank and AP@10 (the
** per-query values of the paired tests).  *rank, *ap10 (Q->rows,): caller frees. */
static int ranked(const gk_mat *Q, const gk_mat *G, const int32_t *gq, const int32_t *gg,
                  gk_retrieval_metrics *m, int64_t **rank, double **ap10)
{
    GK_TRY(rt_check_inputs(Q, G, gq, gg, m));
    const size_t nq = (size_t)(Q->rows ? Q->rows : 1);
    rt_query *res = gk_calloc(nq, sizeof *res);
    *rank = gk_malloc(nq * sizeof **rank);
    *ap10 = gk_malloc(nq * sizeof **ap10);
    int rc = res && *rank && *ap10 ? rt_rank_queries(Q, G, gq, gg, NULL, res)
                                   : gk_set_error(GK_ENOMEM, "compare: out of memory");
    if (rc == GK_OK) rc = rt_reduce(res, Q->rows, G->rows, m, *rank);
    for (int64_t i = 0; rc == GK_OK && i < Q->rows; i++) (*ap10)[i] = res[i].best ? res[i].ap10 : 0;
    gk_free(res);
    return rc;
}

static int pair_retrieval(const cmp_data *d, gk_mat *const *T, gk_compare_pair *p)
{
    const int64_t n = d->test[p->a]->rows;
    int32_t *comp = gk_malloc((size_t)n * sizeof *comp), *ga = NULL, *gb = NULL;
    gk_mat *Qa = NULL, *Gb = NULL;
    int rc = comp ? rt_linked_sets(d->test[p->a], d->test[p->b], comp)
                  : gk_set_error(GK_ENOMEM, "compare: out of memory");
    if (rc == GK_OK) rc = distinct_rows(d->test[p->a], T[p->a], comp, &Qa, &ga);
    if (rc == GK_OK) rc = distinct_rows(d->test[p->b], T[p->b], comp, &Gb, &gb);
    /* per-query values: the paired tests between rows (compare_significance.c) */
    if (rc == GK_OK) rc = ranked(Qa, Gb, ga, gb, &p->a2b, &p->rank_a2b, &p->ap10_a2b);
    if (rc == GK_OK) rc = ranked(Gb, Qa, gb, ga, &p->b2a, &p->rank_b2a, &p->ap10_b2a);
    gk_free(comp);
    gk_free(ga);
    gk_free(gb);
    gk_mat_free(Qa);
    gk_mat_free(Gb);
    return rc;
}

static void pair_nan(gk_compare_pair *p)
{
    gk_retrieval_metrics *m[2] = {&p->a2b, &p->b2a};
    p->gap = p->cos_true = NAN;
    for (int i = 0; i < 2; i++) {
        memset(m[i], 0, sizeof *m[i]);
        m[i]->r1 = m[i]->r5 = m[i]->r10 = m[i]->map10 = m[i]->map = NAN;
        m[i]->medr = m[i]->meanr = NAN;
    }
}

static int measure_pairs(const cmp_data *d, gk_mat *const *T, gk_compare_row *row)
{
    double gap = 0, cos = 0, r1 = 0, r5 = 0, map = 0;
    int used = 0;
    for (int a = 0, q = 0; a < d->M; a++)
        for (int b = a + 1; b < d->M; b++, q++) {
            gk_compare_pair *p = &row->pairs[q];
            pair_nan(p);
            p->a = a, p->b = b;
            if (T[a]->cols != T[b]->cols) continue; /* no shared space: nothing to compare */
            GK_TRY(gap_and_cosine(T[a], T[b], &p->gap, &p->cos_true));
            GK_TRY(pair_retrieval(d, T, p));
            gap += p->gap, cos += p->cos_true, used++;
            r1 += (p->a2b.r1 + p->b2a.r1) / 2, r5 += (p->a2b.r5 + p->b2a.r5) / 2;
            map += (p->a2b.map10 + p->b2a.map10) / 2;
        }
    row->gap = used ? gap / used : NAN;
    row->cos_true = used ? cos / used : NAN;
    row->r1 = used ? r1 / used : NAN;
    row->r5 = used ? r5 / used : NAN;
    row->map10 = used ? map / used : NAN;
    return GK_OK;
}

/*====  zero-shot and groups  ====*/

/* Adds view v's top-1 hits (true class ranked first) to row->zs_hit. */
static void add_hits(const gk_zeroshot_result *z, int v, gk_compare_row *row)
{
    for (int64_t i = 0; i < z->n; i++) row->zs_hit[i] += z->true_rank[i] == 1;
    row->zs_views |= 1u << v;
}

static int measure_zeroshot(const cmp_data *d, const gk_align *model, gk_mat *const *T,
                            gk_compare_row *row)
{
    const int pv = d->in->prompt_view;
    gk_mat *P = NULL;
    double t1 = 0, t5 = 0;
    int used = 0, rc = GK_OK;
    row->zs_top1 = row->zs_top5 = NAN;
    if (!d->zs_prompts) return GK_OK;
    const int64_t n = d->test[0]->rows;
    row->zs_hit = gk_calloc((size_t)(n ? n : 1), sizeof *row->zs_hit);
    GK_FAIL_IF(!row->zs_hit, GK_ENOMEM, "compare: out of memory");
    if (model) GK_TRY(gk_align_apply(model, pv, d->zs_prompts, &P));
    const gk_mat *Pc = P ? P : d->zs_prompts;
    for (int v = 0; rc == GK_OK && v < d->M; v++) {
        gk_zeroshot_result *z = NULL;
        if (v == pv || T[v]->cols != Pc->cols) continue;
        rc = gk_zeroshot_eval(T[v], Pc, d->zs_y, &z);
        if (rc == GK_OK) t1 += z->top1, t5 += z->top5, used++, add_hits(z, v, row);
        gk_zeroshot_result_free(z);
    }
    if (used) row->zs_top1 = t1 / used, row->zs_top5 = t5 / used;
    for (int64_t i = 0; used && i < n; i++) row->zs_hit[i] /= used;
    gk_mat_free(P);
    return rc;
}

static int measure_groups(const cmp_data *d, gk_mat *const *T, gk_compare_row *row)
{
    gk_joint *J = NULL;
    grp_result_init(&row->groups);
    if (!d->ytest) return GK_OK;
    for (int v = 1; v < d->M; v++)
        if (T[v]->cols != T[0]->cols) return GK_OK; /* no joint space */
    GK_TRY(gk_joint_build((const gk_mat *const *)T, (const gk_mat *const *)d->test, d->M,
                          d->ytest, NULL, 0, &J));
    int rc = gk_group_eval(J->rows, J->label, &d->opts->groups, &row->groups);
    gk_joint_free(J);
    return rc;
}

int cmp_measure(const cmp_data *d, const gk_align *model, gk_mat *const *T, gk_compare_row *row)
{
    row->n_pairs = d->M * (d->M - 1) / 2;
    row->pairs = gk_calloc((size_t)row->n_pairs, sizeof *row->pairs);
    GK_FAIL_IF(!row->pairs, GK_ENOMEM, "compare: out of memory");
    GK_TRY(measure_pairs(d, T, row));
    GK_TRY(measure_zeroshot(d, model, T, row));
    return measure_groups(d, T, row);
}
