/*
** cmd_compare.c — `gapkit compare X Y [Z …]`: every gap-closing transform
** fitted on the train items of a split and measured on the held-out items,
** one table row per transform (docs/compare.md).  Parses, loads, calls
** gk_compare_run(), prints the table or the library's JSON.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli_views.h"

#define MAX_METHODS 64

enum { OPT_SPLIT = 1, OPT_SPLIT_CSV, OPT_METHODS, OPT_SWEEP, OPT_ANCHOR, OPT_PROMPTS,
       OPT_PROMPT_VIEW, OPT_CLUSTERS, OPT_RESTARTS, OPT_SPHERICAL, OPT_KNN_K, OPT_PROBE_FOLDS,
       OPT_NO_CLUSTER, OPT_NO_KNN, OPT_NO_PROBE, OPT_TRAIN, OPT_TEST, OPT_BOOTSTRAP,
       OPT_SIGN_FLIPS };

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gapkit compare X Y [Z …] [--labels L] [--split S] [options]\n"
            "Fits every transform on the TRAIN items of the split and reports, on the held-out\n"
            "items: the gap and true-pair cosine, retrieval both ways (R@1, R@5, mAP@10),\n"
            "zero-shot accuracy (with prompts), k-means V-measure/NMI/ARI on the joint rows of\n"
            "all views, kNN (k=5) and linear-probe accuracy.  One row per transform.\n\n"
            "  --labels L           class of each item (label file or CSV:COLUMN)\n"
            "  --prompt-labels P --pair-by-label   two views: Y holds class prompts; pair each\n"
            "                       item with its class's prompt (zero-shot uses those prompts)\n"
            "  --prompts F          class prompt embeddings for zero-shot (rows labelled by\n"
            "                       --prompt-labels) in the space of --prompt-view (default 1)\n"
            "  --split random:F | classes:F | fold:COL=V   (default random:0.5; classes:F makes\n"
            "                       zero-shot class-disjoint)  --split-csv FILE for fold:\n"
            "  --methods LIST       transforms separated by spaces or ';' (quote the list),\n"
            "                       each METHOD[:KEY=V,…] (default: \"identity center shift\n"
            "                       ablate procrustes cca comet:k=auto comet:k=auto,weight=align\n"
            "                       projdec\")\n"
            "  --sweep shift[:N]    instead: shift with N values of lambda in 0..1 (default 11)\n"
            "  --train LIST         also train heads on the train items, one row each: specs\n"
            "                       separated by spaces or ';', each LOSS[:KEY=V,…], e.g.\n"
            "                       \"infonce modgap:head=mlp,epochs=20,dim=128\" (keys: head,\n"
            "                       dim, epochs, batch, lr, warmup, wd, dropout, temp, mixup,\n"
            "                       …; docs/train.md); trained with --seed\n"
            "  --test A,B           also test row A against row B (repeatable; names as the\n"
            "                       rows are named, or a method spec: procrustes,comet)\n"
            "  --bootstrap B        draws of the paired bootstrap intervals (default 1000)\n"
            "  --sign-flips P       permutations of each sign-flip test (default 9999; 0: no\n"
            "                       tests)\n"
            "  --anchor I           anchor view of procrustes/projdec (default: last)\n"
            "  --clusters K         k of k-means (default: classes present)\n"
            "  --restarts R         k-means restarts (default 10)   --spherical\n"
            "  --knn-k K            kNN neighbours (default 5)\n"
            "  --probe-folds F      probe cross-validation folds (default 5)\n"
            "  --no-cluster --no-knn --no-probe   skip a group task\n"
            "  --seed S             split, k-means, CV seed (default 0)\n"
            "  --json               print a JSON document instead of the table\n"
            "  --no-normalize       keep rows as they are (default: L2-normalise)\n"
            "  --threads N          threads (0 = all)\n");
}

/* The library's message without its "compare: " prefix (the usage line names the command). */
static const char *test_error(void)
{
    const char *m = gk_last_error();
    return strncmp(m, "compare: ", 9) ? m : m + 9;
}

