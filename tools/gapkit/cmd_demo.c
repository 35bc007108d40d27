/*
** cmd_demo.c — `gapkit demo`: the main job on the built-in synthetic default,
** no files needed.  It draws paired embeddings whose structure is known
** (gapkit synth), then runs what a user runs on real data — gap diagnostics,
** COMET with the number of shared axes found by a permutation test, held-out
** retrieval before and after — and sets each finding beside the truth.
*/
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_json.h"
#include "synth_opts.h"

enum { OPT_PERMS = 1, OPT_TEST_FRACTION };

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gapkit demo [options]\n"
            "Runs the main job on synthetic paired embeddings with a known structure\n"
            "(see 'gapkit synth'): gap diagnostics, COMET on a training half with the\n"
            "number of shared axes from a permutation test, the recovered axes against\n"
            "the true ones, and retrieval on the held-out half before and after COMET.\n\n"
            "  --permutations B     shuffled pairings of the permutation test (default 99)\n"
            "  --test-fraction F    held-out share of the items (default 0.5)\n"
            "  --json               print a JSON document instead of the report\n");
    synth_opts_usage(f);
}

typedef struct demo_args {
    cli_common c; /* --json only: the generator has its own --seed */
    gk_synth_opts so;
    int n_perm;
    double test_fraction;
} demo_args;

static int parse_option(const char *cmd, int opt, const char *arg, void *ctx)
{
    demo_args *a = ctx;
    int64_t v;
    int r = synth_parse_option(cmd, opt, arg, &a->so);
    if (r) return r < 0 ? CLI_USAGE : CLI_OK;
    switch (opt) {
    case OPT_PERMS:
        if (cli_parse_i64(arg, 1, 100000, &v))
            return cli_usage(cmd, "--permutations %s (expected 1..100000)", arg);
        a->n_perm = (int)v;
        return CLI_OK;
    case OPT_TEST_FRACTION:
        if (cli_parse_f64(arg, 0.01, 0.99, &a->test_fraction))
            return cli_usage(cmd, "--test-fraction %s (expected 0.01..0.99)", arg);
        return CLI_OK;
    default: return cli_usage(cmd, "unknown option (see --help)");
    }
}

