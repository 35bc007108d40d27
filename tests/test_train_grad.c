/*
** test_train_grad.c — every backward pass of `gapkit train` against central
** finite differences: L2 normalisation, GELU, LayerNorm (input, gain and
** bias), and the whole step (each head kind × each loss, with a dropout
** mask and mixed-up inputs, the learnable logit scale, three views with an
** anchor and with all pairs), plus the mixup and Beta draws.
**
** Precision: the kernels are float32 with double accumulation (as the
** training runs); the finite differences perturb float32 parameters by
** h = 1e-2·max(1, |p|) and take the loss, summed in double, at p ± h.  We
** compare the whole gradient vector, ‖g − g_fd‖ / ‖g_fd‖ ≤ 2e-3 (float32
** rounding of the forward pass limits the differences to ~1e-4 of a
** gradient entry; a wrong term gives errors of order 1).
*/
#include "test_util.h"
#include "learn/train_internal.h"

static void fill(gk_rng *r, float *a, size_t n, double scale)
{
    for (size_t i = 0; i < n; i++) a[i] = (float)(scale * gk_rng_normal(r));
}

static double rel_err(const double *g, const double *fd, size_t n)
{
    double num = 0, den = 0;
    for (size_t i = 0; i < n; i++) num += (g[i] - fd[i]) * (g[i] - fd[i]), den += fd[i] * fd[i];
    return sqrt(num / (den > 0 ? den : 1));
}

/* ---- elementwise layers: L = Σ c ⊙ f(x) ---- */

enum { LB = 5, LD = 7 };

static double layer_loss(int which, const float *x, const float *g, const float *b,
                         const float *c)
{
    float out[LB * LD], mean[LB], rstd[LB];
    if (which == 0) hd_l2norm_forward(x, LB, LD, out, mean);
    if (which == 1) hd_gelu_forward(x, LB * LD, out, NULL);
    if (which == 2) hd_layernorm_forward(x, g, b, LB, LD, out, mean, rstd);
    double L = 0;
    for (int i = 0; i < LB * LD; i++) L += (double)c[i] * out[i];
    return L;
}

/* FD of layer_loss with respect to p[0..n) (one of x, g, b). */
static void layer_fd(int which, float *x, float *g, float *b, const float *c, float *p, int n,
                     double *fd)
{
    for (int i = 0; i < n; i++) {
        const float keep = p[i], h = 1e-2f * fmaxf(1.0f, fabsf(keep));
        p[i] = keep + h;
        const double up = layer_loss(which, x, g, b, c);
        p[i] = keep - h;
        const double dn = layer_loss(which, x, g, b, c);
        p[i] = keep;
        fd[i] = (up - dn) / (2.0 * (double)h);
    }
}

static void test_layers(void **state)
{
    (void)state;
    gk_rng r;
    gk_rng_seed(&r, 1);
    float x[LB * LD], c[LB * LD], g[LD], b[LD], out[LB * LD], mean[LB], rstd[LB], dx[LB * LD];
    float dg[LD] = {0}, db[LD] = {0};
    double ga[LB * LD], fd[LB * LD];
    fill(&r, x, LB * LD, 1.0), fill(&r, c, LB * LD, 1.0), fill(&r, g, LD, 1.0), fill(&r, b, LD, 1.0);
    /* L2 normalisation */
    hd_l2norm_forward(x, LB, LD, out, rstd);
    hd_l2norm_backward(out, rstd, c, LB, LD, dx);
    for (int i = 0; i < LB * LD; i++) ga[i] = dx[i];
    layer_fd(0, x, g, b, c, x, LB * LD, fd);
    assert_true(rel_err(ga, fd, LB * LD) < 2e-3);
    /* GELU */
    hd_gelu_forward(x, LB * LD, out, dx); /* dx holds GELU'(x) first */
    hd_gelu_backward(dx, c, LB * LD, dx);
    for (int i = 0; i < LB * LD; i++) ga[i] = dx[i];
    layer_fd(1, x, g, b, c, x, LB * LD, fd);
    assert_true(rel_err(ga, fd, LB * LD) < 2e-3);
    /* LayerNorm: x, gain, bias */
    hd_layernorm_forward(x, g, b, LB, LD, out, mean, rstd);
    hd_layernorm_backward(x, mean, rstd, g, c, LB, LD, dx, dg, db);
    for (int i = 0; i < LB * LD; i++) ga[i] = dx[i];
    layer_fd(2, x, g, b, c, x, LB * LD, fd);
    assert_true(rel_err(ga, fd, LB * LD) < 2e-3);
    for (int i = 0; i < LD; i++) ga[i] = dg[i];
    layer_fd(2, x, g, b, c, g, LD, fd);
    assert_true(rel_err(ga, fd, LD) < 2e-3);
    for (int i = 0; i < LD; i++) ga[i] = db[i];
    layer_fd(2, x, g, b, c, b, LD, fd);
    assert_true(rel_err(ga, fd, LD) < 2e-3);
}

