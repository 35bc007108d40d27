/*
** cmd_similarity.c — `gapkit similarity X Y --measure M`: how alike two
** spaces holding the same N items are (row i of X and row i of Y are the
** same item; the dimensions may differ).  The measures live in a table of
** {name, function}: each function calls the library and fills a value, the
** estimator in words and the library's JSON of the result.  To add a measure,
** add a row (and its options to sim_input / the option parser).
*/
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_json.h"

enum { OPT_MEASURE = 1, OPT_K, OPT_DISTANCE, OPT_K_SWEEP, OPT_OUT, OPT_SIGMA, OPT_RBF_UNBIASED,
       OPT_MAX_N, OPT_SVCCA_VARIANCE, OPT_SVCCA_DIMS, OPT_NULL, OPT_SAMPLE, OPT_KEEP_DUPLICATES };

/* What every measure function may read. */
typedef struct sim_input {
    const gk_mat *x, *y;  /* under MPI: this rank's rows */
    const gk_mat *kx, *ky;/* the rows the neighbourhood measures rank: one per item after
                             merging exact copies (gk_dedup_items), or x, y */
    int64_t n;            /* N, rows of the whole inputs */
    gk_kspec k;           /* --k (default 10) */
    gk_distance distance; /* --distance, or the measure's default when !distance_set */
    int distance_set;
    const char *out;      /* --out FILE, NULL if not given */
    gk_cka_opts cka;      /* --sigma-factor, --rbf-unbiased, --max-n, --svcca-* */
    int64_t sample;       /* --sample M: rows of a sampled estimate, 0 = every row */
    uint64_t seed;        /* --seed: which rows are sampled */
} sim_input;

/* What a measure function returns besides its status. */
typedef struct sim_output {
    double value;         /* the similarity (1 = same) */
    char estimator[512];  /* which estimator, with its parameters */
    char *json;           /* the library's JSON object of the result (gk_free) */
    char note[256];       /* a line printed after the result (e.g. a file written) */
} sim_output;

typedef struct sim_measure {
    const char *name;
    int (*run)(const sim_input *in, sim_output *out); /* a GK_* status */
    const char *summary;
} sim_measure;

/*====  the neighbourhood measures (nngs.h)  ====*/

/* Value, estimator and JSON of a neighbourhood result. */
static int nbr_output(const gk_nbr_result *r, sim_output *out)
{
    out->value = r->value;
    snprintf(out->estimator, sizeof out->estimator, "%s", r->estimator);
    return gk_nbr_to_json(r, &out->json);
}

/* --distance, else the distance the measure is defined with. */
static gk_distance distance_of(const char *name, const sim_input *in)
{
    return in->distance_set ? in->distance : gk_nbr_default_distance(name);
}

static int run_nbr(const char *name, const sim_input *in, sim_output *out)
{
    gk_nbr_result r;
    const gk_distance d = distance_of(name, in);
    const int rc = gk_dist_active() ? gk_dist_nbr_measure(name, in->x, in->y, in->k, d, &r)
                   : in->sample ? gk_nbr_measure_sampled(name, in->kx, in->ky, in->k, d,
                                                         in->sample, in->seed, &r)
                                : gk_nbr_measure(name, in->kx, in->ky, in->k, d, &r);
    if (rc == GK_OK && in->sample)
        snprintf(out->note, sizeof out->note, "sampled: %lld of %lld rows, 95%% interval "
                 "[%.6f, %.6f]", (long long)r.sampled_rows, (long long)r.n, r.ci_lo, r.ci_hi);
    return rc == GK_OK ? nbr_output(&r, out) : rc;
}

static int run_nngs(const sim_input *in, sim_output *out) { return run_nbr("nngs", in, out); }
static int run_mutual(const sim_input *in, sim_output *out)
{
    return run_nbr("mutual-knn", in, out);
}
static int run_cycle(const sim_input *in, sim_output *out) { return run_nbr("cycle-knn", in, out); }
static int run_cknna(const sim_input *in, sim_output *out) { return run_nbr("cknna", in, out); }

