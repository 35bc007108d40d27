/*
** test_cluster.c — the group-level tasks: cluster scores equal to
** scikit-learn's on fixed label vectors (degenerate cases included), k-means
** (inertia near scikit-learn's on ESC-50 audio, recovery of separated blobs,
** thread-count independence, given initial centroids, the spherical
** variant), the kNN classifier, the joint set and the group evaluation.
** Reference numbers: tests/reference/cluster_reference.py (scikit-learn 1.2).
*/
#include "test_util.h"
#include "cluster/kmeans_internal.h" /* km_wave_cap */

/*====  cluster scores  ====*/

typedef struct score_case {
    const char *name;
    int32_t lab[16], clu[16];
    int n;
    double h, c, v, nmi, ari, mi, purity; /* cluster_reference.py */
} score_case;

static const score_case cases[] = {
    {"mixed", {0, 0, 0, 1, 1, 1, 2, 2, 2, 2}, {0, 0, 1, 1, 1, 2, 2, 2, 0, 0}, 10,
     0.39464837163589433, 0.39464837163589433, 0.39464837163589433, 0.39464837163589433,
     0.090909090909090912, 0.42973260214435804, 0.6},
    {"one_cluster", {0, 0, 1, 1, 2, 2, 2}, {5, 5, 5, 5, 5, 5, 5}, 7, 0, 1, 0, 0, 0, 0,
     0.42857142857142855},
    {"singletons", {0, 0, 1, 1, 2, 2, 2}, {0, 1, 2, 3, 4, 5, 6}, 7, 1, 0.55449230705816765,
     0.71340630576362074, 0.71340630576362063, 0, 1.0789922078775833, 1},
    {"both_trivial", {3, 3, 3, 3}, {9, 9, 9, 9}, 4, 1, 1, 1, 1, 1, 0, 1},
    {"permuted_perfect", {0, 0, 1, 1, 2, 2}, {7, 7, 4, 4, 1, 1}, 6, 1, 1, 1, 1, 1,
     1.0986122886681096, 1},
    {"classes_singletons", {0, 1, 2, 3, 4}, {0, 0, 0, 1, 1}, 5, 0.41816566007905148,
     0.99999999999999967, 0.5897275217561565, 0.5897275217561565, 0, 0.6730116670092563, 0.4},
};

static void check_scores(const char *name, const gk_cluster_scores *s, double h, double c,
                         double v, double nmi, double ari, double mi, double purity)
{
    print_message("%s: h %.17g c %.17g v %.17g nmi %.17g ari %.17g\n", name, s->homogeneity,
                  s->completeness, s->v_measure, s->nmi, s->ari);
    assert_close(s->homogeneity, h, 1e-9);
    assert_close(s->completeness, c, 1e-9);
    assert_close(s->v_measure, v, 1e-9);
    assert_close(s->nmi, nmi, 1e-9);
    assert_close(s->ari, ari, 1e-9);
    assert_close(s->mutual_info, mi, 1e-9);
    assert_close(s->purity, purity, 1e-12);
}

static void test_scores_fixed(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const score_case *k = &cases[i];
        gk_cluster_scores s;
        assert_gk_ok(gk_cluster_scores_eval(k->lab, k->clu, k->n, &s));
        check_scores(k->name, &s, k->h, k->c, k->v, k->nmi, k->ari, k->mi, k->purity);
    }
}

