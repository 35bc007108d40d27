/*
** cmd_eval.c — `gapkit eval retrieval|zeroshot`: cross-modal retrieval and
** zero-shot classification (methods.md §5), optionally on the test part of
** a split and after a transform (a saved COMET model, or COMET fitted on the
** train part).  Parses, calls the library's protocols, prints a table or the
** library's JSON.  `--split fold:COLUMN` (no value) runs every fold in turn
** (gk_retrieval_kfold / gk_zeroshot_kfold) and prints the summary over folds.
*/
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_json.h"

enum { OPT_GROUPS_X = 1, OPT_GROUPS_Y, OPT_TRANSFORM, OPT_WEIGHT, OPT_SPLIT, OPT_SPLIT_CSV,
       OPT_CONFUSION, OPT_BOOTSTRAP, OPT_KEEP_DUPLICATES };

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gapkit eval retrieval X Y [--groups-x F --groups-y F] [options]\n"
            "       gapkit eval zeroshot ITEMS PROMPTS --labels L --prompt-labels P [options]\n"
            "       gapkit eval analogy VECTORS --vocab V --questions Q [options]\n"
            "       gapkit eval cluster|probe X [Y …] --labels L [options]  (see eval cluster --help)\n\n"
            "retrieval: rows of X query Y and rows of Y query X; the true match of row i is\n"
            "  row i, or with --groups-x/--groups-y (label files or CSV:COLUMN; --labels and\n"
            "  --prompt-labels are the same) every row of the other side with the same\n"
            "  label.  R@1/5/10, mAP@10, mAP, MedR, MeanR.\n"
            "zeroshot: each item gets the class of its most similar prompt; repeated prompt\n"
            "  labels are averaged (prompt ensembles).  top-1, top-5, per-class accuracy.\n"
            "Ranks: ties in similarity go to the lower gallery index.\n\n"
            "  --split random:F     a seeded fraction F of the rows (of X / of the items) is test\n"
            "  --split classes:F    a seeded fraction F of the classes is test (class-disjoint;\n"
            "                       zero-shot then scores test items against test classes only)\n"
            "  --split fold:COL=V   rows whose CSV column COL equals V are test;\n"
            "  --split fold:COL     every value of COL in turn (k-fold, e.g. ESC-50's folds)\n"
            "  --split-csv FILE     CSV holding COL (default: the CSV of --labels / --groups-x)\n"
            "  --transform MODEL    a saved model (gapkit comet fit / gapkit align fit):\n"
            "                       view 0 -> first input, view 1 -> second\n"
            "  --transform METHOD[:KEY=V,…]   an align method fitted on the TRAIN part:\n"
            "                       center, shift:lambda=L, ablate:m=M, procrustes, cca:k=K,\n"
            "                       projdec (docs/compare.md)\n"
            "  --transform comet:k=K[,weight=none|align|corr]\n"
            "                       fit COMET on the TRAIN part of the split\n"
            "  --transform comet:k=auto   k chosen by 5-fold CV on the train pairs (mAP@10)\n"
            "  --weight W           coefficient weights for a MODEL: none, align, corr\n"
            "  --confusion OUT.npy  zeroshot: confusion counts (C,C), rows = true class\n"
            "  --bootstrap B        percentile bootstrap intervals (95%%) over the scored\n"
            "                       queries / items with B draws (default 1000, 0 = none)\n"
            "  --keep-duplicates    exact duplicate rows stay separate items (default: merged,\n"
            "                       and their count printed; zero-shot: items with the same\n"
            "                       row and class)\n"
            "  --seed S             split, CV and bootstrap seed (default 0)\n"
            "  --json               print a JSON document instead of the table\n"
            "  --no-normalize       keep rows as they are (default: L2-normalise)\n"
            "  --threads N          threads (0 = all)\n");
}

typedef struct eval_args {
    cli_common c;
    const char *groups_x, *groups_y, *transform, *split, *split_csv, *confusion;
    int weight_set;
    gk_comet_weight weight;
    gk_align_opts fit_opts; /* --transform METHOD: fitted on the train part */
    const gk_align_opts *fit; /* &fit_opts, or NULL */
    gk_align *model;        /* --transform MODEL: owned, or NULL */
    gk_split_spec sp;
    int64_t bootstrap; /* --bootstrap B (0 = no intervals) */
    int keep_duplicates;
} eval_args;