/* The spectrum: summary in the output, the whole of it to --out. */
static int run_tas(const sim_input *in, sim_output *out)
{
    gk_tas *t;
    const gk_distance d = distance_of("tas", in);
    int rc = gk_nngs_spectrum(in->kx, in->ky, d, &t);
    if (rc != GK_OK) return rc;
    if (in->out) rc = gk_tas_write(t, in->out);
    if (rc == GK_OK) rc = gk_tas_to_json(t, &out->json);
    out->value = t->mean_normalized;
    snprintf(out->estimator, sizeof out->estimator,
             "TAS (topological alignment spectrum): normalised NNGS at every k = 1..%lld, %s "
             "distance; value = its mean over k (area under the spectrum)",
             (long long)t->len, gk_distance_name(d));
    if (in->out) snprintf(out->note, sizeof out->note, "spectrum (k, chance, raw, normalised) "
                          "written to %s", in->out);
    else snprintf(out->note, sizeof out->note, "use --out FILE (.npy or text) for all %lld "
                  "scales", (long long)t->len);
    gk_tas_free(t);
    return rc;
}

/*====  the CKA family (cka.h)  ====*/

static int run_cka(const char *name, const sim_input *in, sim_output *out)
{
    gk_cka_result r;
    int rc = gk_dist_active() ? gk_dist_cka(name, in->x, in->y, &in->cka, &r)
                              : gk_cka_measure(name, in->x, in->y, &in->cka, &r);
    if (rc != GK_OK) return rc;
    out->value = r.value;
    snprintf(out->estimator, sizeof out->estimator, "%s", r.estimator);
    if (r.kind == GK_CKA_PROCRUSTES)
        snprintf(out->note, sizeof out->note, "distance %.6f, angle %.6f rad", r.distance,
                 r.angle);
    rc = gk_cka_to_json(&r, &out->json);
    gk_cka_result_free(&r);
    return rc;
}

static int run_cka_linear(const sim_input *in, sim_output *out)
{
    return run_cka("cka-linear", in, out);
}
static int run_cka_rbf(const sim_input *in, sim_output *out) { return run_cka("cka-rbf", in, out); }
static int run_cka_unbiased(const sim_input *in, sim_output *out)
{
    return run_cka("cka-unbiased", in, out);
}
static int run_svcca(const sim_input *in, sim_output *out) { return run_cka("svcca", in, out); }
static int run_procrustes(const sim_input *in, sim_output *out)
{
    return run_cka("procrustes", in, out);
}

static int parse_cka_option(const char *cmd, int opt, const char *arg, gk_cka_opts *o)
{
    int64_t v;
    switch (opt) {
    case OPT_SIGMA:
        if (cli_parse_f64(arg, 1e-300, 1e300, &o->sigma_factor))
            return cli_usage(cmd, "--sigma-factor %s (expected a number > 0)", arg);
        return CLI_OK;
    case OPT_RBF_UNBIASED: o->rbf_unbiased = 1; return CLI_OK;
    case OPT_MAX_N:
        if (cli_parse_i64(arg, 2, INT64_MAX, &o->max_n))
            return cli_usage(cmd, "--max-n %s (expected an integer >= 2)", arg);
        return CLI_OK;
    case OPT_SVCCA_VARIANCE:
        if (cli_parse_f64(arg, 1e-300, 1, &o->svcca_variance))
            return cli_usage(cmd, "--svcca-variance %s (expected 0 < share <= 1)", arg);
        return CLI_OK;
    default:
        if (cli_parse_i64(arg, 1, INT64_MAX, &v))
            return cli_usage(cmd, "--svcca-dims %s (expected an integer >= 1)", arg);
        o->svcca_dims = v;
        return CLI_OK;
    }
}

static const sim_measure measures[] = {
    {"nngs", run_nngs, "NNGS, chance-normalised (default k 10, euclidean)"},
    {"tas", run_tas, "NNGS at every k = 1..N-2 (spectrum); --out FILE writes it"},
    {"mutual-knn", run_mutual, "mean share of shared k-NN (platonic-rep; cosine)"},
    {"cycle-knn", run_cycle, "X-neighbour of a Y-neighbour is the item (platonic-rep)"},
    {"cknna", run_cknna, "CKA on pairs that are k-NN in both spaces (platonic-rep)"},
    {"cka-linear", run_cka_linear, "linear CKA in feature space, O(N D^2) (Kornblith 2019)"},
    {"cka-rbf", run_cka_rbf, "CKA, Gaussian kernel, sigma = F x median distance; O(N^2)"},
    {"cka-unbiased", run_cka_unbiased, "linear CKA, unbiased HSIC (Song 2012; platonic-rep)"},
    {"svcca", run_svcca, "SVD to 99% of the variance, then mean CCA correlation"},
    {"procrustes", run_procrustes, "orthogonal Procrustes similarity, centred, unit Frobenius"},
};
#define N_MEASURES (int)(sizeof measures / sizeof measures[0])

