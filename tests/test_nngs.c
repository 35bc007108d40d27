/*
** test_nngs.c — the neighbourhood similarity measures (nngs.h):
**   - reference values on ../shared/data (COCO CLIP image vs caption
**     features; ESC-50 CLAP audio vs the text embedding of each clip's class)
**     from tests/reference/nngs_reference.py: brute-force float64 distance
**     matrices, stable sorts, platonic-rep's dense formulas;
**   - the sweep and the spectrum agree with each other and with single k;
**   - invariances, identical spaces (1 at every k), independent spaces
**     (≈ 0), the chance level against a Monte-Carlo estimate;
**   - the synthetic behaviour published with NNGS (Tavares et al., 20-d
**     blobs, mean of 10 draws): noise inside blobs gives NNGS(k=5) ≈ 0.03 with
**     linear CKA ≈ 0.99; shuffled blob centres NNGS(5) = 1.00, NNGS(300) =
**     0.63 with linear CKA 0.16;
**   - thread independence and bad input.
*/
#include "knn_test_util.h"

/*====  data  ====*/

static gk_mat *load_raw(const char *rel)
{
    gk_load_opts o = gk_load_opts_default();
    gk_mat *m;
    o.normalize = 0; /* the references use the raw float32 values */
    assert_gk_ok(gk_load_matrix(shared_path(rel), &o, &m));
    return m;
}

/* ESC-50: audio (2000,512) and, row by row, the text embedding of its class. */
static void load_esc(gk_mat **audio, gk_mat **text)
{
    gk_labels *items, *names;
    gk_mat *classes = load_raw("esc50-clap/class_text.npy");
    int32_t y[2000];
    int64_t idx[2000];
    *audio = load_raw("esc50-clap/audio.npy");
    assert_gk_ok(gk_labels_read(shared_path("esc50-clap/meta.csv:class_name"), &items));
    assert_gk_ok(gk_labels_read(shared_path("esc50-clap/class_names.txt"), &names));
    assert_gk_ok(gk_zeroshot_classes(items, names, y));
    for (int i = 0; i < 2000; i++) idx[i] = y[i];
    assert_gk_ok(gk_mat_select_rows(classes, idx, 2000, text));
    gk_labels_free(items);
    gk_labels_free(names);
    gk_mat_free(classes);
}

static gk_kspec K(int64_t k) { return (gk_kspec){k, 0}; }

static double nngs_value(const gk_mat *X, const gk_mat *Y, gk_kspec k, gk_distance d,
                         double *raw)
{
    gk_nbr_result r;
    assert_gk_ok(gk_nngs(X, Y, k, d, &r));
    if (raw) *raw = r.raw;
    return r.value;
}

/*====  reference values (nngs_reference.py)  ====*/

