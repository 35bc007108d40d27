/*
** cmd_leakage.c — `gapkit leakage AUDIO PROMPTS --labels L --prompt-labels P`:
** how much of the zero-shot accuracy the item space's own class
** separability already accounts for (leakage.h), optionally with a
** transform's gains on item and class-disjoint splits and a backbone space.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { OPT_TRANSFORM = 1, OPT_BACKBONE, OPT_SPLIT, OPT_SPLIT_CSV, OPT_CLASS_FRACTION,
       OPT_BOOTSTRAP, OPT_NNGS_K };

typedef struct leakage_args {
    cli_common c;
    gk_leakage_opts o;
    gk_align_opts fit;  /* --transform METHOD (when has_fit) */
    int has_fit;
    gk_align *model;    /* --transform MODEL: owned, or NULL */
    gk_split_spec sp;
    const char *transform, *backbone, *split, *split_csv;
} leakage_args;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: gapkit leakage AUDIO PROMPTS --labels L --prompt-labels P [--transform T]\n"
        "                      [--backbone FILE] [--split S] [--class-fraction F]\n"
        "                      [--bootstrap B] [--nngs-k K] [--seed S] [--json]\n"
        "How much of the zero-shot accuracy of AUDIO (items) against PROMPTS (class\n"
        "prompts, several per class are averaged) is inherited from the class\n"
        "separability the item space has on its own (Tavares et al., ICASSP 2025).\n\n"
        "  --labels L          class of each item (text file or FILE.csv:COLUMN)\n"
        "  --prompt-labels P   class of each prompt row\n"
        "  --transform T       a transform eval accepts (procrustes, comet:k=16, a model\n"
        "                      file…): its zero-shot gain on an item split and on a\n"
        "                      class-disjoint split, with bootstrap intervals\n"
        "  --split S           the item split: random:F (default random:0.5) or\n"
        "                      fold:COLUMN=VALUE (column of --split-csv or of --labels' CSV)\n"
        "  --split-csv FILE    the CSV holding the fold column\n"
        "  --class-fraction F  test classes of the class-disjoint split (default 0.5)\n"
        "  --bootstrap B       bootstrap resamples of the test items (default 1000)\n"
        "  --backbone FILE     the same items embedded by the unimodal backbone:\n"
        "                      separability there, and NNGS with the joint space\n"
        "  --nngs-k K          NNGS scale (default 10)\n"
        "  --seed S            splits, probe folds and bootstrap (default 0)\n"
        "  --no-normalize      keep rows as they are (default: L2-normalise every row)\n"
        "  --json              print a JSON document instead of the table\n");
}

static int parse_option(const char *cmd, int opt, const char *arg, void *ctx)
{
    leakage_args *a = ctx;
    int64_t v;
    switch (opt) {
    case OPT_TRANSFORM: a->transform = arg; return CLI_OK;
    case OPT_BACKBONE: a->backbone = arg; return CLI_OK;
    case OPT_SPLIT: a->split = arg; return CLI_OK;
    case OPT_SPLIT_CSV: a->split_csv = arg; return CLI_OK;
    case OPT_CLASS_FRACTION:
        if (cli_parse_f64(arg, 1e-9, 1 - 1e-9, &a->o.class_fraction))
            return cli_usage(cmd, "--class-fraction %s (expected a number in (0, 1))", arg);
        return CLI_OK;
    case OPT_BOOTSTRAP:
        if (cli_parse_i64(arg, 10, 1000000, &v))
            return cli_usage(cmd, "--bootstrap %s (expected an integer 10..1000000)", arg);
        a->o.n_boot = (int)v;
        return CLI_OK;
    case OPT_NNGS_K:
        if (gk_kspec_parse(arg, &a->o.nngs_k) != GK_OK)
            return cli_usage(cmd, "--nngs-k: %s", gk_last_error());
        return CLI_OK;
    default: return cli_usage(cmd, "unknown option (see --help)");
    }
}

typedef struct leakage_inputs {
    gk_mat *items, *prompts;
    gk_labels *li, *lp; /* class of each item / prompt row */
    gk_mat *classes;   /* (C,D) ensembled prompts */
    gk_mat *backbone;
    int32_t *y;        /* (N,) class of each item */
    gk_split *split;   /* the item split, or NULL for the default */
} leakage_inputs;

