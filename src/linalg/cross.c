/*
** cross.c — the centred cross-product M = (X − 1μxᵀ)ᵀ(Y − 1μyᵀ), accumulated
** in row blocks so that no centred copy of the data is ever made.
**
** Only X is centred.  Because (X − 1μxᵀ)ᵀ 1 = s, the column sums of the
** centred X, the identity  (X − 1μxᵀ)ᵀ(Y − 1μyᵀ) = (X − 1μxᵀ)ᵀ Y − s μyᵀ
** holds for any μx, μy; s is accumulated in double as X's blocks are centred.
** So a row-major Y goes into sgemm straight from its storage (memory-mapped
** file included) with no copy, which saves a pass over Y.  Precision: the
** float GEMM then sums products of a centred x with an uncentred y; its
** rounding is relative to Σ|x||y| rather than Σ|x||y − μy|, a loss of at most
** the factor ‖y‖/‖y − μy‖ (about 2 for CLIP/CLAP embeddings).
**
** Blocks of GK_CROSS_BLOCK rows are processed in rounds of T blocks (T =
** gk_get_threads()): in an OpenMP loop each thread centres one block of X and
** Y into its own float scratch and multiplies them with a single-threaded
** sgemm (ssyrk when X is Y) into its own float (Dx,Dy) block product; then the
** block products are added to the double accumulator M in block order.  The
** result therefore does not depend on T.  BLAS runs single-threaded during
** the call (openblas_set_num_threads(1), restored afterwards), so OpenMP and
** BLAS threads never compete.  Memory: the input plus T·(2·block·D + Dx·Dy)
** floats.  Cost 2·N·Dx·Dy flops.
*/
#include <cblas.h>
#include <string.h>

#include "core/error_internal.h"
#include "core/progress_internal.h"
#include "core/simd_internal.h"
#include "gapkit/linalg.h"
#include "linalg/blas_threads_internal.h"
#include "linalg/cross_internal.h"
#include "linalg/linalg_internal.h"

/* dst (nr,D) row-major = rows [r0, r0+nr) of a minus mu (NULL = 0); if
** colsum != NULL it receives (overwritten) the column sums of dst, in double,
** and colsum[D + j] the column sums of squares. */
GK_SIMD_CLONES
static void centre_block(const gk_mat *a, const double *mu, int64_t r0, int64_t nr, float *dst,
                         double *colsum)
{
    const int64_t d = a->cols;
    if (colsum) memset(colsum, 0, 2 * (size_t)d * sizeof *colsum);
    for (int64_t i = 0; i < nr; i++) {
        float *o = dst + i * d;
        if (a->cs == 1) {
            const float *x = a->data + (r0 + i) * a->rs;
            for (int64_t j = 0; j < d; j++) o[j] = (float)((double)x[j] - (mu ? mu[j] : 0.0));
        } else {
            for (int64_t j = 0; j < d; j++)
                o[j] = (float)((double)gk_mat_at(a, r0 + i, j) - (mu ? mu[j] : 0.0));
        }
        if (colsum)
            for (int64_t j = 0; j < d; j++)
                colsum[j] += o[j], colsum[d + j] += (double)o[j] * o[j];
    }
}

static void block_col_sum(const gk_mat *a, int64_t r0, int64_t nr, double *s);

/* M += P for the (dx,dy) float block product; with `sym`, P holds only the
** upper triangle and both triangles of M are filled. */
GK_SIMD_CLONES
static void accumulate(double *M, const float *P, int64_t dx, int64_t dy, int sym)
{
    for (int64_t i = 0; i < dx; i++)
        for (int64_t j = sym ? i : 0; j < dy; j++) {
            M[i * dy + j] += P[i * dy + j];
            if (sym && j != i) M[j * dy + i] += P[i * dy + j];
        }
}