static int parse_weight(const char *cmd, const char *s, eval_args *a)
{
    if (!strcmp(s, "none")) a->weight = GK_COMET_W_NONE;
    else if (!strcmp(s, "align")) a->weight = GK_COMET_W_ALIGN;
    else if (!strcmp(s, "corr")) a->weight = GK_COMET_W_CORR;
    else return cli_usage(cmd, "--weight %s (expected none, align or corr)", s);
    a->weight_set = 1;
    return CLI_OK;
}

static int parse_one(const char *cmd, int opt, const char *arg, void *ctx)
{
    eval_args *a = ctx;
    switch (opt) {
    case OPT_GROUPS_X: a->groups_x = arg; return CLI_OK;
    case OPT_GROUPS_Y: a->groups_y = arg; return CLI_OK;
    case OPT_TRANSFORM: a->transform = arg; return CLI_OK;
    case OPT_WEIGHT: return parse_weight(cmd, arg, a);
    case OPT_SPLIT: a->split = arg; return CLI_OK;
    case OPT_SPLIT_CSV: a->split_csv = arg; return CLI_OK;
    case OPT_CONFUSION: a->confusion = arg; return CLI_OK;
    case OPT_KEEP_DUPLICATES: a->keep_duplicates = 1; return CLI_OK;
    case OPT_BOOTSTRAP:
        if (cli_parse_i64(arg, 0, 1000000, &a->bootstrap) || a->bootstrap == 1)
            return cli_usage(cmd, "--bootstrap %s (expected 0 or an integer in [2, 1000000])",
                             arg);
        return CLI_OK;
    default: return cli_usage(cmd, "unknown option (see --help)");
    }
}

/* Checks the option combination and parses --split and --transform. */
static int check_args(const char *cmd, eval_args *a)
{
    if (a->split && gk_split_parse(a->split, &a->sp) != GK_OK)
        return cli_usage(cmd, "--split %s: %s", a->split, gk_last_error());
    int has_fit = 0, st;
    if (a->transform &&
        (st = gk_transform_open(a->transform, &a->fit_opts, &has_fit, &a->model)) != GK_OK)
        return st == GK_EARG ? cli_usage(cmd, "--transform %s: %s", a->transform,
                                         gk_last_error())
                             : cli_fail(cmd, st);
    a->fit = has_fit ? &a->fit_opts : NULL;
    if (a->model && a->weight_set && a->weight != GK_COMET_W_NONE &&
        gk_align_get_opts(a->model)->method == GK_ALIGN_COMET &&
        (st = gk_align_set_comet(a->model, 0, a->weight)) != GK_OK)
        return cli_fail(cmd, st);
    if (has_fit && a->fit->method != GK_ALIGN_IDENTITY && !a->split)
        return cli_usage(cmd, "--transform %s fits on the data and needs --split (fitting and "
                         "scoring the same rows leaks)", a->transform);
    /* --labels / --prompt-labels mean what they mean everywhere: a label per
    ** row of X / of Y; in retrieval a query's true matches are the rows of the
    ** other side with its label, which is what --groups-x / --groups-y say */
    if (!a->groups_x) a->groups_x = a->c.labels;
    if (!a->groups_y) a->groups_y = a->c.prompt_labels;
    if (!a->groups_x != !a->groups_y)
        return cli_usage(cmd, "give both --groups-x and --groups-y (or --labels and "
                         "--prompt-labels), or neither");
    return CLI_OK;
}

static int parse_args(const char *cmd, int argc, char **argv, eval_args *a, int *help)
{
    static const struct option longopts[] = {
        CLI_COMMON_OPTIONS,
        {"groups-x", required_argument, 0, OPT_GROUPS_X},
        {"groups-y", required_argument, 0, OPT_GROUPS_Y},
        {"transform", required_argument, 0, OPT_TRANSFORM},
        {"weight", required_argument, 0, OPT_WEIGHT},
        {"split", required_argument, 0, OPT_SPLIT},
        {"split-csv", required_argument, 0, OPT_SPLIT_CSV},
        {"confusion", required_argument, 0, OPT_CONFUSION},
        {"bootstrap", required_argument, 0, OPT_BOOTSTRAP},
        {"keep-duplicates", no_argument, 0, OPT_KEEP_DUPLICATES},
        {0, 0, 0, 0}};
    int rc;
    memset(a, 0, sizeof *a);
    a->bootstrap = gk_boot_opts_default().B;
    cli_common_init(&a->c);
    if ((rc = cli_getopt(cmd, argc, argv, longopts, &a->c, parse_one, a, help)) || *help)
        return rc;
    return check_args(cmd, a);
}

/*====  splits  ====*/

