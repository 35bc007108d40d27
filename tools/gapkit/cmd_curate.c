/*
** cmd_curate.c — `gapkit curate AUDIO_POOL TEXT_POOL --out pairs.npy`:
** pseudo-pairs from unpaired audio and text embeddings (curate.h), written
** as a (P,3) float64 .npy, with an account of what was kept.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { OPT_MODE = 1, OPT_TAU, OPT_K, OPT_TARGETS, OPT_TARGET_LABELS, OPT_TAU_TARGET,
       OPT_AUGMENT, OPT_OUT };

typedef struct curate_args {
    cli_common c;
    gk_curate_opts o;
    int tau_given;
    const char *targets, *target_labels, *out;
} curate_args;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: gapkit curate AUDIO_POOL TEXT_POOL --out PAIRS.npy [--mode M] [--tau T] [--k K]\n"
        "                     [--targets PROMPTS --target-labels NAMES [--tau-target T]\n"
        "                      [--augment]] [--labels L] [--json]\n"
        "Pseudo-pairs from UNPAIRED audio and text embeddings by a teacher's cosine\n"
        "similarity (Wang et al., WASPAA 2023).  No similarity matrix is held: the pools\n"
        "stream through the kNN engine.\n\n"
        "  --mode M          threshold (default): every pair with cosine >= --tau;\n"
        "                    topk: the K most similar texts of each audio row;\n"
        "                    mutual: (a,t) when each is among the other's K nearest\n"
        "  --tau T           threshold (default 0.75); for topk/mutual a floor (default none)\n"
        "  --k K             neighbours for topk/mutual (default 1)\n"
        "  --targets P       target prompt embeddings (one row per prompt)\n"
        "  --target-labels N the class name of each prompt row (text file or FILE.csv:COL)\n"
        "  --tau-target T    domain filter: keep captions whose best cosine to a prompt >= T\n"
        "  --augment         pair the audio with the passing captions only (augmented\n"
        "                    domain-specific); without it the pairs of the whole pool whose\n"
        "                    caption passes are kept\n"
        "  --labels L        class of each audio row: reports the share of pairs whose\n"
        "                    caption is nearest to the prompt of that class\n"
        "  --out FILE        the pairs: float64 (P,3) = audio row, text row, cosine,\n"
        "                    sorted by (audio row, text row)\n"
        "  --no-normalize    (no effect: cosine ignores the row norms)\n"
        "  --json            print a JSON account instead of the table\n"
        "  --threads N       threads (0 = all)\n");
}

static int parse_option(const char *cmd, int opt, const char *arg, void *ctx)
{
    curate_args *a = ctx;
    switch (opt) {
    case OPT_MODE:
        if (!strcmp(arg, "threshold")) a->o.mode = GK_CURATE_THRESHOLD;
        else if (!strcmp(arg, "topk")) a->o.mode = GK_CURATE_TOPK;
        else if (!strcmp(arg, "mutual")) a->o.mode = GK_CURATE_MUTUAL;
        else return cli_usage(cmd, "--mode %s (expected threshold, topk or mutual)", arg);
        return CLI_OK;
    case OPT_TAU:
        if (cli_parse_f64(arg, -1, 1, &a->o.tau))
            return cli_usage(cmd, "--tau %s (expected a cosine in [-1, 1])", arg);
        a->tau_given = 1;
        return CLI_OK;
    case OPT_K:
        if (cli_parse_i64(arg, 1, INT32_MAX, &a->o.k))
            return cli_usage(cmd, "--k %s (expected a positive integer)", arg);
        return CLI_OK;
    case OPT_TAU_TARGET:
        if (cli_parse_f64(arg, -1, 1, &a->o.tau_target))
            return cli_usage(cmd, "--tau-target %s (expected a cosine in [-1, 1])", arg);
        return CLI_OK;
    case OPT_TARGETS: a->targets = arg; return CLI_OK;
    case OPT_TARGET_LABELS: a->target_labels = arg; return CLI_OK;
    case OPT_AUGMENT: a->o.augment = 1; return CLI_OK;
    case OPT_OUT: a->out = arg; return CLI_OK;
    default: return cli_usage(cmd, "unknown option (see --help)");
    }
}

/* Inputs of a run; everything owned. */
typedef struct curate_inputs {
    gk_mat *audio, *text, *targets;
    gk_labels *target_labels, *audio_labels;
    int32_t *audio_class;
} curate_inputs;

