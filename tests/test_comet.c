/*
** test_comet.c — COMET (methods.md §1) on real and synthetic data:
**  - identities on the CLIP-COCO fit pairs: T̂ᵀÂ = diag(σ), mean fit-pair
**    cosine = t̄·ā + Σ_j net_j / N, exact reconstruction with all axes;
**  - scikit-learn PLSSVD(scale=False) singular values and vectors, numbers
**    from tests/reference/plssvd_reference.py (run with /usr/bin/python3);
**  - a synthetic set with exactly 3 shared axes: σ drops after 3;
**  - the similarity dissection against an O(N²) brute force;
**  - save / load: byte-identical apply output, also in a new process;
**  - the same model bytes for 1, 2 and 3 threads.
*/
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

static const char *self_path;

static gk_mat *load(const char *rel)
{
    gk_mat *m;
    gk_load_opts o = gk_load_opts_default();
    assert_gk_ok(gk_load_matrix(shared_path(rel), &o, &m));
    return m;
}

#define COCO_X "clip-coco-liang/features_clip.npy:0"
#define COCO_Y "clip-coco-liang/features_clip.npy:1"

static void test_identities_on_fit_pairs(void **state)
{
    (void)state;
    gk_mat *x = load(COCO_X), *y = load(COCO_Y), *th, *ah;
    gk_comet *m;
    assert_gk_ok(gk_comet_fit(x, y, 0, &m));
    const int64_t k = gk_comet_k(m), n = x->rows;
    assert_int_equal(k, 512);
    assert_gk_ok(gk_comet_apply(m, 0, x, 0, GK_COMET_W_NONE, &th));
    assert_gk_ok(gk_comet_apply(m, 1, y, 0, GK_COMET_W_NONE, &ah));
    const float *sigma = gk_comet_sigma(m), *align = gk_comet_align(m);
    /* T̂ᵀÂ = diag(σ) over the fit pairs */
    double off = 0, dg = 0;
    for (int64_t a = 0; a < 40; a++)
        for (int64_t b = 0; b < 40; b++) {
            double s = 0;
            for (int64_t i = 0; i < n; i++) s += (double)th->data[i * k + a] * ah->data[i * k + b];
            if (a == b) dg = fmax(dg, fabs(s - sigma[a]));
            else off = fmax(off, fabs(s));
        }
    printf("  |T^T A - diag(sigma)|: diag %.3g, off-diagonal %.3g (sigma_1 = %.4g)\n", dg, off,
           sigma[0]);
    assert_true(dg < 1e-4 * sigma[0] && off < 1e-4 * sigma[0]);
    /* mean fit-pair cosine = t̄·ā + Σ_j σ_j align_j / N */
    double tbab = 0, net = 0, cos = 0;
    const float *tm = gk_comet_mean(m, 0), *am = gk_comet_mean(m, 1);
    for (int64_t j = 0; j < 512; j++) tbab += (double)tm[j] * am[j];
    for (int64_t j = 0; j < gk_comet_rank(m); j++) net += (double)sigma[j] * align[j];
    for (int64_t i = 0; i < n * 512; i++) cos += (double)x->data[i] * y->data[i];
    assert_close(tbab + net / n, cos / n, 2e-5);
    /* reconstruction t = t̄ + U t̂ with all axes */
    const float *U = gk_comet_axes(m, 0);
    double err = 0;
    for (int64_t i = 0; i < 5; i++)
        for (int64_t d = 0; d < 512; d++) {
            double v = tm[d];
            for (int64_t j = 0; j < k; j++) v += (double)U[d * k + j] * th->data[i * k + j];
            err = fmax(err, fabs(v - x->data[i * 512 + d]));
        }
    assert_true(err < 1e-5);
    gk_mat_free(th), gk_mat_free(ah), gk_mat_free(x), gk_mat_free(y);
    gk_comet_free(m);
}

/* From tests/reference/plssvd_reference.py: sklearn 1.2.1 PLSSVD(n_components=10,
** scale=False) on X = COCO image side, Y = text side, unit rows; σ from the SVD
** of Xcᵀ Yc. */
static const double ref_sigma[10] = {21.32157,  10.080105, 8.04314,   7.0866272, 5.7949307,
                                     4.9113292, 3.6217518, 3.447421,  3.3109917, 2.8453282};
