/*
** cli_views.c — M paired views, item classes and class prompts from the
** command line (see cli_views.h).
*/
#include <stdlib.h>
#include <string.h>

#include "cli_views.h"

void cli_views_free(cli_views *in)
{
    if (in->pairs.x) cli_pairs_free(&in->pairs);
    else
        for (int v = 0; v < in->M; v++) gk_mat_free(in->views[v]);
    gk_labels_free(in->labels);
    gk_labels_free(in->plabels);
    gk_mat_free(in->prompts);
    gk_mat_free(in->classes);
    free(in->y);
    memset(in, 0, sizeof *in);
}

static int read_labels(const char *cmd, const char *spec, int64_t n, const char *what,
                       gk_labels **out)
{
    int st = gk_labels_read_rows(spec, n, what, out);
    return st == GK_OK ? CLI_OK : cli_fail(cmd, st);
}

static int load_views(const char *cmd, const cli_common *c0, int has_prompts, int n,
                      char **files, cli_views *in)
{
    int rc;
    cli_common c = *c0;
    in->M = n;
    if (n == 2) {
        if (has_prompts) c.prompt_labels = NULL; /* they label the --prompts rows */
        if ((rc = cli_load_pairs(cmd, files[0], files[1], &c, &in->pairs))) return rc;
        in->views[0] = in->pairs.x, in->views[1] = in->pairs.y;
        return CLI_OK;
    }
    if (c.pair_by_label) return cli_usage(cmd, "--pair-by-label pairs two views only");
    for (int v = 0; v < n; v++) {
        if ((rc = cli_load_one(cmd, files[v], c.normalize, &in->views[v]))) return rc;
        if ((rc = cli_check_paired(cmd, files[0], in->views[0], files[v], in->views[v], 1, 0)))
            return rc;
    }
    if (c.labels) return read_labels(cmd, c.labels, in->views[0]->rows, files[0], &in->labels);
    return CLI_OK;
}

/* Item classes and class embeddings from prompts (rows labelled by class). */
static int prompt_classes(const char *cmd, const gk_labels *items, const gk_mat *prompts,
                          const gk_labels *pl, cli_views *in)
{
    int st;
    in->C = pl->n_classes;
    in->class_names = pl->name;
    if (!(in->y = malloc((size_t)items->n * sizeof *in->y)))
        return cli_fail(cmd, gk_set_error(GK_ENOMEM, "out of memory"));
    if ((st = gk_zeroshot_classes(items, pl, in->y)) != GK_OK ||
        (st = gk_zeroshot_ensemble(prompts, pl->id, in->C, &in->classes)) != GK_OK)
        return cli_fail(cmd, st);
    return CLI_OK;
}

static int load_classes(const char *cmd, const cli_common *c, const char *prompts,
                        cli_views *in)
{
    const gk_labels *items = in->pairs.x ? in->pairs.x_labels : in->labels;
    int rc;
    if (prompts) {
        if (!items || !c->prompt_labels)
            return cli_usage(cmd, "--prompts needs --labels and --prompt-labels");
        if ((rc = cli_load_one(cmd, prompts, c->normalize, &in->prompts)) ||
            (rc = read_labels(cmd, c->prompt_labels, in->prompts->rows, prompts, &in->plabels)))
            return rc;
        return prompt_classes(cmd, items, in->prompts, in->plabels, in);
    }
    if (in->pairs.y_prompts)
        return prompt_classes(cmd, items, in->pairs.y_prompts, in->pairs.y_labels, in);
    if (!items) return CLI_OK;
    in->C = items->n_classes;
    in->class_names = items->name;
    if (!(in->y = malloc((size_t)items->n * sizeof *in->y)))
        return cli_fail(cmd, gk_set_error(GK_ENOMEM, "out of memory"));
    memcpy(in->y, items->id, (size_t)items->n * sizeof *in->y);
    return CLI_OK;
}

int cli_views_load(const char *cmd, const cli_common *c, const char *prompts, int n,
                   char **files, cli_views *in)
{
    memset(in, 0, sizeof *in);
    int rc = load_views(cmd, c, prompts != NULL, n, files, in);
    return rc ? rc : load_classes(cmd, c, prompts, in);
}
