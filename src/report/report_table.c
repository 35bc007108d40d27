/*
** report_table.c — the report's tables: (f) the comparison of transforms,
** one row per transform and one column per metric, with the best value of
** every column marked (bold and a star) in the direction the column says is
** better; (g) the items at both ends of the leading COMET axes, for labelled
** data.  Inputs: the "compare" section and "comet"."top_items".
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_internal.h"

#define MAX_ITEMS 10 /* items listed per end of an axis */

const char *report_metric_label(const report_ctx *c, const char *key)
{
    const json_t *cols = rjson_arr(rjson_obj(c->root, "compare"), "columns");
    for (size_t j = 0; j < json_array_size(cols); j++) {
        const json_t *col = json_array_get(cols, j);
        const char *k = rjson_str(col, "key"), *label = rjson_str(col, "label");
        if (k && label && !strcmp(k, key)) return label;
    }
    return key;
}

/* +1 if larger values of the column are better, -1 if smaller, 0 if neither. */
static int column_direction(const json_t *col)
{
    const char *better = rjson_str(col, "better");
    if (!better) return 0;
    return !strcmp(better, "higher") ? 1 : !strcmp(better, "lower") ? -1 : 0;
}

/* Best finite value of column `key` over the rows in direction dir (NaN if none). */
static double column_best(const json_t *rows, const char *key, int dir)
{
    double best = NAN;
    for (size_t i = 0; dir && i < json_array_size(rows); i++) {
        double v = rjson_num(rjson_obj(json_array_get(rows, i), "values"), key);
        if (isfinite(v) && (!isfinite(best) || dir * (v - best) > 0)) best = v;
    }
    return best;
}

/* compare.columns, or, when it is absent, one column per key of the first
** row's values (no direction).  New reference: caller json_decref()s it. */
static json_t *compare_columns(const json_t *cmp, const json_t *rows)
{
    const json_t *cols = rjson_arr(cmp, "columns");
    if (cols) return json_incref((json_t *)cols);
    json_t *made = json_array();
    const char *key;
    const json_t *val;
    json_object_foreach(json_object_get(json_array_get(rows, 0), "values"), key, val)
    {
        (void)val;
        json_array_append_new(made, json_pack("{s:s}", "key", key));
    }
    return made;
}

static void compare_head(report_ctx *c, const json_t *cols)
{
    rbuf_puts(c->b, "<thead><tr><th scope=\"col\">Transform</th>");
    for (size_t j = 0; j < json_array_size(cols); j++) {
        const json_t *col = json_array_get(cols, j);
        const char *key = rjson_str(col, "key"), *label = rjson_str(col, "label");
        int dir = column_direction(col);
        rbuf_puts(c->b, "<th scope=\"col\">");
        rbuf_escape(c->b, label ? label : key ? key : "?");
        if (dir)
            rbuf_printf(c->b, "&nbsp;<span title=\"%s is better\">%s</span>",
                        dir > 0 ? "higher" : "lower", dir > 0 ? "↑" : "↓");
        rbuf_puts(c->b, "</th>");
    }
    rbuf_puts(c->b, "</tr></thead>\n");
}

/* How column j is shown: its best value (NaN: none is marked) and the
** decimals that give every cell of the column about three significant digits. */
typedef struct column_fmt {
    double best;
    int decimals;
    double span; /* largest |interval end| of the column's tests (0: none) */
} column_fmt;

/* A cell's test against identity (row.tests[key]): an error bar of the
** difference, its interval and 0 on one scale per column, and * when the
** Holm-adjusted p is significant. */
static void test_mark(report_ctx *c, const json_t *t, double span)
{
    if (!t || !(span > 0)) return;
    const double d = rjson_num(t, "diff"), lo = rjson_num(t, "ci_lo"), hi = rjson_num(t, "ci_hi");
    const json_t *sig = json_object_get(t, "significant");
    const int yes = json_is_true(sig);
    if (!isfinite(d) || !isfinite(lo) || !isfinite(hi)) return;
#define BAR_X(v) (32.0 + 28.0 * (v) / span)
    /* spans, not an <svg>: the page's figures are its only SVG panels */
    const char *ink = yes ? "#0072B2" : "#999";
    const double x0 = BAR_X(lo), x1 = BAR_X(hi);
    rbuf_printf(c->b, "<span title=\"vs identity: %+.4f [%+.4f, %+.4f], Holm p %.3g%s\" "
                "style=\"display:inline-block;position:relative;width:64px;height:10px;"
                "vertical-align:middle;margin-left:4px\"><span style=\"position:absolute;"
                "left:32px;top:0;width:1px;height:10px;background:#999\"></span>"
                "<span style=\"position:absolute;left:%.1fpx;top:4px;width:%.1fpx;height:2px;"
                "background:%s\"></span><span style=\"position:absolute;left:%.1fpx;top:2px;"
                "width:6px;height:6px;border-radius:50%%;background:%s\"></span></span>",
                d, lo, hi, rjson_num(t, "p_holm"), yes ? " (significant)" : "", x0,
                x1 - x0 > 1 ? x1 - x0 : 1, ink, BAR_X(d) - 3, ink);
#undef BAR_X
    if (yes) rbuf_puts(c->b, "<span style=\"color:#0072B2;font-weight:700\" title=\"differs from identity "
                             "(Holm-Bonferroni)\">*</span>");
}