/*====  command line  ====*/

static void usage(FILE *f)
{
    fprintf(f, "usage: gapkit similarity X Y [--measure M[,M...]] [--k K] [--distance D]\n"
               "                         [--k-sweep] [--sample M] [--out FILE] [--json]\n"
               "How alike two spaces of the same N items are (row i of X and row i of Y are\n"
               "the same item; their dimensions may differ).  1 = same, 0 = unrelated.\n\n"
               "measures (--measure, default nngs; several separated by commas):\n");
    for (int i = 0; i < N_MEASURES; i++)
        fprintf(f, "  %-12s %s\n", measures[i].name, measures[i].summary);
    fprintf(f, "\n  --k K          neighbours: a count (10) or a fraction of N-1 (0.2 or 20%%);\n"
               "                 default 10\n"
               "  --distance D   euclidean, cosine, ip or l1 (defaults: euclidean for nngs/tas,\n"
               "                 cosine for mutual-knn, cycle-knn, cknna)\n"
               "  --k-sweep      NNGS at k = 1, 5, 10 and 1%%, 5%%, 10%%, 20%%, 50%% of N-1\n"
               "  --sample M     nngs, mutual-knn, cycle-knn, cknna: estimate from M random rows\n"
               "                 (their exact neighbours among all N) with a 95%% interval;\n"
               "                 --seed S picks the rows (default 0)\n"
               "  --out FILE     tas: the whole spectrum (.npy: columns k, chance, raw,\n"
               "                 normalised; another name: a text table)\n"
               "  --sigma-factor F  cka-rbf: sigma = F x median pairwise distance (default 1)\n"
               "  --rbf-unbiased    cka-rbf: unbiased HSIC estimator (default: biased)\n"
               "  --max-n N         cka-rbf: refuse more than N items (default %d; O(N^2) time)\n"
               "  --svcca-variance S  svcca: keep directions holding S of the variance (0.99)\n"
               "  --svcca-dims K    svcca: keep K directions per space instead\n"
               "  --null N       also each measure under N shuffled pairings (seeded by --seed):\n"
               "                 null mean and sd, calibrated (s - mean)/(1 - mean), z-score\n"
               "                 and p = (1 + #{null >= s})/(N + 1) (not for tas)\n"
               "  --keep-duplicates  the neighbourhood measures (nngs, tas, mutual-knn,\n"
               "                 cycle-knn, cknna) rank exact copies as separate items (default:\n"
               "                 items whose X or Y rows are copies are one item, the first;\n"
               "                 with --pair-by-label only X copies link; the count is printed;\n"
               "                 under MPI nothing is merged: give it when there are copies)\n"
               "  --no-normalize keep rows as they are (default: L2-normalise every row)\n"
               "  --json         print a JSON document instead of the table\n"
               "  --threads N    threads (0 = all)\n"
               "docs/similarity.md explains the measures and how to read --k-sweep.\n",
            GK_CKA_RBF_MAX_N);
}

static const sim_measure *find_measure(const char *name)
{
    for (int i = 0; i < N_MEASURES; i++)
        if (!strcmp(measures[i].name, name)) return &measures[i];
    return NULL;
}

typedef struct sim_args {
    sim_input in;
    cli_common c;
    char list[256]; /* --measure, comma-separated */
    int sweep;
    int64_t null_n; /* --null N: shuffled pairings (0 = none) */
    int keep_duplicates;
    int64_t merged; /* items merged into an earlier copy (-1: not looked for) */
} sim_args;

