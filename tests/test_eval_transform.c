/*
** test_eval_transform.c — transforms before scoring: the "--transform"
** reader, the leakage guard, automatic k by cross-validation on synthetic
** data with a known number of shared axes, and the retrieval protocol with a
** saved model and with a model fitted on the train split.
*/
#include <unistd.h>

#include "test_util.h"

static void test_parse(void **state)
{
    (void)state;
    gk_align_opts t;
    gk_align *m = (gk_align *)&t; /* set to NULL by every call */
    int has_fit = -1;
    assert_gk_ok(gk_transform_open("comet:k=32,weight=align", &t, &has_fit, &m));
    assert_int_equal(has_fit, 1);
    assert_null(m);
    assert_int_equal(t.method, GK_ALIGN_COMET);
    assert_int_equal(t.k, 32);
    assert_int_equal(t.weight, GK_COMET_W_ALIGN);
    assert_gk_ok(gk_transform_open("comet:k=auto", &t, &has_fit, &m));
    assert_int_equal(t.k, 0);
    assert_int_equal(t.k_rule, GK_K_AUTO);
    assert_int_equal(t.weight, GK_COMET_W_NONE);
    assert_gk_ok(gk_transform_open("comet:k=shared", &t, &has_fit, &m));
    assert_int_equal(t.k_rule, GK_K_SHARED);
    /* a model file is loaded: a missing one says so */
    assert_int_equal(gk_transform_open("model.npz", &t, &has_fit, &m), GK_EIO);
    assert_error_has("model.npz");
    assert_int_equal(has_fit, 0);
    assert_null(m);
    assert_gk_ok(gk_transform_open("none", &t, &has_fit, &m));
    assert_int_equal(has_fit, 0);
    assert_null(m);
    assert_int_equal(gk_transform_open("comet:k=0", &t, &has_fit, &m), GK_EARG);
    assert_int_equal(gk_transform_open("comet:weight=corr", &t, &has_fit, &m), GK_EARG);
    assert_error_has("needs k=K");
    assert_int_equal(gk_transform_open("comet:k=8,weight=big", &t, &has_fit, &m), GK_EARG);
    assert_error_has("expected none, align or corr");
}

/* Synthetic pairs with 8 shared axes: CV prefers a small k over 48 (where the
** modality-private axes, uncorrelated across sides, dilute the cosine). */
static void test_select_k_synthetic(void **state)
{
    (void)state;
    gk_synth_opts o = gk_synth_opts_default();
    o.n = 600;
    o.n_classes = 0;
    o.noise = 0.05;
    gk_synth *s;
    assert_gk_ok(gk_synth_generate(&o, &s));
    int64_t cand[] = {2, 8, 48}, best, best2;
    double sc[3];
    assert_gk_ok(gk_comet_select_k(s->text, s->audio, NULL, cand, 3, 5, 1, GK_COMET_W_NONE,
                                   &best, sc));
    print_message("select_k scores: k=2 %.4f, k=8 %.4f, k=48 %.4f -> %lld\n", sc[0], sc[1],
                  sc[2], (long long)best);
    assert_int_equal(best, 8);
    assert_true(sc[1] > sc[0]);
    assert_gk_ok(gk_comet_select_k(s->text, s->audio, NULL, cand, 3, 5, 1, GK_COMET_W_NONE,
                                   &best2, NULL));
    assert_int_equal(best, best2); /* reproducible */
    assert_int_equal(gk_comet_select_k(s->text, s->audio, NULL, cand, 3, 1, 1,
                                       GK_COMET_W_NONE, &best, NULL), GK_EARG);
    gk_synth_free(s);
}

/* The k rule is a fit option resolved by gk_transform_fit: on synthetic pairs
** with 8 shared axes, "k=shared" keeps the 8 axes the permutation test
** passes, "k=auto" agrees with gk_comet_select_k called directly, and the
** model (also after save and load) records the rule and the k chosen. */
static void test_transform_fit_k_rule(void **state)
{
    (void)state;
    gk_synth_opts so = gk_synth_opts_default();
    so.n = 600, so.n_classes = 0, so.noise = 0.05;
    gk_synth *s;
    assert_gk_ok(gk_synth_generate(&so, &s));
    const gk_mat *views[2] = {s->text, s->audio};
    gk_align_opts o;
    gk_align *a = NULL, *b = NULL;
    gk_k_choice how;

    assert_gk_ok(gk_align_parse("comet:k=shared", &o));
    assert_int_equal(o.k_rule, GK_K_SHARED);
    assert_int_equal(o.k, 0);
    assert_int_equal(gk_align_fit(&o, views, 2, &a), GK_EARG); /* k needs the data */
    assert_gk_ok(gk_transform_fit(&o, views, 2, NULL, 3, &a, &how));
    print_message("%s\n", how.why);
    assert_int_equal(how.n_shared, 8);
    assert_int_equal(how.k, 8);
    assert_int_equal(how.n_p, 9); /* the 8 shared axes and the one that stopped the test */
    assert_true(how.p[7] <= 0.05 && how.p[8] > 0.05);
    gk_k_choice_free(&how);
    assert_int_equal(gk_align_get_opts(a)->k, 8);
    assert_int_equal(gk_align_get_opts(a)->k_rule, GK_K_SHARED);
    char path[] = "/tmp/gk_kfit_XXXXXX.npz";
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    close(fd);
    assert_gk_ok(gk_align_save(a, path));
    assert_gk_ok(gk_align_load(path, &b));
    unlink(path);
    assert_int_equal(gk_align_get_opts(b)->k, 8);
    assert_int_equal(gk_align_get_opts(b)->k_rule, GK_K_SHARED);
    gk_align_free(a), gk_align_free(b);

    int64_t direct;
    int32_t *rows = gk_malloc(600 * sizeof *rows); /* distinct rows: each its own group */
    for (int i = 0; i < 600; i++) rows[i] = i;
    assert_gk_ok(gk_comet_select_k(s->text, s->audio, rows, NULL, 0, 5, 3, GK_COMET_W_NONE,
                                   &direct, NULL));
    assert_gk_ok(gk_align_parse("comet:k=auto", &o));
    assert_gk_ok(gk_transform_fit(&o, views, 2, NULL, 3, &a, &how));
    assert_int_equal(gk_align_get_opts(a)->k, direct);
    assert_int_equal(gk_align_get_opts(a)->k_rule, GK_K_AUTO);
    assert_non_null(strstr(how.why, "k=auto -> k="));
    assert_int_equal(how.rule, GK_K_AUTO);
    assert_null(how.p);
    gk_align_free(a);
    gk_free(rows);
    gk_synth_free(s);
}