static void inputs_free(leakage_inputs *in)
{
    gk_mat_free(in->items);
    gk_mat_free(in->prompts);
    gk_labels_free(in->li);
    gk_labels_free(in->lp);
    gk_mat_free(in->classes);
    gk_mat_free(in->backbone);
    free(in->y);
    gk_split_free(in->split);
}

static int check_args(const char *cmd, leakage_args *a)
{
    if (!a->c.labels || !a->c.prompt_labels)
        return cli_usage(cmd, "--labels and --prompt-labels are required (the class of each "
                         "item and of each prompt)");
    int st = a->transform ? gk_transform_open(a->transform, &a->fit, &a->has_fit, &a->model)
                          : GK_OK;
    if (st != GK_OK)
        return st == GK_EARG ? cli_usage(cmd, "--transform: %s", gk_last_error())
                             : cli_fail(cmd, st);
    if (a->split && gk_split_parse(a->split, &a->sp) != GK_OK)
        return cli_usage(cmd, "--split: %s", gk_last_error());
    if (a->split && (a->sp.kind == GK_SPLIT_CLASSES || (a->sp.kind == GK_SPLIT_FOLD &&
                                                        !a->sp.has_value)))
        return cli_usage(cmd, "--split %s: the item split is random:F or fold:COLUMN=VALUE (the "
                         "class-disjoint split is always made, see --class-fraction)", a->split);
    if (a->split && !a->transform) return cli_usage(cmd, "--split needs --transform");
    return CLI_OK;
}

static int make_item_split(const char *cmd, const leakage_args *a, leakage_inputs *in)
{
    char **v = NULL;
    int64_t n = 0;
    int rc;
    if (!a->split) return CLI_OK;
    if (a->sp.kind == GK_SPLIT_FOLD &&
        (rc = cli_fold_values(cmd, a->split_csv, a->c.labels, a->sp.column, in->items->rows, &v, &n)))
        return rc;
    int st = gk_split_make(&a->sp, in->items->rows, in->y, in->classes->rows,
                           (const char *const *)v, a->c.seed, &in->split);
    gk_strings_free(v, n);
    return st == GK_OK ? CLI_OK : cli_fail(cmd, st);
}

static int load_inputs(const char *cmd, char **files, const leakage_args *a, leakage_inputs *in)
{
    int rc, st;
    if ((rc = cli_load_one(cmd, files[0], a->c.normalize, &in->items)) ||
        (rc = cli_load_one(cmd, files[1], a->c.normalize, &in->prompts)) ||
        (rc = cli_check_paired(cmd, files[0], in->items, files[1], in->prompts, 0, 1)))
        return rc;
    if ((st = gk_labels_read(a->c.labels, &in->li)) != GK_OK) return cli_fail(cmd, st);
    if ((rc = cli_check_label_count(cmd, a->c.labels, in->li, in->items, files[0]))) return rc;
    if ((st = gk_labels_read(a->c.prompt_labels, &in->lp)) != GK_OK) return cli_fail(cmd, st);
    if ((rc = cli_check_label_count(cmd, a->c.prompt_labels, in->lp, in->prompts, files[1])))
        return rc;
    in->y = malloc((size_t)in->items->rows * sizeof *in->y);
    if (!in->y) return cli_fail(cmd, gk_set_error(GK_ENOMEM, "out of memory"));
    if ((st = gk_zeroshot_classes(in->li, in->lp, in->y)) != GK_OK ||
        (st = gk_zeroshot_ensemble(in->prompts, in->lp->id, in->lp->n_classes,
                                   &in->classes)) != GK_OK)
        return cli_fail(cmd, st);
    if (a->backbone && (rc = cli_load_one(cmd, a->backbone, a->c.normalize, &in->backbone)))
        return rc;
    return make_item_split(cmd, a, in);
}

static void print_sep(const char *name, const gk_separability *s)
{
    printf("  %-10s kNN %.4f  probe %.4f ± %.4f  NCC %.4f  silhouette %.4f  Fisher %.4f\n", name,
           s->knn_acc, s->probe_acc, s->probe_sd, s->ncc_acc, s->silhouette, s->fisher);
}

