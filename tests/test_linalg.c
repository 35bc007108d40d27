/*
** test_linalg.c — the BLAS/LAPACK wrappers against their naive twins and
** residual checks: GEMM with transposes and strided views, the blocked
** centred cross-product (also across several blocks and for X == Y), SVD
** reconstruction with the sign rule, symmetric eigen-decomposition.
*/
#include "test_util.h"
#include "linalg/linalg_internal.h"

static gk_mat *random_mat(int64_t r, int64_t c, uint64_t seed)
{
    gk_mat *m;
    gk_rng g;
    gk_rng_seed(&g, seed);
    assert_gk_ok(gk_mat_create(r, c, &m));
    for (int64_t i = 0; i < r * c; i++) m->data[i] = (float)gk_rng_normal(&g);
    return m;
}

static double max_diff(const gk_mat *a, const gk_mat *b)
{
    double d = 0;
    for (int64_t i = 0; i < a->rows; i++)
        for (int64_t j = 0; j < a->cols; j++)
            d = fmax(d, fabs((double)gk_mat_at(a, i, j) - gk_mat_at(b, i, j)));
    return d;
}

static void test_gemm_matches_naive(void **state)
{
    (void)state;
    gk_mat *A = random_mat(37, 23, 1), *B = random_mat(23, 19, 2), *Bt = random_mat(19, 23, 3);
    gk_mat *C1, *C2;
    assert_gk_ok(gk_mat_create(37, 19, &C1));
    assert_gk_ok(gk_mat_create(37, 19, &C2));
    for (int tb = 0; tb < 2; tb++) {
        const gk_mat *b = tb ? Bt : B;
        assert_gk_ok(gk_gemm(0, tb, 1.5f, A, b, 0.0f, C1));
        assert_gk_ok(gk_gemm_naive(0, tb, 1.5f, A, b, 0.0f, C2));
        assert_true(max_diff(C1, C2) < 1e-4);
    }
    assert_int_equal(gk_gemm(0, 0, 1.0f, A, A, 0.0f, C1), GK_ESHAPE);
    gk_mat odd = {A->data, 10, 5, 7, 2, NULL};
    assert_int_equal(gk_gemm(0, 1, 1.0f, &odd, &odd, 0.0f, C1), GK_ESHAPE);
    gk_mat_free(A), gk_mat_free(B), gk_mat_free(Bt), gk_mat_free(C1), gk_mat_free(C2);
}

static void test_gemm_strided_view(void **state)
{
    (void)state;
    gk_mat *A = random_mat(20, 30, 4), *B = random_mat(12, 8, 5), *C1, *C2;
    gk_mat Av = {A->data + 3, 12, 10, 30, 1, NULL}; /* a (12,10) window, lda = 30 */
    gk_mat At = {A->data, 10, 12, 1, 30, NULL};     /* column-major (10,12) */
    assert_gk_ok(gk_mat_create(10, 8, &C1));
    assert_gk_ok(gk_mat_create(10, 8, &C2));
    assert_gk_ok(gk_gemm(1, 0, 1.0f, &Av, B, 0.0f, C1));
    assert_gk_ok(gk_gemm_naive(1, 0, 1.0f, &Av, B, 0.0f, C2));
    assert_true(max_diff(C1, C2) < 1e-4);
    assert_gk_ok(gk_gemm(0, 0, 1.0f, &At, B, 0.0f, C1));
    assert_gk_ok(gk_gemm_naive(0, 0, 1.0f, &At, B, 0.0f, C2));
    assert_true(max_diff(C1, C2) < 1e-4);
    gk_mat_free(A), gk_mat_free(B), gk_mat_free(C1), gk_mat_free(C2);
}

static void check_cross(const gk_mat *X, const gk_mat *Y, int same)
{
    double *mx = malloc(X->cols * sizeof(double)), *my = malloc(Y->cols * sizeof(double));
    double *M1 = malloc(X->cols * Y->cols * sizeof(double));
    double *M2 = malloc(X->cols * Y->cols * sizeof(double));
    assert_gk_ok(gk_mat_col_mean(X, mx));
    assert_gk_ok(gk_mat_col_mean(Y, my));
    assert_gk_ok(gk_cross_centered(X, mx, Y, same ? mx : my, M1));
    assert_gk_ok(gk_cross_centered_naive(X, mx, Y, same ? mx : my, M2));
    double d = 0, scale = 0;
    for (int64_t q = 0; q < X->cols * Y->cols; q++) {
        d = fmax(d, fabs(M1[q] - M2[q]));
        scale = fmax(scale, fabs(M2[q]));
    }
    printf("  cross-product maxdiff %.3g (scale %.3g)\n", d, scale);
    assert_true(d <= 1e-5 * scale + 1e-4);
    free(mx), free(my), free(M1), free(M2);
}

