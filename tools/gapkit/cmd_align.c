/*
** cmd_align.c — `gapkit align fit|apply`: fit a gap-closing transform on
** paired calibration rows of M >= 2 views and save it; apply a saved
** transform to new rows of one view (docs/align.md).  Parses, calls
** libgapkit (align.h), prints.
*/
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_json.h"

enum { OPT_METHOD = 1, OPT_OUT, OPT_ANCHOR, OPT_LAMBDA, OPT_M, OPT_K, OPT_RIDGE, OPT_WEIGHT,
       OPT_TEMP, OPT_TOPK, OPT_MODALITY, OPT_TRANSFORMED };

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gapkit align fit --method M X Y [Z …] --out MODEL.npz [options]\n"
            "       gapkit align apply MODEL.npz --modality x|y|z|I IN --out OUT.npy\n\n"
            "fit: learns a transform from paired rows (row i of every view is one item) and\n"
            "  saves it (docs/model-format.md).  Methods (docs/compare.md):\n"
            "    identity | center | shift | ablate | procrustes | cca | comet | projdec\n"
            "  --method M[:KEY=V,…]  e.g. shift:lambda=0.5, cca:k=16,ridge=0.01\n"
            "  --lambda L           shift: share of the gap closed (default 1)\n"
            "  --m M                ablate: coordinates zeroed (default 10)\n"
            "  --k K|auto           cca, comet: dimensions kept (default 32; auto, comet with\n"
            "                       two views: COMET's 5-fold CV of mAP@10)\n"
            "  --ridge R            cca: relative ridge (default 0.1)\n"
            "  --weight W           comet: none, align or corr (default none)\n"
            "  --temp T             projdec: softmax temperature (default 100)\n"
            "  --topk K             projdec: memory rows averaged, 0 = all (default 0)\n"
            "  --anchor I           procrustes target / projdec memory view (default: last)\n"
            "  --labels L --prompt-labels P --pair-by-label   two views: pair each row of X\n"
            "                       with the row of Y carrying its label\n"
            "  --transformed DIR    also write the fit rows after the transform,\n"
            "                       DIR/view0.npy, DIR/view1.npy, … (from the model in memory)\n"
            "apply: the transform of one view, applied to every row of IN, to OUT.npy\n"
            "  (float32, unit rows).  --modality x, y, z or the view index 0..M-1.\n\n"
            "  --no-normalize       keep input rows as they are (default: L2-normalise)\n"
            "  --json               fit: print the model summary as JSON\n"
            "  --threads N          threads (0 = all); results do not depend on it\n");
}

typedef struct align_args {
    cli_common c;
    const char *method, *out, *modality, *transformed;
    char settings[1024]; /* the parameter options as "KEY=V,…" */
    gk_align_opts o;
} align_args;

/* --lambda, --m, … become KEY=V settings appended to the method string, so
** gk_align_parse checks them (values, and which keys the method takes). */
static int add_setting(const char *cmd, const char *key, const char *arg, align_args *a)
{
    size_t len = strlen(a->settings);
    int w = snprintf(a->settings + len, sizeof a->settings - len, "%s%s=%s", len ? "," : "", key,
                     arg);
    if (w < 0 || (size_t)w >= sizeof a->settings - len)
        return cli_usage(cmd, "too many or too long parameter options");
    return CLI_OK;
}

static int parse_one(const char *cmd, int opt, const char *arg, void *ctx)
{
    static const char *const keys[] = {[OPT_ANCHOR] = "anchor", [OPT_LAMBDA] = "lambda",
                                       [OPT_M] = "m",           [OPT_K] = "k",
                                       [OPT_RIDGE] = "ridge",   [OPT_WEIGHT] = "weight",
                                       [OPT_TEMP] = "temp",     [OPT_TOPK] = "topk"};
    align_args *a = ctx;
    switch (opt) {
    case OPT_METHOD: a->method = arg; return CLI_OK;
    case OPT_OUT: a->out = arg; return CLI_OK;
    case OPT_MODALITY: a->modality = arg; return CLI_OK;
    case OPT_TRANSFORMED: a->transformed = arg; return CLI_OK;
    case OPT_ANCHOR: case OPT_LAMBDA: case OPT_M: case OPT_K: case OPT_RIDGE: case OPT_WEIGHT:
    case OPT_TEMP: case OPT_TOPK: return add_setting(cmd, keys[opt], arg, a);
    default: return cli_usage(cmd, "unknown option (see --help)");
    }
}