static void print_gain(const char *name, const gk_leakage_gain *g)
{
    printf("  %-16s %.4f → %.4f  gain %+.4f [%+.4f, %+.4f]  (%lld test items, %d classes; %s)\n",
           name, g->base, g->with, g->gain, g->lo, g->hi, (long long)g->n_test, (int)g->n_classes,
           g->split);
}

static void print_table(const gk_leakage_result *r, const gk_leakage_opts *o, char **names)
{
    char line[1024];
    printf("leakage: %lld items, %d classes; zero-shot top-1 %.4f\n", (long long)r->n,
           (int)r->n_classes, r->zs_top1);
    printf("class separability on its own:\n");
    print_sep("items", &r->items);
    if (r->has_backbone) {
        print_sep("backbone", &r->backbone);
        printf("  NNGS(backbone, joint) at k = %lld: %.4f (raw %.4f, chance %.4f)\n",
               (long long)r->nngs.k, r->nngs.value, r->nngs.raw, r->nngs.chance);
    }
    printf("prompts: mean cosine between classes %.4f, nearest other class %.4f, closest pair "
           "%s / %s %.4f\n", r->prompt_cos_mean, r->prompt_nn_cos, names[r->max_a],
           names[r->max_b], r->prompt_cos_max);
    printf("item margins cos(true) − max cos(other): mean %.4f, median %.4f\n", r->margin_mean,
           r->margin_median);
    gk_leakage_statement(r, line, sizeof line);
    printf("inherited: %s\n", line);
    if (!r->has_transform) return;
    printf("transform %s (bootstrap B = %d, seed %llu):\n", r->item_gain.transform, o->n_boot,
           (unsigned long long)o->seed);
    print_gain("item split", &r->item_gain);
    print_gain("class-disjoint", &r->class_gain);
}

static int run(const char *cmd, char **files, leakage_args *a)
{
    leakage_inputs in;
    gk_leakage_result r;
    char *json = NULL;
    memset(&in, 0, sizeof in);
    int out = load_inputs(cmd, files, a, &in);
    if (out == CLI_OK) {
        a->o.seed = a->c.seed;
        a->o.fit = a->has_fit ? &a->fit : NULL;
        a->o.model = a->model;
        a->o.backbone = in.backbone;
        a->o.item_split = in.split;
        int rc = gk_leakage_run(in.items, in.y, in.classes, &a->o, &r);
        if (rc == GK_OK && a->c.json)
            rc = gk_leakage_to_json(&r, &a->o, (const char *const *)in.lp->name, &json);
        out = rc == GK_OK ? CLI_OK : cli_fail(cmd, rc);
    }
    if (out == CLI_OK && json) cli_print_json(json);
    else if (out == CLI_OK) print_table(&r, &a->o, in.lp->name);
    gk_free(json);
    inputs_free(&in);
    return out;
}

int cmd_leakage(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_OPTIONS,
        {"transform", required_argument, 0, OPT_TRANSFORM},
        {"backbone", required_argument, 0, OPT_BACKBONE},
        {"split", required_argument, 0, OPT_SPLIT},
        {"split-csv", required_argument, 0, OPT_SPLIT_CSV},
        {"class-fraction", required_argument, 0, OPT_CLASS_FRACTION},
        {"bootstrap", required_argument, 0, OPT_BOOTSTRAP},
        {"nngs-k", required_argument, 0, OPT_NNGS_K},
        {0, 0, 0, 0}};
    leakage_args a;
    int help = 0, r;
    memset(&a, 0, sizeof a);
    a.o = gk_leakage_opts_default();
    cli_common_init(&a.c);
    if ((r = cli_getopt(argv[0], argc, argv, longopts, &a.c, parse_option, &a, &help)))
        return r;
    if (help) return usage(stdout), CLI_OK;
    if (argc - optind != 2) return cli_usage(argv[0], "expected two inputs AUDIO PROMPTS");
    if (!(r = check_args(argv[0], &a))) r = run(argv[0], argv + optind, &a);
    gk_align_free(a.model);
    return r;
}