/* " ± sd" of a clustering score over the k-means restarts (row.over_restarts),
** when the row has one for column `key`. */
static void restart_sd(report_ctx *c, const json_t *row, const char *key, int decimals)
{
    const json_t *o = json_object_get(row, "over_restarts");
    if (!key || !json_is_object(o)) return;
    const double sd = rjson_num(rjson_obj(o, key), "sd");
    if (!isfinite(sd)) return;
    rbuf_printf(c->b, "<small title=\"sample sd over %d k-means restarts\"> ± ",
                (int)json_integer_value(json_object_get(o, "n_restarts")));
    rbuf_decimal(c->b, sd, decimals);
    rbuf_puts(c->b, "</small>");
}

/* One transform, a cell per column. */
static void compare_row(report_ctx *c, const json_t *row, const json_t *cols,
                        const column_fmt *fmt)
{
    const char *name = rjson_str(row, "transform");
    const json_t *values = rjson_obj(row, "values"), *tests = rjson_obj(row, "tests");
    rbuf_puts(c->b, "<tr><th scope=\"row\">");
    rbuf_escape(c->b, name ? name : "?");
    rbuf_puts(c->b, "</th>");
    for (size_t j = 0; j < json_array_size(cols); j++) {
        const char *key = rjson_str(json_array_get(cols, j), "key");
        double v = key ? rjson_num(values, key) : NAN;
        /* the best value is a copy of a cell of the same document: == is exact */
        int is_best = isfinite(v) && v == fmt[j].best;
        rbuf_puts(c->b, is_best ? "<td class=\"best\">" : "<td>");
        rbuf_decimal(c->b, v, fmt[j].decimals);
        if (is_best) rbuf_puts(c->b, "<span class=\"star\" title=\"best in column\">★</span>");
        restart_sd(c, row, key, fmt[j].decimals);
        if (key && tests) test_mark(c, json_object_get(tests, key), fmt[j].span);
        rbuf_puts(c->b, "</td>");
    }
    rbuf_puts(c->b, "</tr>\n");
}

/* Decimals for the values of column `key`: 3 below 10, 2 below 100, else 1. */
static int column_decimals(const json_t *rows, const char *key)
{
    double top = 0;
    for (size_t i = 0; i < json_array_size(rows); i++) {
        double v = fabs(rjson_num(rjson_obj(json_array_get(rows, i), "values"), key));
        if (isfinite(v) && v > top) top = v;
    }
    return top < 10 ? 3 : top < 100 ? 2 : 1;
}

/* Largest |ci_lo|, |ci_hi| of the tests of column `key` (0: no test). */
static double column_span(const json_t *rows, const char *key)
{
    double s = 0;
    for (size_t i = 0; i < json_array_size(rows); i++) {
        const json_t *t = json_object_get(rjson_obj(json_array_get(rows, i), "tests"), key);
        const double lo = fabs(rjson_num(t, "ci_lo")), hi = fabs(rjson_num(t, "ci_hi"));
        if (t && isfinite(lo) && lo > s) s = lo;
        if (t && isfinite(hi) && hi > s) s = hi;
    }
    return s;
}

/* The format of every column; NULL on allocation failure. */
static column_fmt *compare_formats(const json_t *rows, const json_t *cols)
{
    size_t n = json_array_size(cols);
    column_fmt *fmt = gk_malloc((n ? n : 1) * sizeof *fmt);
    for (size_t j = 0; fmt && j < n; j++) {
        const json_t *col = json_array_get(cols, j);
        const char *key = rjson_str(col, "key");
        fmt[j].best = key ? column_best(rows, key, column_direction(col)) : NAN;
        fmt[j].decimals = key ? column_decimals(rows, key) : 3;
        fmt[j].span = key ? column_span(rows, key) : 0;
    }
    return fmt;
}

