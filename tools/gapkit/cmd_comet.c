/*
** cmd_comet.c — `gapkit comet fit|explain|apply`: COMET PLS-SVD concept
** decomposition (methods.md §1).
**   fit T A --k K --out MODEL       fit on pairs, save the model (.npz)
**   explain MODEL [--test T A]      per-axis table; with test pairs also the
**                                   similarity dissection and the top/bottom
**                                   test items of each axis (named by --labels)
**   apply MODEL --side S IN --out OUT.npy   PLSHead(W) coefficients
** The model keeps only its small arrays (means, axes, σ, align, corr), not the
** fit items, so the top/bottom items are taken from the --test pairs.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_json.h"

enum {
    OPT_K = 1, OPT_OUT, OPT_TEST, OPT_TOP, OPT_SIDE, OPT_WEIGHT, OPT_HEAD, OPT_AXES, OPT_PERMS,
    OPT_ALPHA
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gapkit comet fit T A --k K|auto|shared --out MODEL.npz [--permutations B]\n"
            "                        [--alpha A] [--seed S] [--no-normalize] [--json] [--threads N]\n"
            "                        [--quiet]\n"
            "                        [--labels L --prompt-labels P --pair-by-label]\n"
            "       gapkit comet explain MODEL.npz [--test T A] [--labels L] [--top N]\n"
            "                            [--head H] [--axes N] [--json]\n"
            "       gapkit comet apply MODEL.npz --side text|audio|0|1 [--k K]\n"
            "                            [--weight none|align|corr] IN --out OUT.npy\n\n"
            "fit:     T (side 0) and A (side 1) are paired row by row, or with --labels L\n"
            "         --prompt-labels P --pair-by-label each row of T with the row of A\n"
            "         that carries its label (e.g. ESC-50 clips with their class prompt);\n"
            "         --k K keeps the first K of the min(D_T, D_A) axes (0 = all).\n"
            "         --k auto: k among 8,16,32,64,128,256 (capped) maximising the 5-fold\n"
            "         CV retrieval mAP@10 from T to A on the fit pairs (seed 0).\n"
            "         --k shared: k = the number of axes whose sigma beats chance in a\n"
            "         permutation test (B shuffled pairings, default 99; family-wise\n"
            "         --alpha, default 0.05; --seed S); --permutations B > 0 with another\n"
            "         --k also runs the test and reports the count.\n"
            "explain: sigma, corr, align, net contribution per axis and head/tail energy;\n"
            "         --test T A adds the similarity dissection (mean, mean x coef, direct,\n"
            "         cross; true pairs and non-pairs; all kept axes and the first --head H)\n"
            "         and, per axis, the --top N test items with the largest/smallest\n"
            "         coordinate, named by --labels L (one label per test row).\n"
            "apply:   k-dim coefficients w * U_k^T (x - mean) of IN's rows, to OUT.npy.\n");
}

/* Options of all three subcommands. */
typedef struct comet_args {
    cli_common c;
    const char *out, *test_t, *test_a;
    int64_t k, top, head, axes;
    int side, k_auto, k_shared, n_perm;
    double alpha;
    gk_comet_weight weight;
} comet_args;

static int parse_side(const char *cmd, const char *s, int *side)
{
    if (!strcmp(s, "text") || !strcmp(s, "0")) *side = 0;
    else if (!strcmp(s, "audio") || !strcmp(s, "image") || !strcmp(s, "1")) *side = 1;
    else return cli_usage(cmd, "--side %s (expected text, audio, 0 or 1)", s);
    return CLI_OK;
}

static int parse_weight(const char *cmd, const char *s, gk_comet_weight *w)
{
    if (!strcmp(s, "none")) *w = GK_COMET_W_NONE;
    else if (!strcmp(s, "align")) *w = GK_COMET_W_ALIGN;
    else if (!strcmp(s, "corr")) *w = GK_COMET_W_CORR;
    else return cli_usage(cmd, "--weight %s (expected none, align or corr)", s);
    return CLI_OK;
}

