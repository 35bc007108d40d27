/*
** report_table_versus.c — under the comparison table, the named pairs of
** rows tested against each other (compare.versus, from `--test A,B`): per
** column of the table that was tested, row A minus row B with its interval
** and Holm-adjusted p, and * when significant.  Views 0 and 1, as the table.
*/
#include <math.h>

#include "report_internal.h"

/* One tested column of one named pair: "R@1 x→y −0.020 [−0.052, +0.012], Holm p 1". */
static void versus_test(report_ctx *c, const char *label, const json_t *t, int first)
{
    const int yes = json_is_true(json_object_get(t, "significant"));
    rbuf_puts(c->b, first ? "" : "; ");
    rbuf_escape(c->b, label);
    rbuf_printf(c->b, " %+.4f [%+.4f, %+.4f], Holm p %.3g", rjson_num(t, "diff"),
                rjson_num(t, "ci_lo"), rjson_num(t, "ci_hi"), rjson_num(t, "p_holm"));
    if (yes) rbuf_puts(c->b, "<span style=\"color:#0072B2;font-weight:700\" title=\"the two "
                             "rows differ (Holm-Bonferroni)\">*</span>");
}

/* The tests of view pair [0, 1] of one entry of compare.versus. */
static const json_t *first_pair_tests(const json_t *entry)
{
    const json_t *pairs = rjson_arr(entry, "pairs");
    for (size_t q = 0; q < json_array_size(pairs); q++) {
        const json_t *p = json_array_get(pairs, q), *v = rjson_arr(p, "views");
        if (json_integer_value(json_array_get(v, 0)) == 0 &&
            json_integer_value(json_array_get(v, 1)) == 1)
            return rjson_obj(p, "tests");
    }
    return NULL;
}

void report_table_versus(report_ctx *c, const json_t *cols)
{
    const json_t *versus = rjson_arr(rjson_obj(c->root, "compare"), "versus");
    if (!json_array_size(versus)) return;
    rbuf_puts(c->b, "<p class=\"hint\"><b>Named pairs</b> (row A minus row B on the same "
                    "queries; * = significant in the same Holm-Bonferroni family):</p><ul>\n");
    for (size_t i = 0; i < json_array_size(versus); i++) {
        const json_t *e = json_array_get(versus, i), *tests = first_pair_tests(e);
        const char *a = rjson_str(e, "a"), *b = rjson_str(e, "b");
        int shown = 0;
        rbuf_puts(c->b, "<li>");
        rbuf_escape(c->b, a ? a : "?");
        rbuf_puts(c->b, " − ");
        rbuf_escape(c->b, b ? b : "?");
        rbuf_puts(c->b, ": ");
        for (size_t j = 0; tests && j < json_array_size(cols); j++) {
            const json_t *col = json_array_get(cols, j);
            const char *key = rjson_str(col, "key"), *label = rjson_str(col, "label");
            const json_t *t = key ? json_object_get(tests, key) : NULL;
            if (json_is_object(t)) versus_test(c, label ? label : key, t, !shown++);
        }
        rbuf_puts(c->b, shown ? "</li>\n" : "not tested (a row failed)</li>\n");
    }
    rbuf_puts(c->b, "</ul>\n");
}
