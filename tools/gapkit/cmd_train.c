/*
** cmd_train.c — `gapkit train X Y [Z …] --out HEAD.npz`: trains projection
** heads on frozen embeddings (docs/train.md) and saves them as a transform
** (kind "head"), usable by `align apply` and `--transform`.  Parses, calls
** libgapkit (train.h), prints one progress line per epoch on stderr.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_json.h"

enum { OPT_LOSS = 1, OPT_HEAD, OPT_DIM, OPT_OUT, OPT_EPOCHS, OPT_BATCH, OPT_LR, OPT_WD,
       OPT_WARMUP, OPT_DROPOUT, OPT_SPLIT, OPT_SPLIT_CSV, OPT_TEMP, OPT_LEARN_TEMP, OPT_BETA,
       OPT_ALPHA, OPT_SCHEDULE, OPT_MIXUP, OPT_ANCHOR, OPT_TEACHER, OPT_PAIRS, OPT_EARLY,
       OPT_PATIENCE, OPT_CU_BETA, OPT_INIT, OPT_ROW_BLOCK };

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gapkit train X Y [Z …] --out HEAD.npz [options]\n\n"
            "Trains one projection head per view on paired rows (row i of every view is one\n"
            "item) and saves them as a transform (docs/train.md, docs/model-format.md):\n"
            "  gapkit align apply HEAD.npz --modality x IN --out OUT.npy, --transform HEAD.npz.\n\n"
            "  --loss L             infonce (default) | softclap (2 views) | modgap\n"
            "  --head H             linear (default) | mlp (MS-CLAP block: linear, GELU, linear,\n"
            "                       dropout, residual, LayerNorm)\n"
            "  --dim D              output dimension (default 512)\n"
            "  --epochs E           (default 20)   --batch B   items per step (default 256)\n"
            "  --row-block R        the heads run on blocks of R rows of a batch, their\n"
            "                       gradients added in block order (default 256; a batch of\n"
            "                       one block is one pass); R, not the MPI rank count, fixes\n"
            "                       the bits\n"
            "  --lr R               peak AdamW rate (default 1e-3)  --warmup F  share of steps\n"
            "                       warming up, then cosine decay (default 0.1)\n"
            "  --wd W               AdamW weight decay (default 0.01)\n"
            "  --dropout P          mlp dropout (default 0)\n"
            "  --temperature T      logit scale 1/T (default 0.07; modgap 0.1)\n"
            "  --learn-temperature  train the logit scale (capped at 100)\n"
            "  --beta B             softclap: teacher share of the targets (default 0.3)\n"
            "  --teacher TX,TY      softclap: teacher embeddings of X and Y (default X, Y)\n"
            "  --alpha A --cu-beta B  modgap: constant weights of L_ATP and L_CU\n"
            "  --schedule S         modgap: reference (default: α 1→2 over the second half,\n"
            "                       β 1→0 from 20%% to 70%% of epochs) or constant\n"
            "  --anchor I           pair view I with every other (default: all pairs)\n"
            "  --mixup A            FuseMix: mix each batch with λ ~ Beta(A,A) (default off)\n"
            "  --pairs P.npy        float64 (P,3): x_row, y_row, score; train on these pairs\n"
            "  --split S            validation split: random:F, classes:F (needs --labels),\n"
            "                       fold:COL=V (needs --split-csv or --labels FILE.csv:COL)\n"
            "  --split-csv FILE     CSV holding the fold column\n"
            "  --early-stop M       loss | r1: stop when the validation metric has not\n"
            "                       improved for --patience epochs (default 5); keep the best\n"
            "  --init HEAD.npz      start from these heads (same kind, views and --dim)\n"
            "  --seed S             initialisation, shuffling, dropout, mixup, split (default 0)\n"
            "  --labels L           a label per item (for classes:F)\n"
            "  --prompt-labels P --pair-by-label   two views: Y holds class prompts; pair each\n"
            "                       item with its class's prompt\n"
            "  --no-normalize       keep input rows as they are (default: L2-normalise)\n"
            "  --json               print the whole curve as JSON on stdout\n"
            "  --quiet              no progress lines\n"
            "  --threads N          threads (0 = all); results do not depend on it\n\n"
            "Under mpirun each batch's blocks are split over the ranks (every rank reads all\n"
            "the rows; at least one block per rank); the heads are those of one process with\n"
            "the same options, byte for byte (docs/distributed.md).\n");
}

typedef struct train_args {
    cli_common c;
    gk_train_opts o;
    const char *out, *split, *split_csv, *teacher, *pairs, *loss, *schedule, *init;
    int set_temp;
} train_args;

static int set_real(const char *cmd, const char *name, const char *arg, double lo, double hi,
                    double *out)
{
    if (cli_parse_f64(arg, lo, hi, out))
        return cli_usage(cmd, "--%s %s (expected a number in [%g, %g])", name, arg, lo, hi);
    return CLI_OK;
}

static int set_int(const char *cmd, const char *name, const char *arg, int64_t lo, int64_t hi,
                   int64_t *out)
{
    if (cli_parse_i64(arg, lo, hi, out))
        return cli_usage(cmd, "--%s %s (expected an integer in [%lld, %lld])", name, arg,
                         (long long)lo, (long long)hi);
    return CLI_OK;
}

static int parse_enum(const char *cmd, const char *name, int st)
{
    return st == GK_OK ? CLI_OK : cli_usage(cmd, "--%s: %s", name, gk_last_error());
}

static int parse_one(const char *cmd, int opt, const char *arg, void *ctx)
{
    train_args *a = ctx;
    gk_train_opts *o = &a->o;
    int64_t v = 0;
    int rc;
    switch (opt) {
    case OPT_LOSS: a->loss = arg; return CLI_OK;
    case OPT_HEAD: return parse_enum(cmd, "head", gk_head_kind_parse(arg, &o->head));
    case OPT_DIM: rc = set_int(cmd, "dim", arg, 1, 1 << 20, &o->dim); return rc;
    case OPT_OUT: a->out = arg; return CLI_OK;
    case OPT_EPOCHS:
        rc = set_int(cmd, "epochs", arg, 1, 1000000, &v);
        o->epochs = (int)v;
        return rc;
    case OPT_BATCH: return set_int(cmd, "batch", arg, 2, INT32_MAX, &o->batch);
    case OPT_ROW_BLOCK: return set_int(cmd, "row-block", arg, 1, INT32_MAX, &o->row_block);
    case OPT_LR: return set_real(cmd, "lr", arg, 1e-300, INFINITY, &o->lr);
    case OPT_WD: return set_real(cmd, "wd", arg, 0, INFINITY, &o->weight_decay);
    case OPT_WARMUP: return set_real(cmd, "warmup", arg, 0, 0.999999, &o->warmup);
    case OPT_DROPOUT: return set_real(cmd, "dropout", arg, 0, 0.999999, &o->dropout);
    case OPT_SPLIT: a->split = arg; return CLI_OK;
    case OPT_SPLIT_CSV: a->split_csv = arg; return CLI_OK;
    case OPT_TEMP: a->set_temp = 1; return set_real(cmd, "temperature", arg, 1e-6, 1e6, &o->temperature);
    case OPT_LEARN_TEMP: o->learn_temperature = 1; return CLI_OK;
    case OPT_BETA: return set_real(cmd, "beta", arg, 0, 1, &o->soft_beta);
    case OPT_ALPHA: o->schedule = 0; return set_real(cmd, "alpha", arg, 0, 1e6, &o->alpha);
    case OPT_CU_BETA: o->schedule = 0; return set_real(cmd, "cu-beta", arg, 0, 1e6, &o->beta);
    case OPT_SCHEDULE: a->schedule = arg; return CLI_OK;
    case OPT_MIXUP: return set_real(cmd, "mixup", arg, 0, 1e6, &o->mixup);
    case OPT_ANCHOR:
        rc = set_int(cmd, "anchor", arg, 0, GK_TRAIN_MAX_VIEWS - 1, &v);
        o->anchor = (int)v;
        return rc;
    case OPT_TEACHER: a->teacher = arg; return CLI_OK;
    case OPT_PAIRS: a->pairs = arg; return CLI_OK;
    case OPT_INIT: a->init = arg; return CLI_OK;
    case OPT_EARLY: return parse_enum(cmd, "early-stop", gk_train_metric_parse(arg, &o->early_stop));
    case OPT_PATIENCE:
        rc = set_int(cmd, "patience", arg, 1, 1000000, &v);
        o->patience = (int)v;
        return rc;
    default: return cli_usage(cmd, "unknown option");
    }
}

/* --loss decides the defaults, so it is applied first and the other options
** are parsed over those defaults in a second pass. */
static int parse_args(const char *cmd, int argc, char **argv, train_args *a, int *help)
{
    static const struct option longopts[] = {
        {"loss", required_argument, 0, OPT_LOSS}, {"head", required_argument, 0, OPT_HEAD},
        {"dim", required_argument, 0, OPT_DIM}, {"out", required_argument, 0, OPT_OUT},
        {"epochs", required_argument, 0, OPT_EPOCHS}, {"batch", required_argument, 0, OPT_BATCH},
        {"row-block", required_argument, 0, OPT_ROW_BLOCK},
        {"lr", required_argument, 0, OPT_LR}, {"wd", required_argument, 0, OPT_WD},
        {"warmup", required_argument, 0, OPT_WARMUP},
        {"dropout", required_argument, 0, OPT_DROPOUT},
        {"split", required_argument, 0, OPT_SPLIT},
        {"split-csv", required_argument, 0, OPT_SPLIT_CSV},
        {"temperature", required_argument, 0, OPT_TEMP},
        {"learn-temperature", no_argument, 0, OPT_LEARN_TEMP},
        {"beta", required_argument, 0, OPT_BETA}, {"alpha", required_argument, 0, OPT_ALPHA},
        {"cu-beta", required_argument, 0, OPT_CU_BETA},
        {"schedule", required_argument, 0, OPT_SCHEDULE},
        {"mixup", required_argument, 0, OPT_MIXUP}, {"anchor", required_argument, 0, OPT_ANCHOR},
        {"teacher", required_argument, 0, OPT_TEACHER},
        {"pairs", required_argument, 0, OPT_PAIRS}, {"init", required_argument, 0, OPT_INIT},
        {"early-stop", required_argument, 0, OPT_EARLY},
        {"patience", required_argument, 0, OPT_PATIENCE}, CLI_COMMON_OPTIONS, {0, 0, 0, 0}};
    cli_common_init(&a->c);
    a->o = gk_train_opts_default(GK_LOSS_INFONCE);
    int rc = cli_getopt(cmd, argc, argv, longopts, &a->c, parse_one, a, help);
    if (rc || *help) return rc;
    gk_loss_kind loss = GK_LOSS_INFONCE;
    if (a->loss && gk_loss_kind_parse(a->loss, &loss) != GK_OK)
        return cli_usage(cmd, "--loss: %s", gk_last_error());
    const gk_train_opts d = gk_train_opts_default(loss);
    a->o.loss = loss;
    if (!a->set_temp) a->o.temperature = d.temperature;
    if (a->schedule && !strcmp(a->schedule, "constant")) a->o.schedule = 0;
    else if (a->schedule && strcmp(a->schedule, "reference"))
        return cli_usage(cmd, "--schedule %s (expected reference or constant)", a->schedule);
    a->o.seed = a->c.seed;
    if (!a->out) return cli_usage(cmd, "--out HEAD.npz is required");
    return CLI_OK;
}

