/*
** test_eval_dedup.c — exact duplicate rows: the item rules of zero-shot and the
** neighbourhood measures on a hand case; in retrieval the merge plan on a
** hand case, and on COCO with 50 images repeated (as a clip repeated once per
** caption) the protocol's default equals retrieval on the distinct rows with
** the groups written by hand, does not depend on the order of the copies,
** and differs from --keep-duplicates, which penalises the later copies.
*/
#include "test_util.h"

static gk_mat *rows_of(int n, int d, const float *v)
{
    gk_mat *m;
    assert_gk_ok(gk_mat_create(n, d, &m));
    for (int i = 0; i < n; i++) memcpy(gk_mat_row(m, i), v + i * d, (size_t)d * sizeof *v);
    return m;
}

/* X rows a b a c, Y rows p q r p: items 0, 2 share X's a, items 0, 3 share
** Y's p, so items {0,2,3} are one group and item 1 another. */
static void test_plan_hand_case(void **state)
{
    (void)state;
    const float x[8] = {1, 0, 0, 1, 1, 0, 1, 1}, y[8] = {2, 0, 0, 2, 1, 1, 2, 0};
    gk_mat *X = rows_of(4, 2, x), *Y = rows_of(4, 2, y);
    gk_dedup_plan p;
    assert_gk_ok(gk_dedup_plan_make(X, Y, NULL, NULL, &p));
    assert_int_equal(p.merged_x, 1);
    assert_int_equal(p.merged_y, 1);
    assert_int_equal(p.nx, 3);
    const int64_t rx[3] = {0, 1, 3}, ry[3] = {0, 1, 2};
    const int32_t gx[3] = {0, 1, 0}, gy[3] = {0, 1, 0};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(p.rows_x[i], rx[i]);
        assert_int_equal(p.rows_y[i], ry[i]);
        assert_int_equal(p.gx[i], gx[i]);
        assert_int_equal(p.gy[i], gy[i]);
    }
    gk_dedup_plan_free(&p);
    assert_int_equal(gk_dedup_plan_make(X, Y, gx, NULL, &p), GK_EARG);
    gk_mat_free(X), gk_mat_free(Y);
}

/* The same rows for the item rules: linked by X or Y copies, items {0,2,3}
** are one (kept: 0) and item 1 another; by X alone {0,2} are one; with
** classes 5 7 5 6, item 2 repeats item 0 (row a, class 5) and item 3's row
** is new, so only item 2 is dropped; with class 9 for item 2 nothing is. */
static void test_item_rules_hand_case(void **state)
{
    (void)state;
    const float x[8] = {1, 0, 0, 1, 1, 0, 1, 1}, y[8] = {2, 0, 0, 2, 1, 1, 2, 0};
    gk_mat *X = rows_of(4, 2, x), *Y = rows_of(4, 2, y);
    int64_t keep[4], m = 0;
    assert_gk_ok(gk_dedup_items(X, Y, keep, &m));
    assert_int_equal(m, 2);
    assert_int_equal(keep[0], 0);
    assert_int_equal(keep[1], 1);
    assert_gk_ok(gk_dedup_items(X, NULL, keep, &m));
    assert_int_equal(m, 3);
    assert_int_equal(keep[2], 3);
    int32_t cls[4] = {5, 7, 5, 6};
    assert_gk_ok(gk_dedup_labelled(X, cls, keep, &m));
    assert_int_equal(m, 3);
    assert_int_equal(keep[0], 0), assert_int_equal(keep[1], 1), assert_int_equal(keep[2], 3);
    cls[2] = 9; /* same row, another class: another query */
    assert_gk_ok(gk_dedup_labelled(X, cls, keep, &m));
    assert_int_equal(m, 4);
    gk_mat *Y3 = rows_of(3, 2, y);
    assert_int_equal(gk_dedup_items(X, Y3, keep, &m), GK_ESHAPE);
    gk_mat_free(X), gk_mat_free(Y), gk_mat_free(Y3);
}

/* The same hand case through gk_dedup_pair_rows: the kept rows themselves. */
static void test_pair_rows_hand_case(void **state)
{
    (void)state;
    const float x[8] = {1, 0, 0, 1, 1, 0, 1, 1}, y[8] = {2, 0, 0, 2, 1, 1, 2, 0};
    gk_mat *X = rows_of(4, 2, x), *Y = rows_of(4, 2, y), *kx = NULL, *ky = NULL;
    int64_t merged = -1;
    /* linked by X (rows 0, 2) and by Y (rows 1, 3): items 0 and 1 remain */
    assert_gk_ok(gk_dedup_pair_rows(X, Y, 1, &kx, &ky, &merged));
    assert_int_equal(merged, 2);
    assert_int_equal(kx->rows, 2), assert_int_equal(ky->rows, 2);
    assert_true(gk_mat_at(kx, 1, 1) == 1.0f && gk_mat_at(ky, 1, 1) == 2.0f); /* item 1 */
    gk_mat_free(kx), gk_mat_free(ky);
    /* Y's copies ignored: items 0, 1, 3 */
    assert_gk_ok(gk_dedup_pair_rows(X, Y, 0, &kx, &ky, &merged));
    assert_int_equal(merged, 1);
    assert_true(gk_mat_at(kx, 2, 0) == 1.0f && gk_mat_at(kx, 2, 1) == 1.0f); /* item 3 */
    assert_true(gk_mat_at(ky, 2, 0) == 2.0f && gk_mat_at(ky, 2, 1) == 0.0f);
    gk_mat_free(kx), gk_mat_free(ky);
    /* no copies: nothing made */
    gk_mat *X2 = rows_of(2, 2, x), *Y2 = rows_of(2, 2, y);
    assert_gk_ok(gk_dedup_pair_rows(X2, Y2, 1, &kx, &ky, &merged));
    assert_null(kx), assert_null(ky);
    assert_int_equal(merged, 0);
    gk_mat *Y3 = rows_of(3, 2, y);
    assert_int_equal(gk_dedup_pair_rows(X, Y3, 1, &kx, &ky, &merged), GK_ESHAPE);
    assert_null(kx), assert_null(ky);
    gk_mat_free(X), gk_mat_free(Y), gk_mat_free(X2), gk_mat_free(Y2), gk_mat_free(Y3);
}

