/*
** test_align.c — the gap-closing transforms (align.h): the parameter
** strings; identities of each method (centring leaves zero means, the shift
** with λ = 1 makes the means meet, ablation zeroes the largest-gap
** coordinates, Procrustes' W is orthogonal and beats 100 random rotations,
** CCA equals the numpy reference of tests/reference/cluster_reference.py,
** COMET equals gk_comet_apply, projection decoding with one neighbour
** returns a memory row, top-k decoding equals its formula); save → load → apply gives the same bytes for every
** method and for three views; bad inputs.
*/
#include <unistd.h>

#include "test_util.h"

static gk_mat *load_unit(const char *rel)
{
    gk_mat *m = NULL;
    gk_load_opts o = gk_load_opts_default();
    assert_gk_ok(gk_load_matrix(shared_path(rel), &o, &m));
    return m;
}

static gk_align *fit(const char *spec, const gk_mat *X, const gk_mat *Y)
{
    gk_align_opts o;
    gk_align *a = NULL;
    assert_gk_ok(gk_align_parse(spec, &o));
    assert_gk_ok(gk_align_fit_pair(&o, X, Y, &a));
    return a;
}

static gk_mat *apply(const gk_align *a, int view, const gk_mat *X)
{
    gk_mat *o = NULL;
    assert_gk_ok(gk_align_apply(a, view, X, &o));
    return o;
}

/* Column means of X in double. */
static void col_mean(const gk_mat *X, double *mu)
{
    for (int64_t j = 0; j < X->cols; j++) mu[j] = 0;
    for (int64_t i = 0; i < X->rows; i++)
        for (int64_t j = 0; j < X->cols; j++) mu[j] += gk_mat_at(X, i, j) / (double)X->rows;
}

/*====  parameters  ====*/

static void test_parse(void **state)
{
    (void)state;
    gk_align_opts o;
    char buf[128];
    assert_gk_ok(gk_align_parse("shift:lambda=0.5", &o));
    assert_int_equal(o.method, GK_ALIGN_SHIFT);
    assert_close(o.lambda, 0.5, 0);
    assert_gk_ok(gk_align_parse("cca:k=16,ridge=0.01,anchor=0", &o));
    assert_int_equal(o.k, 16);
    assert_int_equal(o.anchor, 0);
    assert_string_equal(gk_align_opts_string(&o, buf, sizeof buf), "cca:k=16,ridge=0.01");
    assert_gk_ok(gk_align_parse("comet:k=auto,weight=corr", &o));
    assert_int_equal(o.k, 0);
    assert_string_equal(gk_align_opts_string(&o, buf, sizeof buf), "comet:k=auto,weight=corr");
    assert_gk_ok(gk_align_parse("projdec", &o));
    assert_close(o.temperature, 100, 0);
    assert_int_equal(gk_align_parse("cca:lambda=1", &o), GK_EARG);
    assert_error_has("cca takes no 'lambda'; its keys are k, ridge, anchor");
    assert_int_equal(gk_align_parse("rotate", &o), GK_EARG);
    assert_error_has("unknown method 'rotate'");
    assert_int_equal(gk_align_parse("projdec:temp=0", &o), GK_EARG);
    assert_int_equal(gk_align_parse("shift:lambda", &o), GK_EARG);
    assert_error_has("expected KEY=VALUE");
    assert_int_equal(gk_align_parse("ablate:m=2.5", &o), GK_EARG);
    gk_align *m;
    int has_fit;
    assert_gk_ok(gk_transform_open("cca:k=8", &o, &has_fit, &m));
    assert_true(has_fit && o.method == GK_ALIGN_CCA && o.k == 8 && !m);
    assert_gk_ok(gk_transform_open("identity", &o, &has_fit, &m));
    assert_true(has_fit && o.method == GK_ALIGN_IDENTITY && !m);
}

/*====  identities  ====*/

