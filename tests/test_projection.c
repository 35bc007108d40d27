/*
** test_projection.c — the joint 2-D projection: its axes carry the largest
** joint variance (Σ p² over all rows = the leading eigenvalues, checked
** against a scatter computed here in double), and on data with a large gap
** the first axis separates the two modalities.
*/
#include "test_util.h"

static void test_axes_carry_the_leading_variance(void **state)
{
    (void)state;
    gk_synth_opts o = gk_synth_opts_default();
    o.n = 500;
    o.gap = 4.0; /* between-modality variance (γ/2)² = 4 above every other axis */
    gk_synth *s;
    gk_projection2 *p;
    assert_gk_ok(gk_synth_generate(&o, &s));
    assert_gk_ok(gk_projection2_joint(s->text, s->audio, 100000, &p));
    assert_int_equal(p->n_x, 500);
    /* total joint variance, in double, straight from the rows */
    const int64_t n = 500, d = 64;
    double mu[64] = {0}, total = 0;
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < d; j++)
            mu[j] += ((double)gk_mat_row(s->text, i)[j] + gk_mat_row(s->audio, i)[j]) / (2.0 * n);
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < d; j++) {
            double a = gk_mat_row(s->text, i)[j] - mu[j], b = gk_mat_row(s->audio, i)[j] - mu[j];
            total += a * a + b * b;
        }
    double s0 = 0, s1 = 0, cross = 0, mean_tx = 0, mean_ax = 0;
    for (int64_t i = 0; i < n; i++) {
        const float *a = p->x + 2 * i, *b = p->y + 2 * i;
        s0 += (double)a[0] * a[0] + (double)b[0] * b[0];
        s1 += (double)a[1] * a[1] + (double)b[1] * b[1];
        cross += (double)a[0] * a[1] + (double)b[0] * b[1];
        mean_tx += a[0] / n, mean_ax += b[0] / n;
    }
    printf("  variance shares %.4f %.4f; first-axis means %.3f / %.3f\n", p->var_share[0],
           p->var_share[1], mean_tx, mean_ax);
    assert_close(s0 / total, p->var_share[0], 1e-5);
    assert_close(s1 / total, p->var_share[1], 1e-5);
    assert_true(p->var_share[0] >= p->var_share[1]);
    assert_true(fabs(cross) < 1e-4 * s0); /* the axes are orthogonal: uncorrelated scores */
    /* the gap is the largest direction here: the two clouds sit apart on axis 1 */
    assert_true(fabs(mean_tx - mean_ax) > 0.8);
    gk_projection2_free(p);
    /* subsampling keeps evenly spaced rows */
    assert_gk_ok(gk_projection2_joint(s->text, s->audio, 7, &p));
    assert_int_equal(p->n_y, 7);
    assert_int_equal(p->idx_y[6], 6 * 500 / 7);
    gk_projection2_free(p);
    gk_mat narrow = *s->audio;
    narrow.cols = 1;
    assert_int_equal(gk_projection2_joint(s->text, &narrow, 10, &p), GK_ESHAPE);
    assert_null(p);
    gk_synth_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_axes_carry_the_leading_variance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
