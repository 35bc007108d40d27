/*
** report_summary.c — the top of the report: title, the inputs (files,
** sizes, labels, prompts, split) and a row of tiles with the key numbers
** (gap, true-pair cosine, shared axes k, NNGS, CKA, separability).  A tile
** whose number is absent from report.json is left out.
*/
#include <math.h>
#include <stdio.h>

#include "report_internal.h"

/* One key-number tile; `hint` (may be NULL) is escaped. */
static void tile(report_ctx *c, const char *key, double v, const char *hint)
{
    if (!isfinite(v)) return;
    rbuf_puts(c->b, "<div class=\"tile\"><div class=\"k\">");
    rbuf_escape(c->b, key);
    rbuf_puts(c->b, "</div><div class=\"v\">");
    rbuf_number(c->b, v);
    rbuf_puts(c->b, "</div>");
    if (hint) {
        rbuf_puts(c->b, "<div class=\"h\">");
        rbuf_escape(c->b, hint);
        rbuf_puts(c->b, "</div>");
    }
    rbuf_puts(c->b, "</div>\n");
}

/* "<dt>term</dt><dd>" — the caller writes the definition and closes it. */
static void term(report_ctx *c, const char *t)
{
    rbuf_puts(c->b, "<dt>");
    rbuf_escape(c->b, t);
    rbuf_puts(c->b, "</dt><dd>");
}

/* labels / prompts: a path string, or an object {path, rows, classes}. */
static void optional_input(report_ctx *c, const char *what, const json_t *v)
{
    if (json_is_null(v) || !v) return;
    term(c, what);
    const char *path = json_is_string(v) ? json_string_value(v) : rjson_str(v, "path");
    rbuf_escape(c->b, path ? path : "(given)");
    double rows = rjson_num(v, "rows"), classes = rjson_num(v, "classes");
    if (isfinite(rows)) rbuf_printf(c->b, " · %.0f rows", rows);
    if (isfinite(classes)) rbuf_printf(c->b, " · %.0f classes", classes);
    rbuf_puts(c->b, "</dd>");
}

static void inputs(report_ctx *c)
{
    const json_t *in = rjson_obj(c->root, "inputs");
    const json_t *views = rjson_arr(in, "views");
    rbuf_puts(c->b, "<section class=\"card\" id=\"inputs\"><h2>Inputs</h2><dl class=\"inputs\">");
    for (size_t i = 0; i < json_array_size(views); i++) {
        const json_t *v = json_array_get(views, i);
        const char *name = rjson_str(v, "name"), *path = rjson_str(v, "path");
        term(c, name ? name : "view");
        rbuf_escape(c->b, path ? path : "(no path)");
        double rows = rjson_num(v, "rows"), dim = rjson_num(v, "dim");
        if (isfinite(rows) && isfinite(dim))
            rbuf_printf(c->b, " · %.0f rows × %.0f dims", rows, dim);
        rbuf_puts(c->b, "</dd>");
    }
    optional_input(c, "Labels", json_object_get(in, "labels"));
    optional_input(c, "Prompts", json_object_get(in, "prompts"));
    const char *split = rjson_str(c->root, "split");
    if (split) {
        term(c, "Split");
        rbuf_escape(c->b, split);
        rbuf_puts(c->b, "</dd>");
    }
    rbuf_puts(c->b, "</dl></section>\n");
}

/* The first NNGS value with its k, as "NNGS (k = 10)". */
static double first_nngs(const report_ctx *c, char *key, size_t cap)
{
    const json_t *nn = rjson_obj(c->root, "nngs");
    double k = json_number_value(json_array_get(rjson_arr(nn, "k"), 0));
    double v = json_number_value(json_array_get(rjson_arr(nn, "nngs"), 0));
    if (json_is_number(json_array_get(rjson_arr(nn, "k"), 0)))
        snprintf(key, cap, "NNGS (k = %.0f)", k);
    else snprintf(key, cap, "NNGS");
    return json_is_number(json_array_get(rjson_arr(nn, "nngs"), 0)) ? v : NAN;
}

static void tiles(report_ctx *c)
{
    const json_t *gap = rjson_obj(c->root, "gap"), *comet = rjson_obj(c->root, "comet");
    char hint[96], nngs_key[48];
    rbuf_puts(c->b, "<div class=\"tiles\">\n");
    tile(c, "Centroid gap", rjson_num(gap, "gap"), "‖μx − μy‖; 0 = centroids coincide");
    double nonpair = rjson_num(gap, "cos_nonpair");
    snprintf(hint, sizeof hint, "non-pairs: %.3f", nonpair);
    tile(c, "True-pair cosine", rjson_num(gap, "cos_true"), isfinite(nonpair) ? hint : NULL);
    tile(c, "Shared axes k", rjson_num(comet, "k"), rjson_str(comet, "k_rule"));
    double nngs = first_nngs(c, nngs_key, sizeof nngs_key);
    const json_t *nn = rjson_obj(c->root, "nngs");
    /* analyze samples NNGS above a size: the tile says so, with the interval */
    snprintf(hint, sizeof hint, "estimated from %.0f rows: 95%% [%.3f, %.3f]",
             rjson_num(nn, "sampled_rows"),
             json_number_value(json_array_get(rjson_arr(nn, "ci_lo"), 0)),
             json_number_value(json_array_get(rjson_arr(nn, "ci_hi"), 0)));
    tile(c, nngs_key, nngs, isfinite(rjson_num(nn, "sampled_rows"))
                                ? hint : "normalised: 0 = chance, 1 = same graph");
    const json_t *null = rjson_obj(c->root, "cka_linear_null");
    if (null)
        snprintf(hint, sizeof hint, "chance %.3f; calibrated %.3f (p %.2g)",
                 rjson_num(null, "null_mean"), rjson_num(null, "calibrated"),
                 rjson_num(null, "p_value"));
    tile(c, "Linear CKA", rjson_num(c->root, "cka_linear"), null ? hint : "1 = same geometry");
    tile(c, "Modality separability", rjson_num(rjson_obj(gap, "separability"), "accuracy"),
         "probe accuracy; 0.5 = mixed");
    rbuf_puts(c->b, "</div>\n");
}

void report_summary(report_ctx *c)
{
    rbuf_puts(c->b, "<header><h1>Modality-gap report</h1><p class=\"sub\">");
    rbuf_escape(c->b, c->name_x);
    rbuf_puts(c->b, " vs ");
    rbuf_escape(c->b, c->name_y);
    const char *ver = rjson_str(c->root, "gapkit_version");
    if (ver) {
        rbuf_puts(c->b, " · gapkit ");
        rbuf_escape(c->b, ver);
    }
    rbuf_puts(c->b, "</p></header>\n");
    tiles(c);
    inputs(c);
}