/* Scratch of one call: per thread a centred X block, Y block and product. */
typedef struct cross_work {
    int64_t bs, nt, dx, dy;
    int sym;
    float *xb, *yb, *P; /* (nt,bs,dx), (nt,bs,dy), (nt,dx,dy) */
    double *cs;         /* (nt+1,2dx) column sums and sums of squares of each
                           thread's centred X block; row nt: the running total */
    double *ys;         /* (nt+1,2dy) the same for Y's raw rows, or NULL */
} cross_work;

/* P_t = Xbᵀ Y[rows of b] for block b, Xb = X[rows of b] − 1μxᵀ (the μy part
** is taken off at the end; see the file comment).  With `sym`, Y is X and
** both sides are centred. */
static void block_product(const cross_work *w, const gk_mat *X, const double *mux,
                          const gk_mat *Y, int64_t b, int64_t t)
{
    const int64_t r0 = b * w->bs, nr = X->rows - r0 < w->bs ? X->rows - r0 : w->bs;
    float *xb = w->xb + t * w->bs * w->dx, *P = w->P + t * w->dx * w->dy;
    centre_block(X, mux, r0, nr, xb, w->sym ? NULL : w->cs + t * 2 * w->dx);
    /* Y's moments while its block is still in cache (gk_cross_moments) */
    if (w->ys) block_col_sum(Y, r0, nr, w->ys + t * 2 * w->dy);
    if (w->sym) {
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, (blasint)w->dx, (blasint)nr, 1.0f,
                    xb, (blasint)w->dx, 0.0f, P, (blasint)w->dx);
        return;
    }
    const float *yb = Y->data + r0 * Y->rs;
    blasint ldy = (blasint)Y->rs;
    if (Y->cs != 1) { /* strided columns: gather the block into scratch */
        centre_block(Y, NULL, r0, nr, w->yb + t * w->bs * w->dy, NULL);
        yb = w->yb + t * w->bs * w->dy, ldy = (blasint)w->dy;
    }
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (blasint)w->dx, (blasint)w->dy,
                (blasint)nr, 1.0f, xb, (blasint)w->dx, yb, ldy, 0.0f, P, (blasint)w->dy);
}

static void cross_work_free(cross_work *w)
{
    gk_free(w->xb), gk_free(w->yb), gk_free(w->P), gk_free(w->cs), gk_free(w->ys);
}

static int cross_work_alloc(cross_work *w, int64_t n, int64_t dx, int64_t dy, int sym,
                            int y_strided, int y_stats)
{
    w->bs = n < GK_CROSS_BLOCK ? (n > 0 ? n : 1) : GK_CROSS_BLOCK;
    const int64_t nblocks = (n + w->bs - 1) / w->bs;
    w->nt = gk_get_threads();
    if (w->nt > nblocks) w->nt = nblocks;
    if (w->nt < 1) w->nt = 1;
    w->dx = dx, w->dy = dy, w->sym = sym;
    w->xb = gk_malloc((size_t)w->nt * (size_t)w->bs * (size_t)dx * sizeof(float));
    w->yb = y_strided ? gk_malloc((size_t)w->nt * (size_t)w->bs * (size_t)dy * sizeof(float))
                      : NULL;
    w->P = gk_malloc((size_t)w->nt * (size_t)dx * (size_t)dy * sizeof(float));
    w->cs = gk_calloc((size_t)(w->nt + 1) * 2 * (size_t)dx, sizeof(double));
    w->ys = y_stats ? gk_calloc((size_t)(w->nt + 1) * 2 * (size_t)dy, sizeof(double)) : NULL;
    if (w->xb && (!y_strided || w->yb) && w->P && w->cs && (!y_stats || w->ys)) return GK_OK;
    cross_work_free(w);
    return gk_set_error(GK_ENOMEM, "cross-product: out of memory for %lld threads' scratch",
                        (long long)w->nt);
}

