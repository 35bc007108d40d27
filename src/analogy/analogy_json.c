/*
** analogy_json.c — a gk_analogy_result as a JSON object (jansson), and its
** release.
*/
#include <jansson.h>
#include <math.h>
#include <stdlib.h>

#include "analogy_internal.h"
#include "core/error_internal.h"
#include "core/json_internal.h"

void gk_analogy_result_free(gk_analogy_result *r)
{
    if (!r) return;
    gk_free(r->sections), gk_free(r->pred_add), gk_free(r->pred_mul);
    gk_free(r);
}


/* {"correct": c, "accuracy": c / covered} */
static json_t *rule(int64_t correct, double acc)
{
    return json_pack("{s:I, s:o}", "correct", (json_int_t)correct, "accuracy", gk_json_num(acc));
}

static json_t *section(const gk_analogy_section *s)
{
    return json_pack("{s:s, s:I, s:I, s:o, s:o}", "name", s->name, "n", (json_int_t)s->n,
                     "covered", (json_int_t)s->covered, "3cosadd",
                     rule(s->add_correct, s->add_acc), "3cosmul",
                     rule(s->mul_correct, s->mul_acc));
}

int gk_analogy_to_json(const gk_analogy_result *r, char **json)
{
    GK_FAIL_IF(!r || !json, GK_EARG, "analogy json: NULL argument");
    json_t *secs = json_array();
    for (int32_t k = 0; secs && k < r->n_sections; k++)
        json_array_append_new(secs, section(&r->sections[k]));
    json_t *o = json_pack("{s:s, s:o, s:I, s:I, s:o, s:o, s:o, s:o}", "task", "analogy",
                          "epsilon", gk_json_num(r->epsilon), "n", (json_int_t)r->n, "covered",
                          (json_int_t)r->covered, "coverage", gk_json_num(r->coverage), "3cosadd",
                          rule(r->add_correct, r->add_acc), "3cosmul",
                          rule(r->mul_correct, r->mul_acc), "sections",
                          secs ? secs : json_null());
    return gk_json_finish(o, JSON_INDENT(2) | JSON_REAL_PRECISION(10), "analogy json", json);
}
