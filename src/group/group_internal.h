/*
** group_internal.h — helpers of the group-level tasks (clustering, kNN
** classifier, probe) and of `compare`: the neighbour search the kNN
** classifier runs on.  Not installed.
*/
#ifndef GAPKIT_GROUP_INTERNAL_H
#define GAPKIT_GROUP_INTERNAL_H

#include <jansson.h>

#include "gapkit/group.h"
#include "cluster/cluster_internal.h"
#include "core/json_internal.h"

/* The k rows of G (N,D) with the largest inner product with each row of Q
** (Q,D), best first, ties → lower index (the kNN engine, knn.h); with
** exclude_self (Q is G) row i never lists itself.  ids (Q,k) and sims (Q,k)
** caller buffers. */
int grp_knn_search(const gk_mat *Q, const gk_mat *G, int64_t k, int exclude_self, int64_t *ids,
                   float *sims);

/* Majority vote of the k labels y[ids[0..k)] weighted 1 each; ties between
** classes → larger summed similarity, then lower class.  counts/sum are
** scratch indexed by class. */
int32_t grp_vote(const int64_t *ids, const float *sims, int64_t k, const int32_t *y,
                 int32_t *counts, double *sum);

/* k-means of X (N rows; with dist this rank's rows of N over the MPI ranks,
** collective) scored against the classes y (N,) (dense, C of them) into r:
** k = n_clusters or C.  Under dist the scores are on rank 0 only. */
int grp_cluster_task(const gk_mat *X, int64_t n, const int32_t *y, int32_t C,
                     const gk_group_opts *o, int dist, gk_group_result *r);

/* Every score NaN (not computed), counts 0. */
void grp_result_init(gk_group_result *r);

/* {"n_restarts", "v_measure": {"mean","sd"}, "nmi", "ari", "homogeneity",
** "completeness", "purity"} of the scores over the k-means restarts, or JSON
** null when k-means did not run (group_json.c; compare writes it too). */
json_t *grp_restarts_json(const gk_group_result *r);

/* A JSON number, or null for NaN/Inf (jansson cannot hold them). */

#endif
