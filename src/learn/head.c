/*
** head.c — the heads of M views in one parameter array: creation with
** torch.nn.Linear's initialisation, the tensor layout, activations, and the
** forward/backward of a view (body, then L2 normalisation).
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "train_internal.h"

size_t hd_view_size(gk_head_kind kind, int64_t din, int64_t dim)
{
    const size_t d = (size_t)dim, n = (size_t)din * d + d;
    return kind == GK_HEAD_MLP ? n + d * d + 3 * d : n;
}

hd_tensors hd_tensors_of(const gk_heads *h, float *base, int v)
{
    hd_tensors t;
    memset(&t, 0, sizeof t);
    const size_t d = (size_t)h->dim;
    float *p = base + h->off[v];
    t.w1 = p, p += (size_t)h->din[v] * d;
    t.b1 = p, p += d;
    if (h->kind != GK_HEAD_MLP) return t;
    t.w2 = p, p += d * d;
    t.b2 = p, p += d;
    t.g = p, p += d;
    t.be = p;
    return t;
}

void hd_decay_mask(const gk_heads *h, uint8_t *mask)
{
    memset(mask, 0, h->n_params);
    const size_t d = (size_t)h->dim;
    for (int v = 0; v < h->n_views; v++) {
        memset(mask + h->off[v], 1, (size_t)h->din[v] * d);
        if (h->kind == GK_HEAD_MLP) memset(mask + h->off[v] + (size_t)h->din[v] * d + d, 1, d * d);
    }
}

/* U(−1/√fan_in, 1/√fan_in), torch.nn.Linear's default for weight and bias. */
static void init_uniform(gk_rng *r, float *p, size_t n, int64_t fan_in)
{
    const double bound = 1.0 / sqrt((double)fan_in);
    for (size_t i = 0; i < n; i++) p[i] = (float)((2.0 * gk_rng_uniform(r) - 1.0) * bound);
}

static void init_view(const gk_heads *h, int v, gk_rng *r)
{
    hd_tensors t = hd_tensors_of(h, h->params, v);
    const size_t d = (size_t)h->dim;
    init_uniform(r, t.w1, (size_t)h->din[v] * d, h->din[v]);
    init_uniform(r, t.b1, d, h->din[v]);
    if (h->kind != GK_HEAD_MLP) return;
    init_uniform(r, t.w2, d * d, h->dim);
    init_uniform(r, t.b2, d, h->dim);
    for (size_t j = 0; j < d; j++) t.g[j] = 1.0f, t.be[j] = 0.0f;
}

int hd_heads_alloc(gk_head_kind kind, int n_views, const int64_t *dims, int64_t dim,
                   gk_heads **out)
{
    *out = NULL;
    GK_FAIL_IF(kind != GK_HEAD_LINEAR && kind != GK_HEAD_MLP, GK_EARG, "heads: unknown kind %d",
               (int)kind);
    GK_FAIL_IF(n_views < 2 || n_views > GK_TRAIN_MAX_VIEWS, GK_EARG,
               "heads: %d views; expected 2..%d", n_views, GK_TRAIN_MAX_VIEWS);
    GK_FAIL_IF(dim < 1 || dim > (1 << 20), GK_EARG, "heads: --dim %lld; expected 1..%d",
               (long long)dim, 1 << 20);
    gk_heads *h = gk_calloc(1, sizeof *h);
    GK_FAIL_IF(!h, GK_ENOMEM, "heads: out of memory");
    h->kind = kind, h->n_views = n_views, h->dim = dim;
    for (int v = 0; v < n_views; v++) {
        if (dims[v] < 1 || dims[v] > (1 << 24)) {
            gk_free(h);
            return gk_set_error(GK_EARG, "heads: view %d has dimension %lld", v,
                                (long long)dims[v]);
        }
        h->din[v] = dims[v];
        h->off[v + 1] = h->off[v] + hd_view_size(kind, dims[v], dim);
    }
    h->n_params = h->off[n_views] + 1;
    if (!(h->params = gk_calloc(h->n_params, sizeof(float)))) {
        gk_free(h);
        return gk_set_error(GK_ENOMEM, "heads: out of memory for %zu parameters", h->n_params);
    }
    *out = h;
    return GK_OK;
}

