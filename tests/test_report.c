/*
** test_report.c — the HTML report renderer (include/gapkit/report.h) on
** fabricated report.json documents: every figure and table is drawn with its
** caption, text from the document is escaped, missing sections and null
** numbers are survived (no "nan" in any SVG coordinate), the projection is
** subsampled deterministically, the best cell of each comparison column is
** marked in the column's direction, bad documents are GK_EFORMAT, and every
** injected allocation failure is GK_ENOMEM (the ASan build checks for
** leaks).  Also the nice-number ticks the axes use.
*/
#include <jansson.h>
#include <unistd.h>

#include "report/report_internal.h"
#include "test_util.h"

#define EVIL "<b>\"dog\" & 'cat'</b>"
#define EVIL_ESCAPED "&lt;b&gt;&quot;dog&quot; &amp; &#39;cat&#39;&lt;/b&gt;"

/*====  fabricated documents  ====*/

/* n points [[a,b],…] around (cx, 0) on a small circle; point 3 is [null, 1]. */
static json_t *points(int n, double cx)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++) {
        double t = 0.7 * i;
        json_array_append_new(a, i == 3 ? json_pack("[n,f]", 1.0)
                                        : json_pack("[f,f]", cx + 0.1 * cos(t), 0.1 * sin(t)));
    }
    return a;
}

/* [f(0), f(1), …] with f(i) = a·exp(-i/b); entry `null_at` is null. */
static json_t *decay(int n, double a, double b, int null_at)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, i == null_at ? json_null() : json_real(a * exp(-i / b)));
    return arr;
}

static json_t *compare_section(int with_zeroshot)
{
    json_t *cols = json_pack("[{s:s,s:s,s:s},{s:s,s:s,s:s}]", "key", "R@1_x2y", "label",
                             "R@1 x→y", "better", "higher", "key", "gap", "label", "gap",
                             "better", "lower");
    if (with_zeroshot)
        json_array_append_new(cols, json_pack("{s:s,s:s,s:s}", "key", "zeroshot_top1", "label",
                                              "zero-shot accuracy", "better", "higher"));
    json_t *rows = json_pack("[{s:s,s:{s:f,s:f,s:f}},{s:s,s:{s:f,s:n,s:f}},{s:s,s:{s:f,s:f}}]",
                             "transform", "identity", "values", "R@1_x2y", 0.5125, "gap", 0.8125,
                             "zeroshot_top1", 0.25, "transform", "centre " EVIL, "values",
                             "R@1_x2y", 0.6875, "gap", "zeroshot_top1", 0.375, "transform",
                             "shift", "values", "R@1_x2y", 0.625, "gap", 0.0625);
    return json_pack("{s:s,s:o,s:o}", "split", "classes:0.5 seed 0", "columns", cols, "rows",
                     rows);
}

/* A complete report; npts rows per modality in each projection panel. */
static json_t *full_report(int npts)
{
    json_t *top = json_pack("[{s:i,s:i,s:[s,s],s:[s]}]", "axis", 1, "side", 0, "top", EVIL,
                            "wolf", "bottom", "rain");
    json_t *comet = json_pack("{s:i,s:s,s:o,s:o,s:o,s:o,s:o}", "k", 4, "k_rule", "fixed",
                              "sigma", decay(40, 30, 3, 7), "corr", decay(40, 0.9, 30, 2),
                              "align", decay(40, 0.95, 20, -1), "net_cum",
                              decay(40, 1, 1e9, 5), "top_items", top);
    json_t *proj = json_pack("{s:s,s:{s:o,s:o},s:{s:o,s:o},s:s}", "method", "PCA", "before", "x",
                             points(npts, -0.5), "y", points(npts, 0.5), "after", "x",
                             points(npts, 0), "y", points(npts, 0.01), "after_transform",
                             "comet:k=4");
    json_t *doc = json_pack(
        "{s:s,s:i,s:s,s:{s:[{s:s,s:s,s:i,s:i},{s:s,s:s,s:i,s:i}],s:s,s:n},s:s,"
        "s:{s:f,s:f,s:n},s:o,s:o,s:{s:s,s:[i,i],s:[f,f]},s:{s:[i,i,i,i],s:[f,n,f,f]},s:f,"
        "s:o,s:{s:[f,f,f],s:[f,f,f],s:{s:[f,f,f],s:[f,n,f]}}}",
        "format", "gapkit-report", "version", 1, "gapkit_version", "0.1.0", "inputs", "views",
        "name", "text " EVIL, "path", "t.npy", "rows", npts, "dim", 8, "name", "audio", "path",
        "a.npy", "rows", npts, "dim", 8, "labels", "labels.txt", "prompts", "split",
        "classes:0.5 seed 0", "gap", "gap", 0.8125, "cos_true", 0.3125, "cos_nonpair", "comet",
        comet, "projection", proj, "nngs", "distance", "cosine", "k", 10, 100, "nngs", 0.25,
        0.375, "nngs_spectrum", "k", 1, 10, 100, 1000, "nngs", 0.125, 0.375, 0.25,
        "cka_linear", 0.75, "compare", compare_section(1), "shift_sweep", "lambda", 0.0, 0.5,
        1.0, "gap", 0.8, 0.4, 0.0, "metrics", "R@1_x2y", 0.5, 0.52, 0.51, "v_measure", 0.1,
        0.15);
    assert_non_null(doc);
    return doc;
}

