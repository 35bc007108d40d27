/*
** test_threads.c — library calls made at the same time from two threads
** give the same bytes as made one after the other, and leave OpenBLAS at the
** thread count gk_set_threads() chose (blas_threads_internal.h: serial
** sections are counted over all threads, so one call ending its section
** cannot switch BLAS back while another is inside its own).
*/
#include <cblas.h>
#include <pthread.h>

#include "test_util.h"

typedef struct job {
    const gk_synth *s;
    char *comet_json;   /* COMET fitted on (text, audio): its JSON summary */
    int64_t *ids;       /* the 10-NN graph of the text rows */
    float *dist;
    int rc;
} job;

#define KNN_K 10

static void *run_comet(void *arg)
{
    job *j = arg;
    gk_comet *m = NULL;
    j->rc = gk_comet_fit(j->s->text, j->s->audio, 8, &m);
    if (j->rc == GK_OK) j->rc = gk_comet_to_json(m, NULL, 0, &j->comet_json);
    gk_comet_free(m);
    return NULL;
}

static void *run_knn(void *arg)
{
    job *j = arg;
    const int64_t n = j->s->text->rows;
    gk_knn *idx = NULL;
    j->ids = gk_malloc((size_t)n * KNN_K * sizeof *j->ids);
    j->dist = gk_malloc((size_t)n * KNN_K * sizeof *j->dist);
    j->rc = j->ids && j->dist ? gk_knn_create(j->s->text, GK_DIST_COSINE, &idx) : GK_ENOMEM;
    if (j->rc == GK_OK) j->rc = gk_knn_graph(idx, KNN_K, j->ids, j->dist);
    gk_knn_free(idx);
    return NULL;
}

static void job_free(job *j)
{
    gk_free(j->comet_json), gk_free(j->ids), gk_free(j->dist);
}

static void test_two_threads_match_sequential(void **state)
{
    (void)state;
    gk_set_threads(2);
    gk_synth_opts o = gk_synth_opts_default();
    o.n = 6000;
    gk_synth *s = NULL;
    assert_gk_ok(gk_synth_generate(&o, &s));
    const int64_t n = s->text->rows;

    job seq_c = {.s = s}, seq_k = {.s = s};
    run_comet(&seq_c);
    run_knn(&seq_k);
    assert_gk_ok(seq_c.rc);
    assert_gk_ok(seq_k.rc);
    assert_int_equal(openblas_get_num_threads(), 2);

    for (int round = 0; round < 3; round++) {
        job c = {.s = s}, k = {.s = s};
        pthread_t tc, tk;
        assert_int_equal(pthread_create(&tc, NULL, run_comet, &c), 0);
        assert_int_equal(pthread_create(&tk, NULL, run_knn, &k), 0);
        pthread_join(tc, NULL);
        pthread_join(tk, NULL);
        assert_gk_ok(c.rc);
        assert_gk_ok(k.rc);
        assert_string_equal(c.comet_json, seq_c.comet_json);
        assert_memory_equal(k.ids, seq_k.ids, (size_t)n * KNN_K * sizeof *k.ids);
        assert_memory_equal(k.dist, seq_k.dist, (size_t)n * KNN_K * sizeof *k.dist);
        /* neither call may leave BLAS single-threaded for the other */
        assert_int_equal(openblas_get_num_threads(), 2);
        job_free(&c), job_free(&k);
    }
    job_free(&seq_c), job_free(&seq_k);
    gk_synth_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_threads_match_sequential),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