/*====  inputs  ====*/

typedef struct inputs {
    int M;
    gk_mat *views[GK_TRAIN_MAX_VIEWS], *teacher[2];
    int64_t *rows, n_items;
    gk_split *split;
    gk_heads *init;
} inputs;

static void inputs_free(inputs *in)
{
    for (int v = 0; v < in->M; v++) gk_mat_free(in->views[v]);
    gk_mat_free(in->teacher[0]);
    gk_mat_free(in->teacher[1]);
    free(in->rows);
    gk_split_free(in->split);
    gk_heads_free(in->init);
}

/* --pairs: a float64 (P,3) array of x_row, y_row, score (score unused). */
static int load_pairs_file(const char *cmd, const char *path, inputs *in)
{
    gk_load_opts lo = gk_load_opts_default();
    lo.normalize = 0;
    gk_mat *p = NULL;
    int st = gk_load_matrix(path, &lo, &p);
    if (st != GK_OK) return cli_fail(cmd, st);
    if (p->cols != 3 || p->rows < 1) {
        gk_set_error(GK_ESHAPE, "%s: shape (%lld, %lld); expected (P, 3): x_row, y_row, score",
                     path, (long long)p->rows, (long long)p->cols);
        gk_mat_free(p);
        return cli_fail(cmd, GK_ESHAPE);
    }
    in->n_items = p->rows;
    in->rows = malloc(2 * (size_t)p->rows * sizeof *in->rows);
    for (int64_t i = 0; in->rows && i < p->rows; i++)
        for (int c = 0; c < 2; c++) {
            const double r = gk_mat_row(p, i)[c];
            if (r != floor(r) || r < 0 || r > 16777216.0) {
                gk_set_error(GK_EFORMAT, "%s: row %lld column %d is %g; expected a row index",
                             path, (long long)i, c, r);
                gk_mat_free(p);
                return cli_fail(cmd, GK_EFORMAT);
            }
            in->rows[(size_t)c * (size_t)p->rows + (size_t)i] = (int64_t)r;
        }
    gk_mat_free(p);
    return in->rows ? CLI_OK : cli_fail(cmd, gk_set_error(GK_ENOMEM, "out of memory"));
}

