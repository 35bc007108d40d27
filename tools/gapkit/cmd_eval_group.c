/*
** cmd_eval_group.c — `gapkit eval cluster|probe X [Y …] --labels L`: the
** group-level tasks (methods.md §4) on the JOINT rows of the views given,
** each labelled with its item's class: k-means scored by V-measure, NMI,
** ARI, homogeneity, completeness and purity; a kNN classifier and a linear
** probe.  Parses, loads, calls the library (eval.h), prints.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_json.h"

enum { OPT_CLUSTERS = 1, OPT_RESTARTS, OPT_MAX_ITER, OPT_SPHERICAL, OPT_KNN_K, OPT_FOLDS,
       OPT_NO_KNN, OPT_NO_PROBE, OPT_SPLIT, OPT_SPLIT_CSV, OPT_INIT, OPT_TOL, OPT_TRANSFORM };

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gapkit eval cluster X [Y …] --labels L [options]\n"
            "       gapkit eval probe X [Y …] --labels L [--split S] [options]\n\n"
            "The rows of every view are stacked (the JOINT set), each labelled with the class\n"
            "of its item (--labels: one per row of X); with two or more views a row repeated\n"
            "within a view (a class prompt paired with every clip, --pair-by-label) enters\n"
            "once.  All views must share one dimension.  One view: its rows as given.\n"
            "cluster: k-means (k-means++ init, restarts, seeded), scored against the classes:\n"
            "  V-measure (= NMI, arithmetic), NMI, ARI, homogeneity, completeness, purity.\n"
            "  --clusters K   k (default: the number of classes)   --restarts R (default 10)\n"
            "  --max-iter N   Lloyd iterations (default 300)        --spherical (cosine)\n"
            "  --tol T        stop when the centroids move less than T x the mean column\n"
            "                 variance (default 1e-4; 0 = run --max-iter iterations)\n"
            "  --init C.npy   start from these (K,D) centroids (one run, no k-means++)\n"
            "probe: kNN classifier (--knn-k, default 5) and a multinomial logistic probe.\n"
            "  Without --split: leave-one-out kNN and --folds-fold (default 5) stratified CV.\n"
            "  --split random:F | fold:COL=V   train on the train items' rows, score the rest\n"
            "  (a class-disjoint split leaves nothing to train the test classes on)\n"
            "  --split-csv FILE --no-knn --no-probe\n"
            "  --transform head:FILE | MODEL   a saved model (gapkit train / align fit / comet\n"
            "                 fit) maps view v of the model to input v before stacking\n\n"
            "  --labels L --prompt-labels P --pair-by-label   (two views) pair by class\n"
            "  --seed S --json --no-normalize --threads N\n");
}

typedef struct grp_args {
    cli_common c;
    gk_group_opts o;
    const char *split, *split_csv, *init, *transform;
    gk_split_spec sp;
} grp_args;

static int parse_count(const char *cmd, const char *arg, int64_t lo, int64_t hi, int64_t *v)
{
    if (!cli_parse_i64(arg, lo, hi, v)) return CLI_OK;
    return cli_usage(cmd, "%s %s (expected an integer %lld..%lld)", cli_option_name(), arg,
                     (long long)lo,
                     (long long)hi);
}

static int parse_one(const char *cmd, int opt, const char *arg, void *ctx)
{
    grp_args *a = ctx;
    int64_t v = 0;
    switch (opt) {
    case OPT_CLUSTERS: return parse_count(cmd, arg, 1, INT32_MAX, &a->o.n_clusters);
    case OPT_KNN_K: return parse_count(cmd, arg, 1, 1000, &a->o.knn_k);
    case OPT_RESTARTS:
    case OPT_MAX_ITER:
    case OPT_FOLDS:
        if (parse_count(cmd, arg, opt == OPT_FOLDS ? 2 : 1, opt == OPT_FOLDS ? 64 : 100000, &v))
            return CLI_USAGE;
        *(opt == OPT_RESTARTS ? &a->o.kmeans.n_init
                              : opt == OPT_MAX_ITER ? &a->o.kmeans.max_iter : &a->o.probe_folds) =
            (int)v;
        return CLI_OK;
    case OPT_SPHERICAL: a->o.kmeans.spherical = 1; return CLI_OK;
    case OPT_NO_KNN: a->o.do_knn = 0; return CLI_OK;
    case OPT_NO_PROBE: a->o.do_probe = 0; return CLI_OK;
    case OPT_SPLIT: a->split = arg; return CLI_OK;
    case OPT_SPLIT_CSV: a->split_csv = arg; return CLI_OK;
    case OPT_INIT: a->init = arg; return CLI_OK;
    case OPT_TRANSFORM: a->transform = arg; return CLI_OK;
    case OPT_TOL:
        if (!cli_parse_f64(arg, 0, 1e6, &a->o.kmeans.tol)) return CLI_OK;
        return cli_usage(cmd, "--tol %s (expected a number >= 0)", arg);
    default: return cli_usage(cmd, "unknown option (see --help)");
    }
}

static int parse_args(const char *cmd, int argc, char **argv, grp_args *a, int *help)
{
    static const struct option longopts[] = {
        CLI_COMMON_OPTIONS,
        {"clusters", required_argument, 0, OPT_CLUSTERS},
        {"restarts", required_argument, 0, OPT_RESTARTS},
        {"max-iter", required_argument, 0, OPT_MAX_ITER},
        {"spherical", no_argument, 0, OPT_SPHERICAL},
        {"knn-k", required_argument, 0, OPT_KNN_K},
        {"folds", required_argument, 0, OPT_FOLDS},
        {"no-knn", no_argument, 0, OPT_NO_KNN},
        {"no-probe", no_argument, 0, OPT_NO_PROBE},
        {"split", required_argument, 0, OPT_SPLIT},
        {"split-csv", required_argument, 0, OPT_SPLIT_CSV},
        {"init", required_argument, 0, OPT_INIT},
        {"tol", required_argument, 0, OPT_TOL},
        {"transform", required_argument, 0, OPT_TRANSFORM},
        {0, 0, 0, 0}};
    int rc;
    memset(a, 0, sizeof *a);
    cli_common_init(&a->c);
    a->o = gk_group_opts_default();
    rc = cli_getopt(cmd, argc, argv, longopts, &a->c, parse_one, a, help);
    if (rc != CLI_OK || *help) return rc;
    a->o.seed = a->o.kmeans.seed = a->c.seed;
    if (a->split && gk_split_parse(a->split, &a->sp) != GK_OK)
        return cli_usage(cmd, "--split %s: %s", a->split, gk_last_error());
    if (a->split && a->sp.kind == GK_SPLIT_CLASSES)
        return cli_usage(cmd, "--split classes:… leaves no training rows for the test classes; "
                         "use random:F or fold:COL=V, or no split (cross-validation)");
    if (a->split && a->sp.kind == GK_SPLIT_FOLD && !a->sp.has_value)
        return cli_usage(cmd, "--split fold:%s needs a value (fold:COLUMN=VALUE)", a->sp.column);
    /* a transform fitted here would see the rows it is scored on (cluster has
    ** no split): only saved models, fitted elsewhere */
    gk_align_opts fit;
    if (a->transform &&
        (!strcmp(a->transform, "none") || gk_align_parse(a->transform, &fit) == GK_OK))
        return cli_usage(cmd, "--transform %s: cluster and probe take a saved model "
                         "(head:FILE from gapkit train, or a gapkit align/comet fit file)",
                         a->transform);
    return CLI_OK;
}

