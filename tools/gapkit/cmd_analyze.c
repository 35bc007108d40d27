/*
** cmd_analyze.c — `gapkit analyze [X Y [Z …]]`: the main job.  Loads the
** views (or draws the built-in synthetic default when none are given), runs
** gk_analyze_run() and writes DIR/report.json and DIR/report.html.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_views.h"

enum { OPT_OUT = 1, OPT_PROMPTS, OPT_PROMPT_VIEW, OPT_SPLIT, OPT_SPLIT_CSV, OPT_PERMS,
       OPT_DISTANCE, OPT_MAX_POINTS, OPT_TRAIN, OPT_TEST };

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gapkit analyze [X Y [Z …]] [--labels L] [--prompt-labels P --pair-by-label]\n"
            "                      [--prompts F] [--out DIR] [options]\n"
            "Runs every analysis and writes DIR/report.json and DIR/report.html (one\n"
            "self-contained page): the gap diagnostics, COMET with the shared axes found by a\n"
            "permutation test, NNGS at several scales and its spectrum, linear CKA, and every\n"
            "transform fitted on one part of the items and scored on the other, with the\n"
            "shift sweep and a 2-D picture before and after the best transform.\n"
            "Without inputs: the built-in synthetic data set (see 'gapkit synth').\n\n"
            "  --labels L           class of each item (label file or CSV:COLUMN)\n"
            "  --prompt-labels P --pair-by-label   two views: Y holds one prompt per class;\n"
            "                       pair each item with its class's prompt (ESC-50)\n"
            "  --prompts F          class prompt embeddings (rows labelled by --prompt-labels)\n"
            "                       in the space of --prompt-view (default 1)\n"
            "  --out DIR            where the report goes (default gapkit-report)\n"
            "  --split S            random:F | classes:F | fold:COL=V (default classes:0.5\n"
            "                       with labels, else random:0.5)\n"
            "  --split-csv FILE     CSV holding COL of fold:COL=V (default: the CSV of --labels)\n"
            "  --permutations B     of the shared-axes test (default 99: p resolution 0.01)\n"
            "  --distance D         of the neighbourhood measures (default euclidean)\n"
            "  --max-points N       rows per view kept in the projections (default 20000)\n"
            "  --train LIST         also train heads on the train items (compare --train):\n"
            "                       rows of the comparison, e.g. \"infonce modgap:epochs=10\"\n"
            "  --test A,B           also test comparison row A against row B (compare --test;\n"
            "                       repeatable), e.g. procrustes,comet\n"
            "  --seed S             split, permutations, k-means, CV (default 0)\n"
            "  --json               print report.json on stdout as well\n"
            "  --quiet              no progress on stderr\n"
            "  --no-normalize       keep rows as they are (default: L2-normalise)\n"
            "  --threads N          threads (0 = all)\n");
}

typedef struct analyze_args {
    cli_common c;
    const char *out, *prompts, *split_csv;
    int prompt_view;
    gk_analyze_opts o;
    gk_train_opts heads[16];
    gk_compare_vs versus[16];
} analyze_args;

static int parse_one(const char *cmd, int opt, const char *arg, void *ctx)
{
    analyze_args *a = ctx;
    int64_t v;
    switch (opt) {
    case OPT_OUT: a->out = arg; return CLI_OK;
    case OPT_PROMPTS: a->prompts = arg; return CLI_OK;
    case OPT_PROMPT_VIEW:
        if (cli_parse_i64(arg, 0, GK_ALIGN_MAX_VIEWS - 1, &v))
            return cli_usage(cmd, "--prompt-view %s (expected a view index)", arg);
        a->prompt_view = (int)v;
        return CLI_OK;
    case OPT_SPLIT:
        if (gk_split_parse(arg, &a->o.split) != GK_OK)
            return cli_usage(cmd, "--split %s: %s", arg, gk_last_error());
        if (a->o.split.kind == GK_SPLIT_FOLD && !a->o.split.has_value)
            return cli_usage(cmd, "--split %s: analyze takes one fold (fold:COLUMN=VALUE)", arg);
        return CLI_OK;
    case OPT_SPLIT_CSV: a->split_csv = arg; return CLI_OK;
    case OPT_PERMS:
        if (cli_parse_i64(arg, 1, 100000, &v))
            return cli_usage(cmd, "--permutations %s (expected 1..100000)", arg);
        a->o.n_perm = (int)v;
        return CLI_OK;
    case OPT_DISTANCE:
        if (gk_distance_parse(arg, &a->o.distance) != GK_OK)
            return cli_usage(cmd, "--distance %s: %s", arg, gk_last_error());
        return CLI_OK;
    case OPT_TRAIN:
        a->o.heads = a->heads;
        return cli_train_specs(cmd, arg, a->heads, 16, &a->o.n_heads);
    case OPT_TEST:
        if (a->o.n_versus == 16) return cli_usage(cmd, "more than 16 --test");
        if (gk_compare_vs_parse(arg, &a->versus[a->o.n_versus]) != GK_OK)
            return cli_usage(cmd, "%s", gk_last_error());
        a->o.versus = a->versus, a->o.n_versus++;
        return CLI_OK;
    case OPT_MAX_POINTS:
        if (cli_parse_i64(arg, 1, INT64_MAX, &a->o.max_points))
            return cli_usage(cmd, "--max-points %s (expected a positive integer)", arg);
        return CLI_OK;
    default: return cli_usage(cmd, "unknown option (see --help)");
    }
}

static int parse_args(const char *cmd, int argc, char **argv, analyze_args *a, int *help)
{
    static const struct option longopts[] = {
        CLI_COMMON_OPTIONS,
        {"out", required_argument, 0, OPT_OUT},
        {"prompts", required_argument, 0, OPT_PROMPTS},
        {"prompt-view", required_argument, 0, OPT_PROMPT_VIEW},
        {"split", required_argument, 0, OPT_SPLIT},
        {"split-csv", required_argument, 0, OPT_SPLIT_CSV},
        {"permutations", required_argument, 0, OPT_PERMS},
        {"distance", required_argument, 0, OPT_DISTANCE},
        {"max-points", required_argument, 0, OPT_MAX_POINTS},
        {"train", required_argument, 0, OPT_TRAIN},
        {"test", required_argument, 0, OPT_TEST},
        {0, 0, 0, 0}};
    memset(a, 0, sizeof *a);
    cli_common_init(&a->c);
    a->o = gk_analyze_opts_default();
    a->out = "gapkit-report", a->prompt_view = 1;
    int r = cli_getopt(cmd, argc, argv, longopts, &a->c, parse_one, a, help);
    if (r != CLI_OK) return r;
    a->o.seed = a->c.seed;
    if (gk_analyze_check_versus(&a->o) != GK_OK) return cli_usage(cmd, "%s", gk_last_error());
    return CLI_OK;
}

/* Writes DIR/report.json and DIR/report.html; the page comes from the same text. */
static int write_report(const char *cmd, const char *dir, const char *json)
{
    char path[4096];
    char *html = NULL;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        gk_set_error(GK_EIO, "%s: cannot create the directory: %s", dir, strerror(errno));
        return cli_fail(cmd, GK_EIO);
    }
    int st = gk_report_render_html(json, &html);
    snprintf(path, sizeof path, "%s/report.json", dir);
    if (st == GK_OK) st = gk_write_text_atomic(path, json);
    snprintf(path, sizeof path, "%s/report.html", dir);
    if (st == GK_OK) st = gk_write_text_atomic(path, html);
    gk_free(html);
    return st == GK_OK ? CLI_OK : cli_fail(cmd, st);
}

