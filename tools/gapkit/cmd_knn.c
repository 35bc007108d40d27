/*
** cmd_knn.c — `gapkit knn X`: the exact k nearest neighbours of every row of
** X among the other rows of X (or of every row of --queries Q among the rows
** of X), from the library's kNN engine, written as .npy arrays.
*/
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_json.h"

enum { OPT_K = 1, OPT_DISTANCE, OPT_QUERIES, OPT_OUT, OPT_DIST_OUT };

typedef struct knn_args {
    cli_common c;
    int64_t k;
    gk_distance distance;
    const char *queries, *out, *dist_out;
} knn_args;

static void usage(FILE *f)
{
    fprintf(f, "usage: gapkit knn X [--k K] [--distance D] [--queries Q] [--out IDS.npy]\n"
               "                  [--dist-out DIST.npy] [--json]\n"
               "The K nearest neighbours of every row of X among the OTHER rows of X (the row\n"
               "itself is excluded by its index), or, with --queries, of every row of Q among\n"
               "the rows of X.  Neighbours are sorted by distance, ties by lower row index.\n\n"
               "  --k K          neighbours per row (default 10)\n"
               "  --distance D   euclidean (default), cosine, ip (largest inner product first)\n"
               "                 or l1\n"
               "  --queries Q    the rows to find neighbours for (default: X itself)\n"
               "  --out FILE     neighbour row indices, a (rows, K) float64 .npy (exact integers)\n"
               "  --dist-out F   their distances, a (rows, K) float32 .npy\n"
               "  --no-normalize keep rows as they are (default: L2-normalise every row)\n"
               "  --json         print a JSON summary instead of the table\n"
               "  --threads N    threads (0 = all)\n"
               "Without --out, the neighbours of the first rows are printed.\n");
}

static int parse_option(const char *cmd, int opt, const char *arg, void *ctx)
{
    knn_args *a = ctx;
    switch (opt) {
    case OPT_K:
        if (cli_parse_i64(arg, 1, INT32_MAX, &a->k))
            return cli_usage(cmd, "--k %s (expected a positive integer)", arg);
        return CLI_OK;
    case OPT_DISTANCE:
        if (gk_distance_parse(arg, &a->distance) != GK_OK)
            return cli_usage(cmd, "--%s", gk_last_error());
        return CLI_OK;
    case OPT_QUERIES: a->queries = arg; return CLI_OK;
    case OPT_OUT: a->out = arg; return CLI_OK;
    case OPT_DIST_OUT: a->dist_out = arg; return CLI_OK;
    default: return cli_usage(cmd, "unknown option (see --help)");
    }
}

/* ids (n,k) as a float64 .npy (indices < 2^53 are exact). */
static int write_ids(const char *path, const int64_t *ids, int64_t n, int64_t k)
{
    double *d = malloc((size_t)(n > 0 ? n * k : 1) * sizeof *d);
    if (!d) return gk_set_error(GK_ENOMEM, "out of memory for %lld indices", (long long)(n * k));
    for (int64_t i = 0; i < n * k; i++) d[i] = (double)ids[i];
    int rc = gk_npy_write_f64(path, d, n, k);
    free(d);
    return rc;
}

static int write_outputs(const knn_args *a, const int64_t *ids, float *dist, int64_t n)
{
    int rc = a->out ? write_ids(a->out, ids, n, a->k) : GK_OK;
    if (rc == GK_OK && a->dist_out) {
        gk_mat m = {dist, n, a->k, a->k, 1, NULL};
        rc = gk_npy_write(a->dist_out, &m);
    }
    return rc;
}

static void print_table(const knn_args *a, const char *xs, int64_t nx, const int64_t *ids,
                        const float *dist, int64_t n)
{
    printf("%lld %s of %s (N = %lld), k = %lld, %s distance%s%s\n", (long long)n,
           a->queries ? "queries" : "rows", xs, (long long)nx, (long long)a->k,
           gk_distance_name(a->distance), a->queries ? "" : ", each row's own index excluded",
           cli_ranks_note());
    if (a->out) printf("neighbour indices → %s\n", a->out);
    if (a->dist_out) printf("distances → %s\n", a->dist_out);
    if (a->out) return;
    for (int64_t i = 0; i < n && i < 5; i++) {
        printf("  row %lld:", (long long)i);
        for (int64_t r = 0; r < a->k && r < 10; r++)
            printf(" %lld (%.4g)", (long long)ids[i * a->k + r], dist[i * a->k + r]);
        printf("%s\n", a->k > 10 ? " …" : "");
    }
}