/* 1 when --split fold:COLUMN (no value) asks for every fold in turn. */
static int is_kfold(const eval_args *a)
{
    return a->split && a->sp.kind == GK_SPLIT_FOLD && !a->sp.has_value;
}

/* The fold column over n rows when the split needs it (else *v stays NULL). */
static int split_values(const char *cmd, const eval_args *a, const char *labels, int64_t n,
                        char ***v, int64_t *nv)
{
    if (!a->split || a->sp.kind != GK_SPLIT_FOLD) return CLI_OK;
    return cli_fold_values(cmd, a->split_csv, labels, a->sp.column, n, v, nv);
}

/* The split of a single run (NULL without --split). */
static int make_split(const char *cmd, const eval_args *a, int64_t n, const int32_t *cls,
                      int32_t n_classes, char **values, gk_split **out)
{
    *out = NULL;
    if (!a->split) return CLI_OK;
    if (a->sp.kind == GK_SPLIT_CLASSES && !cls)
        return cli_usage(cmd, "--split classes:… needs classes (--groups-x/--groups-y for "
                         "retrieval)");
    int st = gk_split_make(&a->sp, n, cls, n_classes, (const char *const *)values, a->c.seed,
                           out);
    return st == GK_OK ? CLI_OK : cli_fail(cmd, st);
}

/* Prints the library's JSON text as the command's document. */
static int print_doc(const char *cmd, int st, char *json)
{
    int rc = st == GK_OK ? cli_json_print(cmd, cli_json_parse(json)) : cli_fail(cmd, st);
    gk_free(json);
    return rc;
}

/* One row of a summary over folds: mean, sd and the t interval. */
static void print_fold_row(const char *dir, const char *name, const gk_t_ci *c)
{
    printf("  %-8s %-7s %9.4f %9.4f  [%.4f, %.4f]\n", dir, name, c->mean, c->sd, c->lo, c->hi);
}

static void print_fold_header(int64_t F)
{
    printf("\nover the %lld folds: mean, sample sd, %g%% Student t interval (mean ± "
           "t·sd/√%lld)\n  %-8s %-7s %9s %9s  %s\n", (long long)F, 100 * GK_FOLD_LEVEL,
           (long long)F, "", "", "mean", "sd", "interval");
}

/*====  retrieval  ====*/

typedef struct rt_inputs {
    gk_mat *x, *y;
    gk_labels *lx, *ly;
    int32_t *gx, *gy;
} rt_inputs;

static void rt_inputs_free(rt_inputs *in)
{
    gk_mat_free(in->x);
    gk_mat_free(in->y);
    gk_labels_free(in->lx);
    gk_labels_free(in->ly);
    free(in->gx);
    free(in->gy);
}

static int read_groups(const char *cmd, const char *spec, const gk_mat *m, const char *mspec,
                       gk_labels **out)
{
    int st = gk_labels_read_rows(spec, m->rows, mspec, out);
    return st == GK_OK ? CLI_OK : cli_fail(cmd, st);
}

static int rt_load(const char *cmd, const eval_args *a, char **files, rt_inputs *in)
{
    int rc;
    if ((rc = cli_load_one(cmd, files[0], a->c.normalize, &in->x))) return rc;
    if ((rc = cli_load_one(cmd, files[1], a->c.normalize, &in->y))) return rc;
    if ((rc = cli_check_paired(cmd, files[0], in->x, files[1], in->y, !a->groups_x, 1)))
        return rc;
    if (!a->groups_x) return CLI_OK;
    if ((rc = read_groups(cmd, a->groups_x, in->x, files[0], &in->lx))) return rc;
    if ((rc = read_groups(cmd, a->groups_y, in->y, files[1], &in->ly))) return rc;
    in->gx = malloc((size_t)in->x->rows * sizeof *in->gx);
    in->gy = malloc((size_t)in->y->rows * sizeof *in->gy);
    if (!in->gx || !in->gy) return cli_fail(cmd, gk_set_error(GK_ENOMEM, "out of memory"));
    int st = gk_groups_from_labels(in->lx, in->ly, in->gx, in->gy);
    return st == GK_OK ? CLI_OK : cli_fail(cmd, st);
}

static void print_metrics_row(const char *dir, const gk_retrieval_metrics *m)
{
    printf("  %-8s %8lld %8lld %7.4f %7.4f %7.4f %7.4f %7.4f %7.1f %8.2f\n", dir,
           (long long)m->n_scored, (long long)m->n_gallery, m->r1, m->r5, m->r10, m->map10,
           m->map, m->medr, m->meanr);
}

