/*
** analogy_study_json.c — a gk_analogy_study as a JSON object (jansson).
*/
#include <jansson.h>
#include <math.h>

#include "analogy_internal.h"
#include "core/error_internal.h"
#include "core/json_internal.h"


static json_t *row_json(const gk_analogy_study_row *r)
{
    return json_pack("{s:s, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o}", "name", r->name,
                     "pairs", (json_int_t)r->n_pairs, "k", (json_int_t)r->k, "covered",
                     (json_int_t)r->covered, "3cosadd", gk_json_num(r->acc_add), "3cosmul",
                     gk_json_num(r->acc_mul), "nngs_raw", gk_json_num(r->nngs_raw), "nngs",
                     gk_json_num(r->nngs),
                     "cka", gk_json_num(r->cka));
}

static json_t *corr_json(const gk_analogy_study *s)
{
    static const char *const measure[3] = {"nngs_raw", "nngs", "cka-linear"};
    static const char *const acc[2] = {"3cosadd", "3cosmul"};
    json_t *a = json_array();
    for (int m = 0; a && m < 3; m++)
        for (int k = 0; k < 2; k++) {
            const gk_corr_pair *c = &s->corr[m][k];
            json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "measure",
                                               measure[m], "accuracy", acc[k], "pearson",
                                               gk_json_num(c->pearson), "pearson_p",
                                               gk_json_num(c->pearson_p),
                                               "spearman", gk_json_num(c->spearman), "spearman_p",
                                               gk_json_num(c->spearman_p)));
        }
    return a;
}

int gk_analogy_study_to_json(const gk_analogy_study *s, char **json)
{
    GK_FAIL_IF(!s || !json, GK_EARG, "analogy study json: NULL argument");
    json_t *rows = json_array();
    for (int32_t i = 0; rows && i < s->n_rows; i++)
        json_array_append_new(rows, row_json(&s->rows[i]));
    json_t *k = s->opts.k.k > 0 ? json_integer(s->opts.k.k) : json_real(s->opts.k.frac);
    json_t *o = json_pack("{s:s, s:o, s:s, s:b, s:o, s:I, s:o}", "task", "analogy-nngs-study",
                          "k", k, "distance", gk_distance_name(s->opts.distance), "normalize",
                          s->opts.normalize, "sections", rows ? rows : json_null(), "n_used",
                          (json_int_t)s->n_used, "correlations", corr_json(s));
    return gk_json_finish(o, JSON_INDENT(2) | JSON_REAL_PRECISION(10), "analogy study json",
                          json);
}