static void test_coco_reference(void **state)
{
    (void)state;
    gk_mat *img = load_raw("clip-coco-liang/features_clip.npy:0");
    gk_mat *txt = load_raw("clip-coco-liang/features_clip.npy:1");
    gk_nbr_result r;
    double raw;
    assert_close(nngs_value(img, txt, K(1), GK_DIST_EUCLIDEAN, &raw), 0.105102409639, 1e-11);
    assert_close(raw, 0.106, 1e-12);
    assert_close(nngs_value(img, txt, K(5), GK_DIST_EUCLIDEAN, &raw), 0.125038798920, 1e-11);
    assert_close(raw, 0.129444444444, 1e-11);
    assert_close(nngs_value(img, txt, K(10), GK_DIST_EUCLIDEAN, &raw), 0.147199783576, 1e-11);
    assert_close(raw, 0.155831364714, 1e-11);
    /* k = floor(0.2·499) = 99 */
    assert_gk_ok(gk_nngs(img, txt, (gk_kspec){0, 0.2}, GK_DIST_EUCLIDEAN, &r));
    assert_int_equal(r.k, 99);
    assert_close(r.raw, 0.336285563568, 1e-11);
    assert_close(r.chance, 0.110122358176, 1e-11);
    assert_close(r.value, 0.254150902060, 1e-11);
    assert_close(nngs_value(img, txt, K(5), GK_DIST_COSINE, NULL), 0.125621096009, 1e-11);
    assert_close(nngs_value(img, txt, K(99), GK_DIST_COSINE, NULL), 0.254190261426, 1e-11);
    assert_gk_ok(gk_mutual_knn(img, txt, K(10), GK_DIST_COSINE, &r));
    assert_close(r.value, 0.2494, 1e-12);
    assert_gk_ok(gk_cycle_knn(img, txt, K(10), GK_DIST_COSINE, &r));
    assert_close(r.value, 0.724, 1e-12);
    assert_gk_ok(gk_cknna(img, txt, K(10), GK_DIST_COSINE, &r));
    assert_close(r.value, 0.258706071953, 1e-9);
    assert_close(r.hsic_xy, 1.378779e-03, 1e-9);
    gk_tas *t;
    assert_gk_ok(gk_nngs_spectrum(img, txt, GK_DIST_EUCLIDEAN, &t));
    assert_int_equal(t->len, 498);
    assert_close(t->raw[0], 0.106, 1e-12);
    assert_close(t->normalized[98], 0.254150902060, 1e-11);
    assert_close(t->raw[249], 0.442202025271, 1e-11);
    assert_close(t->normalized[497], -0.002004008016, 1e-11);
    gk_tas_free(t);
    assert_gk_ok(gk_nngs_spectrum(img, txt, GK_DIST_COSINE, &t));
    assert_close(t->normalized[249], 0.162270842533, 1e-11);
    gk_tas_free(t);
    gk_mat_free(img);
    gk_mat_free(txt);
}

/* Y repeats each class's text row 40 times: 39 exact ties at distance 0. */
static void test_esc_reference(void **state)
{
    (void)state;
    gk_mat *audio, *text;
    gk_nbr_result r;
    double raw;
    load_esc(&audio, &text);
    assert_close(nngs_value(audio, text, K(10), GK_DIST_EUCLIDEAN, &raw), 0.143509371306, 1e-11);
    assert_close(raw, 0.145657040887, 1e-11);
    assert_close(nngs_value(audio, text, K(39), GK_DIST_EUCLIDEAN, NULL), 0.754257107006, 1e-11);
    assert_close(nngs_value(audio, text, K(40), GK_DIST_COSINE, NULL), 0.733340439669, 1e-11);
    assert_close(nngs_value(audio, text, K(399), GK_DIST_EUCLIDEAN, NULL), 0.267307953386,
                 1e-11);
    assert_gk_ok(gk_mutual_knn(audio, text, K(10), GK_DIST_COSINE, &r));
    assert_close(r.value, 0.242, 1e-12);
    assert_gk_ok(gk_cycle_knn(audio, text, K(10), GK_DIST_COSINE, &r));
    assert_close(r.value, 0.778, 1e-12);
    assert_gk_ok(gk_cknna(audio, text, K(10), GK_DIST_COSINE, &r));
    assert_close(r.value, 0.135362079034, 1e-9);
    gk_tas *t;
    assert_gk_ok(gk_nngs_spectrum(audio, text, GK_DIST_EUCLIDEAN, &t));
    assert_close(t->raw[0], 0.0265, 1e-12);
    assert_close(t->raw[38], 0.756677913479, 1e-11);
    assert_close(t->normalized[39], 0.733340439669, 1e-11);
    assert_close(t->normalized[1997], 0.001500750375, 1e-11);
    gk_tas_free(t);
    gk_mat_free(audio);
    gk_mat_free(text);
}

/*====  sweep and spectrum  ====*/