static int parse_count(const char *cmd, const char *name, const char *s, int64_t lo,
                       int64_t *v)
{
    if (cli_parse_i64(s, lo, INT32_MAX, v))
        return cli_usage(cmd, "--%s %s (expected an integer >= %lld)", name, s, (long long)lo);
    return CLI_OK;
}

/* --test takes two files, so the option parser needs argv to take the second. */
typedef struct comet_parse {
    comet_args *a;
    int argc;
    char **argv;
} comet_parse;

static int parse_k(const char *cmd, const char *arg, comet_args *a)
{
    /* HOOK(--k auto): auto and shared are resolved by gk_transform_fit (eval.h) */
    if (!strcmp(arg, "auto")) {
        a->k_auto = 1;
        return CLI_OK;
    }
    if (!strcmp(arg, "shared")) {
        a->k_shared = 1;
        if (!a->n_perm) a->n_perm = 99;
        return CLI_OK;
    }
    return parse_count(cmd, "k", arg, 0, &a->k);
}

static int parse_one(const char *cmd, int opt, const char *arg, void *ctx)
{
    comet_parse *cp = ctx;
    comet_args *a = cp->a;
    int64_t v;
    switch (opt) {
    case OPT_K: return parse_k(cmd, arg, a);
    case OPT_OUT: a->out = arg; return CLI_OK;
    case OPT_PERMS:
        if (parse_count(cmd, "permutations", arg, 1, &v)) return CLI_USAGE;
        a->n_perm = (int)v;
        return CLI_OK;
    case OPT_ALPHA:
        if (cli_parse_f64(arg, 1e-9, 0.5, &a->alpha))
            return cli_usage(cmd, "--alpha %s (expected a number in (0, 0.5])", arg);
        return CLI_OK;
    case OPT_TEST:
        if (optind >= cp->argc) return cli_usage(cmd, "--test needs two files T A");
        a->test_t = arg;
        a->test_a = cp->argv[optind++];
        return CLI_OK;
    case OPT_TOP: return parse_count(cmd, "top", arg, 1, &a->top);
    case OPT_HEAD: return parse_count(cmd, "head", arg, 0, &a->head);
    case OPT_AXES: return parse_count(cmd, "axes", arg, 0, &a->axes);
    case OPT_SIDE: return parse_side(cmd, arg, &a->side);
    case OPT_WEIGHT: return parse_weight(cmd, arg, &a->weight);
    default: return cli_usage(cmd, "unknown option (see --help)");
    }
}

/* Parses options; positional arguments are left in argv[optind..]. */
static int parse_args(const char *cmd, int argc, char **argv, comet_args *a, int *help)
{
    static const struct option longopts[] = {
        CLI_COMMON_OPTIONS,
        {"k", required_argument, 0, OPT_K},         {"out", required_argument, 0, OPT_OUT},
        {"test", required_argument, 0, OPT_TEST},   {"top", required_argument, 0, OPT_TOP},
        {"head", required_argument, 0, OPT_HEAD},   {"axes", required_argument, 0, OPT_AXES},
        {"side", required_argument, 0, OPT_SIDE},   {"weight", required_argument, 0, OPT_WEIGHT},
        {"permutations", required_argument, 0, OPT_PERMS},
        {"alpha", required_argument, 0, OPT_ALPHA},
        {0, 0, 0, 0}};
    comet_parse cp = {a, argc, argv};
    memset(a, 0, sizeof *a);
    cli_common_init(&a->c);
    a->top = 5, a->axes = 20, a->side = -1, a->alpha = 0.05;
    return cli_getopt(cmd, argc, argv, longopts, &a->c, parse_one, &cp, help);
}

/*====  fit  ====*/

/* The permutation test on a full fit of T <-> X, reported beside a given k. */
static int run_permutation_test(const char *cmd, const gk_mat *t, const gk_mat *x,
                                const comet_args *a, gk_k_choice *test)
{
    gk_comet *full = NULL;
    int st = gk_comet_fit(t, x, 0, &full);
    const int64_t r = st == GK_OK ? gk_comet_rank(full) : 0;
    test->p = st == GK_OK ? gk_malloc((size_t)r * sizeof *test->p) : NULL;
    if (st == GK_OK && !test->p) st = gk_set_error(GK_ENOMEM, "out of memory");
    if (st == GK_OK)
        st = gk_comet_permutation_test(full, t, x, a->n_perm, a->alpha, a->c.seed, test->p,
                                       &test->n_shared);
    test->permutations = a->n_perm, test->alpha = a->alpha;
    test->n_p = test->n_shared + 1 < r ? test->n_shared + 1 : r;
    gk_comet_free(full);
    return st == GK_OK ? CLI_OK : cli_fail(cmd, st);
}