/* x' ∝ x − μ_X: with n_i = ‖x_i − μ‖, Σ_i n_i x'_i = Σ_i (x_i − μ) = 0. */
static void test_center_zero_mean(void **state)
{
    (void)state;
    gk_mat *X = load_unit("clip-coco-liang/features_clip.npy:0");
    gk_mat *Y = load_unit("clip-coco-liang/features_clip.npy:1");
    gk_align *a = fit("center", X, Y);
    gk_mat *C = apply(a, 0, X);
    const int64_t d = X->cols;
    double mu[512], sum[512] = {0}, worst = 0;
    col_mean(X, mu);
    for (int64_t i = 0; i < X->rows; i++) {
        double n = 0;
        for (int64_t j = 0; j < d; j++) n += (gk_mat_at(X, i, j) - mu[j]) * (gk_mat_at(X, i, j) - mu[j]);
        for (int64_t j = 0; j < d; j++) sum[j] += sqrt(n) * C->data[i * d + j];
    }
    for (int64_t j = 0; j < d; j++) worst = fabs(sum[j]) / X->rows > worst ? fabs(sum[j]) / X->rows : worst;
    print_message("centred mean, largest |coordinate| %.3g\n", worst);
    assert_true(worst < 1e-6);
    gk_mat_free(C);
    gk_align_free(a);
    gk_mat_free(X);
    gk_mat_free(Y);
}

/* λ = 1: x − Δ/2 and y + Δ/2 have the same mean; λ = 0 is the identity. */
static void test_shift_means_meet(void **state)
{
    (void)state;
    gk_mat *X = load_unit("clip-coco-liang/features_clip.npy:0");
    gk_mat *Y = load_unit("clip-coco-liang/features_clip.npy:1");
    gk_align *a = fit("shift:lambda=1", X, Y), *z = fit("shift:lambda=0", X, Y);
    gk_mat *XS = apply(a, 0, X), *YS = apply(a, 1, Y), *X0 = apply(z, 0, X);
    const int64_t d = X->cols, n = X->rows;
    double mx[512], my[512], sx[512] = {0}, sy[512] = {0}, worst = 0, diff0 = 0;
    col_mean(X, mx);
    col_mean(Y, my);
    for (int64_t i = 0; i < n; i++) {
        double nx = 0, ny = 0;
        for (int64_t j = 0; j < d; j++) {
            double dx = gk_mat_at(X, i, j) - (mx[j] - my[j]) / 2;
            double dy = gk_mat_at(Y, i, j) + (mx[j] - my[j]) / 2;
            nx += dx * dx, ny += dy * dy;
            diff0 = fmax(diff0, fabs(X0->data[i * d + j] - gk_mat_at(X, i, j)));
        }
        for (int64_t j = 0; j < d; j++) {
            sx[j] += sqrt(nx) * XS->data[i * d + j] / n;
            sy[j] += sqrt(ny) * YS->data[i * d + j] / n;
        }
    }
    for (int64_t j = 0; j < d; j++) worst = fmax(worst, fabs(sx[j] - sy[j]));
    print_message("shift: means differ by at most %.3g; lambda 0 moves rows by %.3g\n", worst,
                  diff0);
    assert_true(worst < 1e-6);
    assert_true(diff0 < 1e-6);
    gk_mat_free(XS);
    gk_mat_free(YS);
    gk_mat_free(X0);
    gk_align_free(a);
    gk_align_free(z);
    gk_mat_free(X);
    gk_mat_free(Y);
}

/* The m zeroed coordinates are those of largest |Δ_j|, in that order. */
static void test_ablate_coordinates(void **state)
{
    (void)state;
    gk_mat *X = load_unit("clip-coco-liang/features_clip.npy:0");
    gk_mat *Y = load_unit("clip-coco-liang/features_clip.npy:1");
    gk_align *a = fit("ablate:m=5", X, Y);
    gk_mat *A = apply(a, 1, Y);
    double mx[512], my[512];
    col_mean(X, mx);
    col_mean(Y, my);
    int64_t len = 0;
    const char *name = NULL;
    const float *abl = gk_align_diagnostic(a, &len, &name);
    assert_int_equal(len, 5);
    assert_string_equal(name, "ablated_coordinates");
    double prev = INFINITY, smallest = INFINITY;
    for (int64_t q = 0; q < 5; q++) {
        int64_t j = (int64_t)abl[q];
        double g = fabs(mx[j] - my[j]);
        assert_true(g <= prev);
        prev = smallest = g;
        for (int64_t i = 0; i < Y->rows; i++) assert_true(A->data[i * 512 + j] == 0.0f);
    }
    int above = 0; /* no kept coordinate has a larger gap */
    for (int64_t j = 0; j < 512; j++) above += fabs(mx[j] - my[j]) > smallest;
    assert_int_equal(above, 4);
    gk_mat_free(A);
    gk_align_free(a);
    gk_mat_free(X);
    gk_mat_free(Y);
}