/* ---- whole steps ---- */

enum { SB = 6, SD = 4 };

typedef struct step_case {
    gk_loss_kind loss;
    gk_head_kind head;
    int M, anchor;
    double dropout, mixup;
} step_case;

static void check_step(const step_case *sc)
{
    gk_rng r;
    gk_rng_seed(&r, 7);
    int64_t dims[3] = {5, 3, 6}, tdim[2] = {5, 3};
    gk_train_opts o = gk_train_opts_default(sc->loss);
    o.head = sc->head, o.dim = SD, o.anchor = sc->anchor, o.dropout = sc->dropout;
    o.mixup = sc->mixup, o.learn_temperature = 1, o.temperature = 0.5;
    o.schedule = 0, o.alpha = 0.7, o.beta = 1.3;
    gk_heads *h = NULL;
    assert_gk_ok(gk_heads_create(sc->head, sc->M, dims, SD, o.temperature, 3, &h));
    /* LayerNorm gain and bias away from 1 and 0, so their gradients are generic */
    for (size_t i = 0; i + 1 < h->n_params; i++) h->params[i] += (float)(0.3 * gk_rng_normal(&r));
    gk_mat *views[3];
    for (int v = 0; v < sc->M; v++) {
        assert_gk_ok(gk_mat_create(SB, dims[v], &views[v]));
        fill(&r, views[v]->data, (size_t)(SB * dims[v]), 1.0);
    }
    gk_train_data d = {(const gk_mat *const *)views, sc->M, NULL, SB, NULL, NULL, 0, NULL, 0, NULL};
    train_batch b;
    assert_gk_ok(train_batch_alloc(&b, h, &o, SB, tdim));
    int64_t items[SB] = {0, 1, 2, 3, 4, 5};
    assert_gk_ok(train_fill(&d, &o, &b, items, &r, 1)); /* draws mixup and dropout once */
    train_terms t;
    assert_gk_ok(train_forward_backward(h, &o, &b, o.alpha, o.beta, 1, &t));
    assert_true(isfinite(t.total));
    const size_t n = h->n_params;
    double *ga = malloc(n * sizeof *ga), *fd = malloc(n * sizeof *fd);
    for (size_t i = 0; i < n; i++) ga[i] = b.grads[i];
    for (size_t i = 0; i < n; i++) {
        const float keep = h->params[i], e = 1e-2f * fmaxf(1.0f, fabsf(keep));
        train_terms up, dn;
        h->params[i] = keep + e;
        assert_gk_ok(train_forward_backward(h, &o, &b, o.alpha, o.beta, 0, &up));
        h->params[i] = keep - e;
        assert_gk_ok(train_forward_backward(h, &o, &b, o.alpha, o.beta, 0, &dn));
        h->params[i] = keep;
        fd[i] = (up.total - dn.total) / (2.0 * (double)e);
    }
    const double err = rel_err(ga, fd, n);
    print_message("%s %s M=%d anchor=%d dropout=%g mixup=%g: %zu params, rel err %.2e\n",
                  gk_loss_kind_name(sc->loss), gk_head_kind_name(sc->head), sc->M, sc->anchor,
                  sc->dropout, sc->mixup, n, err);
    assert_true(err < 2e-3);
    assert_true(fabs(fd[n - 1]) > 1e-4); /* the logit scale's gradient is checked too */
    free(ga), free(fd);
    train_batch_free(&b);
    for (int v = 0; v < sc->M; v++) gk_mat_free(views[v]);
    gk_heads_free(h);
}