static int parse_option(const char *cmd, int opt, const char *arg, void *ctx)
{
    sim_args *a = ctx;
    switch (opt) {
    case OPT_MEASURE: snprintf(a->list, sizeof a->list, "%s", arg); return CLI_OK;
    case OPT_K:
        if (gk_kspec_parse(arg, &a->in.k) != GK_OK) return cli_usage(cmd, "--%s", gk_last_error());
        return CLI_OK;
    case OPT_DISTANCE:
        if (gk_distance_parse(arg, &a->in.distance) != GK_OK)
            return cli_usage(cmd, "--%s", gk_last_error());
        a->in.distance_set = 1;
        return CLI_OK;
    case OPT_K_SWEEP: a->sweep = 1; return CLI_OK;
    case OPT_NULL:
        if (cli_parse_i64(arg, 2, 1000000, &a->null_n))
            return cli_usage(cmd, "--null %s (expected an integer in [2, 1000000])", arg);
        return CLI_OK;
    case OPT_SAMPLE:
        if (cli_parse_i64(arg, GK_NBR_SAMPLE_MIN, INT64_MAX, &a->in.sample))
            return cli_usage(cmd, "--sample %s (expected an integer >= %d)", arg,
                             GK_NBR_SAMPLE_MIN);
        return CLI_OK;
    case OPT_OUT: a->in.out = arg; return CLI_OK;
    case OPT_KEEP_DUPLICATES: a->keep_duplicates = 1; return CLI_OK;
    case OPT_SIGMA: case OPT_RBF_UNBIASED: case OPT_MAX_N: case OPT_SVCCA_VARIANCE:
    case OPT_SVCCA_DIMS: return parse_cka_option(cmd, opt, arg, &a->in.cka);
    default: return cli_usage(cmd, "unknown option (see --help)");
    }
}

/* Checks every name of the --measure list before any work is done. */
static int check_measures(const char *cmd, sim_args *a)
{
    char buf[256], *save = NULL;
    snprintf(buf, sizeof buf, "%s", a->list);
    if (strspn(a->list, ",") == strlen(a->list)) /* "" or only commas: nothing to measure */
        return cli_usage(cmd, "--measure '%s' names no measure (see --help)", a->list);
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (!find_measure(t))
            return cli_usage(cmd, "--measure %s: unknown measure (see --help)", t);
    if (a->sweep && strcmp(a->list, "nngs"))
        return cli_usage(cmd, "--k-sweep is for --measure nngs only");
    if (a->null_n && (a->sweep || strstr(a->list, "tas")))
        return cli_usage(cmd, "--null calibrates single values: not with --k-sweep or tas");
    if (a->sweep && a->in.sample) return cli_usage(cmd, "--sample does not combine with --k-sweep");
    snprintf(buf, sizeof buf, "%s", a->list);
    for (char *t = strtok_r(buf, ",", &save); a->in.sample && t; t = strtok_r(NULL, ",", &save))
        if (strcmp(t, "nngs") && strcmp(t, "mutual-knn") && strcmp(t, "cycle-knn") &&
            strcmp(t, "cknna"))
            return cli_usage(cmd, "--sample is for nngs, mutual-knn, cycle-knn and cknna, not %s",
                             t);
    return CLI_OK;
}

static void print_header(const char *xs, const char *ys, const sim_args *a)
{
    printf("X: %s (N = %lld, D = %lld)\nY: %s (D = %lld)\nrows %s\n", xs,
           (long long)a->in.n, (long long)a->in.x->cols, ys, (long long)a->in.y->cols,
           a->c.normalize ? "L2-normalised on load" : "as given (--no-normalize)");
    if (gk_dist_active()) printf("computed%s\n", cli_ranks_note());
    if (a->merged > 0)
        printf("duplicates: %lld items repeat an earlier item's exact row and were merged:\n"
               "  the neighbourhood measures use %lld items (--keep-duplicates keeps them)\n",
               (long long)a->merged, (long long)a->in.kx->rows);
    else if (a->merged == 0) printf("duplicates: none (exact copies are looked for and merged)\n");
    printf("\n");
}

