/*
** align_fit.c — fitting a transform: argument checks, the view means every
** method starts from, the two-view COMET wrapper, and the dispatch to the
** methods' fits (align_fit_*.c).
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "align_internal.h"
#include "gapkit/linalg.h"
#include "linalg/linalg_internal.h"

static int check_views(const gk_align_opts *o, const gk_mat *const *views, int M)
{
    GK_FAIL_IF(!o || !views, GK_EARG, "align fit: NULL argument");
    GK_FAIL_IF((unsigned)o->method >= GK_ALIGN_N_METHODS, GK_EARG, "align fit: unknown method "
               "%d", (int)o->method);
    GK_FAIL_IF(M < 2 || M > GK_ALIGN_MAX_VIEWS, GK_EARG, "align fit: %d views; expected "
               "2..%d", M, GK_ALIGN_MAX_VIEWS);
    GK_FAIL_IF(o->anchor < -1 || o->anchor >= M, GK_EARG, "align fit: anchor %d outside "
               "0..%d (or -1 = last)", o->anchor, M - 1);
    for (int v = 0; v < M; v++) {
        GK_FAIL_IF(!views[v], GK_EARG, "align fit: view %d is NULL", v);
        GK_FAIL_IF(views[v]->cs != 1, GK_ESHAPE, "align fit: view %d needs cs == 1", v);
        GK_FAIL_IF(views[v]->rows != views[0]->rows, GK_ESHAPE, "align fit: view %d has %lld "
                   "rows but view 0 has %lld (rows are paired by index)", v,
                   (long long)views[v]->rows, (long long)views[0]->rows);
        GK_FAIL_IF(views[v]->cols < 1, GK_ESHAPE, "align fit: view %d has no columns", v);
    }
    GK_FAIL_IF(views[0]->rows < 2, GK_ESHAPE, "align fit: %lld rows; at least 2 pairs needed",
               (long long)views[0]->rows);
    return GK_OK;
}

/* shift, ablate and projdec act in one shared space. */
int al_check_dims(const gk_align_opts *o, const gk_mat *const *views, int M)
{
    int shared = o->method == GK_ALIGN_SHIFT || o->method == GK_ALIGN_ABLATE ||
                 o->method == GK_ALIGN_PROJDEC;
    for (int v = 1; shared && v < M; v++)
        GK_FAIL_IF(views[v]->cols != views[0]->cols, GK_ESHAPE, "align fit: %s needs one shared "
                   "space, but view %d has D = %lld and view 0 D = %lld",
                   gk_align_method_name(o->method), v, (long long)views[v]->cols,
                   (long long)views[0]->cols);
    GK_FAIL_IF(o->method == GK_ALIGN_ABLATE && (o->m < 1 || o->m >= views[0]->cols), GK_EARG,
               "align fit: ablate m = %lld outside 1..%lld (D − 1)", (long long)o->m,
               (long long)views[0]->cols - 1);
    GK_FAIL_IF(o->method == GK_ALIGN_COMET && o->k == 0, GK_EARG, "align fit: comet k = %s "
               "is resolved from the data by gk_transform_fit", gk_k_rule_name(o->k_rule));
    GK_FAIL_IF((o->method == GK_ALIGN_CCA || o->method == GK_ALIGN_COMET) && o->k < 1, GK_EARG,
               "align fit: k = %lld; expected >= 1", (long long)o->k);
    GK_FAIL_IF(o->method == GK_ALIGN_PROJDEC && !(o->temperature > 0), GK_EARG,
               "align fit: projdec temp must be > 0");
    GK_FAIL_IF(o->method == GK_ALIGN_COMET && M > 2 && o->weight != GK_COMET_W_NONE, GK_EARG,
               "align fit: COMET weights align/corr are defined for two views; with %d views "
               "use weight=none", M);
    return GK_OK;
}

int al_view_means(const gk_mat *const *views, int M, double **mu)
{
    int64_t total = 0;
    for (int v = 0; v < M; v++) total += views[v]->cols;
    double *block = gk_malloc((size_t)total * sizeof *block);
    GK_FAIL_IF(!block, GK_ENOMEM, "align: out of memory for the view means");
    for (int v = 0, off = 0; v < M; off += (int)views[v]->cols, v++) {
        mu[v] = block + off;
        int rc = gk_col_mean_blocked(views[v], mu[v], NULL);
        if (rc != GK_OK) {
            gk_free(block);
            for (int u = 0; u <= v; u++) mu[u] = NULL;
            return rc;
        }
    }
    return GK_OK;
}

