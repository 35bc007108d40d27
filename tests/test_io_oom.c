/*
** test_io_oom.c — allocation failure is an error, not a crash: every
** allocation of the file parsers and of a COMET fit + save is failed in turn
** (gk_set_allocator, alloc_test_util.h); each must return GK_ENOMEM with an
** "out of memory" message, leak nothing (the ASan build checks) and leave no
** file behind.  Inputs are the seed files of tests/fuzz/corpus.
*/
#include "alloc_test_util.h"

/*====  every allocation failure is GK_ENOMEM with a message  ====*/

/* One parse of b[0..len); arg: the CSV column, or NULL. */
typedef int (*op_fn)(const unsigned char *b, size_t len, const char *arg);

static int op_npy(const unsigned char *b, size_t len, const char *arg)
{
    gk_mat *m = NULL;
    int rc = gk_npy_read_mem(b, len, arg, "f.npy", &m);
    gk_mat_free(m);
    return rc;
}

static int op_npz(const unsigned char *b, size_t len, const char *arg)
{
    gk_mat *m = NULL;
    char *t = NULL;
    (void)arg;
    int rc = gk_npz_read_mem(b, len, "y", "f.npz", &m);
    if (rc == GK_OK) rc = gk_npz_read_text_mem(b, len, "x.npy", "f.npz", &t);
    gk_mat_free(m);
    gk_free(t);
    return rc;
}

static int op_wordvec(const unsigned char *b, size_t len, const char *arg)
{
    gk_mat *m = NULL;
    gk_vocab *v = NULL;
    (void)arg;
    int rc = gk_wordvec_read_mem(b, len, "f.vec", &m, &v);
    gk_mat_free(m);
    gk_vocab_free(v);
    return rc;
}

static int op_labels(const unsigned char *b, size_t len, const char *column)
{
    gk_labels *l = NULL;
    int rc = gk_labels_read_mem(b, len, column, "f.labels", &l);
    gk_labels_free(l);
    return rc;
}

static int op_comet(const unsigned char *b, size_t len, const char *arg)
{
    gk_comet *m = NULL;
    (void)arg;
    int rc = gk_comet_load_mem(b, len, "f.model", &m);
    gk_comet_free(m);
    return rc;
}

/* Fails allocation 0, 1, 2, … of op until it succeeds: each failure must be
** GK_ENOMEM with an "out of memory" message. */
static void sweep(const char *file, op_fn op, const char *arg)
{
    size_t len;
    unsigned char *b = slurp(file, &len);
    long k;
    for (k = 0; k < 10000; k++) {
        count_from_here(k);
        int rc = op(b, len, arg);
        gk_set_allocator(NULL);
        if (rc == GK_OK) break;
        if (rc != GK_ENOMEM || !strstr(gk_last_error(), "out of memory"))
            fail_msg("%s: allocation %ld failed -> %d \"%s\"", file, k, rc, gk_last_error());
    }
    assert_true(k > 0 && k < 10000);
    free(b);
}

static void test_parsers_report_every_allocation_failure(void **state)
{
    (void)state;
    sweep(corpus("fuzz_npy/f8_fortran"), op_npy, NULL);
    sweep(corpus("fuzz_npz/deflated_two"), op_npz, NULL);
    sweep(corpus("fuzz_npz/stored_two"), op_npz, NULL);
    sweep(corpus("fuzz_wordvec/w2v_binary"), op_wordvec, NULL);
    sweep(corpus("fuzz_wordvec/glove_crlf"), op_wordvec, NULL);
    sweep(corpus("fuzz_labels/csv_quoted"), op_labels, "class");
    sweep(corpus("fuzz_labels/text"), op_labels, NULL);
    sweep(corpus("fuzz_comet/square"), op_comet, NULL);
    sweep(corpus("fuzz_comet/square_deflated"), op_comet, NULL);
}

/* Fit, save and load a COMET model with each allocation failing in turn; a
** failed save leaves neither the model nor a temporary file. */
static void test_comet_fit_save_allocation_failures(void **state)
{
    (void)state;
    gk_mat *T, *A;
    assert_gk_ok(gk_mat_create(12, 4, &T));
    assert_gk_ok(gk_mat_create(12, 4, &A));
    gk_rng r;
    gk_rng_seed(&r, 3);
    for (int64_t i = 0; i < 48; i++) {
        T->data[i] = (float)gk_rng_normal(&r);
        A->data[i] = T->data[i] + 0.3f * (float)gk_rng_normal(&r);
    }
    const char *path = tmp_path("oom_model.npz");
    long k;
    for (k = 0; k < 10000; k++) {
        gk_comet *m = NULL;
        count_from_here(k);
        int rc = gk_comet_fit(T, A, 2, &m);
        if (rc == GK_OK) rc = gk_comet_save(m, path);
        gk_set_allocator(NULL);
        gk_comet_free(m);
        if (rc == GK_OK) break;
        if (rc != GK_ENOMEM) fail_msg("allocation %ld failed -> %d \"%s\"", k, rc, gk_last_error());
        DIR *d = opendir(scratch_dir);
        struct dirent *e;
        while ((e = readdir(d)) != NULL)
            if (strstr(e->d_name, "oom_model")) fail_msg("allocation %ld left %s", k, e->d_name);
        closedir(d);
    }
    assert_true(k > 0 && k < 10000);
    gk_comet *back = NULL;
    assert_gk_ok(gk_comet_load(path, &back));
    assert_int_equal(gk_comet_k(back), 2);
    gk_comet_free(back);
    gk_mat_free(T);
    gk_mat_free(A);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_parsers_report_every_allocation_failure,
                                  restore_allocator),
        cmocka_unit_test_teardown(test_comet_fit_save_allocation_failures, restore_allocator),
    };
    return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
