/*
** cmd_study.c — `gapkit study NAME …`: the published case studies, rerun on
** the user's data.  One so far: `analogy-nngs`, the word-analogy study of the
** NNGS paper (gk_analogy_study_run()).  Parses, calls the library, prints a
** table or the library's JSON.
*/
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { OPT_VOCAB = 1, OPT_QUESTIONS, OPT_K, OPT_DISTANCE, OPT_NORMALIZE };

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gapkit study analogy-nngs VECTORS --vocab V --questions Q [options]\n\n"
            "The word-analogy case study of Tavares et al. (arXiv 2411.08687): for each\n"
            "section of the questions, X = vectors of the first words and Y = vectors of\n"
            "the second words of its distinct pairs (a,b) and (c,d); NNGS and linear CKA of\n"
            "X and Y against the section's 3CosAdd / 3CosMul accuracy (gapkit eval\n"
            "analogy); Pearson and Spearman with p-values across the sections.\n\n"
            "  VECTORS            (V,D) word vectors: .npy/.npz with --vocab, or GloVe /\n"
            "                     word2vec text or binary\n"
            "  --vocab V          one word per line, line i names row i of VECTORS\n"
            "  --questions Q      analogy questions (word2vec questions-words.txt format)\n"
            "  --k K              NNGS scale: a count, or a fraction of N-1 ('0.2', '20%%');\n"
            "                     default 0.2 (the paper's k = 0.2 N)\n"
            "  --distance D       euclidean (default, the paper's), cosine, ip, l1\n"
            "  --normalize        unit rows before measuring (default: raw vectors)\n"
            "  --json             print a JSON document instead of the table\n"
            "  --threads N        threads (0 = all)\n");
}

typedef struct study_args {
    cli_common c;
    const char *vocab, *questions;
    gk_analogy_study_opts opts;
} study_args;

static int parse_one(const char *cmd, int opt, const char *arg, void *ctx)
{
    study_args *a = ctx;
    switch (opt) {
    case OPT_VOCAB: a->vocab = arg; return CLI_OK;
    case OPT_QUESTIONS: a->questions = arg; return CLI_OK;
    case OPT_NORMALIZE: a->opts.normalize = 1; return CLI_OK;
    case OPT_K:
        if (gk_kspec_parse(arg, &a->opts.k) != GK_OK)
            return cli_usage(cmd, "--k %s: %s", arg, gk_last_error());
        return CLI_OK;
    case OPT_DISTANCE:
        if (gk_distance_parse(arg, &a->opts.distance) != GK_OK)
            return cli_usage(cmd, "--distance %s: %s", arg, gk_last_error());
        return CLI_OK;
    default: return cli_usage(cmd, "unknown option (see --help)");
    }
}

/* Of the shared options only --json and --threads mean something here (and
** --normalize is the reverse of the shared default), so the table lists
** those rather than CLI_COMMON_OPTIONS. */
static int parse_args(const char *cmd, int argc, char **argv, study_args *a, int *help)
{
    static const struct option longopts[] = {
        {"vocab", required_argument, 0, OPT_VOCAB},
        {"questions", required_argument, 0, OPT_QUESTIONS},
        {"k", required_argument, 0, OPT_K},
        {"distance", required_argument, 0, OPT_DISTANCE},
        {"normalize", no_argument, 0, OPT_NORMALIZE},
        {"json", no_argument, 0, OPT_JSON},
        {"threads", required_argument, 0, OPT_THREADS},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int rc;
    memset(a, 0, sizeof *a);
    cli_common_init(&a->c);
    a->opts = gk_analogy_study_opts_default();
    rc = cli_getopt(cmd, argc, argv, longopts, &a->c, parse_one, a, help);
    if (rc != CLI_OK || *help) return rc;
    if (!a->questions) return cli_usage(cmd, "analogy-nngs needs --questions Q");
    return CLI_OK;
}

static void print_study(const gk_analogy_study *s)
{
    static const char *const measure[3] = {"NNGS raw", "NNGS normalised", "linear CKA"};
    static const char *const acc[2] = {"3CosAdd", "3CosMul"};
    printf("  %-28s %5s %4s %8s %8s %9s %9s %8s\n", "section", "pairs", "k", "3CosAdd",
           "3CosMul", "NNGS raw", "NNGS norm", "CKA");
    for (int32_t i = 0; i < s->n_rows; i++) {
        const gk_analogy_study_row *r = &s->rows[i];
        printf("  %-28s %5lld %4lld %8.4f %8.4f %9.4f %9.4f %8.4f\n", r->name,
               (long long)r->n_pairs, (long long)r->k, r->acc_add, r->acc_mul, r->nngs_raw,
               r->nngs, r->cka);
    }
    printf("across %lld sections: %26s %22s\n", (long long)s->n_used, "Pearson r", "Spearman rho");
    for (int m = 0; m < 3; m++)
        for (int a = 0; a < 2; a++) {
            const gk_corr_pair *c = &s->corr[m][a];
            printf("  %-15s vs %-8s %8.4f (p = %.2g) %8.4f (p = %.2g)\n", measure[m], acc[a],
                   c->pearson, c->pearson_p, c->spearman, c->spearman_p);
        }
}

static void print_header(const char *spec, const cli_analogy_inputs *in, const study_args *a)
{
    printf("analogy-nngs study: vectors = %s (%lld x %lld), questions = %s\n", spec,
           (long long)in->w->rows, (long long)in->w->cols, a->questions);
    printf("NNGS: %s distance, k = ", gk_distance_name(a->opts.distance));
    if (a->opts.k.k) printf("%lld", (long long)a->opts.k.k);
    else printf("floor(%g (N-1))", a->opts.k.frac);
    printf("; %s vectors\n", a->opts.normalize ? "unit" : "raw");
}

static int study_analogy_nngs(const char *cmd, int argc, char **argv)
{
    study_args a;
    int help = 0, rc;
    cli_analogy_inputs in;
    gk_analogy_study *s = NULL;
    char *json = NULL;
    if ((rc = parse_args(cmd, argc, argv, &a, &help)) != CLI_OK) return rc;
    if (help) return usage(stdout), CLI_OK;
    if (argc - optind != 1) return cli_usage(cmd, "analogy-nngs expects one input VECTORS");
    const char *spec = argv[optind];
    if ((rc = cli_analogy_load(cmd, spec, a.vocab, a.questions, &in)) == CLI_OK) {
        int st = gk_analogy_study_run(in.w, in.vocab, in.q, &a.opts, &s);
        if (st == GK_OK && a.c.json) st = gk_analogy_study_to_json(s, &json);
        if (st != GK_OK) rc = cli_fail(cmd, st);
        else if (json) cli_print_json(json);
        else print_header(spec, &in, &a), print_study(s);
    }
    gk_free(json);
    gk_analogy_study_free(s);
    cli_analogy_free(&in);
    return rc;
}

int cmd_study(int argc, char **argv)
{
    const char *cmd = "study";
    int rc;
    if (cli_no_subcommand(argc, argv, usage, &rc)) return rc;
    if (!strcmp(argv[1], "analogy-nngs")) return study_analogy_nngs(cmd, argc - 1, argv + 1);
    return cli_usage(cmd, "unknown study '%s' (expected analogy-nngs)", argv[1]);
}