typedef struct cmp_args {
    cli_common c;
    const char *split, *split_csv, *methods, *sweep, *prompts, *train;
    int anchor, prompt_view;
    gk_compare_opts o;
    gk_split_spec sp;
    gk_align_opts m[MAX_METHODS];
    int n_methods;
    gk_train_opts heads[MAX_METHODS];
    gk_compare_vs versus[MAX_METHODS];
} cmp_args;

static int parse_int_opt(const char *cmd, const char *name, const char *arg, int64_t lo,
                         int64_t hi, int64_t *v)
{
    if (cli_parse_i64(arg, lo, hi, v))
        return cli_usage(cmd, "--%s %s (expected an integer %lld..%lld)", name, arg,
                         (long long)lo, (long long)hi);
    return CLI_OK;
}

static int parse_group_opt(const char *cmd, int opt, const char *arg, cmp_args *a)
{
    int64_t v = 0;
    gk_group_opts *g = &a->o.groups;
    switch (opt) {
    case OPT_CLUSTERS: return parse_int_opt(cmd, "clusters", arg, 1, INT32_MAX, &g->n_clusters);
    case OPT_RESTARTS:
        if (parse_int_opt(cmd, "restarts", arg, 1, 1000, &v)) return CLI_USAGE;
        g->kmeans.n_init = (int)v;
        return CLI_OK;
    case OPT_KNN_K: return parse_int_opt(cmd, "knn-k", arg, 1, 1000, &g->knn_k);
    case OPT_PROBE_FOLDS:
        if (parse_int_opt(cmd, "probe-folds", arg, 2, 64, &v)) return CLI_USAGE;
        g->probe_folds = (int)v;
        return CLI_OK;
    case OPT_SPHERICAL: g->kmeans.spherical = 1; return CLI_OK;
    case OPT_NO_CLUSTER: g->do_cluster = 0; return CLI_OK;
    case OPT_NO_KNN: g->do_knn = 0; return CLI_OK;
    default: g->do_probe = 0; return CLI_OK;
    }
}

static int parse_one(const char *cmd, int opt, const char *arg, void *ctx)
{
    cmp_args *a = ctx;
    int64_t v;
    switch (opt) {
    case OPT_SPLIT: a->split = arg; return CLI_OK;
    case OPT_SPLIT_CSV: a->split_csv = arg; return CLI_OK;
    case OPT_METHODS: a->methods = arg; return CLI_OK;
    case OPT_SWEEP: a->sweep = arg; return CLI_OK;
    case OPT_PROMPTS: a->prompts = arg; return CLI_OK;
    case OPT_TRAIN: a->train = arg; return CLI_OK;
    case OPT_TEST:
        if (a->o.n_versus == MAX_METHODS) return cli_usage(cmd, "more than %d --test", MAX_METHODS);
        if (gk_compare_vs_parse(arg, &a->versus[a->o.n_versus]) != GK_OK)
            return cli_usage(cmd, "%s", test_error());
        a->o.versus = a->versus, a->o.n_versus++;
        return CLI_OK;
    case OPT_BOOTSTRAP:
        if (parse_int_opt(cmd, "bootstrap", arg, 2, 1000000, &v)) return CLI_USAGE;
        a->o.boot.B = (int)v;
        return CLI_OK;
    case OPT_SIGN_FLIPS:
        if (parse_int_opt(cmd, "sign-flips", arg, 0, 10000000, &v)) return CLI_USAGE;
        a->o.n_perm = (int)v;
        return CLI_OK;
    case OPT_ANCHOR:
    case OPT_PROMPT_VIEW:
        if (parse_int_opt(cmd, opt == OPT_ANCHOR ? "anchor" : "prompt-view", arg, 0,
                          GK_ALIGN_MAX_VIEWS - 1, &v))
            return CLI_USAGE;
        *(opt == OPT_ANCHOR ? &a->anchor : &a->prompt_view) = (int)v;
        return CLI_OK;
    default: return parse_group_opt(cmd, opt, arg, a);
    }
}