/* The "lcg" vectors of cluster_reference.py: 500 rows, 7 classes, 11 clusters. */
static void test_scores_lcg(void **state)
{
    (void)state;
    int32_t lab[500], clu[500];
    uint64_t x = 7;
    for (int i = 0; i < 500; i++) {
        x = (1103515245u * x + 12345u) % (1u << 31);
        lab[i] = (int32_t)((x >> 16) % 7);
        x = (1103515245u * x + 12345u) % (1u << 31);
        clu[i] = (int32_t)((x >> 16) % 11);
    }
    gk_cluster_scores s;
    assert_gk_ok(gk_cluster_scores_eval(lab, clu, 500, &s));
    check_scores("lcg", &s, 0.031053524047339635, 0.025262648713166518, 0.027860354525510882,
                 0.027860354525510885, -0.0005630812599186233, 0.060346151048972133, 0.22);
    assert_int_equal(s.n_classes, 7);
    assert_int_equal(s.n_clusters, 11);
    /* V-measure is symmetric in the two labellings; ARI too */
    gk_cluster_scores t;
    assert_gk_ok(gk_cluster_scores_eval(clu, lab, 500, &t));
    assert_close(t.v_measure, s.v_measure, 1e-12);
    assert_close(t.ari, s.ari, 1e-12);
    assert_int_equal(gk_cluster_scores_eval(lab, clu, 0, &s), GK_EARG);
}

/*====  k-means  ====*/

static gk_mat *load_unit(const char *rel)
{
    gk_mat *m = NULL;
    gk_load_opts o = gk_load_opts_default();
    assert_gk_ok(gk_load_matrix(shared_path(rel), &o, &m));
    return m;
}

/* scikit-learn KMeans(50, n_init=10, random_state=0..4) on the unit ESC-50
** audio rows: inertia 600.035189, 598.089187, 586.520194, 594.771533,
** 587.906685 (cluster_reference.py), mean 593.464560.  gapkit's best of 10
** restarts must be within 1 % of that mean. */
static void test_kmeans_esc_vs_sklearn(void **state)
{
    (void)state;
    gk_mat *X = load_unit("esc50-clap/audio.npy");
    gk_kmeans_opts o = gk_kmeans_opts_default();
    gk_kmeans_result *r = NULL;
    o.k = 50;
    o.n_init = 10;
    assert_gk_ok(gk_kmeans(X, &o, &r));
    const double sk = (600.035189 + 598.089187 + 586.520194 + 594.771533 + 587.906685) / 5;
    print_message("gapkit inertia %.6f (restart %d, %d iterations), sklearn mean %.6f, ratio "
                  "%.5f\n", r->inertia, r->best_init, r->n_iter, sk, r->inertia / sk);
    assert_true(fabs(r->inertia / sk - 1) < 0.01);
    /* the inertia belongs to the returned assignment and centroids */
    double inert = 0;
    for (int64_t i = 0; i < X->rows; i++) {
        const float *x = gk_mat_row(X, i), *c = r->centroids + (int64_t)r->assign[i] * X->cols;
        for (int64_t j = 0; j < X->cols; j++) inert += ((double)x[j] - c[j]) * ((double)x[j] - c[j]);
    }
    assert_close(r->inertia, inert, 1e-3 * inert);
    gk_kmeans_result_free(r);
    gk_mat_free(X);
}

/* Four well separated blobs: recovered exactly (ARI 1), whatever the threads. */
static void test_kmeans_blobs_threads(void **state)
{
    (void)state;
    enum { N = 400, D = 8 };
    gk_mat *X;
    int32_t lab[N];
    gk_rng g;
    gk_rng_seed(&g, 3);
    assert_gk_ok(gk_mat_create(N, D, &X));
    for (int i = 0; i < N; i++) {
        lab[i] = i % 4;
        for (int j = 0; j < D; j++)
            X->data[i * D + j] = (float)((j == lab[i] ? 10.0 : 0.0) + 0.3 * gk_rng_normal(&g));
    }
    gk_kmeans_opts o = gk_kmeans_opts_default();
    gk_kmeans_result *a = NULL, *b = NULL;
    o.k = 4;
    o.seed = 11;
    gk_set_threads(1);
    assert_gk_ok(gk_kmeans(X, &o, &a));
    gk_set_threads(2);
    assert_gk_ok(gk_kmeans(X, &o, &b));
    gk_cluster_scores s;
    assert_gk_ok(gk_cluster_scores_eval(lab, a->assign, N, &s));
    assert_close(s.ari, 1.0, 1e-12);
    assert_memory_equal(a->assign, b->assign, sizeof(int32_t) * N);
    assert_memory_equal(a->centroids, b->centroids, sizeof(float) * 4 * D);
    assert_true(a->inertia == b->inertia);
    gk_kmeans_result_free(a);
    gk_kmeans_result_free(b);
    gk_mat_free(X);
}

