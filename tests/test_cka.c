/*
** test_cka.c — the CKA family (cka.h): feature-space forms against the N×N
** Gram-matrix twins, invariances (rotation, isotropic scale, translation),
** identical spaces, thread independence, bad input, and the values on
** ../shared/data against tests/reference/cka_reference.py (numpy/scipy,
** float64, textbook Gram forms, scipy Procrustes, SVD + QR for SVCCA).
*/
#include "knn_test_util.h" /* gauss(): seeded normal matrices */

/* The numbers printed by tests/reference/cka_reference.py. */
typedef struct ref_values {
    const char *name;
    double linear, unbiased, rbf1, rbf1_unbiased, rbf05, svcca_dims, procrustes, proc_dist;
    int64_t svcca_dims_k;
    double svcca99; /* NaN when kx + ky >= N (gapkit refuses) */
    int64_t kx, ky;
} ref_values;

static gk_mat *load(const char *rel)
{
    gk_mat *m;
    gk_load_opts o = gk_load_opts_default();
    assert_gk_ok(gk_load_matrix(shared_path(rel), &o, &m));
    return m;
}

/* Y = X W + noise·E with W (dx, dy) random: related but not identical spaces. */
static gk_mat *related(const gk_mat *X, int64_t dy, double noise, uint64_t seed)
{
    gk_mat *W = gauss(X->cols, dy, seed), *E = gauss(X->rows, dy, seed + 1), *Y;
    assert_gk_ok(gk_mat_create(X->rows, dy, &Y));
    assert_gk_ok(gk_gemm_naive(0, 0, 1.0f, X, W, 0.0f, Y));
    for (int64_t i = 0; i < X->rows * dy; i++) Y->data[i] += (float)noise * E->data[i];
    gk_mat_free(W), gk_mat_free(E);
    return Y;
}

/* ESC-50: row i of *text is the class prompt of clip i. */
static void esc_clip_prompts(gk_mat **audio, gk_mat **text)
{
    gk_labels *clips, *classes;
    gk_mat *prompts = load("esc50-clap/class_text.npy");
    *audio = load("esc50-clap/audio.npy");
    assert_gk_ok(gk_labels_read(shared_path("esc50-clap/meta.csv:class_name"), &clips));
    assert_gk_ok(gk_labels_read(shared_path("esc50-clap/class_names.txt"), &classes));
    int64_t *row = malloc((size_t)clips->n * sizeof *row);
    assert_gk_ok(gk_labels_match(clips, classes, row));
    assert_gk_ok(gk_mat_select_rows(prompts, row, clips->n, text));
    free(row), gk_mat_free(prompts);
    gk_labels_free(clips), gk_labels_free(classes);
}

static double measure(const char *name, const gk_mat *X, const gk_mat *Y, const gk_cka_opts *o)
{
    gk_cka_result r;
    assert_gk_ok(gk_cka_measure(name, X, Y, o, &r));
    assert_string_equal(r.measure, name);
    assert_true(strlen(r.estimator) > 20);
    const double v = r.value;
    gk_cka_result_free(&r);
    return v;
}

static const char *const all_measures[] = {"cka-linear", "cka-unbiased", "cka-rbf", "svcca",
                                           "procrustes"};

/*====  identities with the Gram forms  ====*/

static void test_linear_equals_gram_form(void **state)
{
    (void)state;
    gk_mat *X = gauss(301, 17, 1), *Y = related(X, 9, 0.7, 2);
    double gram, gram_u;
    gk_cka_result r;
    assert_gk_ok(gk_cka_linear(X, Y, &r));
    assert_gk_ok(gk_cka_linear_naive(X, Y, 0, &gram));
    assert_close(r.value, gram, 1e-6);
    assert_true(r.value > 0.3 && r.value < 0.99);
    assert_close(r.value, r.hsic_xy / sqrt(r.hsic_xx * r.hsic_yy), 1e-12);
    assert_gk_ok(gk_cka_unbiased(X, Y, &r));
    assert_gk_ok(gk_cka_linear_naive(X, Y, 1, &gram_u));
    assert_close(r.value, gram_u, 1e-6);
    assert_true(fabs(gram_u - gram) > 1e-3); /* the two estimators do differ */
    gk_mat_free(X), gk_mat_free(Y);
}