/* Renders `doc` (released) and returns the page; fails the test on error. */
static char *render(json_t *doc)
{
    char *text = json_dumps(doc, 0), *html = NULL;
    json_decref(doc);
    assert_non_null(text);
    assert_gk_ok(gk_report_render_html(text, &html));
    free(text);
    assert_non_null(html);
    return html;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) n++;
    return n;
}

/* The text of section `id` (a copy; caller frees). */
static char *section(const char *html, const char *id)
{
    char key[64];
    snprintf(key, sizeof key, "id=\"%s\"", id);
    const char *a = strstr(html, key);
    assert_non_null(a);
    const char *b = strstr(a, "</section>");
    assert_non_null(b);
    char *s = strndup(a, (size_t)(b - a));
    assert_non_null(s);
    return s;
}

/* Every d="…", x="…", y="…" and viewBox="…" holds only path letters,
** digits, signs, dots and spaces: no nan, inf or e-notation. */
static void assert_clean_coordinates(const char *html)
{
    static const char *const attrs[] = {" d=\"", " x=\"", " y=\"", "viewBox=\""};
    for (int a = 0; a < 4; a++)
        for (const char *p = strstr(html, attrs[a]); p; p = strstr(p + 1, attrs[a])) {
            const char *v = p + strlen(attrs[a]);
            size_t n = strcspn(v, "\"");
            size_t ok = strspn(v, "0123456789.- MLHVZhv");
            if (ok < n) fail_msg("bad coordinate text: %.*s", (int)(n < 60 ? n : 60), v);
        }
}

/*====  tests  ====*/

static void test_full_report_has_every_figure(void **state)
{
    (void)state;
    char *html = render(full_report(50));
    assert_true(!strncmp(html, "<!DOCTYPE html>", 15));
    assert_non_null(strstr(html, "</html>"));
    /* a: 2 panels, b: 1, c: 2, d: 1, e: 2 */
    assert_int_equal(count(html, "<svg "), 8);
    assert_int_equal(count(html, "</svg>"), 8);
    static const char *const ids[] = {"fig-spectrum", "fig-axes", "fig-projection", "fig-nngs",
                                      "fig-sweep", "tab-compare", "tab-top-items"};
    for (int i = 0; i < 7; i++) {
        char *s = section(html, ids[i]);
        assert_int_equal(count(s, "<p class=\"caption\"><b>How to read.</b>"), 1);
        free(s);
    }
    /* key numbers and inputs */
    assert_non_null(strstr(html, ">0.8125<"));
    assert_non_null(strstr(html, ">0.75<"));
    assert_non_null(strstr(html, "NNGS (k = 10)"));
    assert_non_null(strstr(html, "classes:0.5 seed 0"));
    /* self-contained: nothing fetched, no script */
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "src="));
    assert_null(strstr(html, "href="));
    assert_null(strstr(html, "url("));
    assert_null(strstr(html, "@import"));
    assert_clean_coordinates(html);
    gk_free(html);
}

static void test_text_is_escaped(void **state)
{
    (void)state;
    char *html = render(full_report(20));
    assert_null(strstr(html, EVIL));
    assert_null(strstr(html, "<b>\"dog\""));
    /* view name (title, header, legend, inputs), item label, transform name */
    assert_true(count(html, EVIL_ESCAPED) >= 5);
    char *items = section(html, "tab-top-items");
    assert_non_null(strstr(items, EVIL_ESCAPED ", wolf"));
    free(items);
    gk_free(html);
}

static void test_best_cells_follow_the_column_direction(void **state)
{
    (void)state;
    char *html = render(full_report(20));
    char *t = section(html, "tab-compare");
    /* R@1 higher is better: 0.6875; gap lower: 0.0625 (the null is "–") */
    assert_non_null(strstr(t, "<td class=\"best\">0.688<span class=\"star\""));
    assert_non_null(strstr(t, "<td class=\"best\">0.062<span class=\"star\""));
    assert_non_null(strstr(t, "<td class=\"best\">0.375<span class=\"star\""));
    assert_int_equal(count(t, "class=\"best\""), 3);
    assert_non_null(strstr(t, "<td>–</td>"));
    assert_non_null(strstr(t, "higher is better"));
    assert_non_null(strstr(t, "lower is better"));
    free(t);
    gk_free(html);
}

