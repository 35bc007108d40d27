/*
** test_eval_retrieval.c — retrieval: the blocked engine against its naive
** twin (exactly, on integer-valued data full of ties), the tie rule and the
** sorted-rank AP on a hand-made case, and the reference numbers of
** ../shared/data (CLIP-COCO from its README, ESC-50 with groups from
** tests/reference/eval_reference.py).
*/
#include "test_util.h"

/* Loads a data file with unit rows. */
static gk_mat *load_unit(const char *rel)
{
    gk_mat *m = NULL;
    gk_load_opts o = gk_load_opts_default();
    assert_gk_ok(gk_load_matrix(shared_path(rel), &o, &m));
    return m;
}

/* (n, d) matrix of small integers in [-2, 2]: every dot product is exact in
** float whatever the summation order, and ties are frequent. */
static gk_mat *int_matrix(int64_t n, int64_t d, uint64_t seed)
{
    gk_mat *m;
    gk_rng r;
    gk_rng_seed(&r, seed);
    assert_gk_ok(gk_mat_create(n, d, &m));
    for (int64_t i = 0; i < n * d; i++) m->data[i] = (float)((int)gk_rng_below(&r, 5) - 2);
    return m;
}

static void assert_metrics_equal(const gk_retrieval_metrics *a, const gk_retrieval_metrics *b)
{
    assert_int_equal(a->n_scored, b->n_scored);
    assert_true(a->r1 == b->r1 && a->r5 == b->r5 && a->r10 == b->r10);
    assert_true(a->medr == b->medr && a->meanr == b->meanr);
    assert_close(a->map10, b->map10, 1e-12);
    assert_close(a->map, b->map, 1e-12);
}

/* Blocked (several block sizes) == naive, ranks and metrics, with and without groups. */
static void test_blocked_equals_naive(void **state)
{
    (void)state;
    gk_mat *Q = int_matrix(57, 6, 1), *G = int_matrix(83, 6, 2);
    int32_t qg[57], gg[83];
    for (int i = 0; i < 57; i++) qg[i] = i % 9;
    for (int j = 0; j < 83; j++) gg[j] = (j * 7) % 11;
    int64_t rn[57], rb[57];
    gk_retrieval_metrics mn, mb;
    const int64_t blocks[] = {1, 3, 7, 57, 1024};
    for (int withg = 0; withg < 2; withg++) {
        const int32_t *a = withg ? qg : NULL, *b = withg ? gg : NULL;
        assert_gk_ok(gk_retrieval_eval_naive(Q, G, a, b, &mn, rn));
        for (size_t k = 0; k < sizeof blocks / sizeof *blocks; k++) {
            gk_retrieval_opts o = gk_retrieval_opts_default();
            o.block_rows = blocks[k];
            o.max_block_elems = k % 2 ? 1 : 0; /* 1: one query per pass */
            assert_gk_ok(gk_retrieval_eval(Q, G, a, b, &o, &mb, rb));
            assert_memory_equal(rn, rb, sizeof rn);
            assert_metrics_equal(&mn, &mb);
        }
    }
    assert_int_equal(mn.n_scored, 57); /* groups 0..8 all occur in the gallery */
    gk_mat_free(Q);
    gk_mat_free(G);
}

