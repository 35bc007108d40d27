/*
** analyze.c — gk_analyze_run(): the main job in one call.  It checks the
** input, makes the split, runs each section of the report (gap, COMET,
** neighbourhoods, leakage, comparison, projection) and writes the document; each
** section is its own file.  Nothing here is new maths: every number comes
** from the function a single command uses, with the same options.
*/
#include <stdio.h>
#include <string.h>

#include "analyze_internal.h"
#include "core/error_internal.h"
#include "core/json_internal.h"
#include "core/progress_internal.h"

gk_analyze_opts gk_analyze_opts_default(void)
{
    gk_analyze_opts o;
    memset(&o, 0, sizeof o);
    o.n_perm = 99, o.alpha = 0.05, o.distance = GK_DIST_EUCLIDEAN, o.max_points = 20000;
    o.n_null = 49, o.spectrum_max_n = 20000, o.sweep_steps = 6, o.n_top = 5;
    return o;
}

static int check_input(const gk_analyze_input *in, const gk_analyze_opts *o)
{
    GK_FAIL_IF(!in || !o || in->n_views < 2 || in->n_views > GK_ALIGN_MAX_VIEWS || !in->views,
               GK_EARG, "analyze: needs 2 to %d views", GK_ALIGN_MAX_VIEWS);
    for (int v = 1; v < in->n_views; v++)
        GK_FAIL_IF(in->views[v]->rows != in->views[0]->rows, GK_ESHAPE,
                   "analyze: view %d has %lld rows, view 0 has %lld (rows are items)", v,
                   (long long)in->views[v]->rows, (long long)in->views[0]->rows);
    GK_FAIL_IF(in->views[0]->rows < 10, GK_EARG, "analyze: %lld items; at least 10 are needed "
               "for a split and its cross-validation", (long long)in->views[0]->rows);
    GK_FAIL_IF(in->prompts && !in->labels, GK_EARG, "analyze: prompts need item labels");
    GK_FAIL_IF(o->n_perm < 1 || o->sweep_steps < 2 || o->max_points < 1 || o->n_top < 1,
               GK_EARG, "analyze: bad option (permutations, sweep steps, points, top items)");
    return GK_OK;
}

static json_t *inputs(const gk_analyze_input *in)
{
    json_t *views = json_array();
    char name[32];
    for (int v = 0; v < in->n_views; v++) {
        snprintf(name, sizeof name, "view %d", v);
        json_array_append_new(views, json_pack("{s:o, s:o, s:I, s:I}", "name",
                                               gk_json_text(in->view_names ? in->view_names[v] : name),
                                               "path", gk_json_text(in->view_paths ? in->view_paths[v] : NULL),
                                               "rows",
                                               (json_int_t)in->views[v]->rows, "dim",
                                               (json_int_t)in->views[v]->cols));
    }
    json_t *labels = in->labels ? json_pack("{s:o, s:i}", "path", gk_json_text(in->labels_path), "classes",
                                            (int)in->n_classes) : json_null();
    json_t *prompts = in->prompts ? json_pack("{s:o, s:I}", "path", gk_json_text(in->prompts_path), "rows",
                                              (json_int_t)in->prompts->rows) : json_null();
    return json_pack("{s:o, s:o, s:o}", "views", views, "labels", labels, "prompts", prompts);
}

static int gap_section(const gk_analyze_input *in, const gk_analyze_opts *o, json_t *doc)
{
    gk_gap_opts go = gk_gap_opts_default();
    go.seed = o->seed;
    gk_gap_result *g;
    char *text;
    int rc = gk_gap_diagnose(in->views[0], in->views[1], &go, &g);
    if (rc == GK_OK) rc = gk_gap_to_json(g, &text);
    gk_gap_result_free(g);
    if (rc != GK_OK) return gk_error_prepend(rc, "analyze: gap diagnostics");
    json_object_set_new(doc, "gap", analyze_json_from_text(text));
    return GK_OK;
}

static int make_split(const gk_analyze_input *in, const gk_analyze_opts *o, gk_split **split)
{
    gk_split_spec s = o->split;
    if (s.kind == 0) {
        s.kind = in->labels ? GK_SPLIT_CLASSES : GK_SPLIT_RANDOM;
        s.fraction = 0.5;
    }
    int rc = gk_split_make(&s, in->views[0]->rows, in->labels, in->n_classes,
                           in->fold_values, o->seed, split);
    return rc == GK_OK ? rc : gk_error_prepend(rc, "analyze: split");
}

/* The sections in order; each adds its keys to doc. */
static int run_sections(const gk_analyze_input *in, const gk_analyze_opts *o, json_t *doc)
{
    gk_split *split = NULL;
    gk_align_opts methods[16];
    int64_t k_shared = 0;
    int best = -1, rc;
    const int n_methods = gk_compare_default_methods(methods, 16);
    const char *stage = "analyze: sections";
    gk_progress(stage, 0, 5);
    GK_TRY_GOTO(rc, make_split(in, o, &split), done);
    json_object_set_new(doc, "split", json_string(split->desc));
    GK_TRY_GOTO(rc, gap_section(in, o, doc), done);
    gk_progress(stage, 1, 5);
    GK_TRY_GOTO(rc, analyze_comet(in, o, doc, &k_shared), done);
    gk_progress(stage, 2, 5);
    GK_TRY_GOTO(rc, analyze_neighbours(in, o, doc), done);
    GK_TRY_GOTO(rc, analyze_leakage(in, o, doc), done);
    gk_progress(stage, 3, 5);
    GK_TRY_GOTO(rc, analyze_compare(in, o, split, methods, n_methods, doc, &best), done);
    gk_progress(stage, 4, 5);
    GK_TRY_GOTO(rc, analyze_projection(in, o, split, best >= 0 ? &methods[best] : NULL, doc),
                done);
    gk_progress(stage, 5, 5);
done:
    gk_split_free(split);
    return rc;
}

int gk_analyze_run(const gk_analyze_input *in, const gk_analyze_opts *opts, char **report_json)
{
    GK_FAIL_IF(!report_json, GK_EARG, "analyze: NULL output");
    *report_json = NULL;
    GK_TRY(check_input(in, opts));
    GK_TRY(gk_analyze_check_versus(opts)); /* before hours of work, not after */
    json_t *doc = json_pack("{s:s, s:i, s:s, s:o}", "format", "gapkit-report", "version", 1,
                            "gapkit_version", gk_version_string(), "inputs", inputs(in));
    GK_FAIL_IF(!doc, GK_ENOMEM, "analyze: out of memory");
    int rc = run_sections(in, opts, doc);
    if (rc != GK_OK) {
        json_decref(doc);
        return rc;
    }
    return gk_json_finish(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10),
                          "analyze", report_json);
}
