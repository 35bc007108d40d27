/*
** knn_index.c — the kNN index: distance names, the checks and the one-off
** statistics of the gallery (column mean for euclidean), checks of query
** rows, and the conversion of ranking keys back to distances.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/linalg.h"
#include "knn_internal.h"
#include "linalg/linalg_internal.h"


static const struct {
    const char *name;
    gk_distance d;
} distance_names[] = {
    {"euclidean", GK_DIST_EUCLIDEAN}, {"l2", GK_DIST_EUCLIDEAN},
    {"cosine", GK_DIST_COSINE},       {"ip", GK_DIST_IP},
    {"inner-product", GK_DIST_IP},    {"dot", GK_DIST_IP},
    {"l1", GK_DIST_L1},               {"manhattan", GK_DIST_L1},
};

int gk_distance_parse(const char *name, gk_distance *out)
{
    GK_FAIL_IF(!name || !out, GK_EARG, "distance: NULL argument");
    for (size_t i = 0; i < sizeof distance_names / sizeof distance_names[0]; i++)
        if (!strcmp(name, distance_names[i].name)) {
            *out = distance_names[i].d;
            return GK_OK;
        }
    return gk_set_error(GK_EARG, "distance '%s': expected euclidean, cosine, ip or l1", name);
}

const char *gk_distance_name(gk_distance d)
{
    switch (d) {
    case GK_DIST_EUCLIDEAN: return "euclidean";
    case GK_DIST_COSINE: return "cosine";
    case GK_DIST_IP: return "ip";
    case GK_DIST_L1: return "l1";
    }
    return "?";
}

/* sq (N,) = Σ_d x_id² in double, rows in parallel (one row per thread). */
static void row_sumsq(const gk_mat *m, double *sq)
{
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < m->rows; i++) {
        double s = 0;
        for (int64_t d = 0; d < m->cols; d++) {
            const double v = gk_mat_at(m, i, d);
            s += v * v;
        }
        sq[i] = s;
    }
}

int knn_check_rows(const gk_knn *idx, const gk_mat *q, const char *what)
{
    GK_FAIL_IF(q->cols != idx->g.cols, GK_ESHAPE, "knn: %s have dimension %lld but the "
               "gallery has %lld", what, (long long)q->cols, (long long)idx->g.cols);
    double *sq = gk_malloc((size_t)(q->rows ? q->rows : 1) * sizeof *sq);
    if (!sq) return GK_ENOMEM;
    row_sumsq(q, sq);
    int rc = GK_OK;
    for (int64_t i = 0; i < q->rows && rc == GK_OK; i++) {
        /* a sum of squares is finite iff every element is (barring overflow) */
        if (!isfinite(sq[i]) && (rc = gk_mat_check_finite(q)) == GK_OK)
            rc = gk_set_error(GK_ENUMERIC, "row %lld has a norm that overflows", (long long)i);
        else if (rc == GK_OK && sq[i] == 0.0 && idx->dist == GK_DIST_COSINE)
            rc = gk_set_error(GK_ENUMERIC, "row %lld is all zeros: its cosine distance is "
                              "undefined", (long long)i);
    }
    if (rc != GK_OK) gk_error_prepend(rc, what);
    gk_free(sq);
    return rc;
}

int knn_find_copies(gk_knn *idx)
{
    const int64_t n = idx->g.rows;
    int64_t *first = gk_malloc((size_t)n * sizeof *first), nd;
    int64_t *gid = gk_malloc((size_t)n * sizeof *gid);
    int rc = first && gid ? gk_mat_first_rows(&idx->g, first, &nd) : GK_ENOMEM;
    idx->nd = n;
    if (rc == GK_OK && nd < n) {
        idx->drow = gk_malloc((size_t)nd * sizeof *idx->drow);
        idx->cstart = gk_calloc((size_t)nd + 1, sizeof *idx->cstart);
        idx->copies = gk_malloc((size_t)n * sizeof *idx->copies);
        rc = idx->drow && idx->cstart && idx->copies ? GK_OK : GK_ENOMEM;
    }
    if (rc == GK_OK && nd < n) {
        idx->nd = nd;
        for (int64_t i = 0, c = 0; i < n; i++) /* distinct rows numbered by first copy */
            if (first[i] == i) idx->drow[c] = i, gid[i] = c++;
        for (int64_t i = 0; i < n; i++) idx->cstart[gid[first[i]] + 1]++;
        for (int64_t c = 0; c < nd; c++) idx->cstart[c + 1] += idx->cstart[c];
        for (int64_t i = 0; i < n; i++) idx->copies[idx->cstart[gid[first[i]]]++] = i;
        for (int64_t c = nd; c > 0; c--) idx->cstart[c] = idx->cstart[c - 1]; /* undo the ++ */
        idx->cstart[0] = 0;
    }
    gk_free(first);
    gk_free(gid);
    return rc == GK_OK ? GK_OK : gk_set_error(rc, "knn: out of memory for %lld rows", (long long)n);
}

int gk_knn_create(const gk_mat *G, gk_distance dist, gk_knn **out)
{
    GK_FAIL_IF(!out, GK_EARG, "knn: out is NULL");
    *out = NULL;
    GK_FAIL_IF(!G || !G->data, GK_EARG, "knn: the gallery is NULL");
    GK_FAIL_IF(G->rows < 1 || G->cols < 1, GK_EARG, "knn: the gallery is (%lld, %lld); need "
               "at least one row and one column", (long long)G->rows, (long long)G->cols);
    GK_FAIL_IF(dist < GK_DIST_EUCLIDEAN || dist > GK_DIST_L1, GK_EARG,
               "knn: unknown distance %d", (int)dist);
    gk_knn *idx = gk_calloc(1, sizeof *idx);
    if (!idx) return GK_ENOMEM;
    idx->g = *G;
    idx->g.store = NULL;
    idx->dist = dist;
    int rc = knn_check_rows(idx, G, "gallery");
    if (rc == GK_OK) rc = knn_find_copies(idx);
    if (rc == GK_OK && dist == GK_DIST_EUCLIDEAN) {
        idx->mu = gk_malloc((size_t)G->cols * sizeof *idx->mu);
        rc = idx->mu ? gk_col_mean_blocked(G, idx->mu, NULL) : GK_ENOMEM;
    }
    if (rc != GK_OK) gk_knn_free(idx);
    else *out = idx;
    return rc;
}

void gk_knn_free(gk_knn *idx)
{
    if (!idx) return;
    gk_free(idx->mu);
    gk_free(idx->drow);
    gk_free(idx->cstart);
    gk_free(idx->copies);
    gk_free(idx);
}

int64_t gk_knn_rows(const gk_knn *idx) { return idx ? idx->g.rows : 0; }