static int load_teacher(const char *cmd, const train_args *a, inputs *in)
{
    char buf[8192];
    snprintf(buf, sizeof buf, "%s", a->teacher);
    char *comma = strchr(buf, ',');
    if (!comma) return cli_usage(cmd, "--teacher TX,TY: two files separated by a comma");
    *comma = 0;
    const char *spec[2] = {buf, comma + 1};
    for (int v = 0; v < 2; v++) {
        int rc = cli_load_one(cmd, spec[v], 1, &in->teacher[v]);
        if (rc) return rc;
        if (in->teacher[v]->rows != in->views[v]->rows) {
            gk_set_error(GK_ESHAPE, "teacher %s has %lld rows but view %d has %lld", spec[v],
                         (long long)in->teacher[v]->rows, v, (long long)in->views[v]->rows);
            return cli_fail(cmd, GK_ESHAPE);
        }
    }
    return CLI_OK;
}

/* With --prompt-labels, a class is numbered as in the prompts (as eval and
** compare number it), so classes:F draws the same test classes there and
** here: heads validated on a class are never trained on it in eval's split.
** *cls (l->n,) : caller frees with free(). */
static int prompt_class_ids(const char *cmd, const char *spec, const gk_labels *l,
                            int32_t **cls, int32_t *C)
{
    gk_labels *pl = NULL;
    int st = gk_labels_read(spec, &pl);
    *cls = st == GK_OK ? malloc((size_t)(l->n ? l->n : 1) * sizeof **cls) : NULL;
    if (st == GK_OK && !*cls) st = gk_set_error(GK_ENOMEM, "out of memory");
    if (st == GK_OK) st = gk_zeroshot_classes(l, pl, *cls);
    if (st == GK_OK) *C = pl->n_classes;
    gk_labels_free(pl);
    if (st == GK_OK) return CLI_OK;
    free(*cls);
    *cls = l->id;
    return cli_fail(cmd, st);
}