/* --methods "a;b;c" or --sweep shift[:N], else the defaults; then --anchor. */
static int resolve_methods(const char *cmd, cmp_args *a)
{
    int64_t steps = 11;
    if (a->sweep) {
        if (strncmp(a->sweep, "shift", 5) || (a->sweep[5] && (a->sweep[5] != ':' ||
            cli_parse_i64(a->sweep + 6, 2, MAX_METHODS, &steps))))
            return cli_usage(cmd, "--sweep %s (expected shift or shift:N, 2 <= N <= %d)",
                             a->sweep, MAX_METHODS);
        a->n_methods = gk_compare_shift_sweep((int)steps, a->m, MAX_METHODS);
    } else if (a->methods) {
        char buf[4096], *save = NULL;
        snprintf(buf, sizeof buf, "%s", a->methods);
        for (char *t = strtok_r(buf, "; ", &save); t; t = strtok_r(NULL, "; ", &save)) {
            if (a->n_methods == MAX_METHODS) return cli_usage(cmd, "more than %d methods", MAX_METHODS);
            if (gk_align_parse(t, &a->m[a->n_methods]) != GK_OK)
                return cli_usage(cmd, "--methods %s: %s", t, gk_last_error());
            a->n_methods++;
        }
        if (!a->n_methods) return cli_usage(cmd, "--methods needs at least one method");
    } else {
        a->n_methods = gk_compare_default_methods(a->m, MAX_METHODS);
    }
    for (int i = 0; a->anchor >= 0 && i < a->n_methods; i++) a->m[i].anchor = a->anchor;
    if (gk_compare_check_versus(a->m, a->n_methods, &a->o) != GK_OK)
        return cli_usage(cmd, "%s", test_error());
    return CLI_OK;
}

static int parse_args(const char *cmd, int argc, char **argv, cmp_args *a, int *help)
{
    static const struct option longopts[] = {
        CLI_COMMON_OPTIONS,
        {"split", required_argument, 0, OPT_SPLIT},
        {"split-csv", required_argument, 0, OPT_SPLIT_CSV},
        {"methods", required_argument, 0, OPT_METHODS},
        {"sweep", required_argument, 0, OPT_SWEEP},
        {"anchor", required_argument, 0, OPT_ANCHOR},
        {"prompts", required_argument, 0, OPT_PROMPTS},
        {"prompt-view", required_argument, 0, OPT_PROMPT_VIEW},
        {"clusters", required_argument, 0, OPT_CLUSTERS},
        {"restarts", required_argument, 0, OPT_RESTARTS},
        {"spherical", no_argument, 0, OPT_SPHERICAL},
        {"knn-k", required_argument, 0, OPT_KNN_K},
        {"probe-folds", required_argument, 0, OPT_PROBE_FOLDS},
        {"no-cluster", no_argument, 0, OPT_NO_CLUSTER},
        {"no-knn", no_argument, 0, OPT_NO_KNN},
        {"no-probe", no_argument, 0, OPT_NO_PROBE},
        {"train", required_argument, 0, OPT_TRAIN},
        {"test", required_argument, 0, OPT_TEST},
        {"bootstrap", required_argument, 0, OPT_BOOTSTRAP},
        {"sign-flips", required_argument, 0, OPT_SIGN_FLIPS},
        {0, 0, 0, 0}};
    int rc;
    memset(a, 0, sizeof *a);
    cli_common_init(&a->c);
    a->o = gk_compare_opts_default();
    a->anchor = -1;
    a->prompt_view = 1;
    if ((rc = cli_getopt(cmd, argc, argv, longopts, &a->c, parse_one, a, help)) || *help)
        return rc;
    if (gk_split_parse(a->split ? a->split : "random:0.5", &a->sp) != GK_OK)
        return cli_usage(cmd, "--split %s: %s", a->split, gk_last_error());
    if (a->sp.kind == GK_SPLIT_FOLD && !a->sp.has_value)
        return cli_usage(cmd, "--split fold:%s needs a value (fold:COLUMN=VALUE)", a->sp.column);
    if (a->sweep && a->methods) return cli_usage(cmd, "give --methods or --sweep, not both");
    if (a->train && cli_train_specs(cmd, a->train, a->heads, MAX_METHODS, &a->o.n_heads))
        return CLI_USAGE;
    if (a->train) a->o.heads = a->heads;
    return resolve_methods(cmd, a);
}

