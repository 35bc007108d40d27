/*
** cli_views.h — loading M paired views with their item classes and class
** prompts, the inputs of `gapkit compare` and `gapkit analyze`.
*/
#ifndef GAPKIT_CLI_VIEWS_H
#define GAPKIT_CLI_VIEWS_H

#include "cli.h"

typedef struct cli_views {
    int M;                              /* views */
    gk_mat *views[GK_ALIGN_MAX_VIEWS];  /* (N,D_v); borrowed from pairs for two views */
    cli_pairs pairs;                    /* two views: X, Y (expanded with --pair-by-label) */
    gk_labels *labels, *plabels;        /* owned (views > 2, or --prompts) */
    gk_mat *prompts, *classes;          /* --prompts rows; class embeddings (C,D) */
    int32_t *y;                         /* (N,) item classes, or NULL */
    int32_t C;                          /* classes */
    char **class_names;                 /* (C,) borrowed */
} cli_views;

/* Loads files[0..n) (2 <= n <= GK_ALIGN_MAX_VIEWS) as paired views, with
** c->labels (a label per item), and the class prompts: `prompts` (a file of
** prompt rows labelled by c->prompt_labels) or, for two views with
** --pair-by-label, the rows of the second view.  With prompts, item classes
** are the prompts' classes (y, C, class_names) and `classes` their
** ensembled embeddings; with labels only, the labels' classes.  Prints the
** error and returns its exit code on failure; cli_views_free() either way. */
int cli_views_load(const char *cmd, const cli_common *c, const char *prompts, int n,
                   char **files, cli_views *in);

void cli_views_free(cli_views *in);

#endif
