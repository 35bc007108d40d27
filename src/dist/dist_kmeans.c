/*
** dist_kmeans.c — k-means over MPI ranks (methods.md §4) with the answer of
** one process: each rank assigns its own rows (kmeans_lloyd.c, unchanged),
** and every number that one process sums over rows is summed here in the
** same order.  Shards start at multiples of GK_CROSS_BLOCK rows and the
** assignment chunks are GK_CROSS_BLOCK rows, so a rank's chunks are chunks
** of one process; their partial sums (inertia, each cluster's sum) are added
** in chunk order by one running sum passed from rank to rank (dist_chain).
** Counts and changed rows are integers: any order.  k-means++ seeds from a
** sample of at most 256·K rows (kmeans.c): every rank gathers the sample and
** seeds exactly as one process.  An empty cluster takes the farthest row
** over all ranks (ties → lower global row).  Rank 0 gathers the clusters.
*/
#include <string.h>

#include "cluster/kmeans_internal.h"
#include "core/error_internal.h"
#include "dist_internal.h"
#include "gapkit/linalg.h"
#include "group/group_internal.h"
#include "linalg/cross_internal.h"

_Static_assert(KM_CHUNK == GK_CROSS_BLOCK, "a rank's k-means chunks must be one process's");

static void add_inertia(void *state, void *ud)
{
    const km_data *d = ud;
    double *s = state;
    for (int64_t q = 0; q < d->n_chunks; q++) *s += d->chunk_sum[q];
}

void km_dist_inertia(const km_data *d, double *sum, int64_t *changed)
{
    double s = 0;
    int64_t ch = 0;
    dist_chain(&s, sizeof s, add_inertia, (void *)d);
    for (int64_t q = 0; q < d->n_chunks; q++) ch += d->chunk_changed[q];
    ch = dist_total(ch);
    *sum = s;
    if (changed) *changed = ch;
}

typedef struct reduce_ctx {
    const km_data *d;
    int64_t kd;
} reduce_ctx;

static void add_partials(void *state, void *ud)
{
    const reduce_ctx *c = ud;
    double *s = state;
    for (int64_t q = 0; q < c->d->n_chunks; q++) {
        const double *p = c->d->partial + q * c->kd;
        for (int64_t e = 0; e < c->kd; e++) s[e] += p[e];
    }
}

void km_dist_reduce(const km_data *d, int64_t k, double *sum, int64_t *count)
{
    reduce_ctx c = {d, k * d->X->cols};
    memset(sum, 0, (size_t)c.kd * sizeof *sum);
    dist_chain(sum, (size_t)c.kd * sizeof *sum, add_partials, &c);
    memset(count, 0, (size_t)k * sizeof *count);
    for (int64_t q = 0; q < d->n_chunks; q++)
        for (int64_t j = 0; j < k; j++) count[j] += d->pcount[q * k + j];
#ifdef GK_HAVE_MPI
    if (gk_dist_active())
        MPI_Allreduce(MPI_IN_PLACE, count, (int)k, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
#endif
}

/* A candidate row for an empty cluster: its distance and global row (−1: none). */
typedef struct far_row {
    double dist;
    int64_t row;
} far_row;

void km_dist_farthest(const km_data *d, const km_run *r, uint8_t *taken, double *s)
{
    far_row mine = {-1, -1}, best = {-1, -1};
    for (int64_t i = 0; i < d->X->rows; i++)
        if (!taken[i] && (mine.row < 0 || r->dist[i] > mine.dist))
            mine.dist = r->dist[i], mine.row = d->r0 + i;
    int owner = gk_dist_rank();
    best = mine;
#ifdef GK_HAVE_MPI
    const int P = gk_dist_size();
    far_row all[P > 1 ? P : 1];
    all[0] = mine;
    if (gk_dist_active())
        MPI_Allgather(&mine, (int)sizeof mine, MPI_BYTE, all, (int)sizeof mine, MPI_BYTE,
                      MPI_COMM_WORLD);
    best.row = -1;
    for (int p = 0; p < P; p++) /* ranks hold increasing rows: ties keep the lower */
        if (all[p].row >= 0 && (best.row < 0 || all[p].dist > best.dist))
            best = all[p], owner = p;
#endif
    const int64_t dim = d->X->cols;
    float buf[256];
    for (int64_t o = 0; o < dim; o += 256) { /* the owner broadcasts the row */
        const int64_t c = dim - o < 256 ? dim - o : 256;
        if (owner == gk_dist_rank())
            memcpy(buf, gk_mat_row(d->X, best.row - d->r0) + o, (size_t)c * sizeof *buf);
#ifdef GK_HAVE_MPI
        if (gk_dist_active()) MPI_Bcast(buf, (int)c, MPI_FLOAT, owner, MPI_COMM_WORLD);
#endif
        for (int64_t l = 0; l < c; l++) s[o + l] = buf[l];
    }
    if (owner == gk_dist_rank()) taken[best.row - d->r0] = 1;
}

typedef struct mean_ctx {
    const double *parts;
    int64_t nb, d;
} mean_ctx;

/* gk_col_mean_blocked()'s loop over this rank's blocks: state (D+1,) = Σx, Σ‖x‖². */
static void add_col_sums(void *state, void *ud)
{
    const mean_ctx *c = ud;
    double *mean = state, *sq = mean + c->d;
    const int64_t w = 2 * c->d;
    for (int64_t b = 0; b < c->nb; b++)
        for (int64_t j = 0; j < c->d; j++)
            mean[j] += c->parts[b * w + j], *sq += c->parts[b * w + c->d + j];
}

int km_dist_tol(const km_data *d, double tol, double *out)
{
    const int64_t dim = d->X->cols, nb = dist_local_blocks(d->X->rows);
    double *parts = gk_malloc((size_t)(nb ? nb : 1) * 2 * (size_t)dim * sizeof *parts);
    double *st = gk_calloc((size_t)dim + 1, sizeof *st), m2 = 0;
    int rc = parts && st ? GK_OK : gk_set_error(GK_ENOMEM, "kmeans: out of memory (rank %d)",
                                                gk_dist_rank());
    if (rc == GK_OK && nb) cross_col_sum_parts(d->X, parts);
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK) {
        mean_ctx c = {parts, nb, dim};
        dist_chain(st, ((size_t)dim + 1) * sizeof *st, add_col_sums, &c);
        for (int64_t l = 0; l < dim; l++) {
            const double mu = st[l] / (double)d->n_all;
            m2 += mu * mu;
        }
        /* as kmeans.c: Σ_l var_l = (1/N) Σ_i ‖x_i‖² − ‖μ‖² */
        *out = tol * (st[dim] / (double)d->n_all - m2) / (double)dim;
    }
    gk_free(parts), gk_free(st);
    return rc;
}

