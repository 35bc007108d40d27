/*
** train_json.c — a training run as JSON: options, how it ended, and the
** curve (one object per epoch; NaN as null).
*/
#include <jansson.h>
#include <math.h>

#include "core/json_internal.h"
#include "train_internal.h"

static json_t *num(double x) { return isfinite(x) ? json_real(x) : json_null(); }

static json_t *epoch_json(const gk_train_epoch *e)
{
    return json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
                     "epoch", e->epoch, "loss", num(e->loss), "nce", num(e->nce), "soft",
                     num(e->soft), "atp", num(e->atp), "cu", num(e->cu), "alpha", num(e->alpha),
                     "beta", num(e->beta), "lr", num(e->lr), "logit_scale", num(e->logit_scale),
                     "val_loss", num(e->val_loss), "val_r1", num(e->val_r1), "seconds",
                     num(e->seconds));
}

int gk_train_result_to_json(const gk_train_opts *o, const gk_train_result *r, char **json)
{
    static const char *const stops[] = {"done", "early", "nonfinite"};
    json_t *curve = json_array();
    for (int e = 0; curve && e < r->n_epochs; e++) json_array_append_new(curve, epoch_json(&r->curve[e]));
    json_t *j = json_pack("{s:s, s:s, s:I, s:I, s:I, s:i, s:i, s:s, s:s, s:o}", "loss",
                          gk_loss_kind_name(o->loss), "head", gk_head_kind_name(o->head), "dim",
                          (json_int_t)o->dim, "batch", (json_int_t)o->batch, "row_block",
                          (json_int_t)o->row_block, "epochs_run",
                          r->n_epochs, "best_epoch", r->best_epoch, "stop", stops[r->stop],
                          "message", r->message, "curve", curve);
    return gk_json_finish(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10),
                          "train json", json);
}
