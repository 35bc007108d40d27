/*
** zeroshot_json.c — the JSON document of a zero-shot evaluation (jansson).
** Accuracies of classes without items are written as null.
*/
#include <math.h>
#include <jansson.h>

#include "core/error_internal.h"
#include "core/json_internal.h"
#include "gapkit/zeroshot.h"
#include "retrieval/retrieval_internal.h"
#include "stats/stats_internal.h"


static json_t *classes_json(const gk_zeroshot_result *r, const char *const *names)
{
    json_t *a = json_array();
    for (int32_t c = 0; a && c < r->n_classes; c++) {
        const char *nm = names ? names[r->class_id[c]] : NULL;
        json_t *o = json_pack("{s:s?,s:i,s:I,s:o}", "name", nm, "class", r->class_id[c], "n",
                              (json_int_t)r->class_n[c], "acc", gk_json_num(r->class_acc[c]));
        if (json_array_append_new(a, o)) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *confusion_json(const gk_zeroshot_result *r)
{
    int64_t C = r->n_classes;
    json_t *rows = json_array();
    for (int64_t t = 0; rows && t < C; t++) {
        json_t *row = json_array();
        for (int64_t p = 0; row && p < C; p++)
            json_array_append_new(row, json_integer((json_int_t)r->confusion[t * C + p]));
        if (json_array_append_new(rows, row)) {
            json_decref(rows);
            return NULL;
        }
    }
    return rows;
}

/* {"top1": {"ci_lo", "ci_hi"}, "top5": …} and how they were drawn. */
static json_t *with_ci(json_t *doc, const gk_zeroshot_result *r)
{
    if (!doc || !r->has_ci) return doc;
    json_t *ci = json_pack("{s:o,s:o}", "top1", st_ci_json(&r->top1_ci), "top5",
                           st_ci_json(&r->top5_ci));
    if (json_object_set_new(doc, "ci", ci) ||
        json_object_set_new(doc, "bootstrap", st_boot_json(&r->boot, "items"))) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

/* "duplicates": how many exact copies were merged, when they were looked for. */
static json_t *with_dedup(json_t *doc, const gk_zeroshot_result *r)
{
    if (!doc || !r->dedup) return doc;
    if (json_object_set_new(doc, "duplicates", json_pack("{s:I,s:s}", "merged",
                            (json_int_t)r->merged, "rule", "a test item whose row and class "
                            "equal an earlier item's is the same query and is dropped"))) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

int gk_zeroshot_to_json(const gk_zeroshot_result *r, const char *const *names,
                        int with_confusion, char **json)
{
    GK_FAIL_IF(!r || !json, GK_EARG, "gk_zeroshot_to_json: arguments must not be NULL");
    *json = NULL;
    json_t *doc = json_pack("{s:s,s:s,s:s,s:I,s:i,s:f,s:f,s:o,s:o}", "task", "zeroshot",
                            "split", r->split, "transform", r->transform, "n", (json_int_t)r->n,
                            "n_classes", r->n_classes, "top1", r->top1, "top5", r->top5,
                            "mean_class_acc", gk_json_num(r->mean_class_acc), "classes",
                            classes_json(r, names));
    doc = with_dedup(with_ci(doc, r), r);
    if (doc && with_confusion && json_object_set_new(doc, "confusion", confusion_json(r))) {
        json_decref(doc);
        doc = NULL;
    }
    return gk_json_finish(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10),
                          "zero-shot JSON", json);
}