/*====  output  ====*/

static void print_value(double v, int width, int prec)
{
    if (isfinite(v)) printf(" %*.*f", width, prec, v);
    else printf(" %*s", width, "-");
}

static const char *const METRIC[GK_CMP_N_RANKED] = {"R@1", "R@5", "mAP@10"};

static void print_test(const char *name, const char *metric, int a, int b,
                       const gk_compare_test *t)
{
    if (!t->tested) return;
    if (a >= 0) printf("  %-28s %-8s %d->%d", name, metric, a, b);
    else printf("  %-28s %-13s", name, metric);
    printf(" %+8.4f [%+.4f, %+.4f]  p %.4g  Holm %.4g%s\n", t->d.diff.value, t->d.diff.lo,
           t->d.diff.hi, t->d.p_value, t->p_holm, t->significant ? "  *" : "");
}

/* Every test of one row against another: per view pair, direction, metric. */
static void print_versus(const gk_compare_result *r, const gk_compare_tests *c,
                         const char *name)
{
    const gk_compare_row *w = &r->rows[c->row];
    for (int q = 0; w->pairs && q < c->n_pairs; q++)
        for (int m = 0; m < GK_CMP_N_RANKED; m++) {
            const gk_compare_pair *p = &w->pairs[q];
            print_test(name, METRIC[m], p->a, p->b, gk_compare_tests_at(c, q, 0, m));
            print_test(name, METRIC[m], p->b, p->a, gk_compare_tests_at(c, q, 1, m));
        }
    print_test(name, "zero-shot@1", -1, -1, &c->zs_top1);
}

/* Each row against the identity row and each named pair, with the rule. */
static void print_tests(const gk_compare_result *r)
{
    if (!r->n_tests) return;
    printf("\nPaired tests on the same queries (views a->b; zero-shot: per test item): %g%% "
           "bootstrap\ninterval of the difference (B = %d), sign-flip test (%d permutations, p "
           ">= %.2g),\nHolm-Bonferroni over %d tests; * = significant at %g\n",
           100 * r->boot.level, r->boot.B, r->n_perm, 1.0 / (r->n_perm + 1), r->n_tests,
           r->alpha);
    if (r->baseline >= 0 && r->n_versus > r->n_named)
        printf("each row minus %s:\n", r->rows[r->baseline].name);
    for (int k = 0; k < r->n_versus - r->n_named; k++)
        print_versus(r, &r->tests[k], r->rows[r->tests[k].row].name);
    for (int k = r->n_versus - r->n_named; k < r->n_versus; k++) {
        printf("%s minus %s:\n", r->rows[r->tests[k].row].name, r->rows[r->tests[k].other].name);
        print_versus(r, &r->tests[k], r->rows[r->tests[k].row].name);
    }
}

/* V-measure, NMI and ARI of each row as mean ± sd over the k-means restarts. */
static void print_restarts(const gk_compare_result *r)
{
    int shown = 0;
    for (int i = 0; i < r->n_rows; i++) {
        const gk_group_result *g = &r->rows[i].groups;
        if (!r->rows[i].ok || g->n_restarts < 2) continue;
        if (!shown++) printf("\nclustering over %d k-means restarts (mean ± sd; the table: the "
                             "restart of lowest inertia)\n", g->n_restarts);
        printf("  %-28s V %.3f ± %.3f  NMI %.3f ± %.3f  ARI %.3f ± %.3f\n", r->rows[i].name,
               g->restart_mean.v_measure, g->restart_sd.v_measure, g->restart_mean.nmi,
               g->restart_sd.nmi, g->restart_mean.ari, g->restart_sd.ari);
    }
}