/* Not CLI_COMMON_OPTIONS: its --seed would shadow the generator's, and there
** are no inputs to label, pair or normalise; of the shared ids only --json
** and --help are listed, which cli_getopt handles as everywhere else. */
static int parse_demo_args(int argc, char **argv, demo_args *a, int *help)
{
    static const struct option longopts[] = {
        SYNTH_LONG_OPTIONS,
        {"permutations", required_argument, 0, OPT_PERMS},
        {"test-fraction", required_argument, 0, OPT_TEST_FRACTION},
        {"json", no_argument, 0, OPT_JSON},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    const char *cmd = argv[0];
    int rc;
    cli_common_init(&a->c);
    a->so = gk_synth_opts_default();
    a->n_perm = 99, a->test_fraction = 0.5;
    if ((rc = cli_getopt(cmd, argc, argv, longopts, &a->c, parse_option, a, help)) || *help)
        return rc;
    if (optind < argc) return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    return CLI_OK;
}

/* Everything the demo computes; freed by demo_free. */
typedef struct demo_run {
    gk_synth *s;
    gk_gap_result *gap;
    gk_split *split;
    gk_mat *t_train, *a_train;
    gk_comet *full;             /* all axes, for the permutation test */
    double *p;                  /* (R,) permutation p-values */
    int64_t n_shared;
    gk_comet *model;            /* k = n_shared axes */
    gk_synth_recovery *rec;
    gk_retrieval_result raw, comet; /* held-out retrieval before / after */
} demo_run;

static void demo_free(demo_run *d)
{
    gk_synth_free(d->s);
    gk_gap_result_free(d->gap);
    gk_split_free(d->split);
    gk_mat_free(d->t_train);
    gk_mat_free(d->a_train);
    gk_comet_free(d->full);
    free(d->p);
    gk_comet_free(d->model);
    gk_synth_recovery_free(d->rec);
}

/* Draw, diagnose, split, fit, test, compare, score.  Returns a gk status. */
static int demo_compute(const demo_args *a, demo_run *d)
{
    int st;
    const gk_synth *s;
    if ((st = gk_synth_generate(&a->so, &d->s))) return st;
    s = d->s;
    if ((st = gk_gap_diagnose(s->text, s->audio, NULL, &d->gap))) return st;
    if ((st = gk_split_random(s->text->rows, a->test_fraction, a->so.seed, &d->split))) return st;
    const gk_split *sp = d->split;
    if ((st = gk_mat_select_rows(s->text, sp->train, sp->n_train, &d->t_train)) ||
        (st = gk_mat_select_rows(s->audio, sp->train, sp->n_train, &d->a_train)))
        return st;
    if ((st = gk_comet_fit(d->t_train, d->a_train, 0, &d->full))) return st;
    d->p = malloc((size_t)gk_comet_rank(d->full) * sizeof *d->p);
    if (!d->p) return gk_set_error(GK_ENOMEM, "demo: out of memory");
    if ((st = gk_comet_permutation_test(d->full, d->t_train, d->a_train, a->n_perm, 0.05,
                                        a->so.seed, d->p, &d->n_shared)))
        return st;
    const int64_t k = d->n_shared > 0 ? d->n_shared : 1;
    if ((st = gk_comet_fit(d->t_train, d->a_train, k, &d->model))) return st;
    if ((st = gk_synth_recovery_compare(s, d->model, k, &d->rec))) return st;
    gk_align_opts fit = gk_align_opts_default(GK_ALIGN_COMET);
    fit.k = k;
    if ((st = gk_retrieval_protocol(s->text, s->audio, NULL, NULL, sp, NULL, NULL, a->so.seed,
                                    &d->raw)))
        return st;
    return gk_retrieval_protocol(s->text, s->audio, NULL, NULL, sp, &fit, NULL, a->so.seed,
                                 &d->comet);
}

static void print_gap(const demo_args *a, const demo_run *d)
{
    const gk_gap_result *g = d->gap;
    printf("gapkit demo: %lld synthetic text-audio pairs, D = %lld, %lld shared concept axes\n"
           "(correlation %.2f -> %.2f), %lld private axes per modality, gap %.2f, noise %.2f,"
           " seed %llu\n\n", (long long)a->so.n, (long long)a->so.d, (long long)a->so.k_shared,
           a->so.corr_first, a->so.corr_last, (long long)a->so.n_private, a->so.gap,
           a->so.noise, (unsigned long long)a->so.seed);
    printf("1. The gap (gapkit gap)\n"
           "  centroid gap ||mean(text) - mean(audio)||   %.4f\n"
           "  true-pair cosine / non-pair cosine         %.4f / %.4f\n"
           "  cone: mean cosine within text / audio      %.4f / %.4f\n"
           "  modality predictable from one row (CV acc) %.4f\n"
           "  share of the gap in the top-10 coordinates %.4f\n\n",
           g->gap, g->cos_true, g->cos_nonpair, g->cone_x, g->cone_y, g->sep_accuracy,
           g->top_m_share[2]);
}

static void print_axes(const demo_args *a, const demo_run *d)
{
    const float *sg = gk_comet_sigma(d->full);
    const int64_t r = gk_comet_rank(d->full), show = d->n_shared + 1 < r ? d->n_shared + 1 : r;
    printf("2. Shared axes (gapkit comet fit --k shared), fitted on %s\n"
           "  permutation test, %d shuffled pairings: %lld axes share more than chance "
           "(truth: %lld)\n  axis   sigma      p\n", d->split->desc, a->n_perm,
           (long long)d->n_shared, (long long)a->so.k_shared);
    for (int64_t j = 0; j < show; j++)
        printf("  %4lld   %-9.4g  %.3f%s\n", (long long)j + 1, sg[j], d->p[j],
               j < d->n_shared ? "" : "   (not above chance: the test stops here)");
    printf("\n3. Recovered axes against the truth\n"
           "  true axis  rho(true)  corr(found)  |cos| text  |cos| audio  in subspace  "
           "matched axis\n");
    const gk_synth_recovery *rc = d->rec;
    for (int64_t j = 0; j < rc->k_true; j++)
        printf("  %9lld  %9.3f  %11.3f  %10.3f  %11.3f  %11.3f  %12lld\n", (long long)j + 1,
               d->s->corr[j], rc->corr_model[j], rc->cos_t[j], rc->cos_a[j], rc->subspace[j],
               (long long)rc->match[j] + 1);
    printf("  (|cos| = 1: the found axis is the true one; 'in subspace' = norm of the true\n"
           "   axis projected on the span of the found axes)\n\n");
}

static void print_retrieval(const demo_run *d)
{
    const gk_retrieval_metrics *r = &d->raw.x2y, *rb = &d->raw.y2x;
    const gk_retrieval_metrics *c = &d->comet.x2y, *cb = &d->comet.y2x;
    printf("4. Held-out retrieval (gapkit eval retrieval --split random:F --transform comet:k=%lld)\n"
           "  on %lld held-out pairs        R@1     R@5     mAP@10\n"
           "  text->audio, raw         %7.4f %7.4f %7.4f\n"
           "  text->audio, COMET       %7.4f %7.4f %7.4f\n"
           "  audio->text, raw         %7.4f %7.4f %7.4f\n"
           "  audio->text, COMET       %7.4f %7.4f %7.4f\n\n"
           "Same steps on your files: see README.md (gapkit gap / comet / eval).\n",
           (long long)gk_comet_k(d->model), (long long)r->n_queries, r->r1, r->r5, r->map10,
           c->r1, c->r5, c->map10, rb->r1, rb->r5, rb->map10, cb->r1, cb->r5, cb->map10);
}

/* The axes recovered, one object per true shared axis. */
static json_t *recovery_json(const demo_run *d)
{
    const gk_synth_recovery *rc = d->rec;
    json_t *axes = json_array();
    for (int64_t j = 0; axes && j < rc->k_true; j++)
        json_array_append_new(axes, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}", "axis",
                                              (json_int_t)j + 1, "rho_true",
                                              cli_json_num(d->s->corr[j]), "corr_found",
                                              cli_json_num(rc->corr_model[j]), "cos_text",
                                              cli_json_num(rc->cos_t[j]), "cos_audio",
                                              cli_json_num(rc->cos_a[j]), "in_subspace",
                                              cli_json_num(rc->subspace[j])));
    return axes;
}