static int make_split(const char *cmd, const train_args *a, inputs *in)
{
    gk_split_spec sp;
    if (gk_split_parse(a->split, &sp) != GK_OK)
        return cli_usage(cmd, "--split %s: %s", a->split, gk_last_error());
    gk_labels *l = NULL;
    char **values = NULL;
    int64_t nv = 0;
    int rc = CLI_OK, st;
    if (sp.kind == GK_SPLIT_CLASSES && !a->c.labels)
        return cli_usage(cmd, "--split classes:… needs --labels (a label per item)");
    if (sp.kind == GK_SPLIT_FOLD && !sp.has_value)
        return cli_usage(cmd, "--split fold:%s: give the validation value, fold:%s=V",
                         sp.column, sp.column);
    if (a->c.labels && (st = gk_labels_read(a->c.labels, &l)) != GK_OK) return cli_fail(cmd, st);
    if (l && l->n != in->n_items) {
        gk_set_error(GK_ESHAPE, "%s has %lld labels but there are %lld items", a->c.labels,
                     (long long)l->n, (long long)in->n_items);
        rc = cli_fail(cmd, GK_ESHAPE);
    }
    if (!rc && sp.kind == GK_SPLIT_FOLD)
        rc = cli_fold_values(cmd, a->split_csv, a->c.labels, sp.column, in->n_items, &values, &nv);
    int32_t *cls = l ? l->id : NULL, C = l ? l->n_classes : 0;
    if (!rc && l && a->c.prompt_labels) rc = prompt_class_ids(cmd, a->c.prompt_labels, l, &cls, &C);
    if (!rc && (st = gk_split_make(&sp, in->n_items, cls, C, (const char *const *)values,
                                   a->c.seed, &in->split)) != GK_OK)
        rc = cli_fail(cmd, st);
    for (int64_t i = 0; i < nv; i++) free(values[i]);
    free(values);
    if (l && cls != l->id) free(cls);
    gk_labels_free(l);
    return rc;
}