/* The bootstrap options of --bootstrap and --seed. */
static gk_boot_opts boot_opts(const eval_args *a)
{
    gk_boot_opts o = gk_boot_opts_default();
    o.B = (int)a->bootstrap;
    o.seed = a->c.seed;
    return o;
}

static void print_ci_row(const char *dir, const gk_retrieval_ci *c)
{
    printf("  %-8s R@1 [%.4f, %.4f]  R@5 [%.4f, %.4f]  R@10 [%.4f, %.4f]\n"
           "  %-8s mAP@10 [%.4f, %.4f]  mAP [%.4f, %.4f]  MedR [%.1f, %.1f]  MeanR [%.2f, %.2f]\n",
           dir, c->r1.lo, c->r1.hi, c->r5.lo, c->r5.hi, c->r10.lo, c->r10.hi, "",
           c->map10.lo, c->map10.hi, c->map.lo, c->map.hi, c->medr.lo, c->medr.hi, c->meanr.lo,
           c->meanr.hi);
}

static void print_retrieval(const gk_retrieval_result *r)
{
    printf("split:     %s\ntransform: %s\n", r->split, r->transform);
    if (r->dedup && (r->merged_x || r->merged_y))
        printf("duplicates: %lld rows of X and %lld of Y are exact copies of earlier rows and "
               "were merged\n            (true matches: every row paired with any copy; "
               "--keep-duplicates keeps them apart)\n", (long long)r->merged_x,
               (long long)r->merged_y);
    else if (r->dedup) printf("duplicates: none (exact copies are looked for and merged)\n");
    printf("  %-8s %8s %8s %7s %7s %7s %7s %7s %7s %8s\n", "", "queries", "gallery", "R@1",
           "R@5", "R@10", "mAP@10", "mAP", "MedR", "MeanR");
    print_metrics_row("X -> Y", &r->x2y);
    print_metrics_row("Y -> X", &r->y2x);
    if (!r->has_ci) return;
    printf("%g%% intervals (percentile bootstrap over the scored queries, B = %d, seed %llu):\n",
           100 * r->boot.level, r->boot.B, (unsigned long long)r->boot.seed);
    print_ci_row("X -> Y", &r->x2y_ci);
    print_ci_row("Y -> X", &r->y2x_ci);
}

static gk_score_opts score_opts(const eval_args *a)
{
    return (gk_score_opts){a->bootstrap > 0, boot_opts(a), a->keep_duplicates};
}

/* One run on the split of --split (or none): the table or the JSON. */
static int rt_single(const char *cmd, const eval_args *a, char **files, const rt_inputs *in,
                     char **values)
{
    gk_split *s = NULL;
    gk_retrieval_result r;
    char *json = NULL;
    int rc = make_split(cmd, a, in->x->rows, in->gx, in->lx ? in->lx->n_classes : 0, values, &s);
    if (rc) return rc;
    const gk_score_opts so = score_opts(a);
    int st = gk_retrieval_protocol_opts(in->x, in->y, in->gx, in->gy, s, a->fit, a->model,
                                        a->c.seed, &so, &r);
    gk_split_free(s);
    if (st == GK_OK && a->c.json) st = gk_retrieval_to_json(&r, files[0], files[1], &json);
    if (st != GK_OK || a->c.json) return print_doc(cmd, st, json);
    print_retrieval(&r);
    return CLI_OK;
}

static void print_retrieval_folds(const gk_retrieval_folds *r)
{
    const char *name[7] = {"R@1", "R@5", "R@10", "mAP@10", "mAP", "MedR", "MeanR"};
    for (int64_t f = 0; f < r->n_folds; f++) {
        printf("%sfold %s=%s\n", f ? "\n" : "", r->column, r->value[f]);
        print_retrieval(&r->fold[f]);
    }
    print_fold_header(r->n_folds);
    for (int d = 0; d < 2; d++) {
        const gk_retrieval_fold_summary *s = d ? &r->y2x : &r->x2y;
        const gk_t_ci *c[7] = {&s->r1, &s->r5, &s->r10, &s->map10, &s->map, &s->medr,
                               &s->meanr};
        for (int m = 0; m < 7; m++) print_fold_row(m ? "" : d ? "Y -> X" : "X -> Y", name[m], c[m]);
    }
}