static void inputs_free(curate_inputs *in)
{
    gk_mat_free(in->audio);
    gk_mat_free(in->text);
    gk_mat_free(in->targets);
    gk_labels_free(in->target_labels);
    gk_labels_free(in->audio_labels);
    free(in->audio_class);
}

/* audio_class[i] = the target class named like audio row i's label, −1 if
** no target class has that name (e.g. a class held out of the targets). */
static int map_audio_labels(const char *cmd, curate_inputs *in)
{
    const gk_labels *al = in->audio_labels, *tl = in->target_labels;
    in->audio_class = malloc((size_t)al->n * sizeof *in->audio_class);
    if (!in->audio_class) return cli_fail(cmd, gk_set_error(GK_ENOMEM, "out of memory"));
    for (int64_t i = 0; i < al->n; i++) {
        in->audio_class[i] = -1;
        for (int32_t c = 0; c < tl->n_classes; c++)
            if (!strcmp(al->name[al->id[i]], tl->name[c])) in->audio_class[i] = c;
    }
    return CLI_OK;
}

static int load_targets(const char *cmd, const curate_args *a, curate_inputs *in)
{
    int rc;
    if (!a->targets != !a->target_labels)
        return cli_usage(cmd, "--targets and --target-labels go together");
    if (!a->targets) {
        if (!isnan(a->o.tau_target) || a->o.augment)
            return cli_usage(cmd, "--tau-target and --augment need --targets and --target-labels");
        if (a->c.labels) return cli_usage(cmd, "--labels needs --targets and --target-labels");
        return CLI_OK;
    }
    if ((rc = cli_load_one(cmd, a->targets, 1, &in->targets))) return rc;
    if ((rc = gk_labels_read(a->target_labels, &in->target_labels)) != GK_OK)
        return cli_fail(cmd, rc);
    return cli_check_label_count(cmd, a->target_labels, in->target_labels, in->targets,
                                 a->targets);
}

static int load_inputs(const char *cmd, const char *as, const char *ts, const curate_args *a,
                       curate_inputs *in)
{
    int rc;
    if ((rc = cli_load_one(cmd, as, 1, &in->audio))) return rc;
    if ((rc = cli_load_one(cmd, ts, 1, &in->text))) return rc;
    if ((rc = load_targets(cmd, a, in))) return rc;
    if (!a->c.labels) return CLI_OK;
    if ((rc = gk_labels_read(a->c.labels, &in->audio_labels)) != GK_OK) return cli_fail(cmd, rc);
    if ((rc = cli_check_label_count(cmd, a->c.labels, in->audio_labels, in->audio, as)))
        return rc;
    return map_audio_labels(cmd, in);
}