static void test_rbf_equals_gram_form(void **state)
{
    (void)state;
    /* 1001 rows: not a multiple of any block size */
    gk_mat *X = gauss(1001, 12, 3), *Y = related(X, 20, 2.0, 4);
    gk_cka_opts o = gk_cka_opts_default();
    const double factors[] = {1.0, 0.5};
    for (int f = 0; f < 2; f++)
        for (int u = 0; u < 2; u++) {
            gk_cka_result r;
            double ref;
            o.sigma_factor = factors[f], o.rbf_unbiased = u;
            assert_gk_ok(gk_cka_rbf(X, Y, &o, &r));
            assert_gk_ok(gk_cka_rbf_naive(X, Y, &o, &ref));
            assert_close(r.value, ref, 2e-6);
            assert_close(r.sigma_x, factors[f] * r.median_x, 1e-12);
        }
    gk_mat_free(X), gk_mat_free(Y);
}

/*====  invariances  ====*/

/* Q (d,d) orthogonal: the left singular vectors of a random matrix. */
static gk_mat *random_rotation(int64_t d, uint64_t seed)
{
    gk_mat *A = gauss(d, d, seed), *Q;
    double *a = malloc((size_t)(3 * d * d + d) * sizeof *a), *u = a + d * d, *vt = u + d * d,
           *s = vt + d * d;
    for (int64_t i = 0; i < d * d; i++) a[i] = A->data[i];
    assert_gk_ok(gk_svd(a, d, d, u, s, vt));
    assert_gk_ok(gk_mat_create(d, d, &Q));
    for (int64_t i = 0; i < d * d; i++) Q->data[i] = (float)u[i];
    free(a), gk_mat_free(A);
    return Q;
}

/* X Q · scale + shift (every row moved by the same random vector). */
static gk_mat *transformed(const gk_mat *X, double scale, uint64_t seed)
{
    gk_mat *Q = random_rotation(X->cols, seed), *T, *shift = gauss(1, X->cols, seed + 7);
    assert_gk_ok(gk_mat_create(X->rows, X->cols, &T));
    assert_gk_ok(gk_gemm_naive(0, 0, (float)scale, X, Q, 0.0f, T));
    for (int64_t i = 0; i < X->rows; i++)
        for (int64_t j = 0; j < X->cols; j++) T->data[i * X->cols + j] += shift->data[j];
    gk_mat_free(Q), gk_mat_free(shift);
    return T;
}

static void test_invariances(void **state)
{
    (void)state;
    gk_mat *X = gauss(400, 10, 5), *Y = related(X, 14, 1.5, 6);
    gk_mat *Xt = transformed(X, 3.0, 8), *Yt = transformed(Y, 0.25, 9);
    gk_cka_opts o = gk_cka_opts_default();
    o.svcca_dims = 6;
    for (size_t m = 0; m < sizeof all_measures / sizeof *all_measures; m++) {
        const double v = measure(all_measures[m], X, Y, &o);
        assert_close(measure(all_measures[m], Xt, Y, &o), v, 2e-5);
        assert_close(measure(all_measures[m], X, Yt, &o), v, 2e-5);
        assert_close(measure(all_measures[m], Xt, Yt, &o), v, 2e-5);
        assert_true(v > 0.05 && v < 0.999);
    }
    gk_mat_free(X), gk_mat_free(Y), gk_mat_free(Xt), gk_mat_free(Yt);
}

/* 1000 + x: the same spaces, far from the origin, where ‖a‖² + ‖b‖² − 2a·b
** would cancel badly in float without the centring. */
static void test_far_from_origin(void **state)
{
    (void)state;
    gk_mat *X = gauss(500, 8, 40), *Y = related(X, 6, 1.0, 41), *Xf;
    assert_gk_ok(gk_mat_clone(X, &Xf));
    for (int64_t i = 0; i < 500 * 8; i++) Xf->data[i] += 1000.0f;
    for (size_t m = 0; m < sizeof all_measures / sizeof *all_measures; m++)
        assert_close(measure(all_measures[m], Xf, Y, NULL), measure(all_measures[m], X, Y, NULL),
                     1e-4);
    gk_mat_free(X), gk_mat_free(Y), gk_mat_free(Xf);
}

static void test_identical_is_one(void **state)
{
    (void)state;
    gk_mat *X = gauss(300, 16, 10), *Xt = transformed(X, 2.0, 11);
    for (size_t m = 0; m < sizeof all_measures / sizeof *all_measures; m++) {
        assert_close(measure(all_measures[m], X, X, NULL), 1.0, 1e-6);
        assert_close(measure(all_measures[m], X, Xt, NULL), 1.0, 2e-5);
    }
    gk_cka_result r;
    assert_gk_ok(gk_procrustes_sim(X, Xt, &r));
    assert_close(r.distance, 0.0, 4e-5);
    gk_mat_free(X), gk_mat_free(Xt);
}