static void test_sweep_matches_single_and_spectrum(void **state)
{
    (void)state;
    gk_mat *X = gauss(400, 12, 1), *Y = gauss(400, 30, 2);
    for (int i = 0; i < 400 * 12; i++) Y->data[(i / 12) * 30 + i % 12] += 2 * X->data[i];
    gk_nbr_result pts[8], one;
    int n;
    gk_tas *t;
    assert_gk_ok(gk_nngs_sweep(X, Y, NULL, 0, GK_DIST_EUCLIDEAN, pts, &n));
    assert_int_equal(n, 8); /* k = 1, 3 (1%), 5, 10, 19 (5%), 39, 79, 199 */
    const int64_t ks[] = {1, 3, 5, 10, 19, 39, 79, 199};
    assert_gk_ok(gk_nngs_spectrum(X, Y, GK_DIST_EUCLIDEAN, &t));
    for (int p = 0; p < n; p++) {
        assert_int_equal(pts[p].k, ks[p]);
        assert_gk_ok(gk_nngs(X, Y, K(ks[p]), GK_DIST_EUCLIDEAN, &one));
        assert_close(pts[p].value, one.value, 1e-15);
        assert_close(t->raw[ks[p] - 1], one.raw, 1e-13);
    }
    assert_close(pts[1].k_frac, 0.01, 0);
    /* counts out of range or repeated are skipped */
    gk_kspec mine[] = {{5, 0}, {0, 0.0126}, {1000, 0}, {2, 0}}; /* 0.0126 → 5 again */
    assert_gk_ok(gk_nngs_sweep(X, Y, mine, 4, GK_DIST_EUCLIDEAN, pts, &n));
    assert_int_equal(n, 2);
    assert_int_equal(pts[0].k, 2);
    assert_int_equal(pts[1].k, 5);
    gk_tas_free(t);
    gk_mat_free(X);
    gk_mat_free(Y);
}

/*====  invariances and limits  ====*/

/* Y = s·X·R + t, R a random rotation (Gram–Schmidt of a Gaussian matrix). */
static gk_mat *similarity_transform(const gk_mat *X, double s, double t, uint64_t seed)
{
    const int64_t d = X->cols;
    double *R = malloc((size_t)(d * d) * sizeof *R);
    gk_rng r;
    gk_rng_seed(&r, seed);
    for (int64_t i = 0; i < d * d; i++) R[i] = gk_rng_normal(&r);
    for (int64_t a = 0; a < d; a++) { /* orthonormalise the rows of R */
        for (int64_t b = 0; b < a; b++) {
            double dot = 0;
            for (int64_t c = 0; c < d; c++) dot += R[a * d + c] * R[b * d + c];
            for (int64_t c = 0; c < d; c++) R[a * d + c] -= dot * R[b * d + c];
        }
        double nn = 0;
        for (int64_t c = 0; c < d; c++) nn += R[a * d + c] * R[a * d + c];
        for (int64_t c = 0; c < d; c++) R[a * d + c] /= sqrt(nn);
    }
    gk_mat *Y;
    assert_gk_ok(gk_mat_create(X->rows, d, &Y));
    for (int64_t i = 0; i < X->rows; i++)
        for (int64_t c = 0; c < d; c++) {
            double v = 0;
            for (int64_t a = 0; a < d; a++) v += gk_mat_row(X, i)[a] * R[a * d + c];
            gk_mat_row(Y, i)[c] = (float)(s * v + t);
        }
    free(R);
    return Y;
}