/* --k-sweep: the table (or JSON) of NNGS at several scales. */
static int run_sweep(const char *cmd, const sim_args *a)
{
    gk_nbr_result r[8];
    int n;
    char *json = NULL;
    const gk_distance d = distance_of("nngs", &a->in);
    int rc = gk_nngs_sweep(a->in.kx, a->in.ky, NULL, 0, d, r, &n);
    if (rc == GK_OK && a->c.json) rc = gk_nngs_sweep_to_json(r, n, &json);
    if (rc != GK_OK) return cli_fail(cmd, rc);
    if (json) {
        cli_print_json(json);
        gk_free(json);
        return CLI_OK;
    }
    printf("NNGS at several scales (%s distance, self excluded, ties by index)\n"
           "normalised: 1 = the same neighbourhoods, 0 = chance, < 0 = fewer than chance\n\n"
           "%8s %10s %10s %10s %11s\n", gk_distance_name(d), "k", "% of N-1", "raw", "chance",
           "normalised");
    for (int p = 0; p < n; p++)
        printf("%8lld %9.2f%% %10.5f %10.5f %11.5f\n", (long long)r[p].k,
               100.0 * (double)r[p].k / (double)(r[p].n - 1), r[p].raw, r[p].chance, r[p].value);
    printf("\nSmall k compares local neighbourhoods, k near N/2 the coarse layout (clusters\n"
           "and where they lie); the spaces agree at the scales where 'normalised' is high.\n");
    return CLI_OK;
}

/* Prints s indented by two spaces, wrapped at spaces to lines of <= 90 columns. */
static void print_wrapped(const char *s)
{
    while (*s) {
        size_t n = strlen(s), cut = n;
        if (n > 88) {
            cut = 88;
            while (cut > 0 && s[cut] != ' ') cut--;
            if (cut == 0) cut = 88;
        }
        printf("  %.*s\n", (int)cut, s);
        s += cut;
        while (*s == ' ') s++;
    }
}

static void print_result(const sim_measure *m, const sim_output *o)
{
    printf("%-12s %10.6f\n", m->name, o->value);
    print_wrapped(o->estimator);
    if (o->note[0]) print_wrapped(o->note);
}

/* 1: a neighbourhood measure (ranks rows: exact copies are merged for it). */
static int is_nbr(const char *name)
{
    return !strcmp(name, "nngs") || !strcmp(name, "tas") || !strcmp(name, "mutual-knn") ||
           !strcmp(name, "cycle-knn") || !strcmp(name, "cknna");
}

/*====  --null: the measure under shuffled pairings (stats.h)  ====*/

typedef struct null_ctx {
    const sim_measure *m;
    const sim_input *in;
} null_ctx;

/* gk_measure_fn: the measure's value on (X, Y) with the command's options. */
static int measure_value(const gk_mat *X, const gk_mat *Y, void *ctx, double *value)
{
    const null_ctx *c = ctx;
    sim_input in = *c->in;
    in.x = in.kx = X;
    in.y = in.ky = Y;
    in.out = NULL;
    sim_output o;
    memset(&o, 0, sizeof o);
    int rc = c->m->run(&in, &o);
    gk_free(o.json);
    *value = o.value;
    return rc;
}

static void print_null(const gk_null_result *r, uint64_t seed)
{
    printf("  null: %d shuffled pairings (seed %llu): mean %.6f, sd %.6f\n"
           "  calibrated (s - mean)/(1 - mean) = %.6f, z = %.2f, p = %.4g "
           "(resolution 1/(N+1) = %.4g)\n", r->n_perm, (unsigned long long)seed, r->null_mean,
           r->null_sd, r->calibrated, r->z, r->p_value, 1.0 / (r->n_perm + 1));
}

/* Calibrates measure m (its result already in o): prints, or adds "null" to obj. */
static int run_null(const sim_measure *m, const sim_args *a, json_t *obj)
{
    null_ctx c = {m, &a->in};
    gk_null_result r;
    char *json = NULL;
    const int nbr = is_nbr(m->name); /* the rows the measure itself uses */
    int rc = gk_perm_null(measure_value, &c, nbr ? a->in.kx : a->in.x, nbr ? a->in.ky : a->in.y,
                          (int)a->null_n, a->c.seed, &r, NULL);
    if (rc == GK_OK && obj) rc = gk_null_to_json(&r, a->c.seed, &json);
    if (rc != GK_OK) return rc;
    if (obj) json_object_set_new(obj, "null", cli_json_parse(json));
    else print_null(&r, a->c.seed);
    gk_free(json);
    return GK_OK;
}