static void test_cross_centered(void **state)
{
    (void)state;
    /* 9000 rows: three blocks of GK_CROSS_BLOCK, the last one partial */
    gk_mat *X = random_mat(9000, 24, 6), *Y = random_mat(9000, 17, 7);
    for (int64_t i = 0; i < X->rows * X->cols; i++) X->data[i] += 3.0f; /* a large mean */
    check_cross(X, Y, 0);
    check_cross(X, X, 1); /* ssyrk path */
    gk_mat Xs = {X->data, 4500, 12, 48, 2, NULL}; /* strided: every other row and column */
    gk_mat Ys = {Y->data, 4500, 17, 34, 1, NULL};
    check_cross(&Xs, &Ys, 0);
    double m1[24], m2[24], sq, sq2 = 0; /* blocked means vs the plain one */
    assert_gk_ok(gk_col_mean_blocked(X, m1, &sq));
    assert_gk_ok(gk_mat_col_mean(X, m2));
    for (int j = 0; j < 24; j++) assert_close(m1[j], m2[j], 1e-12);
    for (int64_t i = 0; i < X->rows * X->cols; i++) sq2 += (double)X->data[i] * X->data[i];
    assert_close(sq, sq2, 1e-9 * sq2);
    gk_mat Yshort = gk_mat_view_rows(Y, 0, 10);
    double M[24 * 17];
    assert_int_equal(gk_cross_centered(X, NULL, &Yshort, NULL, M), GK_ESHAPE);
    gk_mat_free(X), gk_mat_free(Y);
}

static void test_svd_and_flip(void **state)
{
    (void)state;
    enum { M = 7, N = 5, R = 5 };
    double a[M * N], u[M * R], s[R], vt[R * N];
    gk_rng g;
    gk_rng_seed(&g, 8);
    for (int i = 0; i < M * N; i++) a[i] = gk_rng_normal(&g);
    assert_gk_ok(gk_svd(a, M, N, u, s, vt));
    gk_svd_flip_u(u, M, R, vt, N);
    for (int j = 1; j < R; j++) assert_true(s[j] <= s[j - 1]);
    for (int j = 0; j < R; j++) { /* largest |u_ij| is positive */
        int best = 0;
        for (int i = 1; i < M; i++)
            if (fabs(u[i * R + j]) > fabs(u[best * R + j])) best = i;
        assert_true(u[best * R + j] > 0);
    }
    double d = 0; /* reconstruction a = U diag(s) Vᵀ survives the flip */
    for (int i = 0; i < M; i++)
        for (int c = 0; c < N; c++) {
            double v = 0;
            for (int j = 0; j < R; j++) v += u[i * R + j] * s[j] * vt[j * N + c];
            d = fmax(d, fabs(v - a[i * N + c]));
        }
    assert_true(d < 1e-12);
}

static void test_eigh(void **state)
{
    (void)state;
    enum { N = 6 };
    double a[N * N], w[N], v[N * N];
    gk_rng g;
    gk_rng_seed(&g, 9);
    for (int i = 0; i < N; i++)
        for (int j = 0; j <= i; j++) a[i * N + j] = a[j * N + i] = gk_rng_normal(&g);
    assert_gk_ok(gk_eigh(a, N, w, v));
    for (int j = 1; j < N; j++) assert_true(w[j] <= w[j - 1]);
    for (int j = 0; j < N; j++) /* A v_j = w_j v_j */
        for (int i = 0; i < N; i++) {
            double s = 0;
            for (int l = 0; l < N; l++) s += a[i * N + l] * v[l * N + j];
            assert_close(s, w[j] * v[i * N + j], 1e-10);
        }
    double w2[N];
    assert_gk_ok(gk_eigh(a, N, w2, NULL));
    for (int j = 0; j < N; j++) assert_close(w2[j], w[j], 1e-10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gemm_matches_naive), cmocka_unit_test(test_gemm_strided_view),
        cmocka_unit_test(test_cross_centered),     cmocka_unit_test(test_svd_and_flip),
        cmocka_unit_test(test_eigh),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