static int load_inputs(const char *cmd, const train_args *a, int n, char **files, inputs *in)
{
    int rc;
    memset(in, 0, sizeof *in);
    if (n < 2 || n > GK_TRAIN_MAX_VIEWS)
        return cli_usage(cmd, "expects 2..%d inputs X Y [Z …], got %d", GK_TRAIN_MAX_VIEWS, n);
    if (a->pairs && n != 2) return cli_usage(cmd, "--pairs pairs rows of two views X Y");
    if (a->c.pair_by_label && (n != 2 || a->pairs))
        return cli_usage(cmd, "--pair-by-label pairs two views, without --pairs");
    if (n == 2 && !a->pairs) { /* labels checked, --pair-by-label expands Y */
        cli_pairs p;
        if ((rc = cli_load_pairs(cmd, files[0], files[1], &a->c, &p))) return rc;
        in->views[0] = p.x, in->views[1] = p.y, in->M = 2;
        p.x = p.y = NULL;
        cli_pairs_free(&p);
    }
    for (; in->M < n; in->M++) {
        if ((rc = cli_load_one(cmd, files[in->M], a->c.normalize, &in->views[in->M]))) return rc;
        if (!a->pairs && (rc = cli_check_paired(cmd, files[0], in->views[0], files[in->M],
                                                in->views[in->M], 1, 0)))
            return rc;
    }
    in->n_items = in->views[0]->rows;
    if (a->pairs && (rc = load_pairs_file(cmd, a->pairs, in))) return rc;
    if (a->teacher && (rc = load_teacher(cmd, a, in))) return rc;
    if (a->split && (rc = make_split(cmd, a, in))) return rc;
    int st;
    if (a->init && (st = gk_heads_load(a->init, &in->init)) != GK_OK) return cli_fail(cmd, st);
    return CLI_OK;
}

/*====  training  ====*/