/* Ties: equal similarities go to the lower index.  AP sorts the true ranks. */
static void test_tie_rule_and_sorted_ap(void **state)
{
    (void)state;
    /* gallery of 1-d rows: similarities to the query 1 are the values */
    float g[] = {0.5f, 0.9f, 0.5f, 0.7f, 0.5f};
    float q[] = {1.0f};
    gk_mat *G, *Q;
    assert_gk_ok(gk_mat_wrap(g, 5, 1, &G));
    assert_gk_ok(gk_mat_wrap(q, 1, 1, &Q));
    /* order: 1 (0.9), 3 (0.7), 0, 2, 4 (0.5, by index) */
    int32_t qg[] = {7}, gg[] = {7, 0, 7, 0, 7};
    gk_retrieval_metrics m, mn;
    int64_t rank;
    assert_gk_ok(gk_retrieval_eval(Q, G, qg, gg, NULL, &m, &rank));
    assert_int_equal(rank, 3);
    /* true items at ranks 3, 4, 5: AP = (1/3 + 2/4 + 3/5) / 3 */
    assert_close(m.map10, (1.0 / 3 + 2.0 / 4 + 3.0 / 5) / 3, 1e-12);
    assert_close(m.map, m.map10, 1e-12);
    assert_gk_ok(gk_retrieval_eval_naive(Q, G, qg, gg, &mn, NULL));
    assert_metrics_equal(&m, &mn);
    /* single true match: the last of three tied items has rank 5 */
    gg[0] = gg[2] = 0;
    assert_gk_ok(gk_retrieval_eval(Q, G, qg, gg, NULL, &m, &rank));
    assert_int_equal(rank, 5);
    assert_close(m.map10, 0.2, 1e-12);
    assert_close(m.medr, 5, 0);
    gk_mat_free(G);
    gk_mat_free(Q);
}

/* AP@10 divides by min(m, 10) and ignores true items past rank 10. */
static void test_ap10_cutoff(void **state)
{
    (void)state;
    float g[12], q[] = {1.0f};
    int32_t gg[12], qg[] = {1};
    for (int j = 0; j < 12; j++) {
        g[j] = 1.0f - 0.01f * (float)j; /* rank j+1 */
        gg[j] = (j == 1 || j == 11) ? 1 : 0;
    }
    gk_mat *G, *Q;
    assert_gk_ok(gk_mat_wrap(g, 12, 1, &G));
    assert_gk_ok(gk_mat_wrap(q, 1, 1, &Q));
    gk_retrieval_metrics m;
    assert_gk_ok(gk_retrieval_eval(Q, G, qg, gg, NULL, &m, NULL));
    assert_close(m.map10, (1.0 / 2) / 2, 1e-12);        /* only rank 2 counts */
    assert_close(m.map, (1.0 / 2 + 2.0 / 12) / 2, 1e-12); /* full AP counts both */
    assert_close(m.r1, 0, 0);
    assert_close(m.r5, 1, 0);
    gk_mat_free(G);
    gk_mat_free(Q);
}

/* README of clip-coco-liang: image→text R@1 0.552, R@5 0.808; text→image
** R@1 0.506, R@5 0.766.  The rest from tests/reference/eval_reference.py. */
static void test_clip_coco_reference(void **state)
{
    (void)state;
    gk_mat *img = load_unit("clip-coco-liang/features_clip.npy:0");
    gk_mat *txt = load_unit("clip-coco-liang/features_clip.npy:1");
    gk_retrieval_result r;
    assert_gk_ok(gk_retrieval_both(img, txt, NULL, NULL, NULL, &r));
    assert_close(r.x2y.r1, 0.552, 1e-12);
    assert_close(r.x2y.r5, 0.808, 1e-12);
    assert_close(r.y2x.r1, 0.506, 1e-12);
    assert_close(r.y2x.r5, 0.766, 1e-12);
    assert_close(r.x2y.r10, 0.892, 1e-12);
    assert_close(r.y2x.r10, 0.862, 1e-12);
    assert_close(r.x2y.map10, 0.6614857143, 1e-9);
    assert_close(r.y2x.map10, 0.6228698413, 1e-9);
    assert_close(r.x2y.meanr, 4.888, 1e-12);
    assert_close(r.y2x.meanr, 5.326, 1e-12);
    assert_close(r.x2y.medr, 1, 0);
    /* the naive twin (double similarities) agrees on real data too */
    gk_retrieval_metrics mn;
    assert_gk_ok(gk_retrieval_eval_naive(img, txt, NULL, NULL, &mn, NULL));
    assert_metrics_equal(&r.x2y, &mn);
    gk_mat_free(img);
    gk_mat_free(txt);
}