/*====  inputs  ====*/

typedef struct grp_inputs {
    int M;
    gk_mat *views[GK_ALIGN_MAX_VIEWS]; /* borrowed from pairs for two views */
    gk_mat *mapped[GK_ALIGN_MAX_VIEWS]; /* owned: views[v] after --transform when the
                                           views are borrowed from pairs */
    cli_pairs pairs;
    gk_labels *labels;                 /* owned unless from pairs */
    const int32_t *y;                  /* (N,) item classes */
    char **fold;
    int64_t n_fold;
} grp_inputs;

static void inputs_free(grp_inputs *in)
{
    if (in->pairs.x) cli_pairs_free(&in->pairs);
    else
        for (int v = 0; v < in->M; v++) gk_mat_free(in->views[v]);
    for (int v = 0; v < in->M; v++) gk_mat_free(in->mapped[v]);
    gk_labels_free(in->labels);
    if (in->fold) gk_strings_free(in->fold, in->n_fold);
}

static int load_labels(const char *cmd, const char *spec, const gk_mat *x, const char *xs,
                       grp_inputs *in)
{
    int st = gk_labels_read_rows(spec, x->rows, xs, &in->labels);
    if (st != GK_OK) return cli_fail(cmd, st);
    in->y = in->labels->id;
    return CLI_OK;
}

