/*
** analyze_leakage.c — the report's "leakage" section (as `gapkit leakage`
** without a transform): with item labels and class prompts, the zero-shot
** accuracy of the items (the view that is not the prompts') next to the
** class separability they have on their own, and the inherited share.
** Skipped (no key) without labels and prompts, or when the two live in
** spaces of different dimension.
*/
#include "analyze_internal.h"
#include "core/error_internal.h"
#include "gapkit/leakage.h"

int analyze_leakage(const gk_analyze_input *in, const gk_analyze_opts *o, json_t *doc)
{
    if (!in->labels || !in->prompts) return GK_OK;
    const gk_mat *items = in->views[in->prompt_view == 0 ? 1 : 0];
    if (items->cols != in->prompts->cols) return GK_OK;
    gk_leakage_opts lo = gk_leakage_opts_default();
    lo.seed = o->seed;
    gk_leakage_result r;
    char *text = NULL;
    int rc = gk_leakage_run(items, in->labels, in->prompts, &lo, &r);
    if (rc == GK_OK) rc = gk_leakage_to_json(&r, &lo, in->class_names, &text);
    if (rc != GK_OK) return gk_error_prepend(rc, "analyze: leakage");
    json_object_set_new(doc, "leakage", analyze_json_from_text(text));
    return GK_OK;
}
