/*
** main.c — `gapkit COMMAND …`: the table of subcommands and the dispatcher.
*/
#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const cli_command commands[] = {
    {"analyze", cmd_analyze, "the main job: every analysis of X Y into an HTML report (no inputs: built-in data)"},
    {"demo", cmd_demo, "the main job on the built-in synthetic default (no arguments needed)"},
    {"info", cmd_info, "shape, dtype, order, norms, NaN/Inf and duplicates of embedding files"},
    {"gap", cmd_gap, "modality-gap diagnostics of paired embeddings X Y"},
    {"comet", cmd_comet, "COMET PLS-SVD concept decomposition: fit, explain, apply"},
    {"eval", cmd_eval, "retrieval and zero-shot evaluation, with splits and transforms"},
    {"synth", cmd_synth, "generate paired embeddings with a known structure"},
    {"align", cmd_align, "fit and apply post-hoc gap-closing transforms (align fit|apply)"},
    {"compare", cmd_compare, "every transform side by side: gap, retrieval, zero-shot, groups"},
    {"report", cmd_report, "re-render a report.json as its HTML page (report render)"},
    {"study", cmd_study, "published case studies on your data (analogy-nngs)"},
    {"similarity", cmd_similarity, "how alike two spaces of the same items are (NNGS, CKA...)"},
    {"knn", cmd_knn, "exact k nearest neighbours of every row (graph or queries)"},
    {"curate", cmd_curate, "pseudo-pairs from unpaired audio and text pools (threshold, top-k)"},
    {"leakage", cmd_leakage, "how much zero-shot accuracy the item space's own separability explains"},
    {"train", cmd_train, "train projection heads on frozen embeddings (InfoNCE, SoftCLAP, ModGap)"},
};
#define N_COMMANDS (int)(sizeof commands / sizeof commands[0])

static void print_usage(FILE *f)
{
    fprintf(f, "usage: gapkit COMMAND [options] FILES…\n\ncommands:\n");
    for (int i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "  %-10s %s\n", "help", "help COMMAND: the options of a command");
    fprintf(f, "\n'gapkit help COMMAND' or 'gapkit COMMAND --help' for details; docs/ has a page"
               " per command.\n");
}

static const cli_command *find_command(const char *name)
{
    for (int i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return CLI_USAGE;
    }
    opterr = 0; /* commands report unknown options in their own words */
    cli_progress_init(argc, argv);
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
        print_usage(stdout);
        return CLI_OK;
    }
    if (!strcmp(name, "--version")) {
        printf("gapkit %s (library %s)\n", GK_VERSION_STRING, gk_version_string());
        return gk_version_number() == GK_VERSION_NUMBER ? CLI_OK : CLI_INTERNAL;
    }
    if (!strcmp(name, "help")) {
        if (argc < 3) {
            print_usage(stdout);
            return CLI_OK;
        }
        const cli_command *c = find_command(argv[2]);
        if (!c) return cli_usage(NULL, "unknown command '%s'", argv[2]);
        char *help_argv[] = {argv[2], "--help", NULL};
        return c->fn(2, help_argv);
    }
    const cli_command *c = find_command(name);
    if (!c) {
        fprintf(stderr, "gapkit: unknown command '%s'\n", name);
        print_usage(stderr);
        return CLI_USAGE;
    }
    gk_io_guard(1); /* no output over an input, no two outputs on one file */
    int rc = cli_memory_limited() ? gk_blas_reserve() : GK_OK; /* startup.c says why */
    if (rc != GK_OK) return cli_fail(name, rc);
    gk_outfile_set_begin(); /* a command's output files appear together or not at all */
    int out = cli_dist_run(c->fn, argc - 1, argv + 1); /* one process, or MPI ranks */
    rc = gk_outfile_set_end(out == CLI_OK);
    return rc == GK_OK ? out : cli_fail(name, rc);
}
