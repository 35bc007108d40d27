/*
** nngs_json.c — the JSON documents of the neighbourhood measures, the NNGS
** sweep and the spectrum (jansson).
*/
#include <jansson.h>
#include <math.h>

#include "core/error_internal.h"
#include "core/json_internal.h"
#include "nngs_internal.h"

#define NNGS_JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))

/* A real, or null for NaN (JSON has no NaN). */

int gk_nbr_to_json(const gk_nbr_result *r, char **json)
{
    GK_FAIL_IF(!r || !json, GK_EARG, "neighbourhood json: NULL argument");
    *json = NULL;
    json_t *o = json_pack("{s:s,s:s,s:o,s:I,s:[I,I],s:I,s:o,s:s}", "measure", r->measure,
                          "estimator", r->estimator, "value", gk_json_num(r->value), "n",
                          (json_int_t)r->n, "dims", (json_int_t)r->dx, (json_int_t)r->dy, "k",
                          (json_int_t)r->k, "k_fraction",
                          r->k_frac > 0 ? json_real(r->k_frac) : json_null(), "distance",
                          gk_distance_name(r->distance));
    if (o && (r->kind == GK_NBR_NNGS || r->kind == GK_NBR_MUTUAL_KNN)) {
        json_object_set_new(o, "raw", gk_json_num(r->raw));
        json_object_set_new(o, "chance", gk_json_num(r->chance));
    }
    if (o && r->kind == GK_NBR_CKNNA) {
        json_object_set_new(o, "hsic_xy", gk_json_num(r->hsic_xy));
        json_object_set_new(o, "hsic_xx", gk_json_num(r->hsic_xx));
        json_object_set_new(o, "hsic_yy", gk_json_num(r->hsic_yy));
    }
    if (o && r->sampled_rows > 0) {
        json_object_set_new(o, "sampled_rows", json_integer((json_int_t)r->sampled_rows));
        json_object_set_new(o, "ci_lo", gk_json_num(r->ci_lo));
        json_object_set_new(o, "ci_hi", gk_json_num(r->ci_hi));
    }
    return gk_json_finish(o, NNGS_JSON_FLAGS, "neighbourhood json", json);
}

int gk_nngs_sweep_to_json(const gk_nbr_result *r, int count, char **json)
{
    GK_FAIL_IF(!r || !json || count < 1, GK_EARG, "nngs sweep json: NULL or empty argument");
    *json = NULL;
    json_t *pts = json_array();
    for (int p = 0; pts && p < count; p++)
        json_array_append_new(pts, json_pack("{s:I,s:o,s:o,s:o,s:o}", "k", (json_int_t)r[p].k,
                                             "k_fraction", r[p].k_frac > 0 ? json_real(r[p].k_frac)
                                                                           : json_null(),
                                             "raw", gk_json_num(r[p].raw), "chance",
                                             gk_json_num(r[p].chance), "normalized",
                                             gk_json_num(r[p].value)));
    json_t *o = json_pack("{s:s,s:s,s:I,s:[I,I],s:o}", "measure", "nngs-sweep", "distance",
                          gk_distance_name(r[0].distance), "n", (json_int_t)r[0].n, "dims",
                          (json_int_t)r[0].dx, (json_int_t)r[0].dy, "points", pts);
    return gk_json_finish(o, NNGS_JSON_FLAGS, "nngs sweep json", json);
}

int gk_tas_to_json(const gk_tas *t, char **json)
{
    GK_FAIL_IF(!t || !json, GK_EARG, "tas json: NULL argument");
    *json = NULL;
    gk_kspec ks[8];
    const int nk = gk_nngs_sweep_defaults(ks);
    json_t *pts = json_array();
    int64_t last = 0;
    for (int p = 0; pts && p < nk; p++) {
        const int64_t k = ks[p].k > 0 ? ks[p].k : (int64_t)(ks[p].frac * (double)(t->n - 1));
        if (k < 1 || k > t->len || k <= last) continue;
        last = k;
        json_array_append_new(pts, json_pack("{s:I,s:o,s:o}", "k", (json_int_t)k, "raw",
                                             gk_json_num(t->raw[k - 1]), "normalized",
                                             gk_json_num(t->normalized[k - 1])));
    }
    json_t *o = json_pack("{s:s,s:s,s:I,s:I,s:I,s:o,s:o}", "measure", "tas", "distance",
                          gk_distance_name(t->distance), "n", (json_int_t)t->n, "k_min",
                          (json_int_t)1, "k_max", (json_int_t)t->len, "mean_normalized",
                          gk_json_num(t->mean_normalized), "points", pts);
    return gk_json_finish(o, NNGS_JSON_FLAGS, "tas json", json);
}
