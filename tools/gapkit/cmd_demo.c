/*
** cmd_demo.c — `gapkit demo`: the main job on the built-in synthetic default,
** no files needed.  It draws paired embeddings whose structure is known
** (gapkit synth), then runs what a user runs on real data — gap diagnostics,
** COMET with the number of shared axes found by a permutation test, held-out
** retrieval before and after — and sets each finding beside the truth.
*/
#include "cli.h"
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
    gk_demo_opts o;
} demo_args;

static int parse_option(const char *cmd, int opt, const char *arg, void *ctx)
{
    demo_args *a = ctx;
    int64_t v;
    int r = synth_parse_option(cmd, opt, arg, &a->o.synth);
    if (r) return r < 0 ? CLI_USAGE : CLI_OK;
    switch (opt) {
    case OPT_PERMS:
        if (cli_parse_i64(arg, 1, 100000, &v))
            return cli_usage(cmd, "--permutations %s (expected 1..100000)", arg);
        a->o.n_perm = (int)v;
        return CLI_OK;
    case OPT_TEST_FRACTION:
        if (cli_parse_f64(arg, 0.01, 0.99, &a->o.test_fraction))
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
    a->o = gk_demo_opts_default();
    if ((rc = cli_getopt(cmd, argc, argv, longopts, &a->c, parse_option, a, help)) || *help)
        return rc;
    if (optind < argc) return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    return CLI_OK;
}

static void print_gap(const gk_demo_result *d)
{
    const gk_synth_opts *so = &d->opts.synth;
    const gk_gap_result *g = d->gap;
    printf("gapkit demo: %lld synthetic text-audio pairs, D = %lld, %lld shared concept axes\n"
           "(correlation %.2f -> %.2f), %lld private axes per modality, gap %.2f, noise %.2f,"
           " seed %llu\n\n", (long long)so->n, (long long)so->d, (long long)so->k_shared,
           so->corr_first, so->corr_last, (long long)so->n_private, so->gap, so->noise,
           (unsigned long long)so->seed);
    printf("1. The gap (gapkit gap)\n"
           "  centroid gap ||mean(text) - mean(audio)||   %.4f\n"
           "  true-pair cosine / non-pair cosine         %.4f / %.4f\n"
           "  cone: mean cosine within text / audio      %.4f / %.4f\n"
           "  modality predictable from one row (CV acc) %.4f\n"
           "  share of the gap in the top-10 coordinates %.4f\n\n",
           g->gap, g->cos_true, g->cos_nonpair, g->cone_x, g->cone_y, g->sep_accuracy,
           g->top_m_share[2]);
}

static void print_axes(const gk_demo_result *d)
{
    const float *sg = gk_comet_sigma(gk_align_comet(d->model));
    const gk_k_choice *t = &d->shared;
    printf("2. Shared axes (gapkit comet fit --k shared), fitted on %s\n"
           "  permutation test, %d shuffled pairings: %lld axes share more than chance "
           "(truth: %lld)\n  axis   sigma      p\n", d->split->desc, t->permutations,
           (long long)t->n_shared, (long long)d->opts.synth.k_shared);
    for (int64_t j = 0; j < t->n_p; j++)
        printf("  %4lld   %-9.4g  %.3f%s\n", (long long)j + 1, sg[j], t->p[j],
               j < t->n_shared ? "" : "   (not above chance: the test stops here)");
    printf("\n3. Recovered axes against the truth\n"
           "  true axis  rho(true)  corr(found)  |cos| text  |cos| audio  in subspace  "
           "matched axis\n");
    const gk_synth_recovery *rc = d->recovery;
    for (int64_t j = 0; j < rc->k_true; j++)
        printf("  %9lld  %9.3f  %11.3f  %10.3f  %11.3f  %11.3f  %12lld\n", (long long)j + 1,
               d->synth->corr[j], rc->corr_model[j], rc->cos_t[j], rc->cos_a[j],
               rc->subspace[j], (long long)rc->match[j] + 1);
    printf("  (|cos| = 1: the found axis is the true one; 'in subspace' = norm of the true\n"
           "   axis projected on the span of the found axes)\n\n");
}

static void print_retrieval(const gk_demo_result *d)
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
           (long long)d->shared.k, (long long)r->n_queries, r->r1, r->r5, r->map10,
           c->r1, c->r5, c->map10, rb->r1, rb->r5, rb->map10, cb->r1, cb->r5, cb->map10);
}

int cmd_demo(int argc, char **argv)
{
    demo_args a;
    gk_demo_result *d = NULL;
    char *json = NULL;
    int help = 0, rc = parse_demo_args(argc, argv, &a, &help);
    if (help) return usage(stdout), CLI_OK;
    if (rc) return rc;
    int st = gk_demo_run(&a.o, &d);
    if (st == GK_OK && a.c.json) st = gk_demo_to_json(d, &json);
    if (st != GK_OK) rc = cli_fail(argv[0], st);
    else if (json) cli_print_json(json);
    else print_gap(d), print_axes(d), print_retrieval(d);
    gk_free(json);
    gk_demo_free(d);
    return rc;
}