static int load_inputs(const char *cmd, const grp_args *a, int n, char **files, grp_inputs *in)
{
    int rc;
    if (!a->c.labels) return cli_usage(cmd, "needs --labels L (the class of each item)");
    in->M = n;
    if (n == 2 && a->c.pair_by_label) {
        if ((rc = cli_load_pairs(cmd, files[0], files[1], &a->c, &in->pairs))) return rc;
        in->views[0] = in->pairs.x, in->views[1] = in->pairs.y;
        in->y = in->pairs.x_labels->id;
        return CLI_OK;
    }
    if (a->c.pair_by_label) return cli_usage(cmd, "--pair-by-label pairs two views only");
    for (int v = 0; v < n; v++) {
        if ((rc = cli_load_one(cmd, files[v], a->c.normalize, &in->views[v]))) return rc;
        if ((rc = cli_check_paired(cmd, files[0], in->views[0], files[v], in->views[v], 1, 1)))
            return rc;
    }
    return load_labels(cmd, a->c.labels, in->views[0], files[0], in);
}

/* --transform: view v of the saved model maps input v; views[v] then points
** at the mapped rows (re-normalised unless --no-normalize, as inputs are). */
static int map_views(const char *cmd, const grp_args *a, grp_inputs *in)
{
    gk_align *m = NULL;
    gk_align_opts fit;
    int has_fit = 0;
    int st = gk_transform_open(a->transform, &fit, &has_fit, &m);
    if (st != GK_OK) return cli_fail(cmd, st);
    if (gk_align_n_views(m) < in->M) {
        int nv = gk_align_n_views(m);
        gk_align_free(m);
        return cli_usage(cmd, "--transform %s has %d view%s but %d inputs were given",
                         a->transform, nv, nv == 1 ? "" : "s", in->M);
    }
    for (int v = 0; v < in->M && st == GK_OK; v++) {
        /* one prompt per class: mapped once, then paired, so its copies stay
        ** bit-identical and still enter the joint set once */
        const int prompts = v == 1 && in->pairs.y_prompts;
        gk_mat *p = NULL;
        st = gk_align_apply(m, v, prompts ? in->pairs.y_prompts : in->views[v],
                            prompts ? &p : &in->mapped[v]);
        if (st == GK_OK && prompts)
            st = gk_mat_select_rows(p, in->pairs.pair_index, in->views[0]->rows, &in->mapped[v]);
        gk_mat_free(p);
        if (st == GK_OK && a->c.normalize) st = gk_mat_normalize_rows(in->mapped[v]);
    }
    gk_align_free(m);
    if (st != GK_OK) return cli_fail(cmd, st);
    for (int v = 0; v < in->M; v++) {
        if (!in->pairs.x) { /* views own their rows: hand the mapped ones over */
            gk_mat_free(in->views[v]);
            in->views[v] = in->mapped[v], in->mapped[v] = NULL;
        } else in->views[v] = in->mapped[v];
    }
    return CLI_OK;
}

/*====  output  ====*/