/* The fit's summary line (and permutation table), or its JSON document;
** @return : CLI_OK or an exit code. */
static int print_fit(const gk_comet *m, const comet_args *a, const char *rule,
                     const gk_k_choice *test)
{
    const float *sg = gk_comet_sigma(m);
    if (a->c.json) {
        char *json = NULL;
        int st = gk_comet_fit_to_json(m, rule, a->out, test, a->c.seed, &json);
        /* through a jansson value, so that a run under MPI also says its ranks */
        int rc = st == GK_OK ? cli_json_print("comet", cli_json_parse(json))
                             : cli_fail("comet", st);
        gk_free(json);
        return rc;
    }
    printf("fitted COMET on %lld pairs%s (D = %lld / %lld): kept %lld of %lld axes (%s), "
           "sigma_1 = %.6g; wrote %s\n", (long long)gk_comet_n_fit(m), cli_ranks_note(),
           (long long)gk_comet_dim(m, 0), (long long)gk_comet_dim(m, 1),
           (long long)gk_comet_k(m), (long long)gk_comet_rank(m), rule, sg[0], a->out);
    if (gk_comet_numerical_rank(m) < gk_comet_rank(m))
        printf("numerical rank %lld: axes %lld..%lld have sigma_j/sigma_1 <= 2^-23 and are "
               "rounding noise\n", (long long)gk_comet_numerical_rank(m),
               (long long)gk_comet_numerical_rank(m) + 1, (long long)gk_comet_rank(m));
    if (!test) return CLI_OK;
    printf("permutation test (%d shuffled pairings, family-wise alpha %g, seed %llu; "
           "p resolution 1/(B+1) = %.3g): %lld shared axes\n  axis  sigma        p\n",
           test->permutations, test->alpha, (unsigned long long)a->c.seed,
           1.0 / (test->permutations + 1), (long long)test->n_shared);
    /* every shared axis and the one that stopped the test */
    for (int64_t j = 0; j < test->n_p; j++)
        if (!isnan(test->p[j]))
            printf("  %4lld  %-11.5g  %.4f%s\n", (long long)j + 1, sg[j], test->p[j],
                   j < test->n_shared ? "  shared" : "  (not above chance: the test stops here)");
    return CLI_OK;
}

/* T and A of a fit, paired by row or (--pair-by-label) by label; caller frees. */
static int load_fit_pairs(const char *cmd, const char *ts, const char *as, const comet_args *a,
                          gk_mat **t, gk_mat **x)
{
    cli_pairs p;
    memset(&p, 0, sizeof p);
    int rc = cli_load_pairs(cmd, ts, as, &a->c, &p);
    if (rc == CLI_OK) *t = p.x, *x = p.y, p.x = p.y = NULL;
    cli_pairs_free(&p);
    return rc;
}

/* fit under MPI: each rank reads its rows (a file or @LIST of shards), rank 0
** writes the model, which is bitwise the one-process model (dist.h). */
static int comet_fit_dist(const char *cmd, const char *ts, const char *as, const comet_args *a)
{
    if (a->n_perm || a->k_auto || a->k_shared || a->c.pair_by_label)
        return cli_usage(cmd, "under MPI, fit takes --k K (not auto or shared, --permutations "
                         "or --pair-by-label)");
    gk_comet *m;
    const int st = gk_dist_comet_fit_files(ts, as, a->c.normalize, a->k, a->weight, a->out,
                                            &m);
    const int rc = st != GK_OK ? cli_fail(cmd, st)
                   : gk_dist_rank() == 0 ? print_fit(m, a, "given", NULL) : CLI_OK;
    gk_comet_free(m);
    return rc;
}