/*====  Procrustes  ====*/

/* ‖(X − μx) W − (Y − μy)‖_F² with W (d,d) row-major. */
static double misfit(const gk_mat *X, const gk_mat *Y, const double *W, int d)
{
    double mx[16], my[16], f = 0;
    col_mean(X, mx);
    col_mean(Y, my);
    for (int64_t i = 0; i < X->rows; i++)
        for (int c = 0; c < d; c++) {
            double v = -(gk_mat_at(Y, i, c) - my[c]);
            for (int l = 0; l < d; l++) v += (gk_mat_at(X, i, l) - mx[l]) * W[l * d + c];
            f += v * v;
        }
    return f;
}

/* A random orthogonal Q = U Vᵀ of a Gaussian matrix. */
static void random_rotation(gk_rng *g, int d, double *Q)
{
    double A[256], U[256], s[16], Vt[256];
    for (int i = 0; i < d * d; i++) A[i] = gk_rng_normal(g);
    assert_gk_ok(gk_svd(A, d, d, U, s, Vt));
    for (int i = 0; i < d; i++)
        for (int j = 0; j < d; j++) {
            Q[i * d + j] = 0;
            for (int l = 0; l < d; l++) Q[i * d + j] += U[i * d + l] * Vt[l * d + j];
        }
}

static void test_procrustes_orthogonal_and_best(void **state)
{
    (void)state;
    enum { N = 300, D = 16 };
    gk_rng g;
    gk_mat *X, *Y;
    double R[D * D], W[D * D], Q[D * D];
    gk_rng_seed(&g, 5);
    random_rotation(&g, D, R);
    assert_gk_ok(gk_mat_create(N, D, &X));
    assert_gk_ok(gk_mat_create(N, D, &Y));
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < D; j++) X->data[i * D + j] = (float)(gk_rng_normal(&g) + (j == 0 ? 2 : 0));
        for (int c = 0; c < D; c++) {
            double v = 0.2 * gk_rng_normal(&g) - 1.0;
            for (int l = 0; l < D; l++) v += X->data[i * D + l] * R[l * D + c];
            Y->data[i * D + c] = (float)v;
        }
    }
    gk_align *a = fit("procrustes", X, Y);
    char path[] = "/tmp/gk_align_procXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_gk_ok(gk_align_save(a, path));
    gk_mat *P = NULL;
    assert_gk_ok(gk_npz_read(path, "proj_0", &P));
    unlink(path);
    assert_int_equal(P->rows, D);
    double err = 0;
    for (int i = 0; i < D; i++)
        for (int j = 0; j < D; j++) {
            double s = 0;
            for (int l = 0; l < D; l++) s += (double)gk_mat_at(P, l, i) * gk_mat_at(P, l, j);
            err = fmax(err, fabs(s - (i == j)));
        }
    for (int i = 0; i < D * D; i++) W[i] = gk_mat_at(P, i / D, i % D);
    const double fw = misfit(X, Y, W, D);
    double best_random = INFINITY;
    for (int t = 0; t < 100; t++) {
        random_rotation(&g, D, Q);
        best_random = fmin(best_random, misfit(X, Y, Q, D));
    }
    print_message("Procrustes: max |WᵀW − I| %.2g, misfit %.4g vs best of 100 random "
                  "rotations %.4g\n", err, fw, best_random);
    assert_true(err < 1e-5);
    assert_true(fw < best_random);
    assert_true(fw < 0.05 * best_random); /* close to the planted rotation's noise level */
    gk_mat_free(P);
    gk_align_free(a);
    gk_mat_free(X);
    gk_mat_free(Y);
}