/* Every fold of --split fold:COLUMN in turn, and the summary over folds. */
static int rt_folds(const char *cmd, const eval_args *a, char **files, const rt_inputs *in,
                    char **values)
{
    gk_retrieval_folds *r = NULL;
    char *json = NULL;
    const gk_score_opts so = score_opts(a);
    int st = gk_retrieval_kfold(in->x, in->y, in->gx, in->gy, (const char *const *)values,
                                a->sp.column, a->fit, a->model, a->c.seed, &so, &r);
    if (st == GK_OK && a->c.json) st = gk_retrieval_folds_to_json(r, files[0], files[1], &json);
    int rc = CLI_OK;
    if (st != GK_OK || a->c.json) rc = print_doc(cmd, st, json);
    else print_retrieval_folds(r);
    gk_retrieval_folds_free(r);
    return rc;
}

/* Under MPI with groups: every rank reads every label of the nx rows of X
** and ny of Y (the labels are small) into in->gx, in->gy; the same verdict
** on every rank. */
static int dist_groups(const char *cmd, const eval_args *a, char **files, int64_t nx,
                       int64_t ny, rt_inputs *in)
{
    int st = gk_labels_read_rows(a->groups_x, nx, files[0], &in->lx);
    if (st == GK_OK) st = gk_labels_read_rows(a->groups_y, ny, files[1], &in->ly);
    if (st == GK_OK) {
        in->gx = malloc((size_t)(nx ? nx : 1) * sizeof *in->gx);
        in->gy = malloc((size_t)(ny ? ny : 1) * sizeof *in->gy);
        st = in->gx && in->gy ? gk_groups_from_labels(in->lx, in->ly, in->gx, in->gy)
                              : gk_set_error(GK_ENOMEM, "out of memory");
    }
    int who, all = gk_dist_agree(st, &who);
    if (all != GK_OK && st == GK_OK)
        st = gk_set_error(all, "stopped: rank %d could not read the groups", who);
    return st == GK_OK ? CLI_OK : cli_fail(cmd, st);
}

/* Under MPI: each rank reads its rows of X and Y (a file or @LIST of shards,
** dist.h) and, with groups, every row's label; the ranks come from the kNN
** ring, rank 0 prints (dist_retrieval.c). */
static int eval_retrieval_dist(const char *cmd, const eval_args *a, char **files)
{
    if (a->split || a->fit || !a->keep_duplicates)
        return cli_usage(cmd, "under MPI, retrieval keeps exact copies: give --keep-duplicates, "
                         "no --split and no transform to fit (a fitted model file is fine: fit "
                         "it first, e.g. mpirun … gapkit align fit)");
    gk_shard *x = NULL, *y = NULL;
    rt_inputs in = {0};
    gk_retrieval_result r;
    char *json = NULL;
    const gk_boot_opts bo = boot_opts(a);
    int st = a->groups_x ? gk_shard_open(files[0], a->c.normalize, &x)
                         : gk_shard_open_pair(files[0], files[1], a->c.normalize, &x, &y);
    if (st == GK_OK && a->groups_x) st = gk_shard_open(files[1], a->c.normalize, &y);
    if (st != GK_OK) return gk_shard_free(x), cli_fail(cmd, st);
    int rc = a->groups_x ? dist_groups(cmd, a, files, x->n, y->n, &in) : CLI_OK;
    if (rc == CLI_OK)
        st = gk_dist_retrieval(&x->rows, &y->rows, in.gx, in.gy, NULL, a->model,
                               a->bootstrap > 0 ? &bo : NULL, &r);
    if (rc == CLI_OK && st == GK_OK && gk_dist_rank() == 0 && a->c.json &&
        (st = gk_retrieval_to_json(&r, files[0], files[1], &json)) == GK_OK)
        rc = cli_json_print(cmd, cli_json_parse(json)); /* says "ranks" */
    else if (rc == CLI_OK && st == GK_OK && gk_dist_rank() == 0) {
        printf("retrieval: X = %s (%lld rows), Y = %s (%lld rows)%s\n", files[0],
               (long long)x->n, files[1], (long long)y->n, cli_ranks_note());
        print_retrieval(&r);
    }
    if (rc == CLI_OK && st != GK_OK) rc = cli_fail(cmd, st);
    gk_free(json);
    rt_inputs_free(&in);
    gk_shard_free(x), gk_shard_free(y);
    return rc;
}