static gk_mat *load_unit(const char *rel)
{
    gk_mat *m = NULL;
    gk_load_opts o = gk_load_opts_default();
    assert_gk_ok(gk_load_matrix(shared_path(rel), &o, &m));
    return m;
}

/* CLIP-COCO: fitted on the train rows only, scored on the test rows; the
** same model saved and given as a file scores identically on all rows. */
static void test_retrieval_protocol(void **state)
{
    (void)state;
    gk_mat *img = load_unit("clip-coco-liang/features_clip.npy:0");
    gk_mat *txt = load_unit("clip-coco-liang/features_clip.npy:1");
    gk_align_opts fit;
    gk_align *file;
    int has_fit;
    gk_retrieval_result r, r2, r3;
    gk_split *s;
    assert_gk_ok(gk_transform_open("comet:k=64", &fit, &has_fit, &file));
    assert_int_equal(gk_retrieval_protocol(img, txt, NULL, NULL, NULL, &fit, NULL, 0, &r),
                     GK_EARG);
    assert_error_has("leaks");
    assert_gk_ok(gk_split_random(500, 0.2, 0, &s));
    assert_gk_ok(gk_retrieval_protocol(img, txt, NULL, NULL, s, &fit, NULL, 0, &r));
    assert_int_equal(r.x2y.n_queries, 100);
    assert_int_equal(r.x2y.n_gallery, 100);
    assert_true(r.x2y.r10 > 0.5);
    assert_non_null(strstr(r.transform, "fitted on 400 train pairs"));
    /* options filled in by hand are the same fit */
    gk_align_opts hand = gk_align_opts_default(GK_ALIGN_COMET);
    hand.k = 64;
    assert_gk_ok(gk_retrieval_protocol(img, txt, NULL, NULL, s, &hand, NULL, 0, &r3));
    assert_memory_equal(&r3.x2y, &r.x2y, sizeof r.x2y);
    assert_memory_equal(&r3.y2x, &r.y2x, sizeof r.y2x);
    assert_gk_ok(gk_retrieval_protocol(img, txt, NULL, NULL, s, NULL, NULL, 0, &r2));
    print_message("COCO test 100: raw i2t R@1 %.3f -> comet k=64 %.3f\n", r2.x2y.r1, r.x2y.r1);
    /* a saved model, applied through the MODEL path, gives the same numbers */
    gk_mat *tr_i, *tr_t;
    gk_comet *m;
    char path[] = "/tmp/gk_eval_model_XXXXXX.npz";
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    close(fd);
    assert_gk_ok(gk_mat_select_rows(img, s->train, s->n_train, &tr_i));
    assert_gk_ok(gk_mat_select_rows(txt, s->train, s->n_train, &tr_t));
    assert_gk_ok(gk_comet_fit(tr_i, tr_t, 64, &m));
    assert_gk_ok(gk_comet_save(m, path));
    assert_gk_ok(gk_transform_open(path, &fit, &has_fit, &file));
    assert_int_equal(has_fit, 0);
    assert_string_equal(gk_align_source(file), path);
    assert_gk_ok(gk_retrieval_protocol(img, txt, NULL, NULL, s, NULL, file, 0, &r3));
    assert_true(r3.x2y.r1 == r.x2y.r1 && r3.y2x.map10 == r.y2x.map10);
    assert_non_null(strstr(r3.transform, "model /tmp/gk_eval_model_"));
    gk_align_free(file);
    unlink(path);
    gk_comet_free(m);
    gk_mat_free(tr_i);
    gk_mat_free(tr_t);
    gk_split_free(s);
    gk_mat_free(img);
    gk_mat_free(txt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_select_k_synthetic),
        cmocka_unit_test(test_transform_fit_k_rule),
        cmocka_unit_test(test_retrieval_protocol),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