/*====  CCA  ====*/

/* cluster_reference.py: CLIP-COCO, ridge 0.1, k = 8. */
static void test_cca_reference(void **state)
{
    (void)state;
    static const double rho[8] = {0.9906885136, 0.9864999502, 0.9818361051, 0.9784003147,
                                  0.9702830412, 0.9665842835, 0.9650922356, 0.9612935626};
    static const double ref[4][4] = {{0.34038208, 0.46328670, -0.26434793, 0.43861328},
                                     {-0.09944839, 0.00987738, -0.10988261, -0.20448515},
                                     {0.34850320, 0.46148579, -0.26819691, 0.39517010},
                                     {-0.08787860, -0.00356457, -0.10134595, -0.20711239}};
    gk_mat *X = load_unit("clip-coco-liang/features_clip.npy:0");
    gk_mat *Y = load_unit("clip-coco-liang/features_clip.npy:1");
    gk_align *a = fit("cca:k=8,ridge=0.1", X, Y);
    int64_t len = 0;
    const float *c = gk_align_diagnostic(a, &len, NULL);
    assert_int_equal(len, 8);
    for (int j = 0; j < 8; j++) assert_close(c[j], rho[j], 1e-5);
    gk_mat *TX = apply(a, 0, X), *TY = apply(a, 1, Y);
    assert_int_equal(TX->cols, 8);
    for (int r = 0; r < 2; r++)
        for (int j = 0; j < 4; j++) {
            assert_close(TX->data[r * 8 + j], ref[r][j], 2e-4);
            assert_close(TY->data[r * 8 + j], ref[2 + r][j], 2e-4);
        }
    gk_mat_free(TX);
    gk_mat_free(TY);
    gk_align_free(a);
    gk_mat_free(X);
    gk_mat_free(Y);
}

/*====  COMET and projection decoding  ====*/

static void test_comet_matches_comet_apply(void **state)
{
    (void)state;
    gk_mat *X = load_unit("clip-coco-liang/features_clip.npy:1");
    gk_mat *Y = load_unit("clip-coco-liang/features_clip.npy:0");
    gk_align *a = fit("comet:k=16,weight=align", X, Y);
    gk_comet *m = NULL;
    gk_mat *ref = NULL, *got = apply(a, 1, Y);
    assert_gk_ok(gk_comet_fit(X, Y, 16, &m));
    assert_gk_ok(gk_comet_apply(m, 1, Y, 16, GK_COMET_W_ALIGN, &ref));
    assert_gk_ok(gk_mat_normalize_rows(ref));
    for (int64_t q = 0; q < Y->rows * 16; q++) assert_close(got->data[q], ref->data[q], 1e-6);
    gk_mat_free(ref);
    gk_mat_free(got);
    gk_comet_free(m);
    gk_align_free(a);
    gk_mat_free(X);
    gk_mat_free(Y);
}

