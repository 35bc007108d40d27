/*
** cka_json.c — a gk_cka_result as a JSON object (jansson): the common fields,
** then only the fields of its measure.
*/
#include <jansson.h>
#include <math.h>

#include "cka_internal.h"
#include "core/error_internal.h"
#include "core/json_internal.h"


static void set(json_t *o, const char *k, json_t *v) { json_object_set_new(o, k, v); }

static void hsic_fields(json_t *o, const gk_cka_result *r)
{
    set(o, "hsic", json_pack("{s:o, s:o, s:o}", "xy", gk_json_num(r->hsic_xy), "xx",
                             gk_json_num(r->hsic_xx),
                             "yy", gk_json_num(r->hsic_yy)));
}

static void svcca_fields(json_t *o, const gk_cka_result *r)
{
    json_t *rho = json_array();
    for (int64_t i = 0; rho && i < r->n_rho; i++)
        json_array_append_new(rho, gk_json_num(r->rho[i]));
    set(o, "variance", gk_json_num(r->variance));
    set(o, "kept", json_pack("[I,I]", (json_int_t)r->kx, (json_int_t)r->ky));
    set(o, "kept_variance", json_pack("[o,o]", gk_json_num(r->kept_x), gk_json_num(r->kept_y)));
    set(o, "rho", rho ? rho : json_null());
}

int gk_cka_to_json(const gk_cka_result *r, char **json)
{
    GK_FAIL_IF(!r || !json, GK_EARG, "cka json: NULL argument");
    json_t *o = json_object();
    GK_FAIL_IF(!o, GK_ENOMEM, "cka json: out of memory");
    set(o, "measure", json_string(r->measure));
    set(o, "estimator", json_string(r->estimator));
    set(o, "value", gk_json_num(r->value));
    set(o, "n", json_integer(r->n));
    set(o, "dims", json_pack("[I,I]", (json_int_t)r->dx, (json_int_t)r->dy));
    if (r->kind == GK_CKA_RBF) {
        set(o, "sigma_factor", gk_json_num(r->sigma_factor));
        set(o, "sigma", json_pack("[o,o]", gk_json_num(r->sigma_x), gk_json_num(r->sigma_y)));
        set(o, "median_distance",
            json_pack("[o,o]", gk_json_num(r->median_x), gk_json_num(r->median_y)));
    }
    if (r->kind == GK_CKA_LINEAR || r->kind == GK_CKA_UNBIASED || r->kind == GK_CKA_RBF)
        hsic_fields(o, r);
    if (r->kind == GK_CKA_SVCCA) svcca_fields(o, r);
    if (r->kind == GK_CKA_PROCRUSTES) {
        set(o, "distance", gk_json_num(r->distance));
        set(o, "angle", gk_json_num(r->angle));
    }
    return gk_json_finish(o, JSON_INDENT(2) | JSON_REAL_PRECISION(10), "cka json", json);
}