static void test_invariances(void **state)
{
    (void)state;
    gk_mat *X = gauss(300, 16, 3), *Z = gauss(300, 16, 4);
    for (int i = 0; i < 300 * 16; i++) Z->data[i] = X->data[i] + 0.8f * Z->data[i];
    gk_mat *Y = similarity_transform(X, 3.7, 5.0, 5);
    const int64_t ks[] = {1, 5, 50, 298};
    for (int a = 0; a < 4; a++) {
        /* the transformed space has X's graph, hence the same NNGS with any Z */
        assert_close(nngs_value(X, Y, K(ks[a]), GK_DIST_EUCLIDEAN, NULL), 1.0, 0);
        assert_close(nngs_value(Y, Z, K(ks[a]), GK_DIST_EUCLIDEAN, NULL),
                     nngs_value(X, Z, K(ks[a]), GK_DIST_EUCLIDEAN, NULL), 0);
    }
    /* cosine: rescaling each row by a positive factor changes nothing */
    gk_mat *S;
    gk_rng r;
    gk_rng_seed(&r, 6);
    assert_gk_ok(gk_mat_clone(X, &S));
    for (int64_t i = 0; i < 300; i++) {
        const float f = (float)(0.1 + 10 * gk_rng_uniform(&r));
        for (int c = 0; c < 16; c++) gk_mat_row(S, i)[c] *= f;
    }
    assert_close(nngs_value(X, S, K(7), GK_DIST_COSINE, NULL), 1.0, 0);
    assert_close(nngs_value(S, Z, K(7), GK_DIST_COSINE, NULL),
                 nngs_value(X, Z, K(7), GK_DIST_COSINE, NULL), 0);
    gk_mat_free(X), gk_mat_free(Y), gk_mat_free(Z), gk_mat_free(S);
}

static void test_identical_spaces(void **state)
{
    (void)state;
    gk_mat *X = gauss(150, 6, 7), *Y;
    memcpy(gk_mat_row(X, 40), gk_mat_row(X, 3), 6 * sizeof(float)); /* a duplicate */
    assert_gk_ok(gk_mat_clone(X, &Y));
    gk_tas *t;
    gk_nbr_result r;
    assert_gk_ok(gk_nngs_spectrum(X, Y, GK_DIST_L1, &t));
    for (int64_t k = 0; k < t->len; k++) {
        assert_close(t->raw[k], 1.0, 0);
        assert_close(t->normalized[k], 1.0, 0);
    }
    assert_close(t->mean_normalized, 1.0, 0);
    gk_tas_free(t);
    assert_gk_ok(gk_mutual_knn(X, Y, K(10), GK_DIST_COSINE, &r));
    assert_close(r.value, 1.0, 0);
    assert_gk_ok(gk_cycle_knn(X, Y, K(10), GK_DIST_EUCLIDEAN, &r));
    assert_true(r.value > 0.5); /* not 1: kNN relations are not symmetric */
    assert_gk_ok(gk_cknna(X, Y, K(10), GK_DIST_IP, &r));
    assert_close(r.value, 1.0, 1e-12);
    gk_mat_free(X);
    gk_mat_free(Y);
}

/* Independent spaces: normalised NNGS ≈ 0.  With I ~ hypergeometric the
** per-row J has sd ≈ 0.016 at k = 10, m = 999: the mean over 1000 rows is
** within ±0.003 of its expectation (E[J] − H)/(1 − H) ≈ 0.0003, so the
** tolerance 0.005 is > 1.5 sd even if rows were fully dependent in pairs. */
static void test_independent_spaces(void **state)
{
    (void)state;
    gk_mat *X = gauss(1000, 10, 8), *Y = gauss(1000, 10, 9);
    assert_true(fabs(nngs_value(X, Y, K(10), GK_DIST_EUCLIDEAN, NULL)) < 0.005);
    assert_true(fabs(nngs_value(X, Y, (gk_kspec){0, 0.2}, GK_DIST_COSINE, NULL)) < 0.005);
    gk_mat_free(X);
    gk_mat_free(Y);
}