/* The fit's options: COMET with --k, its rule resolved by gk_transform_fit. */
static gk_align_opts fit_opts(const comet_args *a)
{
    gk_align_opts o = gk_align_opts_default(GK_ALIGN_COMET);
    o.k = a->k_auto || a->k_shared ? 0 : a->k ? a->k : INT64_MAX; /* --k 0: all axes */
    o.k_rule = a->k_shared ? GK_K_SHARED : a->k_auto ? GK_K_AUTO : GK_K_FIXED;
    o.weight = a->weight;
    o.permutations = a->n_perm, o.alpha = a->alpha;
    return o;
}

/* The rule's words in the summary: the CV scores, or the permutation test. */
static void rule_text(const comet_args *a, const gk_k_choice *how, char *rule, size_t cap)
{
    const double *sc = how->cv_map10;
    if (a->k_auto)
        snprintf(rule, cap, "auto: 5-fold CV mAP@10 for k = 8..256: %.4f %.4f %.4f %.4f %.4f "
                 "%.4f", sc[0], sc[1], sc[2], sc[3], sc[4], sc[5]);
    else if (a->k_shared)
        snprintf(rule, cap, "shared: permutation test%s", how->n_shared ? "" : " found none, "
                 "kept 1");
    else snprintf(rule, cap, "given");
}

static int comet_fit_cmd(const char *cmd, int argc, char **argv, const comet_args *a)
{
    gk_mat *t = NULL, *x = NULL;
    gk_align *m = NULL;
    gk_k_choice how = {0}, test = {0};
    char rule[160];
    int rc, st;
    if (argc - optind != 2) return cli_usage(cmd, "fit expects two inputs T A");
    if (!a->out) return cli_usage(cmd, "fit needs --out MODEL.npz");
    if (gk_dist_active()) return comet_fit_dist(cmd, argv[optind], argv[optind + 1], a);
    if ((rc = load_fit_pairs(cmd, argv[optind], argv[optind + 1], a, &t, &x))) goto cleanup;
    /* --permutations with a given k: the test is reported, k stays */
    if (a->n_perm && !a->k_shared && (rc = run_permutation_test(cmd, t, x, a, &test)))
        goto cleanup;
    const gk_align_opts o = fit_opts(a);
    const gk_mat *views[2] = {t, x};
    if ((st = gk_transform_fit(&o, views, 2, NULL, a->c.seed, &m, &how)) != GK_OK ||
        (st = gk_align_save(m, a->out)) != GK_OK) {
        rc = cli_fail(cmd, st);
        goto cleanup;
    }
    rule_text(a, &how, rule, sizeof rule);
    rc = print_fit(gk_align_comet(m), a, rule, a->k_shared ? &how : a->n_perm ? &test : NULL);
cleanup:
    gk_k_choice_free(&test);
    gk_k_choice_free(&how);
    gk_mat_free(t);
    gk_mat_free(x);
    gk_align_free(m);
    return rc;
}

/*====  apply  ====*/

static int comet_apply_cmd(const char *cmd, int argc, char **argv, const comet_args *a)
{
    gk_comet *m = NULL;
    gk_mat *x = NULL, *o = NULL;
    int rc = CLI_OK, st;
    if (argc - optind != 2) return cli_usage(cmd, "apply expects MODEL and one input IN");
    if (a->side < 0) return cli_usage(cmd, "apply needs --side text|audio|0|1");
    if (!a->out) return cli_usage(cmd, "apply needs --out OUT.npy");
    if ((st = gk_comet_load(argv[optind], &m)) != GK_OK) return cli_fail(cmd, st);
    if ((rc = cli_load_one(cmd, argv[optind + 1], a->c.normalize, &x))) goto cleanup;
    if ((st = gk_comet_apply(m, a->side, x, a->k, a->weight, &o)) != GK_OK)
        gk_error_prepend(st, argv[optind + 1]); /* name the input that does not fit */
    if (st != GK_OK || (st = gk_npy_write(a->out, o)) != GK_OK) rc = cli_fail(cmd, st);
cleanup:
    gk_comet_free(m);
    gk_mat_free(x);
    gk_mat_free(o);
    return rc;
}