static void test_steps(void **state)
{
    (void)state;
    const step_case cases[] = {
        {GK_LOSS_INFONCE, GK_HEAD_LINEAR, 2, -1, 0, 0},
        {GK_LOSS_INFONCE, GK_HEAD_MLP, 2, -1, 0.3, 0},
        {GK_LOSS_SOFTCLAP, GK_HEAD_LINEAR, 2, -1, 0, 0},
        {GK_LOSS_SOFTCLAP, GK_HEAD_MLP, 2, -1, 0.3, 1.0},
        {GK_LOSS_MODGAP, GK_HEAD_LINEAR, 2, -1, 0, 0},
        {GK_LOSS_MODGAP, GK_HEAD_MLP, 2, -1, 0.3, 0.5},
        {GK_LOSS_INFONCE, GK_HEAD_LINEAR, 3, 0, 0, 0.5},
        {GK_LOSS_MODGAP, GK_HEAD_LINEAR, 3, -1, 0, 0},
        {GK_LOSS_MODGAP, GK_HEAD_MLP, 3, 2, 0.2, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) check_step(&cases[i]);
}

/* Mixup shares λ and the partners across views: with view 1 = 2·view 0,
** the mixed rows keep that relation, and differ from the unmixed ones. */
static void test_mixup_shared(void **state)
{
    (void)state;
    gk_rng r;
    gk_rng_seed(&r, 11);
    int64_t dims[2] = {4, 4};
    gk_train_opts o = gk_train_opts_default(GK_LOSS_INFONCE);
    o.mixup = 1.0, o.dim = 3;
    gk_heads *h = NULL;
    assert_gk_ok(gk_heads_create(GK_HEAD_LINEAR, 2, dims, 3, 0.07, 0, &h));
    gk_mat *x = NULL, *y = NULL;
    assert_gk_ok(gk_mat_create(8, 4, &x));
    assert_gk_ok(gk_mat_create(8, 4, &y));
    fill(&r, x->data, 32, 1.0);
    for (int i = 0; i < 32; i++) y->data[i] = 2.0f * x->data[i];
    const gk_mat *v[2] = {x, y};
    gk_train_data d = {v, 2, NULL, 8, NULL, NULL, 0, NULL, 0, NULL};
    train_batch b;
    assert_gk_ok(train_batch_alloc(&b, h, &o, 8, NULL));
    int64_t items[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    assert_gk_ok(train_fill(&d, &o, &b, items, &r, 1));
    double moved = 0;
    for (int i = 0; i < 32; i++) {
        assert_close(b.act[1].x[i], 2.0 * b.act[0].x[i], 1e-5);
        moved += fabs(b.act[0].x[i] - x->data[i]);
    }
    assert_true(moved > 1e-3);
    /* Beta(a, a): mean ½, variance 1/(4(2a+1)) */
    double s = 0, s2 = 0;
    const int n = 20000;
    for (int i = 0; i < n; i++) {
        const double l = train_beta_draw(&r, 0.4);
        assert_true(l >= 0 && l <= 1);
        s += l, s2 += l * l;
    }
    assert_close(s / n, 0.5, 0.01);
    assert_close(s2 / n - (s / n) * (s / n), 1.0 / (4 * 1.8), 0.005);
    train_batch_free(&b);
    gk_mat_free(x), gk_mat_free(y);
    gk_heads_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layers),
        cmocka_unit_test(test_steps),
        cmocka_unit_test(test_mixup_shared),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
