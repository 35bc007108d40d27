/*
** cli.h — what every gapkit subcommand shares: exit codes, error printing,
** checked number parsing, the common options and loading paired inputs.
** The CLI holds no maths: it parses, calls libgapkit, prints.
*/
#ifndef GAPKIT_CLI_H
#define GAPKIT_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "gapkit/gapkit.h"

enum { CLI_OK = 0, CLI_USAGE = 1, CLI_INPUT = 2, CLI_INTERNAL = 3 };

/* One subcommand: main.c's table dispatches `gapkit NAME …` to fn(argc, argv)
** with argv[0] = NAME. */
typedef struct cli_command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} cli_command;

/* Runs fn under MPI when a launcher started us (cli_dist.c): joins the job,
** refuses a command with no distributed form on more than one rank. */
int cli_dist_run(int (*fn)(int argc, char **argv), int argc, char **argv);
/* " on P MPI ranks" under MPI, else "": the end of a distributed summary line. */
const char *cli_ranks_note(void);

int cmd_analyze(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_gap(int argc, char **argv);
int cmd_comet(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_synth(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_align(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_study(int argc, char **argv);
int cmd_similarity(int argc, char **argv);
int cmd_knn(int argc, char **argv);
int cmd_curate(int argc, char **argv);
int cmd_leakage(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_eval_analogy(int argc, char **argv); /* `eval analogy`, from cmd_eval.c */
/* Word vectors (with --vocab, or a GloVe/word2vec file), their vocabulary and
** analogy questions, for `eval analogy` and `study analogy-nngs`. */
typedef struct cli_analogy_inputs {
    gk_mat *w;
    gk_vocab *vocab;
    gk_analogy_questions *q;
} cli_analogy_inputs;
int cli_analogy_load(const char *cmd, const char *spec, const char *vocab, const char *questions,
                     cli_analogy_inputs *in);
void cli_analogy_free(cli_analogy_inputs *in);
int cmd_eval_group(int argc, char **argv);   /* `eval cluster|probe`, from cmd_eval.c */

/* "gapkit: incorrect parameter: …" and a pointer to help on stderr; returns CLI_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "gapkit CMD: <gk_last_error()>" on stderr; returns CLI_INPUT, or
** CLI_INTERNAL for GK_EINTERNAL / GK_ENOMEM / GK_EBLAS. */
int cli_fail(const char *cmd, int rc);

/* A label as it may be shown in a table: control characters (a label file
** can carry terminal escape sequences) and a trailing space as \xNN; cut to
** fit buf.  @return : buf. */
const char *cli_visible(const char *s, char *buf, size_t size);

/* "--name" of the option whose value cli_getopt() is handing to a command. */
const char *cli_option_name(void);

/* Checked parsing: the whole string must be a number within [lo, hi]. */
int cli_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out);
int cli_parse_f64(const char *s, double lo, double hi, double *out);

/* Options shared by the commands that read paired embeddings. */
typedef struct cli_common {
    const char *labels;        /* --labels L: a label per row of X */
    const char *prompt_labels; /* --prompt-labels P: a label per row of Y */
    int pair_by_label;         /* --pair-by-label */
    int normalize;             /* 1 unless --no-normalize */
    int json;                  /* --json */
    int quiet;                 /* --quiet */
    int threads;               /* --threads N (0 = all) */
    uint64_t seed;             /* --seed S */
} cli_common;

/* Long-option ids of the shared options start here; commands use ids < 1000. */
enum {
    OPT_LABELS = 1000, OPT_PROMPT_LABELS, OPT_PAIR_BY_LABEL, OPT_NO_NORMALIZE, OPT_JSON,
    OPT_QUIET, OPT_THREADS, OPT_SEED, OPT_HELP
};
#define CLI_COMMON_OPTIONS                                                             \
    {"labels", required_argument, 0, OPT_LABELS},                                      \
    {"prompt-labels", required_argument, 0, OPT_PROMPT_LABELS},                        \
    {"pair-by-label", no_argument, 0, OPT_PAIR_BY_LABEL},                              \
    {"no-normalize", no_argument, 0, OPT_NO_NORMALIZE},                                \
    {"json", no_argument, 0, OPT_JSON},                                                \
    {"quiet", no_argument, 0, OPT_QUIET},                                              \
    {"threads", required_argument, 0, OPT_THREADS},                                    \
    {"seed", required_argument, 0, OPT_SEED},                                          \
    {"help", no_argument, 0, OPT_HELP}

void cli_common_init(cli_common *c);

/* The option loop of a command (getopt_long over argv, optind reset): --help
** sets *help and stops; an unknown option, or an option without its value,
** is a usage error naming it (main() has set opterr = 0); the
** shared options go to c; any other option to fn(cmd, opt, optarg, ctx),
** which returns CLI_OK or an exit code.  Positional arguments are left in
** argv[optind..].  @return : CLI_OK or the first error's exit code. */
typedef int (*cli_option_fn)(const char *cmd, int opt, const char *arg, void *ctx);
int cli_getopt(const char *cmd, int argc, char **argv, const struct option *longopts,
               cli_common *c, cli_option_fn fn, void *ctx, int *help);
/* For a command whose argv[1] names a subcommand: with none, prints the
** usage to stderr (*rc = CLI_USAGE); with --help or -h, to stdout (*rc =
** CLI_OK).  @return : 1 when the command is thereby done, else 0. */
int cli_no_subcommand(int argc, char **argv, void (*usage)(FILE *), int *rc);
/* Handles one shared option; returns 1 if it was one (0 if not, -1 on a bad
** value, after printing the usage error). */
int cli_common_option(const char *cmd, int opt, const char *arg, cli_common *c);

/* Paired inputs after loading: X (N,Dx) and Y (N,Dy), row i ↔ row i.
** With --pair-by-label, Y has been expanded to one prompt row per X row, and
** y_prompts keeps the original prompt rows with their labels. */
typedef struct cli_pairs {
    gk_mat *x, *y;         /* owned */
    gk_mat *y_prompts;     /* owned; NULL unless pairing by label */
    gk_labels *x_labels;   /* owned; NULL unless --labels */
    gk_labels *y_labels;   /* owned; NULL unless --prompt-labels */
    int64_t *pair_index;   /* (N,) prompt row of each X row, with --pair-by-label */
} cli_pairs;

/* Loads X and Y (normalised unless --no-normalize), the labels, and pairs
** them.  Prints the error and returns its exit code on failure, leaving *p
** empty (nothing to free). */
int cli_load_pairs(const char *cmd, const char *xspec, const char *yspec, const cli_common *c,
                   cli_pairs *p);
void cli_pairs_free(cli_pairs *p);

/* Checks that X (from xspec) and Y (from yspec) have the same row count
** (same_rows) and dimension (same_dim); prints an error naming both files and
** returns CLI_INPUT if not, else CLI_OK. */
int cli_check_paired(const char *cmd, const char *xspec, const gk_mat *x, const char *yspec,
                     const gk_mat *y, int same_rows, int same_dim);

/* The values of CSV column `column` for a --split fold:COLUMN=V: from
** split_csv, else from the CSV of a labels spec "FILE.csv:COL"; checks there
** are n_rows of them.  *v : free with gk_strings_free(*v, *n).  Prints the
** error and returns its exit code. */
int cli_fold_values(const char *cmd, const char *split_csv, const char *labels_spec,
                    const char *column, int64_t n_rows, char ***v, int64_t *n);

/* --train LIST (compare, analyze): training specs "LOSS[:KEY=V,…]" separated
** by spaces or ';' (gk_train_spec_parse) into out[0..cap); *n their count.
** Prints the error and returns CLI_USAGE on a bad spec or none. */
int cli_train_specs(const char *cmd, const char *list, gk_train_opts *out, int cap, int *n);

/* Checks that the labels l (from spec) have one entry per row of m (from
** mspec); prints an error naming both and returns CLI_INPUT if not. */
int cli_check_label_count(const char *cmd, const char *spec, const gk_labels *l, const gk_mat *m,
                          const char *mspec);

/* Loads one embedding file; prints the error and returns its exit code. */
int cli_load_one(const char *cmd, const char *spec, int normalize, gk_mat **out);

/* Installs the progress line on stderr (progress.c) unless --quiet is among
** the arguments or stderr is not a terminal. */
void cli_progress_init(int argc, char **argv);

/* Under an address-space limit (startup.c): whether one is set, and the
** thread count to use for a requested one (0 = all). */
int cli_memory_limited(void);
int cli_threads_within_limit(int requested);

/* Prints a JSON document (library-made text) followed by a newline. */
void cli_print_json(const char *json);

#endif