/* The method string with the parameter options appended. */
static int resolve_method(const char *cmd, align_args *a)
{
    char spec[2048];
    if (!a->method) return cli_usage(cmd, "fit needs --method M (see --help)");
    snprintf(spec, sizeof spec, "%s%s%s", a->method,
             *a->settings ? (strchr(a->method, ':') ? "," : ":") : "", a->settings);
    if (gk_align_parse(spec, &a->o) != GK_OK)
        return cli_usage(cmd, "--method %s: %s", spec, gk_last_error());
    return CLI_OK;
}

static int parse_args(const char *cmd, int argc, char **argv, align_args *a, int *help)
{
    static const struct option longopts[] = {
        CLI_COMMON_OPTIONS,
        {"method", required_argument, 0, OPT_METHOD},  {"out", required_argument, 0, OPT_OUT},
        {"anchor", required_argument, 0, OPT_ANCHOR},  {"lambda", required_argument, 0, OPT_LAMBDA},
        {"m", required_argument, 0, OPT_M},            {"k", required_argument, 0, OPT_K},
        {"ridge", required_argument, 0, OPT_RIDGE},    {"weight", required_argument, 0, OPT_WEIGHT},
        {"temp", required_argument, 0, OPT_TEMP},      {"topk", required_argument, 0, OPT_TOPK},
        {"modality", required_argument, 0, OPT_MODALITY},
        {"transformed", required_argument, 0, OPT_TRANSFORMED},
        {0, 0, 0, 0}};
    memset(a, 0, sizeof *a);
    cli_common_init(&a->c);
    return cli_getopt(cmd, argc, argv, longopts, &a->c, parse_one, a, help);
}

/*====  fit  ====*/

typedef struct views {
    int n;
    gk_mat *m[GK_ALIGN_MAX_VIEWS]; /* owned unless pairs holds them */
    cli_pairs pairs;               /* two views, with labels / pairing */
} views;

static void views_free(views *v)
{
    if (v->pairs.x) cli_pairs_free(&v->pairs);
    else
        for (int i = 0; i < v->n; i++) gk_mat_free(v->m[i]);
}

static int load_views(const char *cmd, const align_args *a, int n, char **files, views *v)
{
    int rc;
    memset(v, 0, sizeof *v);
    if (n < 2 || n > GK_ALIGN_MAX_VIEWS)
        return cli_usage(cmd, "fit expects 2..%d inputs X Y [Z …], got %d", GK_ALIGN_MAX_VIEWS, n);
    if (n == 2) {
        if ((rc = cli_load_pairs(cmd, files[0], files[1], &a->c, &v->pairs))) return rc;
        v->n = 2, v->m[0] = v->pairs.x, v->m[1] = v->pairs.y;
        return CLI_OK;
    }
    if (a->c.pair_by_label) return cli_usage(cmd, "--pair-by-label pairs two views only");
    for (; v->n < n; v->n++) {
        if ((rc = cli_load_one(cmd, files[v->n], a->c.normalize, &v->m[v->n]))) return rc;
        if ((rc = cli_check_paired(cmd, files[0], v->m[0], files[v->n], v->m[v->n], 1, 0)))
            return rc;
    }
    return CLI_OK;
}