static void test_projection_is_subsampled_deterministically(void **state)
{
    (void)state;
    char *a = render(full_report(5000)), *b = render(full_report(5000));
    assert_string_equal(a, b);
    char *s = section(a, "fig-projection");
    /* per panel: 2000 dots a modality (rows 0, 2, 5, 7, …: the null row 3 is
    ** not among them) plus 4 centroid dots */
    assert_int_equal(count(s, "h0"), 2 * (2000 + 2000 + 4));
    free(s);
    gk_free(a);
    gk_free(b);
}

static void test_missing_sections_are_left_out(void **state)
{
    (void)state;
    char *html = render(json_pack("{s:s,s:i}", "format", "gapkit-report", "version", 1));
    assert_null(strstr(html, "<svg"));
    assert_null(strstr(html, "id=\"fig-"));
    assert_null(strstr(html, "id=\"tab-"));
    assert_non_null(strstr(html, "</html>"));
    gk_free(html);

    /* no labels (no top items), no prompts (no zero-shot column), no comet */
    json_t *doc = full_report(20);
    json_object_del(json_object_get(doc, "comet"), "top_items");
    json_object_set_new(doc, "compare", compare_section(0));
    json_object_set_new(doc, "nngs_spectrum", json_null());
    html = render(doc);
    assert_null(strstr(html, "tab-top-items"));
    assert_null(strstr(html, "zero-shot"));
    assert_non_null(strstr(html, "id=\"fig-nngs\"")); /* the two NNGS points remain */
    gk_free(html);

    doc = full_report(20);
    json_object_del(doc, "comet");
    json_object_set_new(doc, "projection", json_pack("{s:{s:[],s:n}}", "before", "x", "y"));
    html = render(doc);
    assert_null(strstr(html, "fig-spectrum"));
    assert_non_null(strstr(html, "no finite points"));
    assert_clean_coordinates(html);
    gk_free(html);
}

static void test_null_numbers_never_reach_svg(void **state)
{
    (void)state;
    json_t *doc = full_report(30);
    json_t *comet = json_object_get(doc, "comet");
    json_object_set_new(comet, "sigma", json_pack("[n,n,f,n]", 1.0));
    json_object_set_new(comet, "net_cum", json_pack("[n,n]"));
    json_object_set_new(comet, "k", json_null());
    json_object_set_new(doc, "shift_sweep",
                        json_pack("{s:[f,n,f],s:[n,n,n],s:{s:[n,f,n]}}", "lambda", 0.0, 1.0,
                                  "gap", "metrics", "R@1", 0.5));
    char *html = render(doc);
    assert_clean_coordinates(html);
    assert_null(strstr(html, "nan"));
    assert_null(strstr(html, "NaN"));
    gk_free(html);
}

static void test_bad_documents_are_format_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *says;
    } bad[] = {
        {"{\"format\": \"gapkit-report\", \"version\": 1", "line 1"},
        {"", "not valid JSON"},
        {"[1, 2]", "an array"},
        {"{\"version\": 1}", "\"format\" must be \"gapkit-report\", got nothing"},
        {"{\"format\": \"gapkit-model\", \"version\": 1}", "got \"gapkit-model\""},
        {"{\"format\": \"gapkit-report\"}", "\"version\" must be an integer"},
        {"{\"format\": \"gapkit-report\", \"version\": 2}", "version 2 is not readable"},
        /* values of another type than the page reads are refused, by name */
        {"{\"format\": \"gapkit-report\", \"version\": 1, \"gap\": {\"gap\": \"0.5\"}}",
         "\"gap\" is a string, expected a number"},
        {"{\"format\": \"gapkit-report\", \"version\": 1, \"comet\": [1]}",
         "\"comet\" is an array, expected an object"},
        {"{\"format\": \"gapkit-report\", \"version\": 1, \"shift_sweep\": {\"lambda\": [0, \"x\"],"
         " \"gap\": [0.4, 0.1]}}", "an element of a list of numbers\" is a string"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *html = (char *)0x1;
        assert_int_equal(gk_report_render_html(bad[i].text, &html), GK_EFORMAT);
        assert_null(html);
        assert_error_has(bad[i].says);
    }
    char *html;
    assert_int_equal(gk_report_render_html(NULL, &html), GK_EARG);
    assert_int_equal(gk_report_render_html("{}", NULL), GK_EARG);
}