/* M = Σ_b Xbᵀ Yb with Xb centred by mux, Yb raw; w allocated; T blocks at a
** time, summed in block order, so nothing depends on T.  Totals of the
** per-block column sums land in row nt of w->cs (and of w->ys). */
static void cross_pass(cross_work *w, const gk_mat *X, const double *mux, const gk_mat *Y,
                       double *M)
{
    double *xt = w->cs + w->nt * 2 * w->dx, *yt = w->ys ? w->ys + w->nt * 2 * w->dy : NULL;
    memset(M, 0, (size_t)w->dx * (size_t)w->dy * sizeof *M);
    const int64_t nblocks = (X->rows + w->bs - 1) / w->bs;
    const int saved = gk_blas_serial();
    for (int64_t b0 = 0; b0 < nblocks; b0 += w->nt) {
        const int64_t nb = nblocks - b0 < w->nt ? nblocks - b0 : w->nt;
#pragma omp parallel for num_threads(nb) schedule(static, 1)
        for (int64_t t = 0; t < nb; t++) block_product(w, X, mux, Y, b0 + t, t);
        for (int64_t t = 0; t < nb; t++) {
            accumulate(M, w->P + t * w->dx * w->dy, w->dx, w->dy, w->sym);
            for (int64_t i = 0; !w->sym && i < 2 * w->dx; i++) xt[i] += w->cs[t * 2 * w->dx + i];
            for (int64_t i = 0; yt && i < 2 * w->dy; i++) yt[i] += w->ys[t * 2 * w->dy + i];
        }
        gk_progress("cross-product (rows)", (b0 + nb) * w->bs < X->rows ? (b0 + nb) * w->bs
                                                                        : X->rows, X->rows);
    }
    gk_blas_restore(saved);
}

/* M −= s μyᵀ: from Xcᵀ Y to Xcᵀ (Y − 1μyᵀ), s (dx,) the centred X's column sums */
static void subtract_outer(double *M, const double *s, const double *muy, int64_t dx,
                           int64_t dy)
{
    for (int64_t i = 0; i < dx; i++)
        for (int64_t j = 0; j < dy; j++) M[i * dy + j] -= s[i] * muy[j];
}

static int check_pair(const gk_mat *X, const gk_mat *Y, const void *M)
{
    GK_FAIL_IF(!X || !Y || !M, GK_EARG, "cross-product: NULL argument");
    GK_FAIL_IF(X->rows != Y->rows, GK_ESHAPE, "cross-product: X has %lld rows, Y has %lld",
               (long long)X->rows, (long long)Y->rows);
    GK_FAIL_IF(X->rows < 1, GK_EARG, "cross-product: zero rows");
    return gk_blas_check("cross-product", 3, X->cols, Y->cols, Y->rs);
}

int gk_cross_centered(const gk_mat *X, const double *mux, const gk_mat *Y, const double *muy,
                      double *M)
{
    cross_work w;
    GK_TRY(check_pair(X, Y, M));
    const int sym = (X->data == Y->data && X->rs == Y->rs && X->cs == Y->cs &&
                     X->cols == Y->cols && mux == muy);
    GK_TRY(cross_work_alloc(&w, X->rows, X->cols, Y->cols, sym, !sym && Y->cs != 1, 0));
    cross_pass(&w, X, mux, Y, M);
    if (!sym && muy) subtract_outer(M, w.cs + w.nt * 2 * w.dx, muy, w.dx, w.dy);
    cross_work_free(&w);
    return GK_OK;
}

int64_t cross_part_len(int64_t dx, int64_t dy) { return dx * dy + 2 * dx + 2 * dy; }

void cross_first_block_mean(const gk_mat *X, double *c)
{
    const int64_t nr0 = X->rows < GK_CROSS_BLOCK ? X->rows : GK_CROSS_BLOCK;
    double *s = c; /* c has room for 2D: block_col_sum writes sums and squares */
    block_col_sum(X, 0, nr0, s);
    for (int64_t j = 0; j < X->cols; j++) c[j] = s[j] / (double)nr0;
}