/* The chunks' partials added wave by wave (waves of 1, 2 or all 4 chunks of
** 4096 rows; large K·D makes waves shorter) give the same bits: the
** additions are in chunk order whatever the wave. */
static void test_kmeans_waves_same_bits(void **state)
{
    (void)state;
    enum { N = 3 * 4096 + 700, D = 6, K = 5 };
    gk_mat *X;
    gk_rng g;
    gk_rng_seed(&g, 4);
    assert_gk_ok(gk_mat_create(N, D, &X));
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++)
            X->data[i * D + j] = (float)((j == i % K ? 2.0 : 0.0) + gk_rng_normal(&g));
    gk_kmeans_opts o = gk_kmeans_opts_default();
    o.k = K, o.n_init = 2, o.seed = 3;
    gk_kmeans_result *r[3];
    for (int t = 0; t < 3; t++) {
        km_wave_cap = t == 2 ? 0 : t + 1;
        assert_gk_ok(gk_kmeans(X, &o, &r[t]));
    }
    km_wave_cap = 0;
    assert_true(r[0]->n_iter > 2);
    for (int t = 1; t < 3; t++) {
        assert_true(r[0]->inertia == r[t]->inertia);
        assert_int_equal(r[0]->n_iter, r[t]->n_iter);
        assert_memory_equal(r[0]->centroids, r[t]->centroids, sizeof(float) * K * D);
        assert_memory_equal(r[0]->restart_assign, r[t]->restart_assign, sizeof(int32_t) * 2 * N);
    }
    for (int t = 0; t < 3; t++) gk_kmeans_result_free(r[t]);
    gk_mat_free(X);
}

/* Given centroids: one Lloyd run from them; spherical: unit centroids. */
static void test_kmeans_init_and_spherical(void **state)
{
    (void)state;
    gk_mat *X = load_unit("clip-coco-liang/features_clip.npy:0");
    gk_mat init = gk_mat_view_rows(X, 0, 5);
    gk_kmeans_opts o = gk_kmeans_opts_default();
    gk_kmeans_result *r = NULL;
    o.k = 5;
    o.init = &init;
    o.max_iter = 1;
    o.tol = 0;
    assert_gk_ok(gk_kmeans(X, &o, &r));
    assert_int_equal(r->n_iter, 1);
    gk_kmeans_result_free(r);
    o = gk_kmeans_opts_default();
    o.k = 7;
    o.spherical = 1;
    assert_gk_ok(gk_kmeans(X, &o, &r));
    for (int j = 0; j < 7; j++) {
        double s = 0;
        for (int64_t l = 0; l < X->cols; l++) s += r->centroids[j * X->cols + l] * r->centroids[j * X->cols + l];
        assert_close(s, 1.0, 1e-5);
    }
    assert_true(r->inertia > 0 && r->inertia < X->rows);
    gk_kmeans_result_free(r);
    o.k = X->rows + 1;
    assert_int_equal(gk_kmeans(X, &o, &r), GK_EARG);
    assert_error_has("k = 501 outside 1..500");
    assert_null(r);
    gk_mat_free(X);
}

/*====  kNN, joint set, group tasks  ====*/

