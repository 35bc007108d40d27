/*
** test_synth.c — the generator produces the structure it promises.
*/
#include "test_util.h"

/* Correlation over items of the projections of text and audio rows on axis e. */
static double axis_corr(const gk_synth *s, int64_t j)
{
    const float *e = gk_mat_row(s->axes, j);
    int64_t n = s->text->rows, d = s->text->cols;
    double st = 0, sa = 0, stt = 0, saa = 0, sta = 0;
    for (int64_t i = 0; i < n; i++) {
        double pt = 0, pa = 0;
        for (int64_t c = 0; c < d; c++) {
            pt += (double)gk_mat_row(s->text, i)[c] * e[c];
            pa += (double)gk_mat_row(s->audio, i)[c] * e[c];
        }
        st += pt; sa += pa; stt += pt * pt; saa += pa * pa; sta += pt * pa;
    }
    double ct = stt / n - (st / n) * (st / n), ca = saa / n - (sa / n) * (sa / n);
    return (sta / n - (st / n) * (sa / n)) / sqrt(ct * ca);
}

static void test_structure_before_normalisation(void **state)
{
    (void)state;
    gk_synth_opts o = gk_synth_opts_default();
    o.normalize = 0;
    o.n_classes = 0;
    o.n = 20000;
    gk_synth *s;
    assert_gk_ok(gk_synth_generate(&o, &s));
    assert_int_equal(s->text->rows, 20000);
    assert_int_equal(s->axes->rows, 8);
    /* the means differ by exactly gap·δ up to sampling error ~ 1/sqrt(n) */
    double mt[64], ma[64];
    assert_gk_ok(gk_mat_col_mean(s->text, mt));
    assert_gk_ok(gk_mat_col_mean(s->audio, ma));
    double along = 0, off = 0;
    for (int c = 0; c < 64; c++) along += (mt[c] - ma[c]) * s->gap_dir[c];
    for (int c = 0; c < 64; c++) {
        double r = mt[c] - ma[c] - along * s->gap_dir[c];
        off += r * r;
    }
    assert_close(along, o.gap, 0.01);
    assert_true(sqrt(off) < 0.06);
    /* the cross-modal correlation on each shared axis is ρ_j (1.96/sqrt(n) ≈ 0.014) */
    for (int64_t j = 0; j < 8; j++) assert_close(axis_corr(s, j), s->corr[j], 0.02);
    assert_close(s->corr[0], 0.95, 1e-12);
    assert_close(s->corr[7], 0.6, 1e-12);
    /* axes are orthonormal */
    for (int a = 0; a < 8; a++)
        for (int b = 0; b < 8; b++) {
            double dot = 0;
            for (int c = 0; c < 64; c++)
                dot += (double)gk_mat_row(s->axes, a)[c] * gk_mat_row(s->axes, b)[c];
            assert_close(dot, a == b ? 1.0 : 0.0, 1e-6);
        }
    gk_synth_free(s);
}

static void test_seeded_and_normalised(void **state)
{
    (void)state;
    gk_synth_opts o = gk_synth_opts_default();
    gk_synth *a, *b;
    assert_gk_ok(gk_synth_generate(&o, &a));
    assert_gk_ok(gk_synth_generate(&o, &b));
    assert_memory_equal(a->audio->data, b->audio->data, sizeof(float) * 2000 * 64);
    double norms[2000];
    gk_mat_row_norms(a->text, norms);
    for (int i = 0; i < 2000; i++) assert_close(norms[i], 1.0, 1e-6);
    assert_int_equal(a->label[13], 3);
    gk_synth_free(a);
    gk_synth_free(b);
    o.seed = 1;
    assert_gk_ok(gk_synth_generate(&o, &b));
    gk_synth_free(b);
}

static void test_rejects_impossible_options(void **state)
{
    (void)state;
    gk_synth_opts o = gk_synth_opts_default();
    gk_synth *s = (gk_synth *)0x1;
    o.k_shared = 60;
    assert_int_equal(gk_synth_generate(&o, &s), GK_EARG);
    assert_null(s);
    assert_error_has("do not fit in d = 64");
    o = gk_synth_opts_default();
    o.corr_first = 1.5;
    assert_int_equal(gk_synth_generate(&o, &s), GK_EARG);
    gk_synth_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_structure_before_normalisation),
        cmocka_unit_test(test_seeded_and_normalised),
        cmocka_unit_test(test_rejects_impossible_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
