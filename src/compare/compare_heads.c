/*
** compare_heads.c — a trained head as one more row of `gapkit compare`:
** heads trained (gk_train) on the TRAIN items only, with the comparison's
** seed and no validation set, then applied to the TEST items and measured
** like any fitted transform (compare_measure.c).  With the same seed this is
** `gapkit train --split S` followed by `gapkit eval --transform head:FILE`
** on the split's test items (tests/cli/compare_heads.sh checks it).
*/
#include <stdio.h>

#include "align/align_internal.h"
#include "compare_internal.h"
#include "core/error_internal.h"

/* The heads of o trained on the train rows of every view, as a transform. */
static int train_heads(const cmp_data *d, const gk_train_opts *o, gk_align **model,
                       char *desc, size_t cap)
{
    gk_train_opts t = *o;
    t.seed = d->opts->seed;
    const gk_train_data td = {.views = (const gk_mat *const *)d->train, .n_views = d->M,
                              .n_items = d->train[0]->rows};
    gk_train_result *res = NULL;
    GK_TRY(gk_train(&t, &td, NULL, NULL, &res));
    if (res->stop == GK_TRAIN_NONFINITE) { /* the kept heads are not what was asked for */
        const int rc = gk_set_error(GK_ENUMERIC, "train: %s", res->message);
        gk_train_result_free(res);
        return rc;
    }
    const gk_train_epoch *last = &res->curve[res->n_epochs - 1];
    snprintf(desc, cap, "%s heads (D = %lld) trained %d epochs on %lld train items, final "
             "loss %.4f", gk_head_kind_name(t.head), (long long)t.dim, res->n_epochs,
             (long long)td.n_items, last->loss);
    gk_heads *h = res->heads;
    res->heads = NULL;
    gk_train_result_free(res);
    return al_from_heads(h, model); /* takes h, also on failure */
}

int cmp_run_head(const cmp_data *d, const gk_train_opts *o, gk_compare_row *row)
{
    gk_align *model = NULL;
    int rc = train_heads(d, o, &model, row->desc, sizeof row->desc);
    if (rc == GK_OK) rc = cmp_apply_measure(d, model, row);
    gk_align_free(model);
    return rc;
}