/* Monte-Carlo E[J] of two random k-subsets of m (partial Fisher–Yates). */
static double chance_mc(int64_t n, int64_t k, int draws, uint64_t seed)
{
    const int64_t m = n - 1;
    int64_t *p = malloc((size_t)m * sizeof *p), *mark = calloc((size_t)m, sizeof *mark);
    gk_rng r;
    gk_rng_seed(&r, seed);
    for (int64_t i = 0; i < m; i++) p[i] = i;
    double s = 0;
    for (int t = 1; t <= draws; t++) {
        int64_t inter = 0;
        for (int pass = 0; pass < 2; pass++)
            for (int64_t a = 0; a < k; a++) {
                const int64_t b = a + (int64_t)gk_rng_below(&r, (uint64_t)(m - a)), v = p[b];
                p[b] = p[a];
                p[a] = v;
                if (pass == 0) mark[v] = t;
                else inter += mark[v] == t;
            }
        s += (double)inter / (double)(2 * k - inter);
    }
    free(p);
    free(mark);
    return s / draws;
}

static void test_chance_level(void **state)
{
    (void)state;
    /* exact E[J] from scipy's hypergeometric (nngs_reference.py) */
    assert_close(gk_nngs_chance_exact(1, 100), 1.0 / 99, 1e-15);
    assert_close(gk_nngs_chance_exact(10, 100), 0.05570222435260238, 1e-13);
    assert_close(gk_nngs_chance_exact(300, 1000), 0.1768784146329938, 1e-12);
    assert_close(gk_nngs_chance(1, 100), 1.0 / 197, 1e-15);
    assert_close(gk_nngs_chance(300, 1000), 300.0 / 1698, 1e-15);
    /* Monte-Carlo (20000 draws; SE of the mean J <= 0.0008 here): the exact
    ** mean everywhere; the paper's H(k) where k is large (k = 300 of 999:
    ** 0.17668 vs 0.17688), not at k = 1 where H is half of E[J] */
    const int64_t cases[][2] = {{100, 1}, {100, 10}, {1000, 300}};
    for (int c = 0; c < 3; c++) {
        const double mc = chance_mc(cases[c][0], cases[c][1], 20000, 11 + c);
        assert_close(mc, gk_nngs_chance_exact(cases[c][1], cases[c][0]), 0.0025);
    }
    assert_close(chance_mc(1000, 300, 20000, 14), gk_nngs_chance(300, 1000), 0.001);
    assert_true(isnan(gk_nngs_chance(0, 10)) && isnan(gk_nngs_chance(10, 10)));
}

/*====  the published synthetic behaviour  ====*/

/* The blobs of the NNGS paper: 4 blobs of 100 items in 20-d, centre μ·1
** with μ = 0,1,2,3 in X and mu2[b] in Y, spread 0.1, Y = same draws (+
** extra noise of sd `noise`). */
static void blobs(gk_rng *r, double noise, const double *mu2, gk_mat *X, gk_mat *Y)
{
    for (int b = 0; b < 4; b++)
        for (int i = 0; i < 100; i++)
            for (int d = 0; d < 20; d++) {
                const double z = gk_rng_normal(r);
                gk_mat_row(X, b * 100 + i)[d] = (float)(0.1 * z + b);
                gk_mat_row(Y, b * 100 + i)[d] = (float)(0.1 * z + mu2[b]);
            }
    for (int64_t i = 0; noise > 0 && i < 400 * 20; i++)
        Y->data[i] += (float)(noise * gk_rng_normal(r));
}

/* Linear CKA ‖YcᵀXc‖²_F / (‖XcᵀXc‖_F ‖YcᵀYc‖_F), computed here in double. */
static double linear_cka(const gk_mat *X, const gk_mat *Y)
{
    const int64_t n = X->rows, d = X->cols;
    double mx[20] = {0}, my[20] = {0}, xy[400] = {0}, xx[400] = {0}, yy[400] = {0};
    for (int64_t i = 0; i < n; i++)
        for (int64_t a = 0; a < d; a++) {
            mx[a] += gk_mat_row(X, i)[a] / (double)n;
            my[a] += gk_mat_row(Y, i)[a] / (double)n;
        }
    for (int64_t i = 0; i < n; i++)
        for (int64_t a = 0; a < d; a++)
            for (int64_t b = 0; b < d; b++) {
                const double xa = gk_mat_row(X, i)[a] - mx[a], xb = gk_mat_row(X, i)[b] - mx[b];
                const double ya = gk_mat_row(Y, i)[a] - my[a], yb = gk_mat_row(Y, i)[b] - my[b];
                xy[a * d + b] += ya * xb;
                xx[a * d + b] += xa * xb;
                yy[a * d + b] += ya * yb;
            }
    double f = 0, fx = 0, fy = 0;
    for (int64_t e = 0; e < d * d; e++) {
        f += xy[e] * xy[e];
        fx += xx[e] * xx[e];
        fy += yy[e] * yy[e];
    }
    return f / (sqrt(fx) * sqrt(fy));
}