static const double ref_u0[5] = {-0.029267719, -0.1633923, 0.00086305283, 0.023415047,
                                 0.047015375};
static const double ref_v0[5] = {-0.044587837, -0.09003708, -0.026014863, 0.034263203,
                                 -0.0021189214};
static const double ref_u1[5] = {0.027953235, -0.0041660586, -0.034789284, 0.066659238,
                                 0.022229332};
static const double ref_v9[5] = {0.020850122, -0.0041701576, -0.0047441103, -0.092854633,
                                 -0.016833082};

static void test_matches_sklearn_plssvd(void **state)
{
    (void)state;
    gk_mat *x = load(COCO_X), *y = load(COCO_Y);
    gk_comet *m;
    assert_gk_ok(gk_comet_fit(x, y, 10, &m));
    const float *s = gk_comet_sigma(m), *U = gk_comet_axes(m, 0), *V = gk_comet_axes(m, 1);
    double md = 0;
    for (int j = 0; j < 10; j++) md = fmax(md, fabs(s[j] - ref_sigma[j]) / ref_sigma[j]);
    for (int i = 0; i < 5; i++) {
        md = fmax(md, fabs(U[i * 10 + 0] - ref_u0[i]));
        md = fmax(md, fabs(V[i * 10 + 0] - ref_v0[i]));
        md = fmax(md, fabs(U[i * 10 + 1] - ref_u1[i]));
        md = fmax(md, fabs(V[i * 10 + 9] - ref_v9[i]));
    }
    printf("  maxdiff vs sklearn PLSSVD: %.3g\n", md);
    assert_true(md < 2e-5);
    assert_close(U[74 * 10 + 0], 0.25778452, 2e-5); /* the sign rule's pivot entry */
    gk_mat_free(x), gk_mat_free(y);
    gk_comet_free(m);
}

/* N = 3000 pairs, D = 24: T = Z Pᵀ + ε, A = Z Qᵀ + ε with Z (N,3) shared. */
static void test_synthetic_shared_axes(void **state)
{
    (void)state;
    enum { N = 3000, D = 24, S = 3 };
    gk_mat *t, *a;
    gk_rng g;
    gk_rng_seed(&g, 5);
    double P[D * S], Q[D * S];
    for (int i = 0; i < D * S; i++) P[i] = gk_rng_normal(&g), Q[i] = gk_rng_normal(&g);
    assert_gk_ok(gk_mat_create(N, D, &t));
    assert_gk_ok(gk_mat_create(N, D, &a));
    for (int i = 0; i < N; i++) {
        double z[S];
        for (int s = 0; s < S; s++) z[s] = gk_rng_normal(&g) * (3.0 - s);
        for (int d = 0; d < D; d++) {
            double vt = 0.05 * gk_rng_normal(&g), va = 0.05 * gk_rng_normal(&g);
            for (int s = 0; s < S; s++) vt += P[d * S + s] * z[s], va += Q[d * S + s] * z[s];
            t->data[i * D + d] = (float)vt;
            a->data[i * D + d] = (float)va;
        }
    }
    gk_comet *m;
    assert_gk_ok(gk_comet_fit(t, a, 0, &m));
    const float *s = gk_comet_sigma(m), *corr = gk_comet_corr(m);
    printf("  sigma: %.4g %.4g %.4g | %.4g %.4g; corr %.4f %.4f %.4f | %.4f\n", s[0], s[1],
           s[2], s[3], s[4], corr[0], corr[1], corr[2], corr[3]);
    assert_true(s[3] < 0.01 * s[2]);
    for (int j = 0; j < S; j++) assert_true(corr[j] > 0.9);
    assert_true(fabs(corr[S + 1]) < 0.2);
    gk_comet_axis_stats *st;
    assert_gk_ok(gk_comet_stats(m, &st));
    assert_close(st->head_t, 1.0, 1e-6); /* all axes kept: all variance in the head */
    gk_comet_stats_free(st);
    gk_comet_free(m);
    gk_mat_free(t), gk_mat_free(a);
}