/* Runs one measure: prints it, or appends its JSON object to results. */
static int run_one(const sim_measure *m, const sim_args *a, json_t *results, int *shown,
                   const char *xs, const char *ys)
{
    sim_output o;
    memset(&o, 0, sizeof o);
    int rc = m->run(&a->in, &o);
    json_t *obj = rc == GK_OK && results ? cli_json_parse(o.json) : NULL;
    if (rc == GK_OK && !results && gk_dist_rank() == 0) { /* under MPI rank 0 prints */
        if (!(*shown)++) print_header(xs, ys, a);
        print_result(m, &o);
    }
    gk_free(o.json);
    if (rc == GK_OK && a->null_n) rc = run_null(m, a, obj);
    if (obj && rc == GK_OK) json_array_append_new(results, obj);
    else json_decref(obj);
    return rc;
}

/* Runs every measure of the list; table or one JSON document. */
static int run_measures(const char *cmd, const char *xs, const char *ys, const sim_args *a)
{
    char buf[256], *save = NULL;
    snprintf(buf, sizeof buf, "%s", a->list);
    /* JSON: the results are gathered and printed whole once all are done, so
    ** a failing measure leaves no half document on stdout */
    json_t *results = a->c.json ? json_array() : NULL;
    int shown = 0; /* the header waits for a first result: an error prints no table */
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int rc = run_one(find_measure(t), a, results, &shown, xs, ys);
        if (rc != GK_OK) {
            json_decref(results);
            return cli_fail(cmd, rc);
        }
    }
    if (!results) return CLI_OK;
    if (gk_dist_rank() != 0) return json_decref(results), CLI_OK; /* under MPI rank 0 prints */
    json_t *dup = a->merged < 0 ? json_null()
                  : json_pack("{s:I,s:I,s:s}", "merged", (json_int_t)a->merged, "items",
                              (json_int_t)a->in.kx->rows, "rule", "nngs, tas, mutual-knn, "
                              "cycle-knn and cknna: items whose X or Y rows are exact copies "
                              "are one item (the first); --pair-by-label: X copies only");
    return cli_json_print(cmd, json_pack("{s:s, s:s, s:s, s:b, s:o, s:o}", "command",
                                         "similarity", "x", xs, "y", ys, "rows_normalized",
                                         a->c.normalize, "duplicates", dup, "results", results));
}

/* 1 when a measure asked for ranks rows (exact copies are merged for it). */
static int ranks_rows(const sim_args *a)
{
    return a->sweep || strstr(a->list, "nngs") || strstr(a->list, "tas") ||
           strstr(a->list, "knn") || strstr(a->list, "cknna");
}

/* Under MPI: each rank reads its rows (a file or @LIST of shards, dist.h);
** only the measures of gk_dist_similarity_supported() run, rank 0 printing. */
static int run_dist(const char *cmd, const char *xs, const char *ys, sim_args *a)
{
    char buf[256], *save = NULL;
    snprintf(buf, sizeof buf, "%s", a->list);
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (!gk_dist_similarity_supported(t))
            return cli_usage(cmd, "--measure %s does not run under MPI (cka-linear, "
                             "cka-unbiased, svcca, procrustes, nngs, mutual-knn, "
                             "cycle-knn and cknna do)", t);
    if (a->sweep || a->c.pair_by_label || a->in.sample)
        return cli_usage(cmd, "--k-sweep, --sample and --pair-by-label do not run under MPI");
    gk_shard *x, *y;
    int st = gk_shard_open_pair(xs, ys, a->c.normalize, &x, &y), rc;
    if (st == GK_OK && !a->keep_duplicates && ranks_rows(a)) {
        /* one process merges copied items for these measures; the ranks do not */
        int64_t ndx = 0, ndy = 0;
        st = gk_dist_distinct_rows(&x->rows, &ndx);
        if (st == GK_OK) st = gk_dist_distinct_rows(&y->rows, &ndy);
        if (st == GK_OK && (ndx < x->n || ndy < y->n))
            st = gk_set_error(GK_EARG, "%s has %lld exact copies of earlier rows: merging "
                              "copied items does not run under MPI; give --keep-duplicates "
                              "(copies ranked as separate items)", ndx < x->n ? xs : ys,
                              (long long)(ndx < x->n ? x->n - ndx : y->n - ndy));
    }
    if (st == GK_OK) {
        a->in.x = a->in.kx = &x->rows, a->in.y = a->in.ky = &y->rows, a->in.n = x->n;
        rc = run_measures(cmd, xs, ys, a);
    } else {
        rc = cli_fail(cmd, st);
    }
    gk_shard_free(x);
    gk_shard_free(y);
    return rc;
}

