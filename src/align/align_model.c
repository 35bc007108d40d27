/*
** align_model.c — the lifetime of a fitted transform (create, per-view
** arrays, free) and its read-only getters.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error_internal.h"
#include "align_internal.h"

int al_create(const gk_align_opts *o, int n_views, const int64_t *dims, int64_t n_fit,
              gk_align **out)
{
    *out = NULL;
    gk_align *a = gk_calloc(1, sizeof *a);
    GK_FAIL_IF(!a, GK_ENOMEM, "align: out of memory");
    a->opts = *o;
    a->n_views = n_views;
    a->n_fit = n_fit;
    for (int v = 0; v < n_views; v++) a->view[v].d = a->view[v].d_out = dims[v];
    *out = a;
    return GK_OK;
}

int al_view_alloc(al_view *v, int with_offset, int64_t d_out, int with_scale)
{
    v->d_out = d_out > 0 ? d_out : v->d;
    if (with_offset && !(v->offset = gk_calloc((size_t)v->d, sizeof(float)))) goto oom;
    if (d_out > 0 && !(v->proj = gk_calloc((size_t)v->d * (size_t)d_out, sizeof(float))))
        goto oom;
    if (with_scale && !(v->scale = gk_calloc((size_t)v->d_out, sizeof(float)))) goto oom;
    return GK_OK;
oom:
    return gk_set_error(GK_ENOMEM, "align: out of memory for a (%lld, %lld) view",
                        (long long)v->d, (long long)v->d_out);
}

int al_diag_alloc(gk_align *a, int64_t n)
{
    gk_free(a->diag);
    a->n_diag = n;
    a->diag = gk_calloc((size_t)(n ? n : 1), sizeof(float));
    GK_FAIL_IF(!a->diag, GK_ENOMEM, "align: out of memory");
    return GK_OK;
}

void gk_align_free(gk_align *a)
{
    if (!a) return;
    for (int v = 0; v < a->n_views; v++) {
        gk_free(a->view[v].offset);
        gk_free(a->view[v].proj);
        gk_free(a->view[v].scale);
    }
    gk_comet_free(a->comet);
    gk_heads_free(a->heads);
    gk_free(a->memory);
    gk_free(a->diag);
    gk_free(a->source);
    gk_free(a);
}

int al_from_heads(gk_heads *h, gk_align **out)
{
    int64_t dims[GK_ALIGN_MAX_VIEWS] = {0};
    const int M = gk_heads_n_views(h);
    if (M > GK_ALIGN_MAX_VIEWS) {
        gk_heads_free(h);
        return gk_set_error(GK_EFORMAT, "align: heads of %d views; at most %d", M,
                            GK_ALIGN_MAX_VIEWS);
    }
    for (int v = 0; v < M; v++) dims[v] = gk_heads_in_dim(h, v);
    gk_align_opts o = gk_align_opts_default(GK_ALIGN_HEAD);
    o.anchor = 0;
    int64_t n_fit = gk_heads_n_fit(h);
    int rc = al_create(&o, M, dims, n_fit, out);
    if (rc != GK_OK) {
        gk_heads_free(h);
        return rc;
    }
    for (int v = 0; v < M; v++) (*out)->view[v].d_out = gk_heads_out_dim(h);
    (*out)->heads = h;
    return GK_OK;
}

/*====  getters  ====*/

const gk_align_opts *gk_align_get_opts(const gk_align *a) { return a ? &a->opts : NULL; }
int gk_align_n_views(const gk_align *a) { return a ? a->n_views : 0; }
const char *gk_align_source(const gk_align *a) { return a ? a->source : NULL; }
const gk_comet *gk_align_comet(const gk_align *a) { return a ? a->comet : NULL; }
int64_t gk_align_n_fit(const gk_align *a) { return a ? a->n_fit : 0; }

int64_t gk_align_dim(const gk_align *a, int view)
{
    if (!a) return 0;
    return view >= 0 && view < a->n_views ? a->view[view].d : -1;
}

int64_t gk_align_out_dim(const gk_align *a, int view)
{
    if (!a) return 0;
    if (view < 0 || view >= a->n_views) return -1;
    return a->view[view].d_out;
}

const float *gk_align_diagnostic(const gk_align *a, int64_t *len, const char **name)
{
    static const char *const names[GK_ALIGN_N_METHODS] = {
        NULL, NULL, NULL, "ablated_coordinates", "procrustes_singular_values",
        "canonical_correlations", "sigma", NULL};
    if (len) *len = a && a->diag ? a->n_diag : 0;
    if (name) *name = a && a->diag ? names[a->opts.method] : NULL;
    return a ? a->diag : NULL;
}

/* The affine form of the two-view COMET model: offset = x̄, proj = the
** first comet_k axes, scale = the weights as gk_comet_apply splits them over
** the two sides (√|w_j| on view 0, sign(w_j)·√|w_j| on view 1, so a view-0
** row · a view-1 row = Σ_j w_j t̂_j â_j), absent for weight none. */
int al_comet_views(gk_align *a)
{
    const int64_t k = a->comet_k, K = gk_comet_k(a->comet);
    const float *w = a->opts.weight == GK_COMET_W_ALIGN  ? gk_comet_align(a->comet)
                     : a->opts.weight == GK_COMET_W_CORR ? gk_comet_corr(a->comet)
                                                         : NULL;
    for (int v = 0; v < 2; v++) {
        al_view *av = &a->view[v];
        const float *mean = gk_comet_mean(a->comet, v), *axes = gk_comet_axes(a->comet, v);
        gk_free(av->offset), gk_free(av->proj), gk_free(av->scale);
        av->offset = av->proj = av->scale = NULL;
        GK_TRY(al_view_alloc(av, 1, k, w != NULL));
        memcpy(av->offset, mean, (size_t)av->d * sizeof(float));
        for (int64_t i = 0; i < av->d; i++)
            memcpy(av->proj + i * k, axes + i * K, (size_t)k * sizeof(float));
        for (int64_t j = 0; w && j < k; j++) { /* gk_comet_apply's split of w over the sides */
            double sj = sqrt(fabs((double)w[j]));
            av->scale[j] = (float)(v == 1 && w[j] < 0 ? -sj : sj);
        }
    }
    return GK_OK;
}

int gk_align_set_comet(gk_align *a, int64_t k, gk_comet_weight w)
{
    GK_FAIL_IF(!a || !a->comet, GK_EARG, "align: not a two-view COMET model");
    GK_FAIL_IF(k < 0 || k > gk_comet_k(a->comet), GK_EARG, "align: k = %lld outside 0..%lld "
               "(axes of the model)", (long long)k, (long long)gk_comet_k(a->comet));
    GK_FAIL_IF(w == GK_COMET_W_ALIGN && !gk_comet_align(a->comet), GK_EARG,
               "align: align weights need D_X == D_Y");
    a->comet_k = k ? k : gk_comet_k(a->comet);
    a->opts.k = a->comet_k;
    a->opts.weight = w;
    return al_comet_views(a);
}

char *gk_align_describe(const gk_align *a, char *buf, size_t cap)
{
    char o[128];
    if (!buf || !cap) return buf;
    if (!a) {
        snprintf(buf, cap, "none");
        return buf;
    }
    snprintf(buf, cap, "%s fitted on %lld rows of %d views", gk_align_opts_string(&a->opts, o,
             sizeof o), (long long)a->n_fit, a->n_views);
    return buf;
}