/* Every dissection term by an explicit double loop over all (i, j). */
static void brute_terms(const gk_comet *m, const gk_mat *T, const gk_mat *A, int64_t s, int pos,
                        gk_comet_terms *out)
{
    gk_mat *th, *ah;
    const int64_t k = gk_comet_k(m), n = T->rows, d = T->cols;
    assert_gk_ok(gk_comet_apply(m, 0, T, 0, GK_COMET_W_NONE, &th));
    assert_gk_ok(gk_comet_apply(m, 1, A, 0, GK_COMET_W_NONE, &ah));
    const float *U = gk_comet_axes(m, 0), *V = gk_comet_axes(m, 1);
    const float *tm = gk_comet_mean(m, 0), *am = gk_comet_mean(m, 1), *al = gk_comet_align(m);
    double tot = 0, mc = 0, dir = 0, cr = 0, cnt = 0;
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < n; j++) {
            if ((i == j) != pos) continue;
            const float *ti = th->data + i * k, *aj = ah->data + j * k;
            for (int64_t l = 0; l < d; l++) tot += (double)T->data[i * d + l] * A->data[j * d + l];
            for (int64_t p = 0; p < s; p++) {
                double tv = 0, au = 0;
                for (int64_t l = 0; l < d; l++)
                    tv += (double)tm[l] * V[l * k + p], au += (double)am[l] * U[l * k + p];
                mc += tv * aj[p] + au * ti[p];
                for (int64_t q = 0; q < s; q++) {
                    double uv = 0;
                    for (int64_t l = 0; l < d; l++) uv += (double)U[l * k + p] * V[l * k + q];
                    if (p == q) dir += (double)ti[p] * aj[p] * al[p];
                    else cr += (double)ti[p] * aj[q] * uv;
                }
            }
            cnt++;
        }
    out->total = tot / cnt, out->mean_coef = mc / cnt, out->direct = dir / cnt;
    out->cross = cr / cnt;
    gk_mat_free(th), gk_mat_free(ah);
}

static void check_terms(const gk_comet_terms *got, const gk_comet_terms *want)
{
    assert_close(got->total, want->total, 1e-6);
    assert_close(got->mean_coef, want->mean_coef, 1e-5);
    assert_close(got->direct, want->direct, 1e-5);
    assert_close(got->cross, want->cross, 1e-5);
    assert_close(got->total, got->mean + got->mean_coef + got->direct + got->cross +
                 got->residual, 1e-9);
}

static void test_dissection_matches_brute_force(void **state)
{
    (void)state;
    gk_mat *x = load(COCO_X), *y = load(COCO_Y);
    gk_mat fx = gk_mat_view_rows(x, 0, 400), tx = gk_mat_view_rows(x, 400, 30);
    gk_mat fy = gk_mat_view_rows(y, 0, 400), ty = gk_mat_view_rows(y, 400, 30);
    gk_comet *m;
    gk_comet_dissection d;
    gk_comet_terms b;
    assert_gk_ok(gk_comet_fit(&fx, &fy, 8, &m));
    assert_gk_ok(gk_comet_dissect(m, &tx, &ty, 3, &d));
    brute_terms(m, &tx, &ty, 8, 1, &b), check_terms(&d.pos_all, &b);
    brute_terms(m, &tx, &ty, 8, 0, &b), check_terms(&d.neg_all, &b);
    brute_terms(m, &tx, &ty, 3, 1, &b), check_terms(&d.pos_head, &b);
    brute_terms(m, &tx, &ty, 3, 0, &b), check_terms(&d.neg_head, &b);
    gk_comet_free(m);
    /* all axes: nothing is left outside them */
    assert_gk_ok(gk_comet_fit(&fx, &fy, 0, &m));
    assert_gk_ok(gk_comet_dissect(m, &tx, &ty, 100, &d));
    assert_close(d.pos_all.residual, 0.0, 1e-5);
    assert_close(d.neg_all.residual, 0.0, 1e-5);
    char *json;
    assert_gk_ok(gk_comet_to_json(m, &d, 5, &json));
    assert_non_null(strstr(json, "\"dissection\""));
    gk_free(json);
    gk_comet_free(m);
    gk_mat_free(x), gk_mat_free(y);
}