/* The whole run as one JSON document; @return : an exit code. */
static int print_json(const demo_args *a, const demo_run *d)
{
    char *gap = NULL, *raw = NULL, *com = NULL;
    int st = gk_gap_to_json(d->gap, &gap);
    if (!st) st = gk_retrieval_to_json(&d->raw, "text", "audio", &raw);
    if (!st) st = gk_retrieval_to_json(&d->comet, "text", "audio", &com);
    json_t *doc = st ? NULL : json_pack(
        "{s:{s:I, s:I, s:I, s:I}, s:o, s:{s:i, s:f, s:I}, s:o, s:o, s:o}", "generator", "n",
        (json_int_t)a->so.n, "d", (json_int_t)a->so.d, "k_shared", (json_int_t)a->so.k_shared,
        "seed", (json_int_t)a->so.seed, "gap", cli_json_parse(gap), "permutation_test",
        "permutations", a->n_perm, "alpha", 0.05, "shared_axes", (json_int_t)d->n_shared,
        "recovery", recovery_json(d), "retrieval_raw", cli_json_parse(raw), "retrieval_comet",
        cli_json_parse(com));
    gk_free(gap), gk_free(raw), gk_free(com);
    return st ? cli_fail("demo", st) : cli_json_print("demo", doc);
}

int cmd_demo(int argc, char **argv)
{
    demo_args a;
    demo_run d;
    int help = 0, rc = parse_demo_args(argc, argv, &a, &help);
    if (help) return usage(stdout), CLI_OK;
    if (rc) return rc;
    memset(&d, 0, sizeof d);
    int st = demo_compute(&a, &d);
    if (st != GK_OK) rc = cli_fail(argv[0], st);
    else if (a.c.json) rc = print_json(&a, &d);
    else print_gap(&a, &d), print_axes(&a, &d), print_retrieval(&d);
    demo_free(&d);
    return rc;
}