static void print_groups(const char *task, const gk_group_result *r, const gk_group_opts *o,
                         const char *split)
{
    const gk_cluster_scores *c = &r->cluster;
    printf("%s: %lld joint rows, %d classes%s%s%s\n", task, (long long)r->n_test_rows,
           r->n_classes, split ? ", split " : "", split ? split : "", cli_ranks_note());
    if (isfinite(c->v_measure)) {
        printf("  k-means k = %lld: inertia %.6g\n", (long long)r->n_clusters, r->inertia);
        printf("  V-measure %.4f  NMI %.4f  ARI %.4f  homogeneity %.4f  completeness %.4f  "
               "purity %.4f\n", c->v_measure, c->nmi, c->ari, c->homogeneity, c->completeness,
               c->purity);
        const gk_cluster_scores *m = &r->restart_mean, *d = &r->restart_sd;
        if (r->n_restarts > 1)
            printf("  over %d restarts (mean ± sd): V-measure %.4f ± %.4f  NMI %.4f ± %.4f  "
                   "ARI %.4f ± %.4f\n  (the line above is the restart of lowest inertia)\n",
                   r->n_restarts, m->v_measure, d->v_measure, m->nmi, d->nmi, m->ari, d->ari);
    }
    if (isfinite(r->knn_acc))
        printf("  kNN (k = %lld) accuracy %.4f (%s)\n", (long long)o->knn_k, r->knn_acc,
               split ? "train -> test" : "leave-one-out");
    if (isfinite(r->probe_acc) && r->probe_folds)
        printf("  probe accuracy %.4f ± %.4f (%d-fold CV)\n", r->probe_acc, r->probe_sd,
               r->probe_folds);
    else if (isfinite(r->probe_acc)) printf("  probe accuracy %.4f (train -> test)\n", r->probe_acc);
    else if (o->do_probe && r->n_classes < 2)
        printf("  probe not run: it needs at least 2 classes, the labels have %d\n",
               r->n_classes);
}

static int print_result(const char *cmd, const char *task, const gk_group_result *r,
                        const grp_args *a, const char *split)
{
    char *json = NULL;
    if (!a->c.json) {
        print_groups(task, r, &a->o, split);
        return CLI_OK;
    }
    int st = gk_group_to_json(r, &a->o, split, NULL, &json);
    if (st != GK_OK) return cli_fail(cmd, st);
    if (gk_dist_active()) { /* the document then says on how many ranks */
        int rc = cli_json_print(cmd, cli_json_parse(json));
        gk_free(json);
        return rc;
    }
    cli_print_json(json);
    gk_free(json);
    return CLI_OK;
}

/*====  tasks  ====*/

static int run_cluster(const char *cmd, const grp_args *a, const grp_inputs *in)
{
    gk_joint *J = NULL;
    gk_mat *init = NULL;
    gk_group_result r;
    gk_group_opts o = a->o;
    int rc;
    o.do_knn = o.do_probe = 0;
    if (a->init && (rc = cli_load_one(cmd, a->init, 0, &init))) return rc;
    o.kmeans.init = init;
    int st = in->M == 1 ? GK_OK : gk_joint_build((const gk_mat *const *)in->views, NULL, in->M,
                                                 in->y, NULL, 0, &J);
    /* one view: its rows as given (no joint set to build) */
    if (st == GK_OK) st = gk_group_eval(J ? J->rows : in->views[0], J ? J->label : in->y, &o, &r);
    gk_joint_free(J);
    gk_mat_free(init);
    return st == GK_OK ? print_result(cmd, "cluster", &r, a, NULL) : cli_fail(cmd, st);
}

/* Under MPI (docs/distributed.md): one input, each rank reading its rows (a
** file or @LIST of shards, dist.h), the labels of every row on every rank;
** rank 0 prints. */
static int run_dist_cluster(const char *cmd, const grp_args *a, int n, char **files)
{
    if (n != 1 || a->transform || a->c.pair_by_label)
        return cli_usage(cmd, "under MPI, cluster takes one input X (no --transform, no "
                         "--pair-by-label)");
    if (!a->c.labels) return cli_usage(cmd, "needs --labels L (the class of each item)");
    gk_shard *x = NULL;
    gk_labels *lab = NULL;
    gk_mat *init = NULL;
    gk_group_result r;
    gk_group_opts o = a->o;
    int st = gk_shard_open(files[0], a->c.normalize, &x), rc = CLI_OK;
    if (st == GK_OK)
        st = gk_dist_agree(gk_labels_read_rows(a->c.labels, x->n, files[0], &lab), NULL);
    if (st == GK_OK && a->init) {
        gk_load_opts lo = gk_load_opts_default(); /* as cli_load_one(…, 0, …) */
        lo.normalize = 0;
        st = gk_dist_agree(gk_load_matrix(a->init, &lo, &init), NULL);
    }
    o.kmeans.init = init;
    if (st == GK_OK) st = gk_dist_group_cluster(&x->rows, lab->id, &o, &r);
    if (st != GK_OK) rc = cli_fail(cmd, st);
    else if (gk_dist_rank() == 0) rc = print_result(cmd, "cluster", &r, a, NULL);
    gk_mat_free(init);
    gk_labels_free(lab);
    gk_shard_free(x);
    return rc;
}