/* Three rows per class on a line: leave-one-out kNN (k = 2) is exact; a
** query between classes goes to the larger summed similarity. */
static void test_knn_small(void **state)
{
    (void)state;
    float d[6 * 2] = {1, 0, 0.99f, 0.1f, 0.98f, 0.2f, 0, 1, 0.1f, 0.99f, 0.2f, 0.98f};
    gk_mat X = {d, 6, 2, 2, 1, NULL};
    int32_t y[6] = {0, 0, 0, 1, 1, 1};
    double acc = 0;
    assert_gk_ok(gk_group_knn_loo(&X, y, 2, 2, &acc));
    assert_close(acc, 1.0, 0);
    float q[2] = {0.6f, 0.8f};
    gk_mat Q = {q, 1, 2, 2, 1, NULL};
    int32_t yq = 1;
    assert_gk_ok(gk_group_knn_split(&X, y, &Q, &yq, 2, 3, &acc));
    assert_close(acc, 1.0, 0);
    assert_int_equal(gk_group_knn_loo(&X, y, 2, 6, &acc), GK_EARG);
}

/* A prompt repeated for every item of its class enters the joint set once. */
static void test_joint_dedupe(void **state)
{
    (void)state;
    float a[4 * 2] = {1, 0, 0, 1, 1, 1, -1, 0}, t[4 * 2] = {1, 2, 1, 2, 3, 4, 3, 4};
    gk_mat A = {a, 4, 2, 2, 1, NULL}, T = {t, 4, 2, 2, 1, NULL};
    const gk_mat *v[2] = {&A, &T};
    int32_t lab[4] = {0, 0, 1, 1};
    int64_t idx[3] = {1, 2, 3};
    gk_joint *j = NULL;
    assert_gk_ok(gk_joint_build(v, NULL, 2, lab, NULL, 0, &j));
    assert_int_equal(j->n, 6);
    assert_int_equal(j->label[4], 0);
    assert_int_equal(j->label[5], 1);
    assert_int_equal(j->item[5], 2);
    gk_joint_free(j);
    assert_gk_ok(gk_joint_build(v, NULL, 2, lab, idx, 3, &j));
    assert_int_equal(j->n, 5); /* 3 audio rows, prompts of items 1 and 2 */
    gk_joint_free(j);
}

/* CLIP-COCO images alone have no classes; ESC-50 audio with its classes:
** the group evaluation runs every task and agrees with the direct calls. */
static void test_group_eval_esc(void **state)
{
    (void)state;
    gk_mat *X = load_unit("esc50-clap/audio.npy");
    gk_labels *l = NULL;
    assert_gk_ok(gk_labels_read(shared_path("esc50-clap/meta.csv:class_name"), &l));
    gk_mat sub = gk_mat_view_rows(X, 0, 400);
    gk_group_opts o = gk_group_opts_default();
    gk_group_result r;
    o.kmeans.n_init = 2;
    o.probe_folds = 2;
    assert_gk_ok(gk_group_eval(&sub, l->id, &o, &r));
    double knn;
    int32_t dense[400], C = 0;
    for (int i = 0; i < 400; i++) dense[i] = l->id[i];
    for (int i = 0; i < 400; i++) C = dense[i] + 1 > C ? dense[i] + 1 : C;
    assert_gk_ok(gk_group_knn_loo(&sub, dense, C, 5, &knn));
    print_message("ESC 400 rows: V %.4f ARI %.4f kNN %.4f probe %.4f\n", r.cluster.v_measure,
                  r.cluster.ari, r.knn_acc, r.probe_acc);
    assert_close(r.knn_acc, knn, 0);
    assert_int_equal(r.n_clusters, r.n_classes);
    assert_true(r.cluster.v_measure > 0.7 && r.knn_acc > 0.7 && r.probe_acc > 0.7);
    gk_labels_free(l);
    gk_mat_free(X);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scores_fixed),
        cmocka_unit_test(test_scores_lcg),
        cmocka_unit_test(test_kmeans_esc_vs_sklearn),
        cmocka_unit_test(test_kmeans_blobs_threads),
        cmocka_unit_test(test_kmeans_waves_same_bits),
        cmocka_unit_test(test_kmeans_init_and_spherical),
        cmocka_unit_test(test_knn_small),
        cmocka_unit_test(test_joint_dedupe),
        cmocka_unit_test(test_group_eval_esc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
