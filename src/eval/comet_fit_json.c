/*
** comet_fit_json.c — the document of a COMET fit and of the permutation
** test that chose (or checked) its k, as `gapkit comet fit --json` prints it.
*/
#include <jansson.h>

#include "core/error_internal.h"
#include "core/json_internal.h"
#include "gapkit/eval.h"

static json_t *test_json(const gk_k_choice *t, uint64_t seed)
{
    json_t *pv = json_array();
    for (int64_t j = 0; pv && j < t->n_p; j++) json_array_append_new(pv, gk_json_num(t->p[j]));
    return json_pack("{s:i, s:o, s:o, s:I, s:I, s:o}", "permutations", t->permutations,
                     "p_resolution", gk_json_num(1.0 / (t->permutations + 1)), "alpha",
                     gk_json_num(t->alpha), "seed", (json_int_t)seed, "shared_axes",
                     (json_int_t)t->n_shared, "p_values", pv);
}

int gk_comet_fit_to_json(const gk_comet *m, const char *rule, const char *model_path,
                         const gk_k_choice *test, uint64_t seed, char **json)
{
    GK_FAIL_IF(!m || !json, GK_EARG, "comet fit json: NULL argument");
    *json = NULL;
    json_t *doc = json_pack("{s:I, s:I, s:I, s:I, s:I, s:s?, s:o, s:o}", "n_fit",
                            (json_int_t)gk_comet_n_fit(m), "dim_t", (json_int_t)gk_comet_dim(m, 0),
                            "dim_a", (json_int_t)gk_comet_dim(m, 1), "k",
                            (json_int_t)gk_comet_k(m), "rank",
                            (json_int_t)gk_comet_numerical_rank(m), "k_rule", rule, "sigma_1",
                            gk_json_num(gk_comet_sigma(m)[0]), "model", gk_json_text(model_path));
    if (doc && test) json_object_set_new(doc, "permutation_test", test_json(test, seed));
    return gk_json_finish(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(10), "comet fit json", json);
}