static void test_thread_independent(void **state)
{
    (void)state;
    gk_mat *X = gauss(5000, 24, 12), *Y = related(X, 8, 1.0, 13);
    double v[2][5];
    for (int t = 0; t < 2; t++) {
        gk_set_threads(t + 1);
        for (int m = 0; m < 5; m++) v[t][m] = measure(all_measures[m], X, Y, NULL);
    }
    gk_set_threads(0);
    for (int m = 0; m < 5; m++)
        if (v[0][m] != v[1][m])
            fail_msg("%s: %.17g with 1 thread, %.17g with 2", all_measures[m], v[0][m], v[1][m]);
    gk_mat_free(X), gk_mat_free(Y);
}

/*====  real data against numpy  ====*/

static void check_reference(const gk_mat *X, const gk_mat *Y, const ref_values *e)
{
    gk_cka_opts o = gk_cka_opts_default();
    gk_cka_result r;
    const double tol = 2e-6;
    assert_close(measure("cka-linear", X, Y, NULL), e->linear, tol);
    assert_close(measure("cka-unbiased", X, Y, NULL), e->unbiased, tol);
    assert_close(measure("cka-rbf", X, Y, NULL), e->rbf1, tol);
    o.rbf_unbiased = 1;
    assert_close(measure("cka-rbf", X, Y, &o), e->rbf1_unbiased, tol);
    o = gk_cka_opts_default(), o.sigma_factor = 0.5;
    assert_close(measure("cka-rbf", X, Y, &o), e->rbf05, tol);
    assert_gk_ok(gk_procrustes_sim(X, Y, &r));
    assert_close(r.value, e->procrustes, tol);
    assert_close(r.distance, e->proc_dist, 2 * tol);
    o = gk_cka_opts_default(), o.svcca_dims = e->svcca_dims_k;
    assert_close(measure("svcca", X, Y, &o), e->svcca_dims, 2e-5);
    if (isnan(e->svcca99)) {
        assert_int_equal(gk_svcca(X, Y, NULL, &r), GK_EARG);
        assert_error_has("kx + ky <= N - 1");
        return;
    }
    assert_gk_ok(gk_svcca(X, Y, NULL, &r));
    assert_int_equal(r.kx, e->kx);
    assert_int_equal(r.ky, e->ky);
    assert_close(r.value, e->svcca99, 2e-5);
    gk_cka_result_free(&r);
}

static void test_esc50_audio_vs_prompts(void **state)
{
    (void)state;
    /* tests/reference/cka_reference.py, "ESC-50 audio vs class prompt of each clip" */
    const ref_values e = {"esc", 0.6882289993, 0.6838861859, 0.7231643688, 0.7183716494,
                          0.7943990437, 0.6901712606, 0.7500547810, 0.4998904379, 20,
                          0.9058167419, 175, 44};
    gk_mat *a, *t;
    esc_clip_prompts(&a, &t);
    check_reference(a, t, &e);
    gk_mat_free(a), gk_mat_free(t);
}

static void test_coco_image_vs_text(void **state)
{
    (void)state;
    /* cka_reference.py, "COCO image vs caption (CLIP)"; 0.99 keeps 296 + 277 > 499 */
    const ref_values e = {"coco", 0.6361957997, 0.6045881812, 0.6656742534, 0.6221639510,
                          0.7404973505, 0.5104276316, 0.7004877470, 0.5990245059, 20, NAN,
                          0, 0};
    gk_mat *x = load("clip-coco-liang/features_clip.npy:0");
    gk_mat *y = load("clip-coco-liang/features_clip.npy:1");
    check_reference(x, y, &e);
    gk_mat_free(x), gk_mat_free(y);
}

static void test_clip_vs_random_clip(void **state)
{
    (void)state;
    /* cka_reference.py, "COCO image: CLIP vs CLIP-random" */
    const ref_values e = {"random", 0.1198986645, 0.1057254201, 0.1287113143, 0.1060142844,
                          0.1557416392, 0.2580757829, 0.2623359151, 1.4753281698, 20,
                          0.8090488764, 296, 25};
    gk_mat *x = load("clip-coco-liang/features_clip.npy:0");
    gk_mat *y = load("clip-coco-liang/features_clip_random.npy:0");
    check_reference(x, y, &e);
    gk_mat_free(x), gk_mat_free(y);
}