/* Top-k projection decoding (k = 4, τ = 50) equals the formula evaluated
** here in double: the 4 most similar memory rows, softmax weights
** exp(τ(s_l − s_1)), weighted sum, unit length. */
static void test_projdec_topk_formula(void **state)
{
    (void)state;
    gk_mat *A = load_unit("esc50-clap/audio.npy"), *P = load_unit("esc50-clap/class_text.npy");
    gk_mat a200 = gk_mat_view_rows(A, 0, 200), p50 = gk_mat_view_rows(P, 0, 50);
    int64_t idx[200];
    for (int i = 0; i < 200; i++) idx[i] = i % 50;
    gk_mat *T = NULL;
    assert_gk_ok(gk_mat_select_rows(&p50, idx, 200, &T));
    gk_align *a = fit("projdec:temp=50,topk=4", &a200, T);
    gk_mat *D = apply(a, 0, &a200);
    for (int64_t i = 0; i < 200; i++) {
        double s[50], y[512] = {0}, norm = 0;
        int64_t top[4];
        for (int64_t c = 0; c < 50; c++) {
            s[c] = 0;
            for (int j = 0; j < 512; j++) s[c] += (double)gk_mat_at(&a200, i, j) * gk_mat_at(P, c, j);
        }
        for (int l = 0; l < 4; l++) { /* l-th largest, ties to the lower index */
            top[l] = -1;
            for (int64_t c = 0; c < 50; c++) {
                int used = 0;
                for (int u = 0; u < l; u++) used |= top[u] == c;
                if (!used && (top[l] < 0 || s[c] > s[top[l]])) top[l] = c;
            }
        }
        for (int l = 0; l < 4; l++)
            for (int j = 0; j < 512; j++)
                y[j] += exp(50 * (s[top[l]] - s[top[0]])) * gk_mat_at(P, top[l], j);
        for (int j = 0; j < 512; j++) norm += y[j] * y[j];
        for (int j = 0; j < 512; j++) assert_close(D->data[i * 512 + j], y[j] / sqrt(norm), 2e-6);
    }
    gk_align_free(a);
    gk_mat_free(D), gk_mat_free(T), gk_mat_free(A), gk_mat_free(P);
}

/* Memory = distinct anchor rows; with one neighbour and a huge temperature
** a decoded row is its most similar memory row. */
static void test_projdec_nearest(void **state)
{
    (void)state;
    gk_mat *A = load_unit("esc50-clap/audio.npy");
    gk_mat *P = load_unit("esc50-clap/class_text.npy");
    int64_t idx[300];
    for (int i = 0; i < 300; i++) idx[i] = i % 50; /* each prompt repeated 6 times */
    gk_mat *T = NULL, *Aa = NULL;
    assert_gk_ok(gk_mat_select_rows(P, idx, 300, &T));
    gk_mat a300 = gk_mat_view_rows(A, 0, 300);
    gk_align *a = fit("projdec:temp=10000,topk=1", &a300, T);
    gk_mat *D = apply(a, 0, &a300), *same = apply(a, 1, T);
    (void)Aa;
    for (int64_t i = 0; i < 300; i++) {
        int64_t best = 0;
        double bs = -2;
        for (int64_t c = 0; c < 50; c++) {
            double s = 0;
            for (int j = 0; j < 512; j++) s += (double)gk_mat_at(&a300, i, j) * gk_mat_at(P, c, j);
            if (s > bs) bs = s, best = c;
        }
        for (int j = 0; j < 512; j++) assert_close(D->data[i * 512 + j], gk_mat_at(P, best, j), 1e-6);
    }
    for (int64_t q = 0; q < 300 * 512; q++) assert_close(same->data[q], T->data[q], 1e-6);
    char path[] = "/tmp/gk_align_pdXXXXXX";
    int fd = mkstemp(path);
    close(fd);
    assert_gk_ok(gk_align_save(a, path));
    gk_mat *mem = NULL;
    assert_gk_ok(gk_npz_read(path, "memory", &mem));
    assert_int_equal(mem->rows, 50);
    unlink(path);
    gk_mat_free(mem);
    gk_mat_free(D);
    gk_mat_free(same);
    gk_align_free(a);
    gk_mat_free(T);
    gk_mat_free(A);
    gk_mat_free(P);
}

/*====  save / load  ====*/

static void roundtrip(const char *spec, const gk_mat *const *v, int M)
{
    gk_align_opts o;
    gk_align *a = NULL, *b = NULL;
    char path[] = "/tmp/gk_align_rtXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_gk_ok(gk_align_parse(spec, &o));
    assert_gk_ok(gk_align_fit(&o, v, M, &a));
    assert_gk_ok(gk_align_save(a, path));
    assert_gk_ok(gk_align_load(path, &b));
    unlink(path);
    assert_int_equal(gk_align_n_views(b), M);
    for (int i = 0; i < M; i++) {
        gk_mat *x = apply(a, i, v[i]), *y = apply(b, i, v[i]);
        assert_int_equal(x->cols, y->cols);
        if (memcmp(x->data, y->data, sizeof(float) * (size_t)(x->rows * x->cols)))
            fail_msg("%s: view %d differs after save/load", spec, i);
        gk_mat_free(x);
        gk_mat_free(y);
    }
    gk_align_free(a);
    gk_align_free(b);
}