/* The fit; COMET's k rule (--k auto) is resolved by gk_transform_fit. */
static int fit(const char *cmd, const align_args *a, const views *v, gk_align **m)
{
    const int auto_k = a->o.method == GK_ALIGN_COMET && a->o.k == 0;
    if (auto_k && v->n != 2) return cli_usage(cmd, "--k auto needs exactly two views");
    const int64_t n = v->m[0]->rows, *pi = v->pairs.pair_index;
    int32_t *groups = auto_k && pi ? malloc((size_t)n * sizeof *groups) : NULL;
    if (auto_k && pi && !groups) return cli_fail(cmd, gk_set_error(GK_ENOMEM, "out of memory"));
    /* rows paired by label repeat Y: every held-out row of the class is a true match */
    for (int64_t i = 0; groups && i < n; i++) groups[i] = (int32_t)pi[i];
    int st = gk_transform_fit(&a->o, (const gk_mat *const *)v->m, v->n, groups, a->c.seed, m,
                              NULL);
    free(groups);
    return st == GK_OK ? CLI_OK : cli_fail(cmd, st);
}

static int write_transformed(const char *cmd, const char *dir, const gk_align *m,
                             const views *v)
{
    char path[4096];
    for (int i = 0; i < v->n; i++) {
        gk_mat *o = NULL;
        int st = gk_align_apply(m, i, v->m[i], &o);
        snprintf(path, sizeof path, "%s/view%d.npy", dir, i);
        if (st == GK_OK) st = gk_npy_write(path, o);
        gk_mat_free(o);
        if (st != GK_OK) return cli_fail(cmd, st);
    }
    return CLI_OK;
}

static void print_fit(const gk_align *m, const char *out)
{
    char desc[256];
    int64_t len = 0;
    const char *name = NULL;
    const float *d = gk_align_diagnostic(m, &len, &name);
    printf("align fit: %s%s\n", gk_align_describe(m, desc, sizeof desc), cli_ranks_note());
    printf("dims:");
    for (int v = 0; v < gk_align_n_views(m); v++)
        printf(" view %d %lld -> %lld%s", v, (long long)gk_align_dim(m, v),
               (long long)gk_align_out_dim(m, v), v + 1 < gk_align_n_views(m) ? "," : "\n");
    if (d && len) {
        printf("%s:", name);
        for (int64_t i = 0; i < len && i < 10; i++) printf(" %.4g", d[i]);
        printf("%s\n", len > 10 ? " …" : "");
    }
    printf("model written to %s\n", out);
}

/* fit under MPI: each rank reads its rows of every view (a file or @LIST of
** shards), rank 0 writes the model, bitwise the one-process model (dist.h). */
static int align_fit_dist(const char *cmd, const align_args *a, int n, char **files)
{
    if (n < 2 || n > GK_ALIGN_MAX_VIEWS)
        return cli_usage(cmd, "fit expects 2..%d inputs X Y [Z …], got %d", GK_ALIGN_MAX_VIEWS, n);
    if (a->c.labels || a->c.prompt_labels || a->c.pair_by_label || a->transformed)
        return cli_usage(cmd, "under MPI, fit pairs rows by index and writes only the model "
                         "(not --labels, --prompt-labels, --pair-by-label or --transformed)");
    if (!gk_dist_align_supported(&a->o, n))
        return cli_usage(cmd, "--method %s%s does not run under MPI (identity, center, shift, "
                         "ablate, procrustes, cca, projdec and comet with --k K do)",
                         gk_align_method_name(a->o.method),
                         a->o.method == GK_ALIGN_COMET ? " --k auto" : "");
    gk_align *m = NULL;
    char *json = NULL;
    int st = gk_dist_align_fit_files(&a->o, (const char *const *)files, n, a->c.normalize,
                                     a->out, &m), rc = CLI_OK;
    if (st != GK_OK) rc = cli_fail(cmd, st);
    else if (gk_dist_rank() != 0) rc = CLI_OK;
    else if (!a->c.json) print_fit(m, a->out);
    else if ((st = gk_align_to_json(m, &json)) != GK_OK) rc = cli_fail(cmd, st);
    else rc = cli_json_print(cmd, cli_json_parse(json)); /* says "ranks" */
    gk_free(json);
    gk_align_free(m);
    return rc;
}