static void progress(const gk_train_epoch *e, void *ud)
{
    const gk_train_opts *o = ud;
    fprintf(stderr, "epoch %4d  loss %.5f", e->epoch, e->loss);
    if (o->loss == GK_LOSS_SOFTCLAP) fprintf(stderr, "  soft %.5f", e->soft);
    else fprintf(stderr, "  nce %.5f", e->nce);
    if (o->loss == GK_LOSS_MODGAP)
        fprintf(stderr, "  atp %.5f (α %.2f)  cu %.5f (β %.2f)", e->atp, e->alpha, e->cu, e->beta);
    fprintf(stderr, "  s %.2f  lr %.2e", e->logit_scale, e->lr);
    if (!isnan(e->val_loss)) fprintf(stderr, "  val_loss %.5f  val_R@1 %.4f", e->val_loss, e->val_r1);
    fprintf(stderr, "  %.2fs\n", e->seconds);
}

static int run(const char *cmd, const train_args *a, inputs *in)
{
    gk_train_data d = {(const gk_mat *const *)in->views, in->M, in->rows, in->n_items,
                       in->teacher[0] ? (const gk_mat *const *)in->teacher : NULL, NULL, 0, NULL,
                       0, in->init};
    const int lead = gk_dist_rank() == 0; /* under MPI rank 0 prints and writes */
    if (in->split) {
        if (!a->c.quiet && lead) fprintf(stderr, "split: %s\n", in->split->desc);
        d.train = in->split->train, d.n_train = in->split->n_train;
        d.val = in->split->test, d.n_val = in->split->n_test;
    }
    gk_train_result *r = NULL;
    gk_train_progress_fn fn = a->c.quiet || !lead ? NULL : progress;
    int st = gk_dist_active() ? gk_dist_train(&a->o, &d, fn, (void *)&a->o, &r)
                              : gk_train(&a->o, &d, fn, (void *)&a->o, &r);
    if (st != GK_OK) return cli_fail(cmd, st); /* each rank: its message, or which failed */
    if (!lead) return gk_train_result_free(r), CLI_OK;
    int rc = CLI_OK;
    if (r->stop == GK_TRAIN_NONFINITE)
        fprintf(stderr, "gapkit %s: %s; keeping the heads of epoch %d in %s\n", cmd, r->message,
                r->best_epoch, a->out);
    else if (r->stop == GK_TRAIN_EARLY && !a->c.quiet)
        fprintf(stderr, "early stop after epoch %d; keeping epoch %d\n", r->n_epochs,
                r->best_epoch);
    if ((st = gk_heads_save(r->heads, a->out)) != GK_OK) rc = cli_fail(cmd, st);
    char *json = NULL;
    if (!rc && a->c.json) {
        if ((st = gk_train_result_to_json(&a->o, r, &json)) != GK_OK) rc = cli_fail(cmd, st);
        else if (gk_dist_active()) rc = cli_json_print(cmd, cli_json_parse(json)); /* "ranks" */
        else cli_print_json(json);
    } else if (!rc && gk_dist_active()) {
        printf("train: wrote %s%s\n", a->out, cli_ranks_note());
    }
    gk_free(json);
    if (!rc && r->stop == GK_TRAIN_NONFINITE) {
        /* the run fails (exit 2) but its last good heads are kept: put them in
        ** place now, before main discards the failed command's output set */
        rc = (st = gk_outfile_set_flush()) != GK_OK ? cli_fail(cmd, st) : CLI_INPUT;
    }
    gk_train_result_free(r);
    return rc;
}

int cmd_train(int argc, char **argv)
{
    const char *cmd = "train";
    train_args a;
    memset(&a, 0, sizeof a);
    int help = 0;
    int rc = parse_args(cmd, argc, argv, &a, &help);
    if (help) {
        usage(stdout);
        return CLI_OK;
    }
    if (rc) return rc;
    inputs in;
    rc = load_inputs(cmd, &a, argc - optind, argv + optind, &in);
    if (!rc) rc = run(cmd, &a, &in);
    inputs_free(&in);
    return rc;
}