/* ESC-50 audio ↔ the 50 class prompts, grouped by class; prompt→audio has 40
** true matches per query.  Numbers from tests/reference/eval_reference.py
** (numpy float64; its full AP equals scikit-learn's average_precision_score). */
static void test_esc50_groups_reference(void **state)
{
    (void)state;
    gk_mat *audio = load_unit("esc50-clap/audio.npy");
    gk_mat *text = load_unit("esc50-clap/class_text.npy");
    gk_labels *la, *lt;
    assert_gk_ok(gk_labels_read(shared_path("esc50-clap/meta.csv:class_name"), &la));
    assert_gk_ok(gk_labels_read(shared_path("esc50-clap/class_names.txt"), &lt));
    int32_t *ga = malloc(2000 * sizeof *ga), gt[50];
    assert_gk_ok(gk_groups_from_labels(la, lt, ga, gt));
    gk_retrieval_result r;
    assert_gk_ok(gk_retrieval_both(audio, text, ga, gt, NULL, &r));
    assert_close(r.x2y.r1, 0.9150, 1e-12);
    assert_close(r.x2y.r5, 0.9935, 1e-12);
    assert_close(r.x2y.r10, 0.9985, 1e-12);
    assert_close(r.x2y.map10, 0.9498192460, 1e-9);
    assert_close(r.x2y.meanr, 1.1635, 1e-12);
    assert_close(r.y2x.r1, 0.96, 1e-12);
    assert_close(r.y2x.r5, 0.98, 1e-12);
    assert_close(r.y2x.map10, 0.9564547619, 1e-9);
    assert_close(r.y2x.map, 0.9227728426, 1e-9);
    assert_close(r.y2x.meanr, 1.84, 1e-12);
    assert_close(r.y2x.medr, 1, 0);
    gk_retrieval_metrics mn;
    assert_gk_ok(gk_retrieval_eval_naive(text, audio, gt, ga, &mn, NULL));
    assert_metrics_equal(&r.y2x, &mn);
    free(ga);
    gk_labels_free(la);
    gk_labels_free(lt);
    gk_mat_free(audio);
    gk_mat_free(text);
}

static void test_json_and_errors(void **state)
{
    (void)state;
    gk_mat *Q = int_matrix(4, 3, 5), *G = int_matrix(6, 2, 6);
    gk_retrieval_metrics m;
    int32_t qg[4] = {9, 9, 9, 9}, gg[6] = {0};
    assert_int_equal(gk_retrieval_eval(Q, G, NULL, NULL, NULL, &m, NULL), GK_ESHAPE);
    assert_error_has("columns");
    gk_mat_free(G);
    G = int_matrix(6, 3, 6);
    assert_int_equal(gk_retrieval_eval(Q, G, qg, NULL, NULL, &m, NULL), GK_EARG);
    assert_int_equal(gk_retrieval_eval(Q, G, qg, gg, NULL, &m, NULL), GK_EARG);
    assert_error_has("no");
    assert_int_equal(gk_retrieval_eval(G, Q, NULL, NULL, NULL, &m, NULL), GK_ESHAPE);
    gk_retrieval_result r;
    char *json;
    assert_gk_ok(gk_retrieval_both(Q, Q, NULL, NULL, NULL, &r));
    assert_gk_ok(gk_retrieval_to_json(&r, "a.npy", NULL, &json));
    assert_non_null(strstr(json, "\"mAP@10\""));
    assert_non_null(strstr(json, "\"split\": \"none\""));
    gk_free(json);
    gk_mat_free(Q);
    gk_mat_free(G);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocked_equals_naive),
        cmocka_unit_test(test_tie_rule_and_sorted_ap),
        cmocka_unit_test(test_ap10_cutoff),
        cmocka_unit_test(test_clip_coco_reference),
        cmocka_unit_test(test_esc50_groups_reference),
        cmocka_unit_test(test_json_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