void cross_moment_finish(double *M, const double *sx, const double *sy, const double *c,
                         int64_t n, int64_t dx, int64_t dy, double *mux, double *muy,
                         double *ssx, double *ssy)
{
    /* ȳ = Σy/N; M = x̃ᵀY − s̃ ȳᵀ; x̄ = c + s̃/N; Σ‖x−x̄‖² = Σ‖x̃‖² − N‖x̄ − c‖² */
    double qx = 0, qy = 0, dc = 0;
    for (int64_t j = 0; j < dy; j++) muy[j] = sy[j] / (double)n, qy += sy[dy + j];
    subtract_outer(M, sx, muy, dx, dy);
    for (int64_t j = 0; j < dx; j++) {
        mux[j] = c[j] + sx[j] / (double)n;
        qx += sx[dx + j];
        dc += (mux[j] - c[j]) * (mux[j] - c[j]);
    }
    double my = 0;
    for (int64_t j = 0; j < dy; j++) my += muy[j] * muy[j];
    *ssx = qx - (double)n * dc;
    *ssy = qy - (double)n * my;
}

/* Block t's part as cross_pass() would add it: the Gram's both triangles
** (from the upper one), or [P_b | x̃ sums | y sums]. */
static void store_part(const cross_work *w, int64_t t, double *p)
{
    const int64_t dx = w->dx, dy = w->dy;
    const float *P = w->P + t * dx * dy;
    if (w->sym) {
        for (int64_t i = 0; i < dx; i++)
            for (int64_t j = i; j < dx; j++) p[i * dx + j] = p[j * dx + i] = P[i * dx + j];
        return;
    }
    for (int64_t q = 0; q < dx * dy; q++) p[q] = P[q];
    memcpy(p + dx * dy, w->cs + t * 2 * dx, 2 * (size_t)dx * sizeof *p);
    memcpy(p + dx * dy + 2 * dx, w->ys + t * 2 * dy, 2 * (size_t)dy * sizeof *p);
}

/* The rounds of cross_pass(), each block's part stored instead of added. */
static int parts_pass(const gk_mat *X, const double *c, const gk_mat *Y, int sym, int64_t len,
                      double *parts)
{
    cross_work w;
    GK_TRY(cross_work_alloc(&w, X->rows, X->cols, Y->cols, sym, !sym && Y->cs != 1, !sym));
    const int64_t nblocks = (X->rows + w.bs - 1) / w.bs;
    const int saved = gk_blas_serial();
    for (int64_t b0 = 0; b0 < nblocks; b0 += w.nt) {
        const int64_t nb = nblocks - b0 < w.nt ? nblocks - b0 : w.nt;
#pragma omp parallel for num_threads(nb) schedule(static, 1)
        for (int64_t t = 0; t < nb; t++) block_product(&w, X, c, Y, b0 + t, t);
        for (int64_t t = 0; t < nb; t++) store_part(&w, t, parts + (b0 + t) * len);
    }
    gk_blas_restore(saved);
    cross_work_free(&w);
    return GK_OK;
}

int cross_moment_parts(const gk_mat *X, const gk_mat *Y, const double *c, double *parts)
{
    return parts_pass(X, c, Y, 0, cross_part_len(X->cols, Y->cols), parts);
}

int cross_gram_parts(const gk_mat *X, const double *mu, double *parts)
{
    return parts_pass(X, mu, X, 1, X->cols * X->cols, parts);
}

int gk_cross_moments(const gk_mat *X, const gk_mat *Y, double *mux, double *muy, double *ssx,
                     double *ssy, double *M)
{
    cross_work w;
    GK_TRY(check_pair(X, Y, M));
    GK_FAIL_IF(!mux || !muy || !ssx || !ssy, GK_EARG, "cross moments: NULL output");
    const int64_t n = X->rows, dx = X->cols, dy = Y->cols;
    GK_TRY(cross_work_alloc(&w, n, dx, dy, 0, Y->cs != 1, 1));
    /* cbuf: the mean of X's first block, near enough to the mean to take the
    ** common component off before the float GEMM (see the file comment) */
    double *cbuf = gk_malloc(2 * (size_t)dx * sizeof *cbuf);
    if (!cbuf) return cross_work_free(&w), gk_set_error(GK_ENOMEM, "cross moments: out of memory");
    cross_first_block_mean(X, cbuf);
    cross_pass(&w, X, cbuf, Y, M);
    cross_moment_finish(M, w.cs + w.nt * 2 * dx, w.ys + w.nt * 2 * dy, cbuf, n, dx, dy, mux, muy,
                        ssx, ssy);
    gk_free(cbuf);
    cross_work_free(&w);
    return GK_OK;
}