static int64_t file_bytes(const char *path, char **buf)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *buf = malloc(n);
    assert_int_equal(fread(*buf, 1, n, f), (size_t)n);
    fclose(f);
    return n;
}

/* The child process: load MODEL, apply to COCO_X with align weights, write OUT. */
static int apply_child(const char *model, const char *out)
{
    gk_comet *m;
    gk_mat *x, *o;
    gk_load_opts lo = gk_load_opts_default();
    if (gk_comet_load(model, &m) || gk_load_matrix(shared_path(COCO_X), &lo, &x)) return 2;
    if (gk_comet_apply(m, 0, x, 15, GK_COMET_W_ALIGN, &o) || gk_npy_write(out, o)) return 3;
    gk_comet_free(m), gk_mat_free(x), gk_mat_free(o);
    return 0;
}

static void test_save_load_byte_identical(void **state)
{
    (void)state;
    char dir[] = "/tmp/gk_comet_XXXXXX", model[256], out1[256], out2[256], cmd[1024];
    assert_non_null(mkdtemp(dir));
    snprintf(model, sizeof model, "%s/m.npz", dir);
    snprintf(out1, sizeof out1, "%s/a.npy", dir);
    snprintf(out2, sizeof out2, "%s/b.npy", dir);
    gk_mat *x = load(COCO_X), *y = load(COCO_Y), *o1, *o2;
    gk_comet *m, *m2;
    assert_gk_ok(gk_comet_fit(x, y, 20, &m));
    assert_gk_ok(gk_comet_apply(m, 0, x, 15, GK_COMET_W_ALIGN, &o1));
    assert_gk_ok(gk_comet_save(m, model));
    assert_gk_ok(gk_comet_load(model, &m2));
    assert_int_equal(gk_comet_k(m2), 20);
    assert_int_equal(gk_comet_n_fit(m2), 500);
    assert_gk_ok(gk_comet_apply(m2, 0, x, 15, GK_COMET_W_ALIGN, &o2));
    assert_memory_equal(o1->data, o2->data, o1->rows * o1->cols * sizeof(float));
    /* a new process */
    assert_gk_ok(gk_npy_write(out1, o1));
    snprintf(cmd, sizeof cmd, "'%s' --apply-child '%s' '%s'", self_path, model, out2);
    assert_int_equal(system(cmd), 0);
    char *b1, *b2;
    int64_t n1 = file_bytes(out1, &b1), n2 = file_bytes(out2, &b2);
    assert_int_equal(n1, n2);
    assert_memory_equal(b1, b2, n1);
    free(b1), free(b2);
    /* errors name what was expected */
    gk_mat *bad;
    assert_int_equal(gk_comet_apply(m, 0, x, 21, GK_COMET_W_NONE, &bad), GK_EARG);
    assert_null(bad);
    gk_comet_free(m2);
    gk_mat yv = gk_mat_view_rows(y, 0, 10);
    assert_int_equal(gk_comet_fit(x, &yv, 5, &m2 /* overwritten with NULL */), GK_ESHAPE);
    assert_null(m2);
    assert_int_not_equal(gk_comet_load(out1, &m2), GK_OK); /* an .npy is not a model */
    assert_null(m2);
    int64_t top[20 * 3], bottom[20 * 3];
    assert_gk_ok(gk_comet_extremes(m, 0, x, 3, top, bottom));
    assert_true(top[0] != bottom[0]);
    remove(model), remove(out1), remove(out2), rmdir(dir);
    gk_comet_free(m);
    gk_mat_free(o1), gk_mat_free(o2), gk_mat_free(x), gk_mat_free(y);
}

/* Fits with 1, 2 and 3 threads and asserts the saved model files are equal. */
static void expect_same_bytes(const gk_mat *x, const gk_mat *y, int64_t k)
{
    char dir[] = "/tmp/gk_comet_XXXXXX", path[3][256];
    assert_non_null(mkdtemp(dir));
    char *bytes[3];
    int64_t len[3];
    for (int t = 0; t < 3; t++) {
        gk_comet *m;
        gk_set_threads(t + 1);
        snprintf(path[t], sizeof path[t], "%s/m%d.npz", dir, t);
        assert_gk_ok(gk_comet_fit(x, y, k, &m));
        assert_gk_ok(gk_comet_save(m, path[t]));
        len[t] = file_bytes(path[t], &bytes[t]);
        gk_comet_free(m);
    }
    gk_set_threads(0);
    for (int t = 1; t < 3; t++) {
        assert_int_equal(len[t], len[0]);
        assert_memory_equal(bytes[t], bytes[0], len[0]);
    }
    for (int t = 0; t < 3; t++) free(bytes[t]), remove(path[t]);
    rmdir(dir);
}