/* Train → test on the joint rows of the split's items. */
static int probe_split(const char *cmd, const grp_args *a, const grp_inputs *in)
{
    gk_split *s = NULL;
    gk_joint *tr = NULL, *te = NULL;
    gk_group_result r;
    gk_group_opts o = a->o;
    const gk_mat *const *v = (const gk_mat *const *)in->views;
    o.do_cluster = 0;
    int st = gk_split_make(&a->sp, in->views[0]->rows, NULL, 0, (const char *const *)in->fold,
                           a->c.seed, &s);
    if (st == GK_OK) st = gk_joint_build(v, NULL, in->M, in->y, s->train, s->n_train, &tr);
    if (st == GK_OK) st = gk_joint_build(v, NULL, in->M, in->y, s->test, s->n_test, &te);
    if (st == GK_OK) st = gk_group_eval_split(tr->rows, tr->label, te->rows, te->label, &o, &r);
    int rc = st == GK_OK ? print_result(cmd, "probe", &r, a, s->desc) : cli_fail(cmd, st);
    gk_joint_free(tr);
    gk_joint_free(te);
    gk_split_free(s);
    return rc;
}

static int run_probe(const char *cmd, const grp_args *a, grp_inputs *in)
{
    gk_joint *J = NULL;
    gk_group_result r;
    gk_group_opts o = a->o;
    int rc;
    o.do_cluster = 0;
    if (a->split) {
        if (a->sp.kind == GK_SPLIT_FOLD &&
            (rc = cli_fold_values(cmd, a->split_csv, a->c.labels, a->sp.column,
                                  in->views[0]->rows, &in->fold, &in->n_fold)))
            return rc;
        return probe_split(cmd, a, in);
    }
    int st = gk_joint_build((const gk_mat *const *)in->views, NULL, in->M, in->y, NULL, 0, &J);
    if (st == GK_OK) st = gk_group_eval(J->rows, J->label, &o, &r);
    gk_joint_free(J);
    return st == GK_OK ? print_result(cmd, "probe", &r, a, NULL) : cli_fail(cmd, st);
}

int cmd_eval_group(int argc, char **argv)
{
    const char *cmd = "eval";
    grp_args a;
    grp_inputs in;
    int help = 0, rc;
    const char *task = argv[1];
    if ((rc = parse_args(cmd, argc - 1, argv + 1, &a, &help)) != CLI_OK) return rc;
    if (help) {
        usage(stdout);
        return CLI_OK;
    }
    int n = argc - 1 - optind;
    char **files = argv + 1 + optind;
    if (n < 1 || n > GK_ALIGN_MAX_VIEWS)
        return cli_usage(cmd, "%s expects 1..%d inputs X [Y …], got %d", task,
                         GK_ALIGN_MAX_VIEWS, n);
    if (!strcmp(task, "cluster") && a.split)
        return cli_usage(cmd, "cluster takes no --split (it clusters every row given)");
    if (gk_dist_active() && !strcmp(task, "cluster")) /* docs/distributed.md */
        return run_dist_cluster(cmd, &a, n, files);
    memset(&in, 0, sizeof in);
    rc = load_inputs(cmd, &a, n, files, &in);
    if (!rc && a.transform) rc = map_views(cmd, &a, &in);
    if (!rc)
        rc = !strcmp(task, "cluster") ? run_cluster(cmd, &a, &in) : run_probe(cmd, &a, &in);
    inputs_free(&in);
    return rc;
}
