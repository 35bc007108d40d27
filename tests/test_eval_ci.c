/*
** test_eval_ci.c — bootstrap intervals of retrieval and zero-shot metrics
** against tests/reference/eval_ci_reference.py (numpy per-query values,
** the same resampling indices regenerated from the seed, numpy percentiles):
** COCO CLIP image→text, ESC-50 prompt→audio (40 true matches per query) and
** ESC-50 zero-shot; B = 200, seed 5.
*/
#include "test_util.h"

static const gk_boot_opts BOOT = {200, 0.95, 5};

static gk_mat *load(const char *rel)
{
    gk_mat *m = NULL;
    gk_load_opts o = gk_load_opts_default();
    assert_gk_ok(gk_load_matrix(shared_path(rel), &o, &m));
    return m;
}

static void assert_ci(const gk_ci *c, double value, double lo, double hi)
{
    assert_close(c->value, value, 1e-9);
    assert_close(c->lo, lo, 1e-9);
    assert_close(c->hi, hi, 1e-9);
}

static void test_coco_intervals(void **state)
{
    (void)state;
    gk_mat *img = load("clip-coco-liang/features_clip.npy:0");
    gk_mat *txt = load("clip-coco-liang/features_clip.npy:1");
    gk_retrieval_result r;
    assert_gk_ok(gk_retrieval_both_ci(img, txt, NULL, NULL, NULL, &BOOT, &r));
    assert_int_equal(r.has_ci, 1);
    assert_ci(&r.x2y_ci.r1, 0.552, 0.50995, 0.6);
    assert_ci(&r.x2y_ci.r5, 0.808, 0.772, 0.844);
    assert_ci(&r.x2y_ci.r10, 0.892, 0.8659, 0.918);
    assert_ci(&r.x2y_ci.map10, 0.661485714286, 0.625939583333, 0.699200575397);
    assert_ci(&r.x2y_ci.map, 0.666971502199, 0.632414245191, 0.702991779791);
    assert_ci(&r.x2y_ci.medr, 1, 1, 1);
    assert_ci(&r.x2y_ci.meanr, 4.888, 3.9787, 5.88965);
    /* the point values are the metrics themselves */
    assert_close(r.x2y_ci.r1.value, r.x2y.r1, 0);
    assert_close(r.y2x_ci.map.value, r.y2x.map, 1e-15);
    gk_mat_free(img);
    gk_mat_free(txt);
}

static void test_esc50_intervals(void **state)
{
    (void)state;
    gk_mat *audio = load("esc50-clap/audio.npy"), *text = load("esc50-clap/class_text.npy");
    gk_labels *la, *lt;
    assert_gk_ok(gk_labels_read(shared_path("esc50-clap/meta.csv:class_name"), &la));
    assert_gk_ok(gk_labels_read(shared_path("esc50-clap/class_names.txt"), &lt));
    int32_t *ga = malloc(2000 * sizeof *ga), gt[50];
    assert_gk_ok(gk_groups_from_labels(la, lt, ga, gt));
    gk_retrieval_metrics m;
    gk_retrieval_ci ci;
    assert_gk_ok(gk_retrieval_eval_ci(text, audio, gt, ga, NULL, &BOOT, &m, &ci));
    assert_ci(&ci.r1, 0.96, 0.9, 1);
    assert_ci(&ci.r5, 0.98, 0.94, 1);
    assert_ci(&ci.map10, 0.956454761905, 0.907459206349, 0.989486845238);
    assert_ci(&ci.map, 0.922772842650, 0.887135199595, 0.951638798883);
    assert_ci(&ci.meanr, 1.84, 1, 3.44);
    /* zero-shot: the 2000 clips against the 50 prompts */
    int32_t *y = malloc(2000 * sizeof *y);
    assert_gk_ok(gk_zeroshot_classes(la, lt, y));
    gk_zeroshot_result *z;
    assert_gk_ok(gk_zeroshot_eval(audio, text, y, &z));
    assert_gk_ok(gk_zeroshot_intervals(z, &BOOT));
    assert_ci(&z->top1_ci, 0.915, 0.9039875, 0.926025);
    assert_ci(&z->top5_ci, 0.9935, 0.99, 0.9965);
    gk_boot_opts bad = {1, 0.95, 0};
    assert_int_equal(gk_zeroshot_intervals(z, &bad), GK_EARG);
    gk_zeroshot_result_free(z);
    free(y), free(ga);
    gk_labels_free(la), gk_labels_free(lt);
    gk_mat_free(audio), gk_mat_free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coco_intervals),
        cmocka_unit_test(test_esc50_intervals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