/* The fit is the same to the bit for 1, 2 and 3 threads: the cross-product
** is summed in fixed blocks and the SVD runs on single-threaded BLAS.  The
** COCO fit (K = 64) differed in the last bits while the SVD was threaded;
** the synthetic set spans 3 blocks of GK_CROSS_BLOCK rows. */
static void test_thread_independent(void **state)
{
    (void)state;
    gk_mat *cx = load(COCO_X), *cy = load(COCO_Y);
    expect_same_bytes(cx, cy, 64);
    gk_mat_free(cx), gk_mat_free(cy);
    const int64_t n = 3 * GK_CROSS_BLOCK - 100, d = 48;
    gk_mat *x, *y;
    gk_rng r;
    gk_rng_seed(&r, 21);
    assert_gk_ok(gk_mat_create(n, d, &x));
    assert_gk_ok(gk_mat_create(n, d, &y));
    for (int64_t i = 0; i < n * d; i++) {
        x->data[i] = (float)gk_rng_normal(&r);
        y->data[i] = x->data[i] + 2.0f * (float)gk_rng_normal(&r);
    }
    expect_same_bytes(x, y, 12);
    gk_mat_free(x), gk_mat_free(y);
}

/* PLSHeadW: a side-0 row · a side-1 row = Σ_j w_j t̂_j â_j for both weights,
** with negative align_j included (the sign goes to side 1). */
static void test_weighted_dot_is_the_weighted_direct_term(void **state)
{
    (void)state;
    gk_mat *x = load(COCO_X), *y = load(COCO_Y), *pt, *pa, *wt, *wa;
    gk_comet *m;
    assert_gk_ok(gk_comet_fit(x, y, 64, &m));
    assert_gk_ok(gk_comet_apply(m, 0, x, 64, GK_COMET_W_NONE, &pt));
    assert_gk_ok(gk_comet_apply(m, 1, y, 64, GK_COMET_W_NONE, &pa));
    const gk_comet_weight ws[2] = {GK_COMET_W_ALIGN, GK_COMET_W_CORR};
    int negative = 0;
    for (int q = 0; q < 2; q++) {
        const float *w = q ? gk_comet_corr(m) : gk_comet_align(m);
        assert_gk_ok(gk_comet_apply(m, 0, x, 64, ws[q], &wt));
        assert_gk_ok(gk_comet_apply(m, 1, y, 64, ws[q], &wa));
        double err = 0;
        for (int i = 0; i < 20; i++) {
            double dot = 0, want = 0;
            for (int j = 0; j < 64; j++) {
                dot += (double)wt->data[i * 64 + j] * wa->data[(i + 3) * 64 + j];
                want += (double)w[j] * pt->data[i * 64 + j] * pa->data[(i + 3) * 64 + j];
                negative += (i == 0 && w[j] < 0);
            }
            err = fmax(err, fabs(dot - want));
        }
        assert_true(err < 1e-6);
        gk_mat_free(wt), gk_mat_free(wa);
    }
    printf("  %d negative weights among the first 64 axes\n", negative);
    gk_mat_free(pt), gk_mat_free(pa), gk_mat_free(x), gk_mat_free(y);
    gk_comet_free(m);
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "--apply-child")) return apply_child(argv[2], argv[3]);
    self_path = argv[0];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identities_on_fit_pairs),
        cmocka_unit_test(test_matches_sklearn_plssvd),
        cmocka_unit_test(test_synthetic_shared_axes),
        cmocka_unit_test(test_dissection_matches_brute_force),
        cmocka_unit_test(test_save_load_byte_identical),
        cmocka_unit_test(test_thread_independent),
        cmocka_unit_test(test_weighted_dot_is_the_weighted_direct_term),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