static int eval_retrieval(const char *cmd, const eval_args *a, int nfiles, char **files)
{
    rt_inputs in = {0};
    char **values = NULL;
    int64_t nval = 0;
    int rc;
    if (nfiles != 2) return cli_usage(cmd, "retrieval expects two inputs X Y");
    if (gk_dist_active()) return eval_retrieval_dist(cmd, a, files);
    if ((rc = rt_load(cmd, a, files, &in)) ||
        (rc = split_values(cmd, a, a->groups_x, in.x->rows, &values, &nval)))
        goto cleanup;
    if (!a->c.json) printf("retrieval: X = %s (%lld rows), Y = %s (%lld rows)\n", files[0],
                           (long long)in.x->rows, files[1], (long long)in.y->rows);
    rc = is_kfold(a) ? rt_folds(cmd, a, files, &in, values)
                     : rt_single(cmd, a, files, &in, values);
cleanup:
    if (values) gk_strings_free(values, nval);
    rt_inputs_free(&in);
    return rc;
}

/*====  zero-shot  ====*/

typedef struct zs_inputs {
    gk_mat *items, *prompts, *classes;
    gk_labels *li, *lp;
    int32_t *y;
} zs_inputs;

static void zs_inputs_free(zs_inputs *in)
{
    gk_mat_free(in->items);
    gk_mat_free(in->prompts);
    gk_mat_free(in->classes);
    gk_labels_free(in->li);
    gk_labels_free(in->lp);
    free(in->y);
}

/* The prompts, labels, classes y of the n items (of which `items` holds some
** rows, for the width check) and the class embeddings. */
static int zs_load_rest(const char *cmd, const eval_args *a, char **files, const gk_mat *items,
                        int64_t n, zs_inputs *in)
{
    int rc, st;
    const gk_mat shape = {NULL, n, items->cols, items->cols, 1, NULL}; /* n rows of labels */
    if ((rc = cli_load_one(cmd, files[1], a->c.normalize, &in->prompts)) ||
        (rc = cli_check_paired(cmd, files[0], items, files[1], in->prompts, 0, 1)))
        return rc;
    if ((rc = read_groups(cmd, a->c.labels, &shape, files[0], &in->li))) return rc;
    if ((rc = read_groups(cmd, a->c.prompt_labels, in->prompts, files[1], &in->lp))) return rc;
    int32_t C = in->lp->n_classes;
    in->y = malloc((size_t)(n ? n : 1) * sizeof *in->y);
    if (!in->y) return cli_fail(cmd, gk_set_error(GK_ENOMEM, "out of memory"));
    if ((st = gk_zeroshot_classes(in->li, in->lp, in->y)) != GK_OK ||
        (st = gk_zeroshot_ensemble(in->prompts, in->lp->id, C, &in->classes)) != GK_OK)
        return cli_fail(cmd, st);
    return CLI_OK;
}

static int zs_load(const char *cmd, const eval_args *a, char **files, zs_inputs *in)
{
    int rc = cli_load_one(cmd, files[0], a->c.normalize, &in->items);
    return rc ? rc : zs_load_rest(cmd, a, files, in->items, in->items->rows, in);
}

/* Index of the least accurate class with items not yet taken, or -1. */
static int32_t worst_class(const gk_zeroshot_result *r, const unsigned char *taken)
{
    int32_t w = -1;
    for (int32_t c = 0; c < r->n_classes; c++)
        if (r->class_n[c] && !taken[c] && (w < 0 || r->class_acc[c] < r->class_acc[w])) w = c;
    return w;
}

static void print_zeroshot(const gk_zeroshot_result *r, const gk_labels *lp)
{
    printf("split:     %s\ntransform: %s\n", r->split, r->transform);
    if (r->dedup && r->merged)
        printf("duplicates: %lld items repeat an earlier item (same row, same class) and were "
               "merged into one query\n            (--keep-duplicates keeps them apart)\n",
               (long long)r->merged);
    else if (r->dedup) printf("duplicates: none (exact copies are looked for and merged)\n");
    printf("  items %lld, classes %d: top-1 %.4f, top-5 %.4f, mean per-class accuracy %.4f\n",
           (long long)r->n, r->n_classes, r->top1, r->top5, r->mean_class_acc);
    if (r->has_ci)
        printf("  %g%% intervals (percentile bootstrap over items, B = %d, seed %llu): top-1 "
               "[%.4f, %.4f], top-5 [%.4f, %.4f]\n", 100 * r->boot.level, r->boot.B,
               (unsigned long long)r->boot.seed, r->top1_ci.lo, r->top1_ci.hi, r->top5_ci.lo,
               r->top5_ci.hi);
    unsigned char *taken = calloc((size_t)r->n_classes, 1);
    if (!taken) return;
    printf("  least accurate classes:");
    for (int shown = 0; shown < 5; shown++) {
        int32_t w = worst_class(r, taken);
        if (w < 0) break;
        taken[w] = 1;
        char b[128];
        printf("%s %s %.3f", shown ? "," : "", cli_visible(lp->name[r->class_id[w]], b, sizeof b),
               r->class_acc[w]);
    }
    printf("\n");
    free(taken);
}