/*====  explain  ====*/

static void print_axes(const gk_comet *m, int64_t n_axes)
{
    gk_comet_axis_stats *s = NULL;
    if (gk_comet_stats(m, &s) != GK_OK) return;
    printf("COMET model: %lld fit pairs, D = %lld / %lld, %lld of %lld axes kept\n",
           (long long)gk_comet_n_fit(m), (long long)gk_comet_dim(m, 0),
           (long long)gk_comet_dim(m, 1), (long long)s->k, (long long)s->r);
    if (s->nr < s->r)
        printf("(numerical rank %lld: axes %lld..%lld have sigma_j/sigma_1 <= 2^-23 and are "
               "rounding noise)\n", (long long)s->nr, (long long)s->nr + 1, (long long)s->r);
    printf("centred variance on the kept axes: text %.4f, audio %.4f (tail %.4f, %.4f)\n\n",
           s->head_t, s->head_a, s->tail_t, s->tail_a);
    printf("%5s %12s %10s %8s %8s %10s %8s\n", "axis", "sigma", "sigma/N", "corr", "align",
           "net", "net_cum");
    for (int64_t j = 0; j < n_axes && j < s->r; j++) {
        printf("%5lld %12.5g %10.5g ", (long long)(j + 1), s->sigma[j], s->cov[j]);
        if (j >= s->nr) {
            printf("%8s\n", "noise");
            continue;
        }
        if (j < s->k) printf("%8.4f ", s->corr[j]);
        else printf("%8s ", "-");
        if (s->align) printf("%8.4f %10.5g %8.4f\n", s->align[j], s->net[j], s->net_cum[j]);
        else printf("%8s %10s %8s\n", "-", "-", "-");
    }
    gk_comet_stats_free(s);
}

static void print_terms(const char *name, const gk_comet_terms *t)
{
    printf("  %-24s %8.4f %8.4f %9.4f %8.4f %8.4f %8.4f\n", name, t->total, t->mean,
           t->mean_coef, t->direct, t->cross, t->residual);
}

static void print_dissection(const gk_comet_dissection *d)
{
    char h[64];
    printf("\nsimilarity dissection on %lld test pairs (cosine = sum of the terms)\n",
           (long long)d->n);
    printf("  %-24s %8s %8s %9s %8s %8s %8s\n", "", "total", "mean", "mean*coef", "direct",
           "cross", "resid.");
    snprintf(h, sizeof h, "true pairs, %lld axes", (long long)d->k);
    print_terms(h, &d->pos_all);
    snprintf(h, sizeof h, "non-pairs, %lld axes", (long long)d->k);
    print_terms(h, &d->neg_all);
    snprintf(h, sizeof h, "true pairs, head %lld", (long long)d->head);
    print_terms(h, &d->pos_head);
    snprintf(h, sizeof h, "non-pairs, head %lld", (long long)d->head);
    print_terms(h, &d->neg_head);
}

/* Name of test row i: its label, or its index. */
static const char *row_name(const gk_labels *l, int64_t i, char *buf, size_t n)
{
    if (l && i < l->n) return cli_visible(l->name[l->id[i]], buf, n);
    snprintf(buf, n, "#%lld", (long long)i);
    return buf;
}

static int print_extremes(const gk_comet *m, const gk_mat *t, const gk_mat *x,
                          const gk_labels *l, int64_t ntop, int64_t n_axes)
{
    const int64_t k = gk_comet_k(m);
    char b[128];
    int st = GK_OK;
    if (ntop > t->rows) ntop = t->rows;
    int64_t *buf = malloc(4 * (size_t)k * (size_t)ntop * sizeof *buf);
    if (!buf) return gk_set_error(GK_ENOMEM, "out of memory");
    int64_t *tt = buf, *tb = buf + k * ntop, *at = tb + k * ntop, *ab = at + k * ntop;
    if ((st = gk_comet_extremes(m, 0, t, ntop, tt, tb)) == GK_OK)
        st = gk_comet_extremes(m, 1, x, ntop, at, ab);
    for (int64_t j = 0; st == GK_OK && j < k && j < n_axes; j++) {
        printf("\naxis %lld\n", (long long)(j + 1));
        const int64_t *lists[4] = {tt, tb, at, ab};
        const char *names[4] = {"text +", "text -", "audio +", "audio -"};
        for (int q = 0; q < 4; q++) {
            printf("  %-8s", names[q]);
            for (int64_t r = 0; r < ntop; r++)
                printf(" %s%s", r ? "| " : "", row_name(l, lists[q][j * ntop + r], b, sizeof b));
            printf("\n");
        }
    }
    free(buf);
    return st;
}

