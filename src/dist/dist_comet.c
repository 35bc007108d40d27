/*
** dist_comet.c — COMET fit over rows spread across ranks (methods.md §1, §8).
**
** The fit of one process is two passes over the rows, each a sum of
** per-block partial sums added in block order (gk_cross_moments, then the
** per-axis pass).  Here each rank computes the parts of its own blocks, the
** parts are added in global block order (gk_dist_sum_blocks), and every rank
** then runs the same small d×d steps (SVD, sign rule) on the same bits.  The
** model is therefore the model of one process, bit for bit.
*/
#include <string.h>

#include "align/align_internal.h"
#include "core/error_internal.h"
#include "core/matrix_internal.h"
#include "dist_internal.h"
#include "geometry/comet_internal.h"
#include "gapkit/linalg.h"

/* corr and the per-axis energies of m over all N pairs. */
static int dist_axis_stats(gk_comet *m, const gk_mat *T, const gk_mat *A, const comet_fit_work *w)
{
    const int64_t nb = dist_local_blocks(T->rows), len = 5 * m->k;
    double *parts = gk_malloc((size_t)(nb ? nb : 1) * (size_t)len * sizeof *parts);
    double *tot = gk_malloc((size_t)len * sizeof *tot);
    int rc = parts && tot ? GK_OK : gk_set_error(GK_ENOMEM, "comet fit: out of memory");
    if (rc == GK_OK && nb) rc = comet_fit_parts(m, T, A, parts);
    if ((rc = gk_dist_agree(rc, NULL)) == GK_OK) rc = gk_dist_sum_blocks(parts, nb, len, tot);
    if (rc == GK_OK) comet_fit_finish(m, tot, w->ss_t, w->ss_a);
    gk_free(parts), gk_free(tot);
    return rc;
}

/* Same shapes on every rank, N ≥ 2; magnitudes checked on each rank's rows. */
static int check_args(const gk_mat *T, const gk_mat *A, int64_t *n)
{
    int64_t local[3] = {T->rows, T->cols, A->cols}, sum = T->rows;
    int rc = T->rows == A->rows ? GK_OK
             : gk_set_error(GK_ESHAPE, "comet fit: rank %d has %lld rows of T but %lld of A",
                            gk_dist_rank(), (long long)T->rows, (long long)A->rows);
    if (rc == GK_OK && T->rows) rc = gk_mat_check_magnitude(T, "comet fit: T");
    if (rc == GK_OK && A->rows) rc = gk_mat_check_magnitude(A, "comet fit: A");
#ifdef GK_HAVE_MPI
    if (gk_dist_active()) {
        int64_t hi[3];
        MPI_Allreduce(&T->rows, &sum, 1, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
        MPI_Allreduce(local, hi, 3, MPI_INT64_T, MPI_MAX, MPI_COMM_WORLD);
        if (rc == GK_OK && T->rows && (hi[1] != local[1] || hi[2] != local[2]))
            rc = gk_set_error(GK_ESHAPE, "comet fit: rank %d has D = %lld / %lld, another "
                              "rank %lld / %lld", gk_dist_rank(), (long long)local[1],
                              (long long)local[2], (long long)hi[1], (long long)hi[2]);
    }
#endif
    (void)local;
    if (rc == GK_OK && sum < 2)
        rc = gk_set_error(GK_EARG, "comet fit: needs at least 2 pairs (got %lld)", (long long)sum);
    *n = sum;
    return gk_dist_agree(rc, NULL) ? (rc ? rc : GK_EARG) : GK_OK;
}

static int moments(const gk_mat *T, const gk_mat *A, int64_t n, comet_fit_work *w)
{
    return dist_cross_moments(T, A, n, w->mt, w->ma, &w->ss_t, &w->ss_a, w->M);
}

static int agree(int rc) { return gk_dist_agree(rc, NULL); }

int gk_dist_comet_fit(const gk_mat *T, const gk_mat *A, int64_t k, gk_comet **out)
{
    static const comet_fit_passes ranks = {moments, dist_axis_stats, agree};
    int64_t n;
    GK_FAIL_IF(!T || !A || !out, GK_EARG, "comet fit: NULL argument");
    *out = NULL;
    GK_TRY(check_args(T, A, &n));
    return comet_fit_run(T, A, n, k, &ranks, out);
}

int gk_dist_comet_fit_files(const char *ts, const char *as, int normalize, int64_t k,
                            gk_comet_weight w, const char *path, gk_comet **out)
{
    GK_FAIL_IF(!ts || !as || !path || !out, GK_EARG, "comet fit: NULL argument");
    *out = NULL;
    gk_shard *t, *a;
    gk_comet *m = NULL;
    GK_TRY(gk_shard_open_pair(ts, as, normalize, &t, &a));
    int rc = gk_dist_comet_fit(&t->rows, &a->rows, k, &m);
    if (rc == GK_OK && gk_dist_rank() == 0)
        rc = al_save_comet(m, gk_comet_k(m), GK_K_FIXED, w, path);
    int who, all = gk_dist_agree(rc, &who);
    if (all != GK_OK && rc == GK_OK)
        rc = gk_set_error(all, "comet fit: stopped: rank %d failed (see its message)", who);
    gk_shard_free(t), gk_shard_free(a);
    if (rc != GK_OK) return gk_comet_free(m), rc;
    *out = m;
    return GK_OK;
}