static int search(const char *cmd, const char *xs, const knn_args *a, const gk_mat *x,
                  const gk_mat *q)
{
    const int64_t n = q ? q->rows : x->rows;
    gk_knn *idx = NULL;
    char *json = NULL;
    int64_t *ids = malloc((size_t)(n > 0 ? n * a->k : 1) * sizeof *ids);
    float *dist = malloc((size_t)(n > 0 ? n * a->k : 1) * sizeof *dist);
    /* distances cost K·D per row: only when they are shown or written */
    float *want = a->dist_out || a->c.json || !a->out ? dist : NULL;
    int rc = ids && dist ? gk_knn_create(x, a->distance, &idx) : GK_ENOMEM;
    if (rc == GK_OK && q) rc = gk_knn_query(idx, q, a->k, ids, want);
    else if (rc == GK_OK) rc = gk_knn_graph(idx, a->k, ids, want);
    if (rc == GK_OK) rc = write_outputs(a, ids, dist, n);
    if (rc == GK_OK && a->c.json) rc = gk_knn_summary_to_json(idx, n, q == NULL, a->k, want, &json);
    int out = rc == GK_OK ? CLI_OK : cli_fail(cmd, rc);
    if (out == CLI_OK && json) cli_print_json(json);
    else if (out == CLI_OK) print_table(a, xs, x->rows, ids, dist, n);
    gk_free(json);
    gk_knn_free(idx);
    free(ids);
    free(dist);
    return out;
}

/* Under MPI (docs/distributed.md): each rank reads its rows, the library
** searches on the ring, and rank 0 writes and prints. */
static int run_dist(const char *cmd, const char *xs, const knn_args *a)
{
    gk_dist_knn_result r;
    const int want = a->dist_out || a->c.json || !a->out;
    int st = gk_dist_knn_run(xs, a->queries, a->c.normalize, a->distance, a->k, want, &r);
    char *json = NULL;
    if (st == GK_OK && gk_dist_rank() == 0) st = write_outputs(a, r.ids, r.dist, r.n_queries);
    if (st == GK_OK && gk_dist_rank() == 0 && a->c.json)
        st = gk_dist_knn_summary_to_json(&r, a->distance, !a->queries, a->k, &json);
    int rc = gk_dist_agree(st, NULL) != GK_OK ? (st ? cli_fail(cmd, st) : CLI_INPUT) : CLI_OK;
    if (rc == CLI_OK && gk_dist_rank() == 0) {
        if (json) rc = cli_json_print(cmd, cli_json_parse(json));
        else print_table(a, xs, r.n_gallery, r.ids, r.dist, r.n_queries);
    }
    gk_free(json), gk_free(r.ids), gk_free(r.dist);
    return rc;
}

static int run(const char *cmd, const char *xs, const knn_args *a)
{
    if (gk_dist_active()) return run_dist(cmd, xs, a);
    gk_mat *x = NULL, *q = NULL;
    int rc = cli_load_one(cmd, xs, a->c.normalize, &x);
    if (!rc && a->queries) rc = cli_load_one(cmd, a->queries, a->c.normalize, &q);
    if (!rc && q) rc = cli_check_paired(cmd, xs, x, a->queries, q, 0, 1);
    if (!rc) rc = search(cmd, xs, a, x, q);
    gk_mat_free(x);
    gk_mat_free(q);
    return rc;
}

int cmd_knn(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_OPTIONS,
        {"k", required_argument, 0, OPT_K},
        {"distance", required_argument, 0, OPT_DISTANCE},
        {"queries", required_argument, 0, OPT_QUERIES},
        {"out", required_argument, 0, OPT_OUT},
        {"dist-out", required_argument, 0, OPT_DIST_OUT},
        {0, 0, 0, 0}};
    knn_args a;
    int help = 0, r;
    memset(&a, 0, sizeof a);
    a.k = 10;
    a.distance = GK_DIST_EUCLIDEAN;
    cli_common_init(&a.c);
    if ((r = cli_getopt(argv[0], argc, argv, longopts, &a.c, parse_option, &a, &help)))
        return r;
    if (help) return usage(stdout), CLI_OK;
    if (argc - optind != 1) return cli_usage(argv[0], "expected one input X");
    return run(argv[0], argv[optind], &a);
}