static gk_mat *load(const char *rel)
{
    gk_mat *m = NULL;
    gk_load_opts o = gk_load_opts_default();
    assert_gk_ok(gk_load_matrix(shared_path(rel), &o, &m));
    return m;
}

/* X = images 0..99 then 0..49 again; Y = captions 0..99, then for item
** 100+i a second caption of image i (caption i plus a little of caption
** 200+i).  `swapped`: the same 150 items, the last 50
** first (so the other copy of each repeated image comes first). */
static void build(const gk_mat *img, const gk_mat *txt, int swapped, gk_mat **X, gk_mat **Y)
{
    int64_t ix[150], iy[150];
    for (int i = 0; i < 150; i++) {
        const int item = swapped ? (i < 50 ? 100 + i : i - 50) : i;
        ix[i] = item < 100 ? item : item - 100;
        iy[i] = item;
    }
    assert_gk_ok(gk_mat_select_rows(img, ix, 150, X));
    assert_gk_ok(gk_mat_select_rows(txt, iy, 150, Y));
    for (int i = 0; i < 150; i++) {
        if (iy[i] < 100) continue;
        const float *a = gk_mat_row(txt, iy[i] - 100), *b = gk_mat_row(txt, iy[i] + 100);
        for (int64_t j = 0; j < txt->cols; j++) gk_mat_row(*Y, i)[j] = a[j] + 0.2f * b[j];
    }
}

static void assert_same(const gk_retrieval_metrics *a, const gk_retrieval_metrics *b)
{
    assert_close(a->r1, b->r1, 1e-15);
    assert_close(a->r5, b->r5, 1e-15);
    assert_close(a->map, b->map, 1e-12);
    assert_close(a->medr, b->medr, 0);
    assert_int_equal(a->n_scored, b->n_scored);
}

static void test_coco_repeated_images(void **state)
{
    (void)state;
    gk_mat *img = load("clip-coco-liang/features_clip.npy:0");
    gk_mat *txt = load("clip-coco-liang/features_clip.npy:1");
    gk_mat *X, *Y, *X2, *Y2, *Xd;
    build(img, txt, 0, &X, &Y);
    gk_score_opts so = gk_score_opts_default();
    so.intervals = 0;
    gk_retrieval_result merged, kept, byhand, rev;
    assert_gk_ok(gk_retrieval_protocol_opts(X, Y, NULL, NULL, NULL, NULL, NULL, 0, &so, &merged));
    assert_int_equal(merged.dedup, 1);
    assert_int_equal(merged.merged_x, 50);
    assert_int_equal(merged.merged_y, 0);
    /* by hand: the 100 distinct images; caption j's image is j mod 100 */
    int64_t first100[100];
    int32_t gx[100], gy[150];
    for (int i = 0; i < 100; i++) first100[i] = i, gx[i] = i;
    for (int j = 0; j < 150; j++) gy[j] = j < 100 ? j : j - 100;
    assert_true(merged.y2x.r1 > 0.5);
    assert_gk_ok(gk_mat_select_rows(img, first100, 100, &Xd));
    assert_gk_ok(gk_retrieval_both(Xd, Y, gx, gy, NULL, &byhand));
    assert_same(&merged.x2y, &byhand.x2y);
    assert_same(&merged.y2x, &byhand.y2x);
    assert_int_equal(merged.y2x.n_gallery, 100);
    /* the order of the items (hence of the copies) does not matter once merged */
    build(img, txt, 1, &X2, &Y2);
    assert_gk_ok(gk_retrieval_protocol_opts(X2, Y2, NULL, NULL, NULL, NULL, NULL, 0, &so, &rev));
    assert_same(&merged.y2x, &rev.y2x);
    assert_same(&merged.x2y, &rev.x2y);
    /* kept apart: a caption of a repeated image finds the earlier copy first */
    so.keep_copies = 1;
    assert_gk_ok(gk_retrieval_protocol_opts(X, Y, NULL, NULL, NULL, NULL, NULL, 0, &so, &kept));
    assert_int_equal(kept.dedup, 0);
    assert_true(kept.y2x.r1 < merged.y2x.r1 - 0.05);
    assert_true(kept.y2x.medr >= merged.y2x.medr);
    gk_mat_free(X), gk_mat_free(Y), gk_mat_free(X2), gk_mat_free(Y2), gk_mat_free(Xd);
    gk_mat_free(img), gk_mat_free(txt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_hand_case),
        cmocka_unit_test(test_item_rules_hand_case),
        cmocka_unit_test(test_pair_rows_hand_case),
        cmocka_unit_test(test_coco_repeated_images),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
