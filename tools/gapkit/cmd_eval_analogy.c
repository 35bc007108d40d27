/*
** cmd_eval_analogy.c — `gapkit eval analogy VECTORS --vocab V --questions Q`:
** word analogies by 3CosAdd and 3CosMul (Levy & Goldberg 2014), per section
** and overall, with coverage.  Dispatched from cmd_eval.c.  Parses, calls
** gk_analogy_eval(), prints a table or the library's JSON.
*/
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { OPT_VOCAB = 1, OPT_QUESTIONS, OPT_EPSILON };

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gapkit eval analogy VECTORS --vocab V --questions Q [options]\n\n"
            "Answers 'a is to b as c is to ?' over the whole vocabulary, a, b and c\n"
            "excluded, with unit vectors:\n"
            "  3CosAdd  argmax_w cos(w,b) - cos(w,a) + cos(w,c)\n"
            "  3CosMul  argmax_w s(w,b) s(w,c) / (s(w,a) + eps),  s = (cos + 1) / 2\n"
            "Questions (word2vec's questions-words.txt format: ': SECTION' lines, then\n"
            "'a b c d') are lower-cased; only questions whose four words are all in the\n"
            "vocabulary are scored (coverage).  Ties go to the earlier vocabulary row.\n\n"
            "  VECTORS            (V,D) embeddings: .npy/.npz (needs --vocab), or GloVe /\n"
            "                     word2vec text or binary (vocabulary inside)\n"
            "  --vocab V          one word per line, line i names row i of VECTORS\n"
            "  --questions Q      the analogy questions\n"
            "  --epsilon E        3CosMul's eps (default 0.001)\n"
            "  --json             print a JSON document instead of the table\n"
            "  --threads N        threads (0 = all)\n");
}

typedef struct analogy_args {
    cli_common c;
    const char *vocab, *questions;
    gk_analogy_opts opts;
} analogy_args;

static int parse_one(const char *cmd, int opt, const char *arg, void *ctx)
{
    analogy_args *a = ctx;
    switch (opt) {
    case OPT_VOCAB: a->vocab = arg; return CLI_OK;
    case OPT_QUESTIONS: a->questions = arg; return CLI_OK;
    case OPT_EPSILON:
        if (cli_parse_f64(arg, 0, 1e300, &a->opts.epsilon))
            return cli_usage(cmd, "--epsilon %s (expected a number >= 0)", arg);
        return CLI_OK;
    default: return cli_usage(cmd, "unknown option (see --help)");
    }
}

/* Of the shared options only --json and --threads mean something here, so
** the table lists those rather than CLI_COMMON_OPTIONS. */
static int parse_args(const char *cmd, int argc, char **argv, analogy_args *a, int *help)
{
    static const struct option longopts[] = {
        {"vocab", required_argument, 0, OPT_VOCAB},
        {"questions", required_argument, 0, OPT_QUESTIONS},
        {"epsilon", required_argument, 0, OPT_EPSILON},
        {"json", no_argument, 0, OPT_JSON},
        {"threads", required_argument, 0, OPT_THREADS},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int rc;
    memset(a, 0, sizeof *a);
    cli_common_init(&a->c);
    a->opts = gk_analogy_opts_default();
    rc = cli_getopt(cmd, argc, argv, longopts, &a->c, parse_one, a, help);
    if (rc != CLI_OK || *help) return rc;
    if (!a->questions) return cli_usage(cmd, "analogy needs --questions Q");
    return CLI_OK;
}

/* 1 when spec names an array file (.npy / .npz, maybe with a selector). */
static int is_array_file(const char *spec)
{
    return strstr(spec, ".npy") || strstr(spec, ".npz");
}

int cli_analogy_load(const char *cmd, const char *spec, const char *vocab,
                     const char *questions, cli_analogy_inputs *in)
{
    int st;
    memset(in, 0, sizeof *in);
    if (vocab) {
        int rc = cli_load_one(cmd, spec, 0, &in->w);
        if (rc) return rc;
        st = gk_vocab_read(vocab, &in->vocab);
    } else {
        if (is_array_file(spec))
            return cli_usage(cmd, "%s is an array file: give its words with --vocab V", spec);
        st = gk_wordvec_read(spec, &in->w, &in->vocab);
    }
    if (st == GK_OK) st = gk_analogy_read(questions, &in->q);
    return st == GK_OK ? CLI_OK : cli_fail(cmd, st);
}

void cli_analogy_free(cli_analogy_inputs *in)
{
    gk_analogy_questions_free(in->q);
    gk_vocab_free(in->vocab);
    gk_mat_free(in->w);
    memset(in, 0, sizeof *in);
}

static void print_row(const char *name, int64_t n, int64_t cov, int64_t add, int64_t mul)
{
    printf("  %-28s %9lld %8lld  %6lld %6.2f %%  %6lld %6.2f %%\n", name, (long long)n,
           (long long)cov, (long long)add, cov ? 100.0 * (double)add / (double)cov : 0.0,
           (long long)mul, cov ? 100.0 * (double)mul / (double)cov : 0.0);
}

static void print_table(const gk_analogy_result *r)
{
    printf("  %-28s %9s %8s  %15s  %15s\n", "section", "questions", "covered", "3CosAdd",
           "3CosMul");
    for (int32_t s = 0; s < r->n_sections; s++) {
        const gk_analogy_section *x = &r->sections[s];
        print_row(x->name[0] ? x->name : "(no section)", x->n, x->covered, x->add_correct,
                  x->mul_correct);
    }
    print_row("total", r->n, r->covered, r->add_correct, r->mul_correct);
    printf("coverage %.2f %% (%lld of %lld questions have all four words); 3CosMul eps = %g\n",
           100.0 * r->coverage, (long long)r->covered, (long long)r->n, r->epsilon);
}

int cmd_eval_analogy(int argc, char **argv)
{
    const char *cmd = "eval";
    analogy_args a;
    int help = 0, rc;
    cli_analogy_inputs in;
    gk_analogy_result *r = NULL;
    char *json = NULL;
    if ((rc = parse_args(cmd, argc, argv, &a, &help)) != CLI_OK) return rc;
    if (help) return usage(stdout), CLI_OK;
    if (argc - optind != 1) return cli_usage(cmd, "analogy expects one input VECTORS");
    const char *spec = argv[optind];
    if ((rc = cli_analogy_load(cmd, spec, a.vocab, a.questions, &in)) == CLI_OK) {
        int st = gk_analogy_eval(in.w, in.vocab, in.q, &a.opts, &r);
        if (st == GK_OK && a.c.json) st = gk_analogy_to_json(r, &json);
        if (st != GK_OK) rc = cli_fail(cmd, st);
        else if (json) cli_print_json(json);
        else {
            printf("analogy: vectors = %s (%lld words x %lld dims), questions = %s\n", spec,
                   (long long)in.w->rows, (long long)in.w->cols, a.questions);
            print_table(r);
        }
    }
    gk_free(json);
    gk_analogy_result_free(r);
    cli_analogy_free(&in);
    return rc;
}
