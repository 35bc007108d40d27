/*
** retrieval_internal.h — helpers shared by the retrieval, zero-shot and protocol
** files: the gallery rows of each group (CSR), per-query results
** and their reduction to metrics.  Not installed.
*/
#ifndef GAPKIT_RETRIEVAL_INTERNAL_H
#define GAPKIT_RETRIEVAL_INTERNAL_H

#include "gapkit/retrieval.h"

/* Gallery rows grouped by group id: rows of group g are
** items[start[g] .. start[g+1]).  Without groups, group g = gallery row g. */
typedef struct rt_truth {
    int64_t n_groups; /* max gallery group id + 1 (N without groups) */
    int64_t *start;   /* (n_groups+1,) */
    int64_t *items;   /* (N,) gallery rows, ascending within a group */
    int64_t max_m;    /* largest group */
} rt_truth;

/* Builds the CSR from ggroup (N,), or the identity when ggroup is NULL. */
int rt_truth_build(const int32_t *ggroup, int64_t N, rt_truth *t);
void rt_truth_free(rt_truth *t);

/* True gallery rows of query i (qgroup NULL: row i); *m may be 0. */
static inline const int64_t *rt_truth_of(const rt_truth *t, const int32_t *qgroup, int64_t i,
                                         int64_t *m)
{
    int64_t g = qgroup ? qgroup[i] : i;
    if (g >= t->n_groups) {
        *m = 0;
        return NULL;
    }
    *m = t->start[g + 1] - t->start[g];
    return t->items + t->start[g];
}

/* The end of the pass starting at query q0 (of nq): at most `rows`
** queries, and at most `cap` listed true matches unless the first query
** alone has more. */
int64_t rt_pass_end(const rt_truth *tt, const int32_t *qgroup, int64_t q0, int64_t nq,
                    int64_t rows, int64_t cap);

/* One query's outcome; best == 0 when it has no true match. */
typedef struct rt_query {
    int64_t best;
    double ap10, ap;
} rt_query;

/* One query's outcome from the ranks r (m,) of its true matches (sorted in
** place): best rank, AP@10 and AP. */
void rt_score_query(int64_t *r, int64_t m, rt_query *out);

/* The bootstrap intervals of gk_retrieval_eval_ci() from per-query outcomes
** res (nq,) of which n_scored have a true match. */
int rt_intervals(const rt_query *res, int64_t nq, int64_t n_scored, const gk_boot_opts *boot,
                 gk_retrieval_ci *ci);

/* Ranks every query of Q against G into res (Q,) (inputs already checked). */
int rt_rank_queries(const gk_mat *Q, const gk_mat *G, const int32_t *qgroup,
                    const int32_t *ggroup, const gk_retrieval_opts *opts, rt_query *res);

/* Checks X, Y for a two-way evaluation and clears *out (split, transform "none"). */
int rt_both_init(const gk_mat *X, const gk_mat *Y, const int32_t *gx, gk_retrieval_result *out);

/* Checks Q (Q,D), G (N,D) and the group arrays for gk_retrieval_eval*. */
int rt_check_inputs(const gk_mat *Q, const gk_mat *G, const int32_t *qgroup,
                    const int32_t *ggroup, gk_retrieval_metrics *out);

/* Reduces per-query outcomes to metrics (and copies best ranks to ranks). */
int rt_reduce(const rt_query *q, int64_t nq, int64_t N, gk_retrieval_metrics *out,
              int64_t *ranks);

/* set (N,) = the linked set of each item of two paired spaces (row i of KX
** (N,·) ↔ row i of KY (N,·)): items sharing a row (bit for bit) of KX or of
** KY are linked, transitively (gk_dedup_items keeps one item per set).  Ids
** are dense from 0 in order of each set's smallest item.  They are the true
** matches of a retrieval between the two views.
** @return : GK_OK, GK_ESHAPE, GK_ENOMEM. */
int rt_linked_sets(const gk_mat *KX, const gk_mat *KY, int32_t *set);

/* A zero-shot result (gk_zeroshot_eval's) of N items from their predicted
** classes, true-class ranks (1..5, 6 beyond) and classes y, C classes: the
** counts of gk_zeroshot_eval, for items scored elsewhere (src/dist). */
struct gk_zeroshot_result;
int zs_from_items(const int32_t *pred, const int32_t *true_rank, const int32_t *y, int64_t N,
                  int32_t C, struct gk_zeroshot_result **out);

/* Copies src into a fixed buffer of size cap, truncating. */
void ev_copy_text(char *dst, size_t cap, const char *src);

#endif