int al_means(const gk_align *a, const gk_mat *const *views, double **mu)
{
    if (!a->sums) return al_view_means(views, a->n_views, mu);
    int64_t total = 0;
    for (int v = 0; v < a->n_views; v++) total += views[v]->cols;
    double *block = gk_malloc((size_t)total * sizeof *block);
    int rc = block ? GK_OK : gk_set_error(GK_ENOMEM, "align: out of memory for the view means");
    for (int v = 0, off = 0; v < a->n_views; off += (int)views[v]->cols, v++) {
        mu[v] = block ? block + off : NULL;
        if (rc == GK_OK) rc = a->sums->col_mean(views[v], a->sums->n, mu[v]);
    }
    if (rc != GK_OK) gk_free(block);
    return rc;
}

int al_cross(const gk_align *a, const gk_mat *X, const double *mux, const gk_mat *Y,
             const double *muy, double *M)
{
    return a->sums ? a->sums->cross(X, mux, Y, muy, M) : gk_cross_centered(X, mux, Y, muy, M);
}

/* Two views: COMET itself (gk_comet_fit), applied with k axes and weight w. */
static int fit_comet_pair(gk_align *a, const gk_mat *const *views)
{
    int64_t r = views[0]->cols < views[1]->cols ? views[0]->cols : views[1]->cols;
    int64_t k = a->opts.k < r ? a->opts.k : r;
    GK_FAIL_IF(a->opts.weight == GK_COMET_W_ALIGN && views[0]->cols != views[1]->cols, GK_EARG,
               "align fit: COMET align weights need D_X == D_Y");
    GK_TRY(a->sums ? a->sums->comet_fit(views[0], views[1], k, &a->comet)
                   : gk_comet_fit(views[0], views[1], k, &a->comet));
    a->comet_k = gk_comet_k(a->comet);
    a->opts.k = a->comet_k;
    GK_TRY(al_diag_alloc(a, a->comet_k));
    memcpy(a->diag, gk_comet_sigma(a->comet), (size_t)a->comet_k * sizeof(float));
    return al_comet_views(a);
}

static int fit_method(gk_align *a, const gk_mat *const *views)
{
    switch (a->opts.method) {
    case GK_ALIGN_IDENTITY: return GK_OK;
    case GK_ALIGN_CENTER:
    case GK_ALIGN_SHIFT:
    case GK_ALIGN_ABLATE: return al_fit_shift_family(a, views);
    case GK_ALIGN_PROCRUSTES: return al_fit_procrustes(a, views);
    case GK_ALIGN_CCA: return al_fit_multiview(a, views, 1);
    case GK_ALIGN_COMET:
        return a->n_views == 2 ? fit_comet_pair(a, views) : al_fit_multiview(a, views, 0);
    case GK_ALIGN_PROJDEC: return al_fit_projdec(a, views);
    case GK_ALIGN_HEAD: break; /* rejected by the method check: heads come from gk_train */
    }
    return gk_set_error(GK_EINTERNAL, "align fit: unhandled method");
}

int gk_align_fit(const gk_align_opts *o, const gk_mat *const *views, int n_views,
                 gk_align **out)
{
    GK_FAIL_IF(!out, GK_EARG, "align fit: NULL output");
    *out = NULL;
    GK_TRY(check_views(o, views, n_views));
    GK_TRY(al_check_dims(o, views, n_views));
    return al_fit_run(o, views, n_views, views[0]->rows, NULL, out);
}

int al_fit_run(const gk_align_opts *o, const gk_mat *const *views, int n_views, int64_t n,
               const al_sums *sums, gk_align **out)
{
    *out = NULL;
    int64_t dims[GK_ALIGN_MAX_VIEWS];
    for (int v = 0; v < n_views; v++) dims[v] = views[v]->cols;
    gk_align_opts r = *o;
    if (r.anchor < 0) r.anchor = n_views - 1;
    gk_align *a = NULL;
    GK_TRY(al_create(&r, n_views, dims, n, &a));
    a->sums = sums;
    int rc = fit_method(a, views);
    a->sums = NULL;
    if (rc != GK_OK) {
        gk_align_free(a);
        return rc;
    }
    *out = a;
    return GK_OK;
}

int gk_align_fit_pair(const gk_align_opts *o, const gk_mat *X, const gk_mat *Y, gk_align **out)
{
    const gk_mat *v[2] = {X, Y};
    return gk_align_fit(o, v, 2, out);
}