static void test_save_load_every_method(void **state)
{
    (void)state;
    static const char *const two[] = {"identity", "center", "shift:lambda=0.3", "ablate:m=7",
                                      "procrustes", "cca:k=12", "comet:k=20,weight=corr",
                                      "projdec:topk=4", "procrustes:anchor=0"};
    static const char *const three[] = {"center", "shift", "ablate", "procrustes", "cca:k=6",
                                        "comet:k=6", "projdec"};
    gk_mat *F[3] = {load_unit("clip-coco-liang/features_clip.npy:0"),
                    load_unit("clip-coco-liang/features_clip.npy:1"), NULL};
    assert_gk_ok(gk_mat_clone(F[0], &F[2]));
    for (int64_t i = 0; i < F[2]->rows; i++) /* a third view: the images shifted */
        for (int64_t j = 0; j < 8; j++) F[2]->data[i * 512 + j] += 0.1f;
    for (size_t m = 0; m < sizeof two / sizeof two[0]; m++)
        roundtrip(two[m], (const gk_mat *const *)F, 2);
    for (size_t m = 0; m < sizeof three / sizeof three[0]; m++)
        roundtrip(three[m], (const gk_mat *const *)F, 3);
    for (int i = 0; i < 3; i++) gk_mat_free(F[i]);
}

/* A COMET file written by gk_comet_save is a transform too. */
static void test_load_comet_file(void **state)
{
    (void)state;
    gk_mat *X = load_unit("clip-coco-liang/features_clip.npy:1");
    gk_mat *Y = load_unit("clip-coco-liang/features_clip.npy:0");
    gk_comet *m = NULL;
    gk_align *a = NULL;
    char path[] = "/tmp/gk_align_cometXXXXXX";
    int fd = mkstemp(path);
    close(fd);
    assert_gk_ok(gk_comet_fit(X, Y, 10, &m));
    assert_gk_ok(gk_comet_save(m, path));
    assert_gk_ok(gk_align_load(path, &a));
    assert_int_equal(gk_align_get_opts(a)->method, GK_ALIGN_COMET);
    assert_int_equal(gk_align_out_dim(a, 0), 10);
    assert_gk_ok(gk_align_set_comet(a, 4, GK_COMET_W_NONE));
    assert_int_equal(gk_align_out_dim(a, 1), 4);
    assert_int_equal(gk_align_set_comet(a, 11, GK_COMET_W_NONE), GK_EARG);
    unlink(path);
    gk_align_free(a);
    gk_comet_free(m);
    gk_mat_free(X);
    gk_mat_free(Y);
}

/* Streaming to a file in blocks gives the bytes of one apply + gk_npy_write,
** across a block boundary (70,000 rows), for an affine map and for projdec
** with a memory that makes its own blocks smaller. */
static void test_apply_npy_stream(void **state)
{
    (void)state;
    enum { N = 70000, D = 16, M = 3000 };
    gk_rng g;
    gk_mat *X, *Y;
    gk_rng_seed(&g, 9);
    assert_gk_ok(gk_mat_create(N, D, &X));
    assert_gk_ok(gk_mat_create(M, D, &Y));
    for (int64_t i = 0; i < N * D; i++) X->data[i] = (float)gk_rng_normal(&g);
    for (int64_t i = 0; i < M * D; i++) Y->data[i] = (float)gk_rng_normal(&g);
    assert_gk_ok(gk_mat_normalize_rows(X));
    assert_gk_ok(gk_mat_normalize_rows(Y));
    gk_mat xm = gk_mat_view_rows(X, 0, M);
    static const char *const specs[] = {"procrustes", "projdec:topk=7", "projdec"};
    for (int sidx = 0; sidx < 3; sidx++) {
        gk_align *a = fit(specs[sidx], &xm, Y);
        gk_mat *o = apply(a, 0, X);
        char p1[] = "/tmp/gk_align_s1XXXXXX", p2[] = "/tmp/gk_align_s2XXXXXX";
        close(mkstemp(p1));
        close(mkstemp(p2));
        assert_gk_ok(gk_npy_write(p1, o));
        assert_gk_ok(gk_align_apply_npy(a, 0, X, p2));
        FILE *f1 = fopen(p1, "rb"), *f2 = fopen(p2, "rb");
        int c1, c2;
        long pos = 0;
        do {
            c1 = fgetc(f1), c2 = fgetc(f2), pos++;
        } while (c1 == c2 && c1 != EOF);
        if (c1 != c2) fail_msg("%s: streamed file differs at byte %ld", specs[sidx], pos);
        fclose(f1);
        fclose(f2);
        unlink(p1);
        unlink(p2);
        gk_mat_free(o);
        gk_align_free(a);
    }
    gk_mat_free(X);
    gk_mat_free(Y);
}