static void test_published_synthetic(void **state)
{
    (void)state;
    static const double same[] = {0, 1, 2, 3}, shuffled[] = {2, 1, 3, 0};
    gk_mat *X, *Y;
    gk_rng r;
    gk_rng_seed(&r, 12);
    assert_gk_ok(gk_mat_create(400, 20, &X));
    assert_gk_ok(gk_mat_create(400, 20, &Y));
    double n5 = 0, cka = 0, s5 = 0, s300 = 0, scka = 0, raw;
    for (int t = 0; t < 10; t++) {
        blobs(&r, 0.5, same, X, Y);
        nngs_value(X, Y, K(5), GK_DIST_EUCLIDEAN, &raw);
        n5 += raw / 10;
        cka += linear_cka(X, Y) / 10;
        blobs(&r, 0, shuffled, X, Y);
        nngs_value(X, Y, K(5), GK_DIST_EUCLIDEAN, &raw);
        s5 += raw / 10;
        nngs_value(X, Y, K(300), GK_DIST_EUCLIDEAN, &raw);
        s300 += raw / 10;
        scka += linear_cka(X, Y) / 10;
    }
    /* paper 0.03 / 0.99; numpy (nngs_reference.py) 0.0328 / 0.9892 */
    assert_close(n5, 0.0328, 0.005);
    assert_close(cka, 0.9892, 0.005);
    /* paper 1.00 / 0.63 / 0.16; numpy 1.0000 / 0.6262 / 0.1600 */
    assert_close(s5, 1.0, 0.001);
    assert_close(s300, 0.6262, 0.005);
    assert_close(scka, 0.1600, 0.01);
    gk_mat_free(X);
    gk_mat_free(Y);
}

/*====  threads, shapes, bad input  ====*/

static void test_threads_and_dims(void **state)
{
    (void)state;
    gk_mat *X = gauss(700, 5, 13), *Y = gauss(700, 41, 14);
    for (int i = 0; i < 700 * 41; i++) Y->data[i] *= 0.2f;
    for (int i = 0; i < 700 * 5; i++) Y->data[(i / 5) * 41 + i % 5] += X->data[i];
    gk_tas *t[3];
    gk_nbr_result c[3];
    for (int nt = 1; nt <= 3; nt++) {
        gk_set_threads(nt);
        assert_gk_ok(gk_nngs_spectrum(X, Y, GK_DIST_EUCLIDEAN, &t[nt - 1]));
        assert_gk_ok(gk_cknna(X, Y, K(20), GK_DIST_COSINE, &c[nt - 1]));
    }
    gk_set_threads(0);
    for (int nt = 2; nt <= 3; nt++) {
        assert_memory_equal(t[0]->raw, t[nt - 1]->raw, 698 * sizeof(double));
        assert_memory_equal(&c[0].value, &c[nt - 1].value, sizeof(double));
    }
    assert_true(t[0]->normalized[9] > 0.3); /* X is a readable part of Y */
    for (int nt = 0; nt < 3; nt++) gk_tas_free(t[nt]);
    gk_mat_free(X);
    gk_mat_free(Y);
}