static void print_table(const curate_args *a, const gk_curate_result *r, const gk_labels *tl)
{
    const char *mode = a->o.mode == GK_CURATE_TOPK ? "top-k" : a->o.mode == GK_CURATE_MUTUAL
                       ? "mutual top-k" : "threshold";
    printf("curate (%s, tau %.3g", mode, a->o.tau);
    if (a->o.mode != GK_CURATE_THRESHOLD) printf(", k %lld", (long long)a->o.k);
    printf("): %lld pairs of %lld audio × %lld text rows → %s\n", (long long)r->n_pairs,
           (long long)r->n_audio, (long long)r->n_text, a->out);
    printf("coverage: %.4f of audio rows (%lld), %.4f of text rows (%lld)\n",
           (double)r->audio_covered / (double)r->n_audio, (long long)r->audio_covered,
           (double)r->text_covered / (double)r->n_text, (long long)r->text_covered);
    printf("scores:");
    for (int b = 0; b < GK_CURATE_BINS; b++)
        if (r->hist[b]) printf(" [%.2f,%.2f) %lld", -1 + 0.05 * b, -1 + 0.05 * (b + 1),
                               (long long)r->hist[b]);
    printf("\n");
    if (!r->class_pairs) return;
    if (!isnan(a->o.tau_target))
        printf("domain filter tau_target %.3g%s: %lld of %lld texts pass\n", a->o.tau_target,
               a->o.augment ? " (augmented)" : "", (long long)r->n_text_passed,
               (long long)r->n_text);
    printf("pairs per target class (caption's nearest prompt):\n");
    for (int32_t c = 0; c < r->n_target_classes; c++)
        if (r->class_pairs[c]) printf("  %-24s %lld\n", tl->name[c], (long long)r->class_pairs[c]);
    if (a->c.labels)
        printf("label agreement: %.4f of %lld labelled pairs have their caption nearest to the "
               "audio's class\n", r->n_labelled ? (double)r->n_label_match / r->n_labelled : NAN,
               (long long)r->n_labelled);
}

static int run(const char *cmd, const char *as, const char *ts, curate_args *a)
{
    curate_inputs in;
    gk_curate_result *r = NULL;
    char *json = NULL;
    memset(&in, 0, sizeof in);
    int out = load_inputs(cmd, as, ts, a, &in);
    if (out == CLI_OK) {
        a->o.targets = in.targets;
        a->o.target_class = in.target_labels ? in.target_labels->id : NULL;
        a->o.n_target_classes = in.target_labels ? in.target_labels->n_classes : 0;
        a->o.audio_class = in.audio_class;
        int rc = gk_curate(in.audio, in.text, &a->o, &r);
        if (rc == GK_OK) rc = gk_curate_write(r, a->out);
        if (rc == GK_OK && a->c.json)
            rc = gk_curate_to_json(r, &a->o, in.target_labels
                                   ? (const char *const *)in.target_labels->name : NULL, &json);
        out = rc == GK_OK ? CLI_OK : cli_fail(cmd, rc);
    }
    if (out == CLI_OK && json) cli_print_json(json);
    else if (out == CLI_OK) print_table(a, r, in.target_labels);
    gk_free(json);
    gk_curate_result_free(r);
    inputs_free(&in);
    return out;
}

int cmd_curate(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_OPTIONS,
        {"mode", required_argument, 0, OPT_MODE},
        {"tau", required_argument, 0, OPT_TAU},
        {"k", required_argument, 0, OPT_K},
        {"targets", required_argument, 0, OPT_TARGETS},
        {"target-labels", required_argument, 0, OPT_TARGET_LABELS},
        {"tau-target", required_argument, 0, OPT_TAU_TARGET},
        {"augment", no_argument, 0, OPT_AUGMENT},
        {"out", required_argument, 0, OPT_OUT},
        {0, 0, 0, 0}};
    curate_args a;
    int help = 0, r;
    memset(&a, 0, sizeof a);
    a.o = gk_curate_opts_default();
    cli_common_init(&a.c);
    if ((r = cli_getopt(argv[0], argc, argv, longopts, &a.c, parse_option, &a, &help)))
        return r;
    if (help) return usage(stdout), CLI_OK;
    if (argc - optind != 2) return cli_usage(argv[0], "expected two inputs AUDIO_POOL TEXT_POOL");
    if (!a.out) return cli_usage(argv[0], "--out PAIRS.npy is required");
    if (a.o.mode != GK_CURATE_THRESHOLD && !a.tau_given) a.o.tau = -1;
    return run(argv[0], argv[optind], argv[optind + 1], &a);
}
