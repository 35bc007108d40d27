/*
** test_gap.c — gk_gap_diagnose() on real data against independently computed
** values: ESC-50 CLAP (../shared/data/esc50-clap/README: gap 0.50029,
** true-pair cosine 0.53473, audio cone 0.18461) and CLIP-COCO (gap 0.85135;
** cone, non-pair cosine, effective rank and participation ratio from
** tests/reference/plssvd_reference.py, numpy float64).  Also the O(N·D)
** sums against brute force, the unequal-D behaviour and the JSON document.
*/
#include "test_util.h"

static gk_mat *load(const char *rel)
{
    gk_mat *m;
    gk_load_opts o = gk_load_opts_default();
    o.normalize = 1;
    assert_gk_ok(gk_load_matrix(shared_path(rel), &o, &m));
    return m;
}

/* ESC-50: each clip with the prompt of its class. */
static void esc50_pairs(gk_mat **audio, gk_mat **text)
{
    gk_labels *rows, *names;
    gk_mat *prompts = load("esc50-clap/class_text.npy");
    *audio = load("esc50-clap/audio.npy");
    assert_gk_ok(gk_labels_read(shared_path("esc50-clap/meta.csv:class_name"), &rows));
    assert_gk_ok(gk_labels_read(shared_path("esc50-clap/class_names.txt"), &names));
    int64_t *idx = malloc(rows->n * sizeof *idx);
    assert_gk_ok(gk_labels_match(rows, names, idx));
    assert_gk_ok(gk_mat_select_rows(prompts, idx, rows->n, text));
    free(idx);
    gk_labels_free(rows);
    gk_labels_free(names);
    gk_mat_free(prompts);
}

static void test_esc50_reference(void **state)
{
    (void)state;
    gk_mat *a, *t;
    gk_gap_result *r;
    esc50_pairs(&a, &t);
    assert_gk_ok(gk_gap_diagnose(a, t, NULL, &r));
    assert_close(r->gap, 0.50029, 5e-6);
    assert_close(r->cos_true, 0.53473, 5e-6);
    assert_close(r->cone_x, 0.18461, 5e-6);
    assert_true(r->sep_done && r->sep_accuracy > 0.99);
    assert_int_equal(r->sep_rows, 2000);
    assert_false(r->sep_subsampled);
    /* the mean share identities: cos = mean term + centred term */
    assert_close(r->cos_true, r->mean_term + r->centred_true, 1e-9);
    assert_close(r->cos_nonpair, r->mean_term + r->centred_nonpair, 1e-9);
    gk_gap_result_free(r);
    gk_mat_free(a), gk_mat_free(t);
}

static void test_coco_reference(void **state)
{
    (void)state;
    gk_mat *x = load("clip-coco-liang/features_clip.npy:0");
    gk_mat *y = load("clip-coco-liang/features_clip.npy:1");
    gk_gap_result *r;
    gk_gap_opts o = gk_gap_opts_default();
    o.separability = 0;
    assert_gk_ok(gk_gap_diagnose(x, y, &o, &r));
    /* README and tests/reference/plssvd_reference.py (float64 numpy) */
    assert_close(r->gap, 0.85135, 5e-6);
    assert_close(r->cos_true, 0.30991859223732376, 2e-6);
    assert_close(r->cos_nonpair, 0.16159524624603333, 2e-6);
    assert_close(r->cone_x, 0.531483046668578, 2e-6);
    assert_close(r->cone_y, 0.5151940990912933, 2e-6);
    assert_close(r->erank_x, 104.59460782710431, 1e-3);
    assert_close(r->erank_y, 96.92952851330611, 1e-3);
    assert_close(r->pr_x, 42.700535333336994, 1e-3);
    assert_close(r->pr_y, 41.706238377098074, 1e-3);
    assert_false(r->sep_done);
    /* concentration: shares grow with m and end at 1 with all coordinates */
    for (int q = 1; q < r->n_top_m; q++) assert_true(r->top_m_share[q] >= r->top_m_share[q - 1]);
    for (int64_t j = 1; j < r->n_pc; j++) assert_true(r->pc_share[j] >= r->pc_share[j - 1]);
    for (int64_t j = 1; j < r->subspace_k; j++) assert_true(r->angles[j] >= r->angles[j - 1]);
    assert_true(r->w2_uniformity < 0);
    gk_gap_result_free(r);
    gk_mat_free(x), gk_mat_free(y);
}

/* Brute-force O(N²) twins of the sums on a small random set. */
static void test_sums_match_brute_force(void **state)
{
    (void)state;
    gk_mat *x, *y;
    gk_rng g;
    gk_rng_seed(&g, 3);
    assert_gk_ok(gk_mat_create(60, 8, &x));
    assert_gk_ok(gk_mat_create(60, 8, &y));
    for (int i = 0; i < 480; i++) x->data[i] = (float)gk_rng_normal(&g) + 1.0f;
    for (int i = 0; i < 480; i++) y->data[i] = (float)gk_rng_normal(&g) - 0.5f;
    assert_gk_ok(gk_mat_normalize_rows(x));
    assert_gk_ok(gk_mat_normalize_rows(y));
    gk_gap_result *r;
    gk_gap_opts o = gk_gap_opts_default();
    o.subspace_k = 3;
    assert_gk_ok(gk_gap_diagnose(x, y, &o, &r));
    double np = 0, cx = 0;
    for (int i = 0; i < 60; i++)
        for (int j = 0; j < 60; j++) {
            if (i == j) continue;
            double s = 0, t = 0;
            for (int l = 0; l < 8; l++) {
                s += (double)x->data[i * 8 + l] * y->data[j * 8 + l];
                t += (double)x->data[i * 8 + l] * x->data[j * 8 + l];
            }
            np += s, cx += t;
        }
    assert_close(r->cos_nonpair, np / (60 * 59), 1e-12);
    assert_close(r->cone_x, cx / (60 * 59), 1e-12);
    assert_close(r->top_m_share[r->n_top_m - 1], 1.0, 1e-12); /* m = 200 > D */
    assert_true(r->sep_accuracy > 0.9);                          /* well separated means */
    gk_gap_result_free(r);
    gk_mat_free(x), gk_mat_free(y);
}

static void test_unequal_dims_and_json(void **state)
{
    (void)state;
    gk_mat *x = load("clip-coco-liang/features_clip.npy:0");
    gk_mat *y = load("clip-coco-liang/features_videoclip.npy:0"); /* 100 rows, 768-d */
    gk_mat xv = gk_mat_view_rows(x, 0, 100);
    gk_gap_result *r;
    assert_gk_ok(gk_gap_diagnose(&xv, y, NULL, &r));
    assert_false(r->same_dim);
    assert_true(isnan(r->gap));
    assert_true(r->erank_y > 1);
    char *json;
    assert_gk_ok(gk_gap_to_json(r, &json));
    assert_non_null(strstr(json, "\"gap\": null"));
    gk_free(json);
    gk_gap_result_free(r);
    assert_int_equal(gk_gap_diagnose(x, y, NULL, &r), GK_ESHAPE);
    assert_error_has("rows");
    assert_null(r);
    gk_mat_free(x), gk_mat_free(y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_esc50_reference),
        cmocka_unit_test(test_coco_reference),
        cmocka_unit_test(test_sums_match_brute_force),
        cmocka_unit_test(test_unequal_dims_and_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