int gk_heads_create(gk_head_kind kind, int n_views, const int64_t *dims, int64_t dim,
                    double temperature, uint64_t seed, gk_heads **out)
{
    GK_FAIL_IF(!out || !dims, GK_EARG, "heads: NULL argument");
    *out = NULL;
    GK_FAIL_IF(!(temperature > 0) || !isfinite(temperature), GK_EARG,
               "heads: temperature %g; expected > 0", temperature);
    GK_TRY(hd_heads_alloc(kind, n_views, dims, dim, out));
    gk_rng r;
    gk_rng_seed(&r, seed);
    for (int v = 0; v < n_views; v++) init_view(*out, v, &r);
    (*out)->params[(*out)->n_params - 1] = (float)log(1.0 / temperature);
    return GK_OK;
}

void gk_heads_free(gk_heads *h)
{
    if (!h) return;
    gk_free(h->params);
    gk_free(h);
}

/*====  getters  ====*/

gk_head_kind gk_heads_kind(const gk_heads *h) { return h ? h->kind : GK_HEAD_LINEAR; }
int gk_heads_n_views(const gk_heads *h) { return h ? h->n_views : 0; }
int64_t gk_heads_in_dim(const gk_heads *h, int v)
{
    return h && v >= 0 && v < h->n_views ? h->din[v] : -1;
}
int64_t gk_heads_out_dim(const gk_heads *h) { return h ? h->dim : -1; }
double gk_heads_logit_scale(const gk_heads *h)
{
    return h ? exp(h->params[h->n_params - 1]) : NAN;
}
int64_t gk_heads_n_fit(const gk_heads *h) { return h ? h->n_fit : 0; }
float *gk_heads_params(gk_heads *h, size_t *n)
{
    if (n) *n = h ? h->n_params : 0;
    return h ? h->params : NULL;
}

/*====  activations, forward, backward  ====*/

int hd_acts_alloc(hd_acts *a, int64_t B, int64_t din, int64_t dim)
{
    memset(a, 0, sizeof *a);
    a->B = B;
    const size_t bd = (size_t)B * (size_t)dim;
    float **big[] = {&a->e1, &a->gel, &a->dgel, &a->mask_buf, &a->h, &a->y, &a->z, &a->dz, &a->tmp, &a->tmp2};
    a->x = gk_malloc((size_t)B * (size_t)din * sizeof(float));
    int ok = a->x != NULL;
    for (size_t i = 0; i < sizeof big / sizeof *big; i++)
        ok &= (*big[i] = gk_calloc(bd, sizeof(float))) != NULL;
    a->mean = gk_calloc((size_t)B, sizeof(float));
    a->rstd = gk_calloc((size_t)B, sizeof(float));
    a->rnorm = gk_calloc((size_t)B, sizeof(float));
    if (ok && a->mean && a->rstd && a->rnorm) return GK_OK;
    hd_acts_free(a);
    return gk_set_error(GK_ENOMEM, "train: out of memory for a batch of %lld rows", (long long)B);
}

void hd_acts_free(hd_acts *a)
{
    float *all[] = {a->x, a->e1, a->gel, a->dgel, a->mask_buf, a->h, a->mean, a->rstd, a->y, a->rnorm,
                    a->z, a->dz, a->tmp, a->tmp2};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) gk_free(all[i]);
    memset(a, 0, sizeof *a);
}

int hd_forward(const gk_heads *h, int v, hd_acts *a)
{
    hd_tensors p = hd_tensors_of(h, h->params, v);
    if (h->kind == GK_HEAD_MLP) GK_TRY(hd_mlp_forward(&p, h->din[v], h->dim, a));
    else GK_TRY(hd_linear_forward(&p, h->din[v], h->dim, a));
    hd_l2norm_forward(a->y, a->B, h->dim, a->z, a->rnorm);
    return GK_OK;
}

/* y's buffer is free after the forward pass (the normalisation backward
** reads z and 1/‖y‖): it receives dL/dy. */
int hd_backward(const gk_heads *h, int v, hd_acts *a, float *grads)
{
    hd_tensors p = hd_tensors_of(h, h->params, v), g = hd_tensors_of(h, grads, v);
    hd_l2norm_backward(a->z, a->rnorm, a->dz, a->B, h->dim, a->y);
    if (h->kind == GK_HEAD_MLP) return hd_mlp_backward(&p, &g, h->din[v], h->dim, a, a->y);
    return hd_linear_backward(&p, &g, h->din[v], h->dim, a, a->y);
}