static void test_render_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/gk_report_XXXXXX", in[128], out[128], bad[128];
    assert_non_null(mkdtemp(dir));
    snprintf(in, sizeof in, "%s/report.json", dir);
    snprintf(out, sizeof out, "%s/report.html", dir);
    snprintf(bad, sizeof bad, "%s/missing/report.html", dir);
    json_t *doc = full_report(10);
    assert_int_equal(json_dump_file(doc, in, 0), 0);
    json_decref(doc);
    assert_gk_ok(gk_report_render_file(in, out));
    FILE *f = fopen(out, "r");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(gk_report_render_file(out, bad), GK_EFORMAT); /* HTML is not JSON */
    assert_error_has("report.html: not valid JSON");
    assert_int_equal(gk_report_render_file(bad, out), GK_EIO);
    assert_error_has("missing/report.html");
    assert_int_equal(gk_report_render_file(in, bad), GK_EIO);
    remove(out);
    remove(in);
    rmdir(dir);
}

/*====  allocation failures  ====*/

static void test_every_allocation_failure_is_enomem(void **state)
{
    (void)state;
    json_t *doc = full_report(40);
    char *text = json_dumps(doc, 0);
    json_decref(doc);
    int rc = -1;
    long k = 0;
    for (; rc != GK_OK && k < 1000; k++) {
        char *html = (char *)0x1;
        count_from_here(k);
        rc = gk_report_render_html(text, &html);
        if (rc == GK_OK) gk_free(html);
        else {
            assert_int_equal(rc, GK_ENOMEM);
            assert_null(html);
        }
    }
    gk_set_allocator(NULL);
    free(text);
    assert_int_equal(rc, GK_OK);
    assert_true(k > 10); /* the buffer grows and every series is allocated */
}

/*====  ticks and text helpers  ====*/

static void test_nice_ticks(void **state)
{
    (void)state;
    svg_scale s;
    double t[16];
    char label[32];
    svg_scale_lin(&s, 0.03, 0.97, 0, 100);
    assert_close(s.d0, 0.0, 1e-12);
    assert_close(s.d1, 1.0, 1e-12);
    assert_int_equal(svg_ticks(&s, t, 16), 6); /* 0, 0.2, …, 1 */
    svg_tick_label(&s, t[1], label, sizeof label);
    assert_string_equal(label, "0.2");
    assert_close(svg_map(&s, 0.5), 50, 1e-9);
    svg_scale_lin(&s, -37, 412, 0, 1); /* step 100 */
    assert_close(s.d0, -100, 1e-9);
    assert_close(s.d1, 500, 1e-9);
    svg_scale_lin(&s, 3, 3, 0, 1); /* one value: a unit-wide interval around it */
    assert_true(s.d0 < 3 && s.d1 > 3);
    svg_scale_log(&s, 0.013, 470, 0, 1);
    assert_close(s.d0, 0.01, 1e-15);
    assert_close(s.d1, 1000, 1e-9);
    assert_int_equal(svg_ticks(&s, t, 16), 6);
    svg_tick_label(&s, 1000, label, sizeof label);
    assert_string_equal(label, "1000");
    svg_tick_label(&s, 1e-5, label, sizeof label);
    assert_string_equal(label, "10⁻⁵");
    assert_true(isnan(svg_map(&s, 0)));
    assert_true(isnan(svg_map(&s, NAN)));
}

static void test_buffer_escape_and_numbers(void **state)
{
    (void)state;
    rbuf b;
    char *s;
    rbuf_init(&b);
    rbuf_escape(&b, "a<b>&\"c'");
    rbuf_puts(&b, "|");
    rbuf_number(&b, NAN);
    rbuf_puts(&b, "|");
    rbuf_number(&b, -0.0);
    rbuf_puts(&b, "|");
    rbuf_number(&b, 0.123456);
    rbuf_puts(&b, "|");
    rbuf_number(&b, 123456.7);
    rbuf_puts(&b, "|");
    rbuf_decimal(&b, -0.0, 2);
    assert_gk_ok(rbuf_take(&b, &s));
    assert_string_equal(s, "a&lt;b&gt;&amp;&quot;c&#39;|–|0|0.1235|123457|0.00");
    gk_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_report_has_every_figure),
        cmocka_unit_test(test_text_is_escaped),
        cmocka_unit_test(test_best_cells_follow_the_column_direction),
        cmocka_unit_test(test_projection_is_subsampled_deterministically),
        cmocka_unit_test(test_missing_sections_are_left_out),
        cmocka_unit_test(test_null_numbers_never_reach_svg),
        cmocka_unit_test(test_bad_documents_are_format_errors),
        cmocka_unit_test(test_render_file),
        cmocka_unit_test(test_every_allocation_failure_is_enomem),
        cmocka_unit_test(test_nice_ticks),
        cmocka_unit_test(test_buffer_escape_and_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