int gk_cross_centered_naive(const gk_mat *X, const double *mux, const gk_mat *Y,
                            const double *muy, double *M)
{
    GK_FAIL_IF(!X || !Y || !M, GK_EARG, "cross-product: NULL argument");
    GK_FAIL_IF(X->rows != Y->rows, GK_ESHAPE, "cross-product: X has %lld rows, Y has %lld",
               (long long)X->rows, (long long)Y->rows);
    const int64_t dx = X->cols, dy = Y->cols;
    /* M(a,b) = Σ_i (x_ia − μx_a)(y_ib − μy_b), all in double */
    for (int64_t a = 0; a < dx; a++)
        for (int64_t b = 0; b < dy; b++) {
            double s = 0;
            for (int64_t i = 0; i < X->rows; i++)
                s += ((double)gk_mat_at(X, i, a) - (mux ? mux[a] : 0.0)) *
                     ((double)gk_mat_at(Y, i, b) - (muy ? muy[b] : 0.0));
            M[a * dy + b] = s;
        }
    return GK_OK;
}

/*====  column means  ====*/

/* s (2D,) = [Σ_i a_ij, Σ_i a_ij²] over rows [r0, r0+nr), in double
** (per-column squares keep the loop vectorisable) */
GK_SIMD_CLONES
static void block_col_sum(const gk_mat *a, int64_t r0, int64_t nr, double *s)
{
    const int64_t d = a->cols;
    double *s2 = s + d;
    memset(s, 0, 2 * (size_t)d * sizeof *s);
    for (int64_t i = r0; i < r0 + nr; i++) {
        if (a->cs == 1) {
            const float *x = a->data + i * a->rs;
            for (int64_t j = 0; j < d; j++) s[j] += x[j], s2[j] += (double)x[j] * x[j];
        } else {
            for (int64_t j = 0; j < d; j++) {
                const double v = gk_mat_at(a, i, j);
                s[j] += v, s2[j] += v * v;
            }
        }
    }
}

void cross_col_sum_parts(const gk_mat *X, double *parts)
{
    const int64_t n = X->rows, bs = GK_CROSS_BLOCK, nblocks = (n + bs - 1) / bs;
#pragma omp parallel for schedule(static)
    for (int64_t b = 0; b < nblocks; b++)
        block_col_sum(X, b * bs, n - b * bs < bs ? n - b * bs : bs, parts + b * 2 * X->cols);
}

int gk_col_mean_blocked(const gk_mat *X, double *mean, double *sumsq)
{
    GK_FAIL_IF(!X || !mean || X->rows < 1, GK_EARG, "column mean: NULL or zero rows");
    const int64_t n = X->rows, d = X->cols, bs = GK_CROSS_BLOCK, w = 2 * d;
    const int64_t nblocks = (n + bs - 1) / bs;
    double *part = gk_malloc((size_t)nblocks * (size_t)w * sizeof *part), sq = 0;
    GK_FAIL_IF(!part, GK_ENOMEM, "column mean: out of memory");
    /* mean_j = (1/N) Σ_b Σ_{i in b} x_ij, partial sums per block, summed in block order */
    cross_col_sum_parts(X, part);
    memset(mean, 0, (size_t)d * sizeof *mean);
    for (int64_t b = 0; b < nblocks; b++) {
        for (int64_t j = 0; j < d; j++) mean[j] += part[b * w + j], sq += part[b * w + d + j];
    }
    for (int64_t j = 0; j < d; j++) mean[j] /= (double)n;
    if (sumsq) *sumsq = sq;
    gk_free(part);
    return GK_OK;
}
