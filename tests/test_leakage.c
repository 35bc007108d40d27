/*
** test_leakage.c — the leakage analysis (leakage.h):
**   - ESC-50 audio embeddings against scikit-learn/numpy values from
**     tests/reference/leakage_reference.py: silhouette, Fisher ratio,
**     leave-one-out nearest centroid, and the probe (gk_logreg) trained on
**     folds 2–5 against sklearn's LogisticRegression accuracy on fold 1;
**   - synthetic cases with a known answer: classes separable in one view and
**     not in the other; prompts equal to the class centroids (every zero-shot
**     success is inherited); a transform that can only memorise the training
**     classes (prompts unrelated to the audio classes): large gain on an item
**     split, none on a class-disjoint split;
**   - invariances (silhouette under rotation and scale) and bad input.
*/
#include "knn_test_util.h"

static gk_mat *load_esc50(int32_t **y, int32_t *C)
{
    gk_mat *X;
    gk_labels *l;
    gk_load_opts o = gk_load_opts_default();
    assert_gk_ok(gk_load_matrix(shared_path("esc50-clap/audio.npy"), &o, &X));
    assert_gk_ok(gk_labels_read(shared_path("esc50-clap/meta.csv:class_name"), &l));
    *y = malloc((size_t)l->n * sizeof **y);
    memcpy(*y, l->id, (size_t)l->n * sizeof **y);
    *C = l->n_classes;
    gk_labels_free(l);
    return X;
}

static void test_esc50_against_sklearn(void **state)
{
    (void)state;
    int32_t *y, C;
    gk_mat *X = load_esc50(&y, &C);
    double s, f, acc;
    assert_gk_ok(gk_silhouette(X, y, C, &s));
    assert_close(s, 0.2773525437, 2e-5);
    assert_gk_ok(gk_fisher_ratio(X, y, C, &f));
    assert_close(f, 1.7616620179, 1e-5);
    assert_gk_ok(gk_ncc_loo(X, y, C, NULL, &acc));
    assert_close(acc, 0.9745, 1e-12);
    /* the probe: same loss as sklearn's C = 1/(λ·n); a different optimiser
    ** may flip a few near-tied items of the 400 */
    char **fold;
    int64_t n;
    assert_gk_ok(gk_csv_column(shared_path("esc50-clap/meta.csv"), "fold", &fold, &n));
    int64_t tr[2000], te[2000], ntr = 0, nte = 0;
    int32_t ytr[2000], yte[2000], pred[2000];
    for (int64_t i = 0; i < n; i++) {
        if (!strcmp(fold[i], "1")) yte[nte] = y[i], te[nte++] = i;
        else ytr[ntr] = y[i], tr[ntr++] = i;
    }
    gk_mat *Xtr, *Xte;
    gk_logreg *m;
    assert_gk_ok(gk_mat_select_rows(X, tr, ntr, &Xtr));
    assert_gk_ok(gk_mat_select_rows(X, te, nte, &Xte));
    gk_logreg_opts lo = gk_logreg_opts_default();
    lo.max_iter = 1000;
    assert_gk_ok(gk_logreg_fit(Xtr, ytr, C, &lo, &m));
    assert_gk_ok(gk_logreg_predict(m, Xte, pred, NULL));
    int64_t right = 0;
    for (int64_t i = 0; i < nte; i++) right += pred[i] == yte[i];
    assert_close((double)right / (double)nte, 0.9725, 3.0 / 400);
    gk_logreg_free(m);
    gk_mat_free(Xtr);
    gk_mat_free(Xte);
    gk_strings_free(fold, n);
    gk_mat_free(X);
    free(y);
}

/* Rows of class i % C: centre_c · signal + noise, D dims; centres N(0, I). */
static gk_mat *classes_view(int64_t n, int64_t D, int32_t C, double signal, uint64_t seed,
                            int32_t *y)
{
    gk_mat *c = gauss(C, D, seed), *X = gauss(n, D, seed + 1);
    for (int64_t i = 0; i < n; i++) {
        y[i] = (int32_t)(i % C);
        for (int64_t d = 0; d < D; d++) gk_mat_row(X, i)[d] += (float)(signal * gk_mat_row(c, y[i])[d]);
    }
    gk_mat_free(c);
    return X;
}

static void test_separable_in_one_view_only(void **state)
{
    (void)state;
    int32_t y[600], y2[600];
    gk_mat *A = classes_view(600, 24, 6, 3.0, 11, y);  /* classes far apart */
    gk_mat *B = classes_view(600, 24, 6, 0.0, 21, y2); /* no class signal at all */
    gk_separability sa, sb;
    assert_gk_ok(gk_separability_eval(A, y, 6, 0, &sa, NULL));
    assert_gk_ok(gk_separability_eval(B, y, 6, 0, &sb, NULL));
    assert_true(sa.knn_acc > 0.95 && sa.probe_acc > 0.95 && sa.ncc_acc > 0.95);
    assert_true(sa.silhouette > 0.3 && sa.fisher > 3);
    /* chance is 1/6: allow sampling noise */
    assert_true(sb.knn_acc < 0.3 && sb.probe_acc < 0.3 && sb.ncc_acc < 0.3);
    assert_true(fabs(sb.silhouette) < 0.05 && sb.fisher < 0.05);
    gk_mat_free(A);
    gk_mat_free(B);
}