void report_table_compare(report_ctx *c)
{
    const json_t *cmp = rjson_obj(c->root, "compare");
    const json_t *rows = rjson_arr(cmp, "rows");
    if (!json_array_size(rows)) return;
    json_t *cols = compare_columns(cmp, rows);
    column_fmt *fmt = cols ? compare_formats(rows, cols) : NULL;
    if (!fmt) {
        json_decref(cols);
        c->oom = 1;
        return;
    }
    report_card_begin(c, "tab-compare", "Transforms compared", NULL, 0);
    rbuf_puts(c->b, "<div class=\"tablebox\"><p class=\"hint\">Swipe the table sideways to "
                    "see every column.</p><div class=\"table-wrap\"><table class=\"compare\">");
    compare_head(c, cols);
    rbuf_puts(c->b, "<tbody>\n");
    for (size_t i = 0; i < json_array_size(rows); i++)
        compare_row(c, json_array_get(rows, i), cols, fmt);
    rbuf_puts(c->b, "</tbody></table></div></div>\n");
    report_table_versus(c, cols);
    json_decref(cols);
    gk_free(fmt);
    const char *split = rjson_str(cmp, "split");
    const char *rule = rjson_str(rjson_obj(cmp, "significance"), "rule");
    char detail[800];
    snprintf(detail, sizeof detail, "Evaluated on: %s.%s%s%s", split ? split : "not stated",
             rule ? " Error bars: " : "", rule ? rule : "",
             rule ? " (bar: difference and interval, grey line: no difference; * = "
                    "significant)." : "");
    report_card_end(c,
                    "<b>How to read.</b> One row per transform fitted on the calibration part "
                    "and scored on the held-out part. ↑ means higher is better, ↓ lower is "
                    "better; <b>bold</b> with ★ marks the best value of each column.",
                    detail);
}

/* Up to MAX_ITEMS strings of the array, comma-separated and escaped. */
static void item_list(report_ctx *c, const json_t *items)
{
    size_t n = json_array_size(items);
    for (size_t i = 0; i < n && i < MAX_ITEMS; i++) {
        const char *s = json_string_value(json_array_get(items, i));
        if (i) rbuf_puts(c->b, ", ");
        rbuf_escape(c->b, s ? s : "?");
    }
    if (n > MAX_ITEMS) rbuf_puts(c->b, ", …");
    if (!n) rbuf_puts(c->b, "–");
}

/* The view an entry describes: "side" 0 or 1 names a view, a string is used as is. */
static const char *item_side(const report_ctx *c, const json_t *entry)
{
    const json_t *side = json_object_get(entry, "side");
    if (json_is_string(side)) return json_string_value(side);
    if (json_is_integer(side)) {
        json_int_t s = json_integer_value(side);
        return s == 0 ? c->name_x : s == 1 ? c->name_y : "?";
    }
    return "–";
}

void report_table_top_items(report_ctx *c)
{
    const json_t *items = rjson_arr(rjson_obj(c->root, "comet"), "top_items");
    if (!json_array_size(items)) return;
    report_card_begin(c, "tab-top-items", "What the leading axes carry", NULL, 0);
    rbuf_puts(c->b, "<div class=\"table-wrap\"><table class=\"items\"><thead><tr>"
                    "<th scope=\"col\">Axis</th><th scope=\"col\">View</th>"
                    "<th scope=\"col\">Highest coordinate</th>"
                    "<th scope=\"col\">Lowest coordinate</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < json_array_size(items); i++) {
        const json_t *e = json_array_get(items, i);
        /* data-k names the column where phones show a row as a stack */
        rbuf_puts(c->b, "<tr><td data-k=\"Axis\">");
        rbuf_number(c->b, rjson_num(e, "axis"));
        rbuf_puts(c->b, "</td><td data-k=\"View\">");
        rbuf_escape(c->b, item_side(c, e));
        rbuf_puts(c->b, "</td><td data-k=\"Highest\">");
        item_list(c, json_object_get(e, "top"));
        rbuf_puts(c->b, "</td><td data-k=\"Lowest\">");
        item_list(c, json_object_get(e, "bottom"));
        rbuf_puts(c->b, "</td></tr>\n");
    }
    rbuf_puts(c->b, "</tbody></table></div>\n");
    report_card_end(c,
                    "<b>How to read.</b> The labels of the fit items with the largest and the "
                    "smallest coordinate on each leading COMET axis. A theme shared by one list, "
                    "and its contrast with the other, names the concept the axis carries.",
                    NULL);
}
