/*
** report_table_leakage.c — table (h) of the report: zero-shot accuracy next
** to the class separability the items have on their own, and the share of
** zero-shot successes that is inherited (the "leakage" section, written by
** gapkit analyze with labels and prompts; docs/curation.md).
*/
#include <math.h>

#include "report_internal.h"

static void row(report_ctx *c, const char *what, double v, const char *note)
{
    rbuf_puts(c->b, "<tr><td data-k=\"Measure\">");
    rbuf_escape(c->b, what);
    rbuf_puts(c->b, "</td><td data-k=\"Value\">");
    rbuf_decimal(c->b, v, 4);
    rbuf_puts(c->b, "</td><td data-k=\"What\">");
    rbuf_escape(c->b, note);
    rbuf_puts(c->b, "</td></tr>\n");
}

void report_table_leakage(report_ctx *c)
{
    const json_t *lk = rjson_obj(c->root, "leakage");
    if (!lk) return;
    const json_t *it = rjson_obj(lk, "items"), *pr = rjson_obj(lk, "prompts");
    const json_t *inh = rjson_obj(lk, "inherited");
    report_card_begin(c, "tab-leakage", "How much zero-shot accuracy is inherited", NULL, 0);
    rbuf_puts(c->b, "<div class=\"table-wrap\"><table class=\"items\"><thead><tr>"
                    "<th scope=\"col\">Measure</th><th scope=\"col\">Value</th>"
                    "<th scope=\"col\">What it is</th></tr></thead><tbody>\n");
    row(c, "zero-shot top-1", rjson_num(lk, "zeroshot_top1"), "items against the class prompts");
    row(c, "kNN accuracy", rjson_num(it, "knn_acc"), "items alone, leave-one-out, k = 5");
    row(c, "probe accuracy", rjson_num(it, "probe_acc"), "items alone, logistic regression, 5-fold CV");
    row(c, "nearest centroid", rjson_num(it, "ncc_acc"), "items alone, leave-one-out class means");
    row(c, "silhouette", rjson_num(it, "silhouette"), "items alone, euclidean");
    row(c, "Fisher ratio", rjson_num(it, "fisher_ratio"), "between- / within-class scatter");
    row(c, "inherited share", rjson_num(inh, "share"),
        "zero-shot successes the item-only centroid classifier also makes");
    row(c, "zero-shot only", rjson_num(inh, "zeroshot_only"),
        "items right only cross-modally (share of all items)");
    row(c, "prompt cosine", rjson_num(pr, "cos_mean"), "mean between two class prompts");
    row(c, "item margin", rjson_num(pr, "margin_mean"),
        "mean cos(true prompt) − max cos(other prompt)");
    rbuf_puts(c->b, "</tbody></table></div>\n");
    report_card_end(c,
                    "<b>How to read.</b> When the items separate their classes on their own as "
                    "well as zero-shot does, and the inherited share is near 1, the zero-shot "
                    "accuracy measures the item backbone's class separability rather than "
                    "transfer between modalities (Tavares et al., ICASSP 2025).",
                    rjson_str(inh, "statement"));
}