/* --confusion OUT.npy: counts (C,C) as float64, rows = true class. */
static int write_confusion(const char *cmd, const char *path, const int64_t *conf, int32_t C)
{
    double *d = malloc((size_t)C * (size_t)C * sizeof *d);
    if (!d) return cli_fail(cmd, gk_set_error(GK_ENOMEM, "out of memory"));
    for (int64_t i = 0; i < (int64_t)C * C; i++) d[i] = (double)conf[i];
    int st = gk_npy_write_f64(path, d, C, C);
    free(d);
    return st == GK_OK ? CLI_OK : cli_fail(cmd, st);
}

/* --confusion of one run: its counts under the original class indices (a
** class split scores only the test classes). */
static int write_run_confusion(const char *cmd, const char *path, const gk_zeroshot_result *r,
                               int32_t C)
{
    int64_t *sum = calloc((size_t)C * (size_t)C, sizeof *sum);
    if (!sum) return cli_fail(cmd, gk_set_error(GK_ENOMEM, "out of memory"));
    gk_zeroshot_confusion_add(r, sum, C);
    int rc = write_confusion(cmd, path, sum, C);
    free(sum);
    return rc;
}

/* One run on the split of --split (or none): the table or the JSON. */
static int zs_single(const char *cmd, const eval_args *a, const zs_inputs *in, char **values)
{
    gk_split *s = NULL;
    gk_zeroshot_result *r = NULL;
    char *json = NULL;
    const int32_t C = in->lp->n_classes;
    int rc = make_split(cmd, a, in->items->rows, in->y, C, values, &s);
    if (rc) return rc;
    const gk_score_opts so = score_opts(a);
    int st = gk_zeroshot_protocol_opts(in->items, in->y, in->classes, s, a->fit, a->model,
                                       a->c.seed, &so, &r);
    gk_split_free(s);
    if (st == GK_OK && a->c.json)
        st = gk_zeroshot_to_json(r, (const char *const *)in->lp->name, 0, &json);
    if (st != GK_OK || a->c.json) rc = print_doc(cmd, st, json);
    else print_zeroshot(r, in->lp);
    if (rc == CLI_OK && a->confusion) rc = write_run_confusion(cmd, a->confusion, r, C);
    gk_zeroshot_result_free(r);
    return rc;
}

static void print_zeroshot_folds(const gk_zeroshot_folds *r, const gk_labels *lp)
{
    for (int64_t f = 0; f < r->n_folds; f++) {
        printf("%sfold %s=%s\n", f ? "\n" : "", r->column, r->value[f]);
        print_zeroshot(r->fold[f], lp);
    }
    print_fold_header(r->n_folds);
    print_fold_row("", "top-1", &r->top1);
    print_fold_row("", "top-5", &r->top5);
    print_fold_row("", "class", &r->mean_class_acc);
    printf("  (class = mean per-class accuracy)\n");
}

/* Every fold of --split fold:COLUMN in turn, the summary over folds and the
** confusion counts summed over them. */
static int zs_folds(const char *cmd, const eval_args *a, const zs_inputs *in, char **values)
{
    gk_zeroshot_folds *r = NULL;
    char *json = NULL;
    const gk_score_opts so = score_opts(a);
    int st = gk_zeroshot_kfold(in->items, in->y, in->classes, (const char *const *)values,
                               a->sp.column, a->fit, a->model, a->c.seed, &so, &r);
    if (st == GK_OK && a->c.json)
        st = gk_zeroshot_folds_to_json(r, (const char *const *)in->lp->name, &json);
    int rc = CLI_OK;
    if (st != GK_OK || a->c.json) rc = print_doc(cmd, st, json);
    else print_zeroshot_folds(r, in->lp);
    if (rc == CLI_OK && a->confusion)
        rc = write_confusion(cmd, a->confusion, r->confusion, r->n_classes);
    gk_zeroshot_folds_free(r);
    return rc;
}