/* The analysis of the loaded views; prints where the report is. */
static int run(const char *cmd, const analyze_args *a, const gk_analyze_input *in)
{
    char *json = NULL;
    int st = gk_analyze_run(in, &a->o, &json);
    if (st != GK_OK) return cli_fail(cmd, st);
    int rc = write_report(cmd, a->out, json);
    if (rc == CLI_OK && a->c.json) cli_print_json(json);
    else if (rc == CLI_OK)
        printf("wrote %s/report.json and %s/report.html: open the page in a browser\n", a->out,
               a->out);
    gk_free(json);
    return rc;
}

/* The built-in default: the synthetic data set of `gapkit demo` with its classes. */
static int run_synthetic(const char *cmd, const analyze_args *a)
{
    if (a->o.split.kind == GK_SPLIT_FOLD)
        return cli_usage(cmd, "--split fold:… needs inputs with a fold column (--split-csv)");
    gk_synth_opts so = gk_synth_opts_default();
    so.seed = a->c.seed;
    gk_synth *s;
    int st = gk_synth_generate(&so, &s);
    if (st != GK_OK) return cli_fail(cmd, st);
    char names[64][24]; /* "class" and up to 11 digits of an int */
    const char *class_names[64];
    for (int c = 0; c < so.n_classes && c < 64; c++)
        snprintf(names[c], sizeof names[c], "class%02d", c), class_names[c] = names[c];
    const gk_mat *views[2] = {s->text, s->audio};
    const char *vn[2] = {"text", "audio"}, *vp[2] = {"synthetic text", "synthetic audio"};
    gk_analyze_input in = {2, views, vn, vp, s->label, so.n_classes, class_names,
                           "synthetic classes", NULL, 0, NULL, NULL};
    if (!a->c.json && !a->c.quiet)
        printf("gapkit analyze: no inputs, so the built-in synthetic data set: %lld text-audio "
               "pairs, D = %lld, %lld shared axes, %d classes\n", (long long)so.n,
               (long long)so.d, (long long)so.k_shared, so.n_classes);
    int rc = run(cmd, a, &in);
    gk_synth_free(s);
    return rc;
}