static void test_bad_input(void **state)
{
    (void)state;
    gk_mat *X = gauss(20, 3, 15), *Y = gauss(19, 3, 16), *Z = gauss(20, 2, 17);
    gk_nbr_result r;
    gk_kspec ks;
    gk_tas *t;
    assert_int_equal(gk_nngs(X, Y, K(3), GK_DIST_EUCLIDEAN, &r), GK_ESHAPE);
    assert_error_has("X has 20 rows but Y has 19");
    assert_int_equal(gk_nngs(X, Z, K(19), GK_DIST_EUCLIDEAN, &r), GK_EARG);
    assert_error_has("k = 19 is out of range: with N = 20 items k must be in 1..18");
    assert_int_equal(gk_nngs(X, Z, (gk_kspec){0, 0.01}, GK_DIST_EUCLIDEAN, &r), GK_EARG);
    assert_error_has("floor(0.01");
    assert_int_equal(gk_cknna(X, Z, K(1), GK_DIST_COSINE, &r), GK_EARG);
    assert_int_equal(gk_cknna(X, Z, K(5), GK_DIST_EUCLIDEAN, &r), GK_EARG);
    assert_error_has("cosine");
    assert_int_equal(gk_nbr_measure("jaccard", X, Z, K(3), GK_DIST_COSINE, &r), GK_EARG);
    assert_error_has("expected nngs, mutual-knn, cycle-knn or cknna");
    gk_mat two = gk_mat_view_rows(X, 0, 2), two_z = gk_mat_view_rows(Z, 0, 2);
    assert_int_equal(gk_nngs_spectrum(&two, &two_z, GK_DIST_L1, &t), GK_EARG);
    assert_null(t);
    assert_gk_ok(gk_kspec_parse("20%", &ks));
    assert_close(ks.frac, 0.2, 1e-15);
    assert_gk_ok(gk_kspec_parse("0.5", &ks));
    assert_gk_ok(gk_kspec_parse("12", &ks));
    assert_int_equal(ks.k, 12);
    assert_int_equal(gk_kspec_parse("0", &ks), GK_EARG);
    assert_int_equal(gk_kspec_parse("1.5", &ks), GK_EARG);
    assert_int_equal(gk_kspec_parse("ten", &ks), GK_EARG);
    assert_int_equal(gk_kspec_parse("150%", &ks), GK_EARG);
    gk_mat_free(X), gk_mat_free(Y), gk_mat_free(Z);
}

static void test_json(void **state)
{
    (void)state;
    gk_mat *X = gauss(60, 4, 18), *Y = gauss(60, 7, 19);
    gk_nbr_result r, pts[8];
    int n;
    char *json;
    assert_gk_ok(gk_nngs(X, Y, (gk_kspec){0, 0.1}, GK_DIST_COSINE, &r));
    assert_gk_ok(gk_nbr_to_json(&r, &json));
    assert_non_null(strstr(json, "\"measure\": \"nngs\""));
    assert_non_null(strstr(json, "\"k\": 5"));
    assert_non_null(strstr(json, "\"k_fraction\": 0.1"));
    assert_non_null(strstr(json, "\"dims\": ["));
    assert_non_null(strstr(json, "\"chance\""));
    gk_free(json);
    assert_gk_ok(gk_nngs_sweep(X, Y, NULL, 0, GK_DIST_COSINE, pts, &n));
    assert_gk_ok(gk_nngs_sweep_to_json(pts, n, &json));
    assert_non_null(strstr(json, "\"nngs-sweep\""));
    gk_free(json);
    gk_mat_free(X);
    gk_mat_free(Y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coco_reference),
        cmocka_unit_test(test_esc_reference),
        cmocka_unit_test(test_sweep_matches_single_and_spectrum),
        cmocka_unit_test(test_invariances),
        cmocka_unit_test(test_identical_spaces),
        cmocka_unit_test(test_independent_spaces),
        cmocka_unit_test(test_chance_level),
        cmocka_unit_test(test_published_synthetic),
        cmocka_unit_test(test_threads_and_dims),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