static void test_different_dims(void **state)
{
    (void)state;
    /* cka_reference.py, "ESC-50 class prompts: CLAP (512) vs M2D-CLAP (768)" */
    const ref_values e = {"m2d", 0.8057540319, 0.6229948840, 0.8557934201, 0.6407248273,
                          0.9530045390, 0.7175843483, 0.9209553627, 0.1580892747, 10, NAN,
                          0, 0};
    gk_mat *x = load("esc50-clap/class_text.npy"), *y = load("esc50-clap/class_text_m2d.npy");
    check_reference(x, y, &e);
    gk_mat_free(x), gk_mat_free(y);
}

/*====  bad input and output  ====*/

static void test_bad_input(void **state)
{
    (void)state;
    gk_mat *X = gauss(50, 4, 20), *Y = gauss(49, 4, 21), *C;
    gk_cka_result r;
    gk_cka_opts o = gk_cka_opts_default();
    for (int m = 0; m < 5; m++) {
        assert_int_equal(gk_cka_measure(all_measures[m], X, Y, NULL, &r), GK_ESHAPE);
        assert_error_has("X has 50 rows but Y has 49");
    }
    assert_int_equal(gk_cka_measure("cka-cosine", X, X, NULL, &r), GK_EARG);
    assert_error_has("unknown measure 'cka-cosine'");
    gk_mat v3 = gk_mat_view_rows(X, 0, 3);
    assert_int_equal(gk_cka_unbiased(&v3, &v3, &r), GK_EARG);
    assert_error_has("at least 4 items");
    o.max_n = 40;
    assert_int_equal(gk_cka_rbf(X, X, &o, &r), GK_EARG);
    assert_error_has("above the limit of 40");
    o = gk_cka_opts_default(), o.sigma_factor = 0;
    assert_int_equal(gk_cka_rbf(X, X, &o, &r), GK_EARG);
    o = gk_cka_opts_default(), o.svcca_variance = 1.5;
    assert_int_equal(gk_svcca(X, X, &o, &r), GK_EARG);
    /* NaN: named by row and column */
    assert_gk_ok(gk_mat_clone(X, &C));
    C->data[17 * 4 + 2] = NAN;
    for (int m = 0; m < 5; m++) {
        assert_int_equal(gk_cka_measure(all_measures[m], X, C, NULL, &r), GK_ENUMERIC);
        assert_error_has("Y: row 17");
    }
    /* all rows equal: no variance */
    for (int64_t i = 0; i < 50 * 4; i++) C->data[i] = (float)(i % 4) * 0.3f;
    assert_int_equal(gk_cka_linear(C, X, &r), GK_ENUMERIC);
    assert_error_has("zero variance");
    assert_int_equal(gk_cka_rbf(X, C, NULL, &r), GK_ENUMERIC);
    assert_error_has("median pairwise distance of Y is 0");
    gk_mat_free(X), gk_mat_free(Y), gk_mat_free(C);
}

static void test_json(void **state)
{
    (void)state;
    gk_mat *X = gauss(100, 6, 30), *Y = related(X, 5, 1.0, 31);
    gk_cka_result r;
    char *json;
    assert_gk_ok(gk_svcca(X, Y, NULL, &r));
    assert_gk_ok(gk_cka_to_json(&r, &json));
    assert_non_null(strstr(json, "\"measure\": \"svcca\""));
    assert_non_null(strstr(json, "\"rho\": ["));
    assert_non_null(strstr(json, "\"dims\": [\n    6,\n    5\n  ]"));
    gk_free(json);
    gk_cka_result_free(&r);
    gk_cka_result_free(&r); /* idempotent */
    assert_gk_ok(gk_cka_rbf(X, Y, NULL, &r));
    assert_gk_ok(gk_cka_to_json(&r, &json));
    assert_non_null(strstr(json, "\"sigma\": ["));
    assert_non_null(strstr(json, "\"hsic\": {"));
    assert_null(strstr(json, "\"distance\":"));
    gk_free(json);
    gk_mat_free(X), gk_mat_free(Y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_equals_gram_form),
        cmocka_unit_test(test_rbf_equals_gram_form),
        cmocka_unit_test(test_invariances),
        cmocka_unit_test(test_far_from_origin),
        cmocka_unit_test(test_identical_is_one),
        cmocka_unit_test(test_thread_independent),
        cmocka_unit_test(test_esc50_audio_vs_prompts),
        cmocka_unit_test(test_coco_image_vs_text),
        cmocka_unit_test(test_clip_vs_random_clip),
        cmocka_unit_test(test_different_dims),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