int cmd_analyze(int argc, char **argv)
{
    const char *cmd = "analyze";
    analyze_args a;
    cli_views v;
    int help = 0, rc;
    if ((rc = parse_args(cmd, argc, argv, &a, &help)) != CLI_OK) return rc;
    if (help) return usage(stdout), CLI_OK;
    const int n = argc - optind;
    char **files = argv + optind;
    if (n == 0) return run_synthetic(cmd, &a);
    if (n < 2 || n > GK_ALIGN_MAX_VIEWS)
        return cli_usage(cmd, "analyze expects no inputs or 2..%d inputs X Y [Z …], got %d",
                         GK_ALIGN_MAX_VIEWS, n);
    char **fold = NULL;
    int64_t n_fold = 0;
    if ((rc = cli_views_load(cmd, &a.c, a.prompts, n, files, &v)) == CLI_OK &&
        a.o.split.kind == GK_SPLIT_FOLD)
        rc = cli_fold_values(cmd, a.split_csv, a.c.labels, a.o.split.column, v.views[0]->rows,
                             &fold, &n_fold);
    if (rc == CLI_OK) {
        const char *names[GK_ALIGN_MAX_VIEWS];
        for (int i = 0; i < n; i++) {
            const char *slash = strrchr(files[i], '/');
            names[i] = slash ? slash + 1 : files[i];
        }
        gk_analyze_input in = {n, (const gk_mat *const *)v.views, names,
                               (const char *const *)files, v.y, v.C,
                               (const char *const *)v.class_names, a.c.labels, v.classes,
                               v.pairs.y_prompts ? 1 : a.prompt_view,
                               a.prompts ? a.prompts : (v.pairs.y_prompts ? files[1] : NULL),
                               (const char *const *)fold};
        rc = run(cmd, &a, &in);
    }
    if (fold) gk_strings_free(fold, n_fold);
    cli_views_free(&v);
    return rc;
}