/* The rows of the neighbourhood measures: one per item once exact copies
** are merged (the library's rule, gk_dedup_items); *kx, *ky owned, NULL when
** nothing was merged. */
static int merge_copies(const char *cmd, sim_args *a, gk_mat **kx, gk_mat **ky)
{
    a->merged = -1;
    if (a->keep_duplicates || !ranks_rows(a)) return CLI_OK; /* no measure ranks rows */
    int64_t merged;
    /* with --pair-by-label Y repeats one prompt per class: its copies link nothing */
    int st = gk_dedup_pair_rows(a->in.x, a->in.y, !a->c.pair_by_label, kx, ky, &merged);
    if (st != GK_OK) return cli_fail(cmd, st);
    a->merged = merged;
    if (*kx) a->in.kx = *kx, a->in.ky = *ky;
    return CLI_OK;
}

static int run(const char *cmd, const char *xs, const char *ys, sim_args *a)
{
    if (gk_dist_active()) return run_dist(cmd, xs, ys, a);
    /* row i ↔ row i, or with --pair-by-label each X row with its label's Y row */
    cli_pairs p;
    memset(&p, 0, sizeof p);
    gk_mat *kx = NULL, *ky = NULL;
    int rc = cli_load_pairs(cmd, xs, ys, &a->c, &p);
    if (!rc) {
        a->in.x = a->in.kx = p.x;
        a->in.y = a->in.ky = p.y;
        a->in.n = p.x->rows;
        rc = merge_copies(cmd, a, &kx, &ky);
    }
    if (!rc) rc = a->sweep ? run_sweep(cmd, a) : run_measures(cmd, xs, ys, a);
    gk_mat_free(kx), gk_mat_free(ky);
    cli_pairs_free(&p);
    return rc;
}

int cmd_similarity(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_OPTIONS,
        {"measure", required_argument, 0, OPT_MEASURE},
        {"k", required_argument, 0, OPT_K},
        {"distance", required_argument, 0, OPT_DISTANCE},
        {"k-sweep", no_argument, 0, OPT_K_SWEEP},
        {"out", required_argument, 0, OPT_OUT},
        {"sigma-factor", required_argument, 0, OPT_SIGMA},
        {"rbf-unbiased", no_argument, 0, OPT_RBF_UNBIASED},
        {"max-n", required_argument, 0, OPT_MAX_N},
        {"svcca-variance", required_argument, 0, OPT_SVCCA_VARIANCE},
        {"svcca-dims", required_argument, 0, OPT_SVCCA_DIMS},
        {"null", required_argument, 0, OPT_NULL},
        {"sample", required_argument, 0, OPT_SAMPLE},
        {"keep-duplicates", no_argument, 0, OPT_KEEP_DUPLICATES},
        {0, 0, 0, 0}};
    sim_args a;
    int help = 0, r;
    memset(&a, 0, sizeof a);
    a.in.k.k = 10;
    a.in.cka = gk_cka_opts_default();
    snprintf(a.list, sizeof a.list, "nngs");
    a.merged = -1;
    cli_common_init(&a.c);
    if ((r = cli_getopt(argv[0], argc, argv, longopts, &a.c, parse_option, &a, &help)))
        return r;
    if (help) return usage(stdout), CLI_OK;
    if (argc - optind != 2) return cli_usage(argv[0], "expected two inputs X Y");
    if ((r = check_measures(argv[0], &a)) != CLI_OK) return r;
    a.in.seed = a.c.seed;
    return run(argv[0], argv[optind], argv[optind + 1], &a);
}