/* Under MPI: each rank reads its items (a file or @LIST of shards, dist.h) and
** every prompt and label; rank 0 prints and writes (dist_zeroshot.c). */
static int eval_zeroshot_dist(const char *cmd, const eval_args *a, char **files, zs_inputs *in)
{
    if (a->split || a->fit || !a->keep_duplicates)
        return cli_usage(cmd, "under MPI, zeroshot keeps exact copies: give --keep-duplicates, "
                         "no --split and no transform to fit (a fitted model file is fine)");
    gk_shard *x;
    gk_zeroshot_result *r = NULL;
    char *json = NULL;
    const gk_boot_opts bo = boot_opts(a);
    int st = gk_shard_open(files[0], a->c.normalize, &x), rc;
    if (st != GK_OK) return cli_fail(cmd, st);
    rc = zs_load_rest(cmd, a, files, &x->rows, x->n, in);
    if (rc == CLI_OK)
        st = gk_dist_zeroshot(&x->rows, in->classes, in->y, a->model,
                              a->bootstrap > 0 ? &bo : NULL, &r);
    if (rc == CLI_OK && st == GK_OK && gk_dist_rank() == 0) {
        if (a->c.json && (st = gk_zeroshot_to_json(r, (const char *const *)in->lp->name, 0,
                                                   &json)) == GK_OK)
            rc = cli_json_print(cmd, cli_json_parse(json)); /* says "ranks" */
        else if (!a->c.json) {
            printf("zero-shot: items = %s (%lld rows), prompts = %s (%lld rows, %d classes)%s\n",
                   files[0], (long long)x->n, files[1], (long long)in->prompts->rows,
                   in->lp->n_classes, cli_ranks_note());
            print_zeroshot(r, in->lp);
        }
        if (st == GK_OK && rc == CLI_OK && a->confusion)
            rc = write_run_confusion(cmd, a->confusion, r, in->lp->n_classes);
    }
    if (rc == CLI_OK && st != GK_OK) rc = cli_fail(cmd, st);
    gk_free(json);
    gk_zeroshot_result_free(r);
    gk_shard_free(x);
    return rc;
}

static int eval_zeroshot(const char *cmd, const eval_args *a, int nfiles, char **files)
{
    zs_inputs in = {0};
    char **values = NULL;
    int64_t nval = 0;
    int rc;
    if (nfiles != 2) return cli_usage(cmd, "zeroshot expects two inputs ITEMS PROMPTS");
    if (!a->c.labels || !a->c.prompt_labels)
        return cli_usage(cmd, "zeroshot needs --labels L (one per item) and --prompt-labels P "
                         "(one per prompt row)");
    if (a->confusion && (rc = gk_outfile_check(a->confusion)) != GK_OK)
        return cli_fail(cmd, rc); /* before any result is printed */
    if (gk_dist_active()) {
        rc = eval_zeroshot_dist(cmd, a, files, &in);
        goto cleanup;
    }
    if ((rc = zs_load(cmd, a, files, &in)) ||
        (rc = split_values(cmd, a, a->c.labels, in.items->rows, &values, &nval)))
        goto cleanup;
    if (!a->c.json) printf("zero-shot: items = %s (%lld rows), prompts = %s (%lld rows, %d "
                           "classes)\n", files[0], (long long)in.items->rows, files[1],
                           (long long)in.prompts->rows, in.lp->n_classes);
    rc = is_kfold(a) ? zs_folds(cmd, a, &in, values) : zs_single(cmd, a, &in, values);
cleanup:
    if (values) gk_strings_free(values, nval);
    zs_inputs_free(&in);
    return rc;
}

/*====  entry  ====*/

int cmd_eval(int argc, char **argv)
{
    const char *cmd = "eval";
    eval_args a;
    int help = 0, rc;
    if (cli_no_subcommand(argc, argv, usage, &rc)) return rc;
    const char *sub = argv[1];
    if (!strcmp(sub, "analogy")) return cmd_eval_analogy(argc - 1, argv + 1);
    if (!strcmp(sub, "cluster") || !strcmp(sub, "probe")) return cmd_eval_group(argc, argv);
    if (strcmp(sub, "retrieval") && strcmp(sub, "zeroshot"))
        return cli_usage(cmd, "unknown eval task '%s' (expected retrieval, zeroshot, "
                         "analogy, cluster or probe)", sub);
    if ((rc = parse_args(cmd, argc - 1, argv + 1, &a, &help)) == CLI_OK && help) usage(stdout);
    if (rc == CLI_OK && !help) {
        char **files = argv + 1 + optind;
        int nfiles = argc - 1 - optind;
        rc = !strcmp(sub, "retrieval") ? eval_retrieval(cmd, &a, nfiles, files)
                                       : eval_zeroshot(cmd, &a, nfiles, files);
    }
    gk_align_free(a.model);
    return rc;
}