/* Loads the test pairs, dissects and (table mode) prints the model's axes,
** the dissection and the extremes. */
static int explain_test(const char *cmd, const gk_comet *m, const comet_args *a,
                        gk_comet_dissection *d, int print)
{
    gk_mat *t = NULL, *x = NULL;
    gk_labels *l = NULL;
    int rc, st = GK_OK;
    if ((rc = cli_load_one(cmd, a->test_t, a->c.normalize, &t))) return rc;
    if ((rc = cli_load_one(cmd, a->test_a, a->c.normalize, &x)) ||
        (rc = cli_check_paired(cmd, a->test_t, t, a->test_a, x, 1, 0)))
        goto cleanup;
    if (a->c.labels && (st = gk_labels_read_rows(a->c.labels, t->rows, a->test_t, &l)) != GK_OK)
        goto cleanup;
    int64_t head = a->head > gk_comet_k(m) ? gk_comet_k(m) : a->head;
    if (head == 0) head = gk_comet_k(m) < 100 ? gk_comet_k(m) : 100;
    if ((st = gk_comet_dissect(m, t, x, head, d)) != GK_OK) goto cleanup;
    if (print) { /* the model's table too: nothing is printed before an error */
        print_axes(m, a->axes);
        print_dissection(d);
        st = print_extremes(m, t, x, l, a->top, a->axes);
    }
cleanup:
    if (st != GK_OK) rc = cli_fail(cmd, st);
    gk_mat_free(t);
    gk_mat_free(x);
    gk_labels_free(l);
    return rc;
}

static int comet_explain_cmd(const char *cmd, int argc, char **argv, const comet_args *a)
{
    gk_comet *m = NULL;
    gk_comet_dissection d;
    char *json = NULL;
    int rc = CLI_OK, st;
    if (argc - optind != 1) return cli_usage(cmd, "explain expects one MODEL");
    if (a->c.labels && !a->test_t)
        return cli_usage(cmd, "--labels names the --test rows: give --test T A too");
    if ((st = gk_comet_load(argv[optind], &m)) != GK_OK) return cli_fail(cmd, st);
    if (!a->c.json && !a->test_t) print_axes(m, a->axes);
    if (a->test_t) rc = explain_test(cmd, m, a, &d, !a->c.json);
    if (rc == CLI_OK && a->c.json) {
        if ((st = gk_comet_to_json(m, a->test_t ? &d : NULL, 0, &json)) != GK_OK)
            rc = cli_fail(cmd, st);
        else cli_print_json(json);
    }
    gk_free(json);
    gk_comet_free(m);
    return rc;
}

int cmd_comet(int argc, char **argv)
{
    comet_args a;
    int help = 0, rc;
    if (cli_no_subcommand(argc, argv, usage, &rc)) return rc;
    const char *sub = argv[1];
    char cmd[32];
    snprintf(cmd, sizeof cmd, "comet %s", sub);
    if ((rc = parse_args(cmd, argc - 1, argv + 1, &a, &help)) != CLI_OK) return rc;
    if (help) return usage(stdout), CLI_OK;
    if (!strcmp(sub, "fit")) return comet_fit_cmd(cmd, argc - 1, argv + 1, &a);
    if (!strcmp(sub, "apply")) return comet_apply_cmd(cmd, argc - 1, argv + 1, &a);
    if (!strcmp(sub, "explain")) return comet_explain_cmd(cmd, argc - 1, argv + 1, &a);
    return cli_usage("comet", "unknown subcommand '%s' (fit, explain or apply)", sub);
}
