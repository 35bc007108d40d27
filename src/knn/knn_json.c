/*
** knn_json.c — the JSON summary of a kNN search (jansson).
*/
#include <jansson.h>

#include "core/error_internal.h"
#include "core/json_internal.h"
#include "knn_internal.h"

/* Mean of column `col` of dist (n,k), in double; null when dist is NULL. */
static json_t *column_mean(const float *dist, int64_t n, int64_t k, int64_t col)
{
    if (!dist || n == 0) return json_null();
    double s = 0;
    for (int64_t i = 0; i < n; i++) s += dist[i * k + col];
    return json_real(s / (double)n);
}

int gk_knn_summary_to_json(const gk_knn *idx, int64_t n_queries, int self, int64_t k,
                           const float *dist, char **json)
{
    GK_FAIL_IF(!idx, GK_EARG, "knn json: NULL index");
    return knn_summary_json(idx->g.rows, idx->nd, idx->dist, n_queries, self, k, dist, json);
}

int knn_summary_json(int64_t n, int64_t nd, gk_distance d, int64_t n_queries, int self,
                     int64_t k, const float *dist, char **json)
{
    GK_FAIL_IF(!json || k < 1, GK_EARG, "knn json: NULL argument or k < 1");
    *json = NULL;
    json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:s,s:b,s:o,s:o}", "n_gallery",
                          (json_int_t)n, "distinct_gallery_rows", (json_int_t)nd,
                          "n_queries", (json_int_t)n_queries, "k", (json_int_t)k, "distance",
                          gk_distance_name(d), "self_excluded", self,
                          "mean_distance_first", column_mean(dist, n_queries, k, 0),
                          "mean_distance_kth", column_mean(dist, n_queries, k, k - 1));
    return gk_json_finish(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10),
                          "knn json", json);
}
