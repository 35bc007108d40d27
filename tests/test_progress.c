/*
** test_progress.c — long operations report progress through the callback
** (the library never prints): every stage ends with done == total, counts
** never go backwards, and with no callback nothing is called.
*/
#include "test_util.h"

typedef struct seen {
    int calls, finished_cross, finished_perm;
    int64_t last_done;
    char last_stage[96];
    int backwards;
} seen;

static void record(void *ud, const char *stage, int64_t done, int64_t total)
{
    seen *s = ud;
    if (!strcmp(stage, s->last_stage) && done < s->last_done) s->backwards++;
    snprintf(s->last_stage, sizeof s->last_stage, "%s", stage);
    s->last_done = done;
    s->calls++;
    if (!strncmp(stage, "cross-product", 13) && done == total) s->finished_cross++;
    if (strstr(stage, "axes tested") && done == total) s->finished_perm++;
}

static void test_stages_are_reported_and_finish(void **state)
{
    (void)state;
    gk_synth_opts o = gk_synth_opts_default();
    o.n = 9000; /* three row blocks */
    gk_synth *s;
    gk_comet *m;
    assert_gk_ok(gk_synth_generate(&o, &s));
    seen rec = {0};
    gk_set_progress(record, &rec);
    assert_gk_ok(gk_comet_fit(s->text, s->audio, 0, &m));
    double p[64];
    int64_t n_shared;
    assert_gk_ok(gk_comet_permutation_test(m, s->text, s->audio, 5, 0.2, 0, p, &n_shared));
    gk_set_progress(NULL, NULL);
    printf("  %d progress calls\n", rec.calls);
    assert_int_equal(rec.finished_cross, 1 + 5); /* the fit and each shuffled product */
    assert_int_equal(rec.finished_perm, 1);
    assert_int_equal(rec.backwards, 0);
    /* without a callback nothing is recorded */
    int before = rec.calls;
    gk_comet_free(m);
    assert_gk_ok(gk_comet_fit(s->text, s->audio, 4, &m));
    assert_int_equal(rec.calls, before);
    gk_comet_free(m);
    gk_synth_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stages_are_reported_and_finish),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