static int align_fit(const char *cmd, align_args *a, int n, char **files)
{
    views v;
    gk_align *m = NULL;
    char *json = NULL;
    int rc, st;
    if ((rc = resolve_method(cmd, a))) return rc;
    if (!a->out) return cli_usage(cmd, "fit needs --out MODEL.npz");
    if (gk_dist_active()) return align_fit_dist(cmd, a, n, files);
    if ((rc = load_views(cmd, a, n, files, &v))) goto cleanup;
    if ((rc = fit(cmd, a, &v, &m))) goto cleanup;
    if ((st = gk_align_save(m, a->out)) != GK_OK) {
        rc = cli_fail(cmd, st);
        goto cleanup;
    }
    if (a->transformed && (rc = write_transformed(cmd, a->transformed, m, &v))) goto cleanup;
    if (!a->c.json) print_fit(m, a->out);
    else if ((st = gk_align_to_json(m, &json)) != GK_OK) rc = cli_fail(cmd, st);
    else cli_print_json(json);
cleanup:
    gk_free(json);
    gk_align_free(m);
    views_free(&v);
    return rc;
}

/*====  apply  ====*/

/* "x", "y", "z" or an index. */
static int parse_modality(const char *cmd, const char *s, int M, int *view)
{
    int64_t i;
    if (!s) return cli_usage(cmd, "apply needs --modality x|y|z|I");
    if (!strcmp(s, "x") || !strcmp(s, "y") || !strcmp(s, "z")) i = s[0] - 'x';
    else if (cli_parse_i64(s, 0, GK_ALIGN_MAX_VIEWS - 1, &i))
        return cli_usage(cmd, "--modality %s (expected x, y, z or a view index)", s);
    if (i >= M) return cli_usage(cmd, "--modality %s: the model has %d views", s, M);
    *view = (int)i;
    return CLI_OK;
}

static int align_apply(const char *cmd, const align_args *a, int n, char **files)
{
    gk_align *m = NULL;
    gk_mat *x = NULL;
    int rc = CLI_OK, st, view = 0;
    if (n != 2) return cli_usage(cmd, "apply expects MODEL and one input IN");
    if (!a->out) return cli_usage(cmd, "apply needs --out OUT.npy");
    if ((st = gk_align_load(files[0], &m)) != GK_OK) return cli_fail(cmd, st);
    if ((rc = parse_modality(cmd, a->modality, gk_align_n_views(m), &view))) goto cleanup;
    if (gk_dist_active()) { /* each rank its rows, rank 0 writes (dist.h) */
        if ((st = gk_dist_align_apply_files(m, view, files[1], a->c.normalize, a->out)))
            rc = cli_fail(cmd, st);
        else if (gk_dist_rank() == 0)
            printf("align apply: wrote %s%s\n", a->out, cli_ranks_note());
        goto cleanup;
    }
    if ((rc = cli_load_one(cmd, files[1], a->c.normalize, &x))) goto cleanup;
    if ((st = gk_align_apply_npy(m, view, x, a->out)) != GK_OK) {
        if (st != GK_EIO) gk_error_prepend(st, files[1]); /* name the input that does not fit */
        rc = cli_fail(cmd, st);
    }
cleanup:
    gk_align_free(m);
    gk_mat_free(x);
    return rc;
}

int cmd_align(int argc, char **argv)
{
    const char *cmd = "align";
    align_args a;
    int help = 0, rc;
    if (cli_no_subcommand(argc, argv, usage, &rc)) return rc;
    const char *sub = argv[1];
    if (strcmp(sub, "fit") && strcmp(sub, "apply"))
        return cli_usage(cmd, "unknown align subcommand '%s' (expected fit or apply)", sub);
    if ((rc = parse_args(cmd, argc - 1, argv + 1, &a, &help)) != CLI_OK) return rc;
    if (help) {
        usage(stdout);
        return CLI_OK;
    }
    char **files = argv + 1 + optind;
    int nfiles = argc - 1 - optind;
    if (!strcmp(sub, "fit")) return align_fit(cmd, &a, nfiles, files);
    return align_apply(cmd, &a, nfiles, files);
}
