/*
** test_gap_gram.c — effective rank, participation ratio and W2 uniformity
** with fewer rows than dimensions, against tests/reference/gap_gram_reference.py
** (float64 numpy on the D×D covariances): MSR-VTT VideoCLIP (N = 100,
** 2N = 200 < D = 768: the Gram route for all five) and COCO CLIP (N = 500 <
** D = 512 for erank/PR; 2N > D, so W2 from the covariance).  Before the Gram
** route the VideoCLIP W2 was off by 1.1e-4 and erank_x by 2.4e-4; now W2
** agrees to 1e-9 and erank/PR to a few 1e-9 relative (float32 input rows).
*/
#include "test_util.h"

static void check(const char *rel0, const char *rel1, const double want[5], double tol)
{
    gk_mat *x = NULL, *y = NULL;
    gk_load_opts o = gk_load_opts_default();
    assert_gk_ok(gk_load_matrix(shared_path(rel0), &o, &x));
    assert_gk_ok(gk_load_matrix(shared_path(rel1), &o, &y));
    gk_gap_opts go = gk_gap_opts_default();
    go.separability = 0;
    gk_gap_result *r;
    assert_gk_ok(gk_gap_diagnose(x, y, &go, &r));
    assert_close(r->erank_x, want[0], tol);
    assert_close(r->erank_y, want[1], tol);
    assert_close(r->pr_x, want[2], tol);
    assert_close(r->pr_y, want[3], tol);
    assert_close(r->w2_uniformity, want[4], 1e-7);
    gk_gap_result_free(r);
    gk_mat_free(x), gk_mat_free(y);
}

static void test_videoclip(void **state)
{
    (void)state;
    const double want[5] = {58.7859705733, 51.4795628679, 39.8696630595, 33.8320890028,
                            -1.19615705548};
    check("clip-coco-liang/features_videoclip.npy:0", "clip-coco-liang/features_videoclip.npy:1",
          want, 1e-6);
}

static void test_coco(void **state)
{
    (void)state;
    const double want[5] = {104.594607778, 96.9295284991, 42.7005352818, 41.7062383886,
                            -0.983448437819};
    check("clip-coco-liang/features_clip.npy:0", "clip-coco-liang/features_clip.npy:1", want,
          1e-6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_videoclip),
        cmocka_unit_test(test_coco),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