static void print_table(const gk_compare_result *r, char **files)
{
    printf("compare: %d views (", r->n_views);
    for (int v = 0; v < r->n_views; v++) printf("%s%s", v ? ", " : "", files[v]);
    printf("), %lld train / %lld test items\nsplit: %s\n", (long long)r->n_train,
           (long long)r->n_test, r->split);
    if (r->n_views > 2) printf("gap, cosine and retrieval: means over the view pairs\n");
    printf("duplicates: test rows equal to an earlier test row of their view, ranked once:");
    for (int v = 0; v < r->n_views; v++) printf(" %lld%s", (long long)r->merged[v],
                                                v + 1 < r->n_views ? "," : "\n");
    if (r->zs_candidates)
        printf("zero-shot: test items among %d candidate classes (%d test classes)\n",
               r->zs_candidates, r->n_test_classes);
    printf("%-30s %6s %6s %6s %6s %6s %6s %6s %6s %6s %6s %6s\n", "transform", "gap", "cosTP",
           "R@1", "R@5", "mAP10", "ZS@1", "V", "NMI", "ARI", "kNN", "probe");
    for (int i = 0; i < r->n_rows; i++) {
        const gk_compare_row *w = &r->rows[i];
        printf("%-30s", w->name);
        if (!w->ok) {
            printf(" failed: %s\n", w->error);
            continue;
        }
        double vals[] = {w->gap, w->cos_true, w->r1, w->r5, w->map10, w->zs_top1,
                         w->groups.cluster.v_measure, w->groups.cluster.nmi,
                         w->groups.cluster.ari, w->groups.knn_acc, w->groups.probe_acc};
        for (size_t j = 0; j < sizeof vals / sizeof vals[0]; j++) print_value(vals[j], 6, 3);
        printf("\n");
    }
    print_restarts(r);
    print_tests(r);
}

static int run(const char *cmd, cmp_args *a, const cli_views *in, const char *const *fold,
               char **files)
{
    gk_split *s = NULL;
    gk_compare_result *r = NULL;
    char *json = NULL;
    int rc = CLI_OK, st;
    if (a->sp.kind == GK_SPLIT_CLASSES && !in->y)
        return cli_usage(cmd, "--split classes:… needs the class of each item (--labels)");
    st = gk_split_make(&a->sp, in->views[0]->rows, in->y, in->C,
                       fold, a->c.seed, &s);
    if (st == GK_OK) {
        gk_compare_input ci = {in->M, (const gk_mat *const *)in->views, (const char *const *)files,
                               in->y, in->C, (const char *const *)in->class_names, in->classes,
                               a->prompt_view};
        a->o.split = s;
        a->o.seed = a->o.groups.seed = a->o.groups.kmeans.seed = a->c.seed;
        st = gk_compare_run(&ci, a->m, a->n_methods, &a->o, &r);
        if (st == GK_OK && a->c.json) st = gk_compare_to_json(r, &ci, &json);
    }
    if (st != GK_OK) rc = cli_fail(cmd, st);
    else if (json) cli_print_json(json);
    else print_table(r, files);
    gk_free(json);
    gk_compare_result_free(r);
    gk_split_free(s);
    return rc;
}

int cmd_compare(int argc, char **argv)
{
    const char *cmd = "compare";
    cmp_args a;
    cli_views in;
    char **fold = NULL;
    int64_t n_fold = 0;
    int help = 0, rc;
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    if ((rc = parse_args(cmd, argc, argv, &a, &help)) != CLI_OK) return rc;
    if (help) {
        usage(stdout);
        return CLI_OK;
    }
    int n = argc - optind;
    char **files = argv + optind;
    if (n < 2 || n > GK_ALIGN_MAX_VIEWS)
        return cli_usage(cmd, "compare expects 2..%d inputs X Y [Z …], got %d",
                         GK_ALIGN_MAX_VIEWS, n);
    if (!(rc = cli_views_load(cmd, &a.c, a.prompts, n, files, &in)) &&
        !(a.sp.kind == GK_SPLIT_FOLD &&
          (rc = cli_fold_values(cmd, a.split_csv, a.c.labels, a.sp.column, in.views[0]->rows,
                                &fold, &n_fold))))
        rc = run(cmd, &a, &in, (const char *const *)fold, files);
    if (fold) gk_strings_free(fold, n_fold);
    cli_views_free(&in);
    return rc;
}