/*====  bad input  ====*/

static void test_bad_input(void **state)
{
    (void)state;
    gk_mat *X = load_unit("clip-coco-liang/features_clip.npy:0");
    gk_mat *P = load_unit("esc50-clap/class_text.npy");
    gk_mat *M = load_unit("esc50-clap/class_text_m2d.npy");
    gk_align_opts o = gk_align_opts_default(GK_ALIGN_SHIFT);
    gk_align *a = NULL;
    const gk_mat *one[1] = {X};
    assert_int_equal(gk_align_fit(&o, one, 1, &a), GK_EARG);
    assert_error_has("1 views; expected 2..16");
    assert_int_equal(gk_align_fit_pair(&o, X, P, &a), GK_ESHAPE);
    assert_error_has("view 1 has 50 rows but view 0 has 500");
    assert_int_equal(gk_align_fit_pair(&o, P, M, &a), GK_ESHAPE);
    assert_error_has("shift needs one shared space");
    o = gk_align_opts_default(GK_ALIGN_ABLATE);
    o.m = 512;
    assert_int_equal(gk_align_fit_pair(&o, P, P, &a), GK_EARG);
    assert_error_has("ablate m = 512 outside 1..511");
    o = gk_align_opts_default(GK_ALIGN_COMET);
    o.k = 0;
    assert_int_equal(gk_align_fit_pair(&o, P, P, &a), GK_EARG);
    o = gk_align_opts_default(GK_ALIGN_CCA);
    o.anchor = 5;
    assert_int_equal(gk_align_fit_pair(&o, P, P, &a), GK_EARG);
    assert_null(a);
    /* different dimensions are fine for procrustes and cca; apply checks D */
    a = fit("procrustes", P, M);
    gk_mat *out = NULL;
    assert_int_equal(gk_align_apply(a, 1, P, &out), GK_ESHAPE);
    assert_error_has("input has D = 512 but view 1 of the model has D = 768");
    assert_int_equal(gk_align_apply(a, 2, P, &out), GK_EARG);
    out = apply(a, 0, P);
    assert_int_equal(out->cols, 768);
    gk_mat_free(out);
    gk_align_free(a);
    /* files that are not transforms */
    assert_int_equal(gk_align_load(shared_path("esc50-clap/audio.npy"), &a), GK_EFORMAT);
    assert_int_equal(gk_align_load("/nonexistent/model.npz", &a), GK_EIO);
    assert_null(a);
    gk_mat_free(X);
    gk_mat_free(P);
    gk_mat_free(M);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_center_zero_mean),
        cmocka_unit_test(test_shift_means_meet),
        cmocka_unit_test(test_ablate_coordinates),
        cmocka_unit_test(test_procrustes_orthogonal_and_best),
        cmocka_unit_test(test_cca_reference),
        cmocka_unit_test(test_comet_matches_comet_apply),
        cmocka_unit_test(test_projdec_nearest),
        cmocka_unit_test(test_projdec_topk_formula),
        cmocka_unit_test(test_save_load_every_method),
        cmocka_unit_test(test_load_comet_file),
        cmocka_unit_test(test_apply_npy_stream),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