static void test_silhouette_invariances(void **state)
{
    (void)state;
    int32_t y[300];
    gk_mat *A = classes_view(300, 5, 4, 1.0, 31, y);
    double s1, s2;
    assert_gk_ok(gk_silhouette(A, y, 4, &s1));
    /* scale by 3 and swap two coordinates (an isometry up to scale) */
    for (int64_t i = 0; i < 300; i++) {
        float *r = gk_mat_row(A, i), t = r[0];
        r[0] = r[3];
        r[3] = t;
        for (int d = 0; d < 5; d++) r[d] *= 3;
    }
    assert_gk_ok(gk_silhouette(A, y, 4, &s2));
    assert_close(s1, s2, 1e-5);
    gk_mat_free(A);
}

/* Class embeddings P (C,D) = the class means of X: zero-shot is then a
** nearest-centroid rule, so (almost) every success is inherited. */
static void test_prompts_at_centroids_inherit_everything(void **state)
{
    (void)state;
    int32_t y[400];
    gk_mat *X = classes_view(400, 16, 8, 1.0, 41, y), *P;
    assert_gk_ok(gk_mat_create(8, 16, &P));
    for (int64_t i = 0; i < 400; i++)
        for (int d = 0; d < 16; d++) gk_mat_row(P, y[i])[d] += gk_mat_row(X, i)[d] / 50;
    gk_leakage_result r;
    assert_gk_ok(gk_leakage_run(X, y, P, NULL, &r));
    assert_true(r.zs_top1 > 0.8);
    assert_true(r.inherited_share > 0.97);
    assert_true(r.zs_only < 0.02);
    assert_false(r.has_transform || r.has_backbone);
    gk_mat_free(X);
    gk_mat_free(P);
}

/* Prompts unrelated to the audio classes: only a transform fitted on the
** training classes can link them, and what it learns is those classes. */
static void test_memorising_transform(void **state)
{
    (void)state;
    int32_t y[1200];
    gk_mat *X = classes_view(1200, 32, 20, 2.0, 51, y), *P = gauss(20, 32, 61);
    gk_align_opts xf;
    assert_gk_ok(gk_align_parse("procrustes", &xf));
    gk_leakage_opts o = gk_leakage_opts_default();
    o.fit = &xf;
    o.n_boot = 300;
    gk_leakage_result r;
    assert_gk_ok(gk_leakage_run(X, y, P, &o, &r));
    assert_true(r.has_transform);
    assert_true(r.items.ncc_acc > 0.95); /* the audio separates its classes */
    assert_true(r.zs_top1 < 0.25);       /* the prompts do not know them */
    assert_true(r.item_gain.gain > 0.5 && r.item_gain.lo > 0.4);
    assert_true(r.item_gain.lo <= r.item_gain.gain && r.item_gain.gain <= r.item_gain.hi);
    assert_true(fabs(r.class_gain.gain) < 0.15);
    assert_true(r.class_gain.lo < r.class_gain.gain && r.class_gain.gain < r.class_gain.hi);
    assert_int_equal(r.class_gain.n_classes, 10);
    char *json;
    assert_gk_ok(gk_leakage_to_json(&r, &o, NULL, &json));
    assert_non_null(strstr(json, "\"item_split_gain\""));
    assert_non_null(strstr(json, "\"class_disjoint_gain\""));
    gk_free(json);
    gk_mat_free(X);
    gk_mat_free(P);
}

static void test_backbone_nngs(void **state)
{
    (void)state;
    int32_t y[300], y2[300];
    gk_mat *X = classes_view(300, 16, 5, 2.0, 71, y), *B = classes_view(300, 24, 5, 0.0, 81, y2);
    gk_mat *P = gauss(5, 16, 91);
    gk_leakage_opts o = gk_leakage_opts_default();
    o.backbone = B;
    gk_leakage_result r;
    assert_gk_ok(gk_leakage_run(X, y, P, &o, &r));
    assert_true(r.has_backbone && r.backbone_dim == 24);
    assert_true(r.backbone.knn_acc < 0.4 && r.items.knn_acc > 0.9);
    assert_true(r.nngs.value < 0.1); /* unrelated neighbourhoods */
    o.backbone = X;                   /* the same space: identical neighbourhoods */
    assert_gk_ok(gk_leakage_run(X, y, P, &o, &r));
    assert_close(r.nngs.value, 1.0, 1e-9);
    gk_mat_free(X);
    gk_mat_free(B);
    gk_mat_free(P);
}

static void test_bad_input(void **state)
{
    (void)state;
    int32_t y[40] = {0};
    gk_mat *X = gauss(40, 4, 1), *P = gauss(3, 5, 2), *P4 = gauss(3, 4, 3), *B = gauss(39, 4, 4);
    gk_leakage_result r;
    double s;
    assert_int_equal(gk_leakage_run(X, y, P, NULL, &r), GK_ESHAPE);
    y[5] = 7;
    assert_int_equal(gk_leakage_run(X, y, P4, NULL, &r), GK_EARG);
    y[5] = 0;
    assert_int_equal(gk_silhouette(X, y, 3, &s), GK_EARG); /* one class present */
    gk_leakage_opts o = gk_leakage_opts_default();
    for (int i = 0; i < 40; i++) y[i] = i % 3;
    o.backbone = B;
    assert_int_equal(gk_leakage_run(X, y, P4, &o, &r), GK_ESHAPE);
    gk_mat_free(X);
    gk_mat_free(P);
    gk_mat_free(P4);
    gk_mat_free(B);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_esc50_against_sklearn),
        cmocka_unit_test(test_separable_in_one_view_only),
        cmocka_unit_test(test_silhouette_invariances),
        cmocka_unit_test(test_prompts_at_centroids_inherit_everything),
        cmocka_unit_test(test_memorising_transform),
        cmocka_unit_test(test_backbone_nngs),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
