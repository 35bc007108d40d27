/*
** kfold_json.c — the JSON documents of k-fold evaluations (jansson): the
** per-fold documents exactly as a single run writes them, the summary over
** folds, and (zero-shot) the confusion counts summed over the folds.
*/
#include <jansson.h>

#include "core/error_internal.h"
#include "core/json_internal.h"
#include "gapkit/eval.h"

#define KF_JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))

static const char summary_rule[] =
    "over the F folds: mean, sample sd (ddof 1), 95% Student t interval "
    "mean +- t(0.975, F-1) * sd / sqrt(F); sd and interval null for one fold";

/* {"mean","sd","ci_lo","ci_hi","n_folds"} of c. */
static json_t *tci_json(const gk_t_ci *c)
{
    return json_pack("{s:o,s:o,s:o,s:o,s:I}", "mean", gk_json_num(c->mean), "sd",
                     gk_json_num(c->sd), "ci_lo", gk_json_num(c->lo), "ci_hi",
                     gk_json_num(c->hi), "n_folds", (json_int_t)c->n);
}

/* {name[i]: tci_json(c[i])} for i < n; NULL when out of memory. */
static json_t *summary_json(const char *const *name, const gk_t_ci *const *c, int n)
{
    json_t *o = json_object();
    for (int i = 0; o && i < n; i++)
        if (json_object_set_new(o, name[i], tci_json(c[i]))) {
            json_decref(o);
            return NULL;
        }
    return o;
}

/* Appends the text of one library document to a; frees the text.  A status
** of the writer that made it is returned as is. */
static int append_doc(json_t *a, int st, char *text)
{
    json_t *v = st == GK_OK ? json_loads(text, 0, NULL) : NULL;
    gk_free(text);
    if (st != GK_OK) return st;
    GK_FAIL_IF(!v || json_array_append_new(a, v), GK_ENOMEM, "k-fold JSON: out of memory");
    return GK_OK;
}

static json_t *rt_direction_json(const gk_retrieval_fold_summary *s)
{
    const char *name[7] = {"R@1", "R@5", "R@10", "mAP@10", "mAP", "MedR", "MeanR"};
    const gk_t_ci *c[7] = {&s->r1, &s->r5, &s->r10, &s->map10, &s->map, &s->medr, &s->meanr};
    return summary_json(name, c, 7);
}

int gk_retrieval_folds_to_json(const gk_retrieval_folds *r, const char *name_x,
                               const char *name_y, char **json)
{
    GK_FAIL_IF(!r || !json, GK_EARG, "gk_retrieval_folds_to_json: NULL argument");
    *json = NULL;
    json_t *folds = json_array();
    GK_FAIL_IF(!folds, GK_ENOMEM, "k-fold JSON: out of memory");
    for (int64_t f = 0; f < r->n_folds; f++) {
        char *text = NULL;
        int st = gk_retrieval_to_json(&r->fold[f], name_x, name_y, &text);
        st = append_doc(folds, st, text);
        if (st != GK_OK) return json_decref(folds), st;
    }
    json_t *doc = json_pack("{s:s,s:o,s:o,s:{s:o,s:o},s:s}", "task", "retrieval",
                            "fold_column", gk_json_text(r->column), "folds", folds,
                            "summary", "x_to_y", rt_direction_json(&r->x2y), "y_to_x",
                            rt_direction_json(&r->y2x), "summary_rule", summary_rule);
    return gk_json_finish(doc, KF_JSON_FLAGS, "k-fold retrieval JSON", json);
}

static json_t *confusion_json(const int64_t *conf, int64_t C)
{
    json_t *rows = json_array();
    for (int64_t t = 0; rows && t < C; t++) {
        json_t *row = json_array();
        for (int64_t p = 0; row && p < C; p++)
            if (json_array_append_new(row, json_integer((json_int_t)conf[t * C + p])))
                json_decref(row), row = NULL;
        if (json_array_append_new(rows, row)) json_decref(rows), rows = NULL;
    }
    return rows;
}

int gk_zeroshot_folds_to_json(const gk_zeroshot_folds *r, const char *const *names,
                              char **json)
{
    GK_FAIL_IF(!r || !json, GK_EARG, "gk_zeroshot_folds_to_json: NULL argument");
    *json = NULL;
    json_t *folds = json_array();
    GK_FAIL_IF(!folds, GK_ENOMEM, "k-fold JSON: out of memory");
    for (int64_t f = 0; f < r->n_folds; f++) {
        char *text = NULL;
        int st = gk_zeroshot_to_json(r->fold[f], names, 0, &text);
        st = append_doc(folds, st, text);
        if (st != GK_OK) return json_decref(folds), st;
    }
    const char *name[3] = {"top1", "top5", "mean_class_acc"};
    const gk_t_ci *c[3] = {&r->top1, &r->top5, &r->mean_class_acc};
    json_t *doc = json_pack("{s:s,s:o,s:o,s:o,s:s,s:o}", "task", "zeroshot",
                            "fold_column", gk_json_text(r->column), "folds", folds,
                            "summary", summary_json(name, c, 3), "summary_rule", summary_rule,
                            "confusion", confusion_json(r->confusion, r->n_classes));
    return gk_json_finish(doc, KF_JSON_FLAGS, "k-fold zero-shot JSON", json);
}