int km_dist_sample(const km_data *d, const int64_t *idx, int64_t m, gk_mat **S)
{
    const int64_t dim = d->X->cols;
    int rc = gk_dist_agree(gk_mat_create(m, dim, S), NULL);
    if (rc != GK_OK) return gk_mat_free(*S), *S = NULL, rc;
    for (int64_t t = 0; t < m; t++) { /* our rows; the others stay 0 */
        const int64_t g = idx ? idx[t] : t;
        if (g >= d->r0 && g < d->r0 + d->X->rows)
            memcpy(gk_mat_row(*S, t), gk_mat_row(d->X, g - d->r0), (size_t)dim * sizeof(float));
    }
#ifdef GK_HAVE_MPI
    /* bitwise OR with zeros leaves every row exactly as its owner has it */
    uint32_t *w = (uint32_t *)(*S)->data;
    const int64_t len = m * dim, chunk = 1 << 28;
    for (int64_t o = 0; gk_dist_active() && o < len; o += chunk)
        MPI_Allreduce(MPI_IN_PLACE, w + o, (int)(len - o < chunk ? len - o : chunk),
                      MPI_UINT32_T, MPI_BOR, MPI_COMM_WORLD);
#endif
    return GK_OK;
}

int km_dist_gather(const km_data *d, int n_init, int32_t **all, int32_t **assign)
{
    const int64_t nloc = d->X->rows, n = d->n_all;
    int32_t *out = NULL, *g = NULL;
    int rc = GK_OK;
    if (gk_dist_rank() == 0 && !(out = gk_malloc((size_t)n_init * (size_t)n * sizeof *out)))
        rc = gk_set_error(GK_ENOMEM, "kmeans: out of memory for %d x %lld clusters on rank 0",
                          n_init, (long long)n);
    GK_TRY(gk_dist_agree(rc, NULL));
    for (int t = 0; t < n_init && rc == GK_OK; t++) {
        rc = gk_dist_gather_rows(*all + (size_t)t * (size_t)nloc, nloc, 1, sizeof *g, (void **)&g);
        if (rc == GK_OK && out) memcpy(out + (size_t)t * (size_t)n, g, (size_t)n * sizeof *g);
        gk_free(g), g = NULL;
    }
    if (rc == GK_OK) rc = gk_dist_gather_rows(*assign, nloc, 1, sizeof *g, (void **)&g);
    if (rc != GK_OK) return gk_free(out), rc;
    gk_free(*all), gk_free(*assign);
    *all = out, *assign = g;
    return GK_OK;
}

int gk_dist_kmeans(const gk_mat *X, const gk_kmeans_opts *opts, gk_kmeans_result **out)
{
    return km_kmeans(X, opts, 1, out);
}

int gk_dist_group_cluster(const gk_mat *X, const int32_t *y, const gk_group_opts *opts,
                          gk_group_result *out)
{
    GK_FAIL_IF(!X || !y || !out, GK_EARG, "cluster: NULL argument");
    gk_group_opts o = opts ? *opts : gk_group_opts_default();
    grp_result_init(out);
    const int64_t n = dist_total(X->rows);
    int32_t *yd = gk_malloc((size_t)(n ? n : 1) * sizeof *yd), C = 0;
    int rc = yd ? grp_renumber(y, n, yd, &C) : gk_set_error(GK_ENOMEM, "cluster: out of memory");
    if (rc == GK_OK && n < 2)
        rc = gk_set_error(GK_EARG, "group tasks: %lld rows; at least 2 needed", (long long)n);
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK) {
        out->n_rows = out->n_test_rows = n;
        out->n_classes = C;
        rc = grp_cluster_task(X, n, yd, C, &o, 1, out);
    }
    gk_free(yd);
    return rc;
}
