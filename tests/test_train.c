/*
** test_train.c — gk_train() and trained heads as transforms: save → load →
** apply gives the same bytes (through gk_heads_load and gk_align_load),
** same seed → bit-identical heads for 1 and 2 threads, early stopping keeps
** the best epoch, a non-finite run stops naming epoch and step and keeps
** the initial heads, and every bad input is refused with GK_EARG / GK_ESHAPE /
** GK_EFORMAT.
*/
#include <unistd.h>

#include "io/model_file_internal.h"
#include "test_util.h"

static gk_mat *rand_mat(gk_rng *r, int64_t n, int64_t d)
{
    gk_mat *m = NULL;
    assert_gk_ok(gk_mat_create(n, d, &m));
    for (int64_t i = 0; i < n * d; i++) m->data[i] = (float)gk_rng_normal(r);
    return m;
}

/* Paired views: view v = a shared signal through a random map, plus noise. */
static void make_views(int M, int64_t n, const int64_t *dims, gk_mat **views)
{
    gk_rng r;
    gk_rng_seed(&r, 5);
    gk_mat *s = rand_mat(&r, n, 6);
    for (int v = 0; v < M; v++) {
        gk_mat *W = rand_mat(&r, 6, dims[v]);
        views[v] = rand_mat(&r, n, dims[v]);
        for (int64_t i = 0; i < n; i++)
            for (int64_t k = 0; k < dims[v]; k++) {
                double acc = 0;
                for (int j = 0; j < 6; j++) acc += s->data[i * 6 + j] * W->data[j * dims[v] + k];
                views[v]->data[i * dims[v] + k] = (float)(acc + 0.3 * views[v]->data[i * dims[v] + k]);
            }
        gk_mat_free(W);
    }
    gk_mat_free(s);
}

static gk_train_result *train(const gk_train_opts *o, const gk_mat *const *views, int M,
                              int64_t n, const int64_t *train_idx, int64_t n_train,
                              const int64_t *val, int64_t n_val)
{
    gk_train_data d = {views, M, NULL, n, NULL, train_idx, n_train, val, n_val, NULL};
    gk_train_result *r = NULL;
    assert_gk_ok(gk_train(o, &d, NULL, NULL, &r));
    return r;
}

static void test_save_load_apply(void **state)
{
    (void)state;
    const int64_t dims[3] = {10, 7, 12};
    gk_mat *views[3];
    make_views(3, 64, dims, views);
    gk_train_opts o = gk_train_opts_default(GK_LOSS_MODGAP);
    o.head = GK_HEAD_MLP, o.dim = 5, o.epochs = 2, o.batch = 16, o.dropout = 0.1;
    gk_train_result *r = train(&o, (const gk_mat *const *)views, 3, 64, NULL, 0, NULL, 0);
    char path[] = "/tmp/gk_test_head_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    assert_gk_ok(gk_heads_save(r->heads, path));
    gk_heads *h = NULL;
    gk_align *a = NULL;
    assert_gk_ok(gk_heads_load(path, &h));
    assert_gk_ok(gk_align_load(path, &a));
    assert_int_equal(gk_align_get_opts(a)->method, GK_ALIGN_HEAD);
    assert_string_equal(gk_align_method_name(GK_ALIGN_HEAD), "head");
    assert_int_equal(gk_align_out_dim(a, 2), 5);
    for (int v = 0; v < 3; v++) {
        gk_mat *z0 = NULL, *z1 = NULL, *z2 = NULL;
        assert_gk_ok(gk_heads_apply(r->heads, v, views[v], &z0));
        assert_gk_ok(gk_heads_apply(h, v, views[v], &z1));
        assert_gk_ok(gk_align_apply(a, v, views[v], &z2));
        assert_memory_equal(z0->data, z1->data, 64 * 5 * sizeof(float));
        assert_memory_equal(z0->data, z2->data, 64 * 5 * sizeof(float));
        for (int64_t i = 0; i < 64; i++) {
            double ss = 0;
            for (int k = 0; k < 5; k++) ss += (double)z0->data[i * 5 + k] * z0->data[i * 5 + k];
            assert_close(ss, 1.0, 1e-5);
        }
        gk_mat_free(z0), gk_mat_free(z1), gk_mat_free(z2);
    }
    /* a head given rows of another dimension */
    gk_mat *z = NULL;
    assert_int_equal(gk_heads_apply(h, 0, views[1], &z), GK_ESHAPE);
    assert_int_equal(gk_align_apply(a, 0, views[1], &z), GK_ESHAPE);
    assert_null(z);
    assert_non_null(strstr(gk_last_error(), "D = 7"));
    /* gk_align_save of a loaded head writes the same heads back */
    assert_gk_ok(gk_align_save(a, path));
    gk_heads *h2 = NULL;
    assert_gk_ok(gk_heads_load(path, &h2));
    size_t n1, n2;
    const float *p1 = gk_heads_params(h, &n1), *p2 = gk_heads_params(h2, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(p1, p2, n1 * sizeof(float));
    unlink(path);
    gk_heads_free(h), gk_heads_free(h2), gk_align_free(a);
    gk_train_result_free(r);
    for (int v = 0; v < 3; v++) gk_mat_free(views[v]);
}

static void test_threads_identical(void **state)
{
    (void)state;
    const int64_t dims[3] = {10, 7, 12};
    gk_mat *views[3];
    make_views(3, 96, dims, views);
    gk_train_opts o = gk_train_opts_default(GK_LOSS_INFONCE);
    o.head = GK_HEAD_MLP, o.dim = 8, o.epochs = 3, o.batch = 32, o.dropout = 0.2, o.mixup = 1;
    o.learn_temperature = 1, o.seed = 9;
    const int saved = gk_get_threads();
    gk_set_threads(1);
    gk_train_result *a = train(&o, (const gk_mat *const *)views, 3, 96, NULL, 0, NULL, 0);
    gk_set_threads(2);
    gk_train_result *b = train(&o, (const gk_mat *const *)views, 3, 96, NULL, 0, NULL, 0);
    o.seed = 10;
    gk_train_result *c = train(&o, (const gk_mat *const *)views, 3, 96, NULL, 0, NULL, 0);
    gk_set_threads(saved);
    size_t n;
    const float *pa = gk_heads_params(a->heads, &n), *pb = gk_heads_params(b->heads, NULL);
    assert_memory_equal(pa, pb, n * sizeof(float));
    assert_true(memcmp(pa, gk_heads_params(c->heads, NULL), n * sizeof(float)) != 0);
    assert_true(a->curve[2].loss < a->curve[0].loss);
    gk_train_result_free(a), gk_train_result_free(b), gk_train_result_free(c);
    for (int v = 0; v < 3; v++) gk_mat_free(views[v]);
}

static void test_early_stop_and_nonfinite(void **state)
{
    (void)state;
    const int64_t dims[2] = {10, 7};
    gk_mat *views[2];
    make_views(2, 80, dims, views);
    int64_t tr[60], va[20];
    for (int i = 0; i < 60; i++) tr[i] = i;
    for (int i = 0; i < 20; i++) va[i] = 60 + i;
    gk_train_opts o = gk_train_opts_default(GK_LOSS_INFONCE);
    o.dim = 6, o.epochs = 30, o.batch = 20, o.lr = 0.05, o.early_stop = GK_METRIC_LOSS;
    o.patience = 2;
    gk_train_result *r = train(&o, (const gk_mat *const *)views, 2, 80, tr, 60, va, 20);
    /* the kept epoch has the lowest validation loss of the curve */
    for (int e = 0; e < r->n_epochs; e++)
        assert_true(r->curve[r->best_epoch - 1].val_loss <= r->curve[e].val_loss);
    if (r->stop == GK_TRAIN_EARLY) assert_int_equal(r->n_epochs, r->best_epoch + o.patience);
    gk_train_result_free(r);
    /* a rate that overflows the weights: stop at once, keep the initial heads */
    o = gk_train_opts_default(GK_LOSS_INFONCE);
    o.dim = 6, o.epochs = 3, o.batch = 20, o.lr = 1e38, o.warmup = 0;
    r = train(&o, (const gk_mat *const *)views, 2, 80, NULL, 0, NULL, 0);
    assert_int_equal(r->stop, GK_TRAIN_NONFINITE);
    assert_int_equal(r->best_epoch, 0);
    assert_non_null(strstr(r->message, "epoch 1 step"));
    gk_heads *init = NULL;
    assert_gk_ok(gk_heads_create(o.head, 2, dims, 6, o.temperature, o.seed, &init));
    size_t n;
    const float *kept = gk_heads_params(r->heads, &n);
    assert_memory_equal(kept, gk_heads_params(init, NULL), n * sizeof(float));
    gk_heads_free(init);
    gk_train_result_free(r);
    for (int v = 0; v < 2; v++) gk_mat_free(views[v]);
}

static void test_bad_input(void **state)
{
    (void)state;
    const int64_t dims[3] = {10, 7, 5};
    gk_mat *views[3];
    make_views(3, 40, dims, views);
    const gk_mat *const *V = (const gk_mat *const *)views;
    int64_t idx[40];
    for (int i = 0; i < 40; i++) idx[i] = i;
    gk_train_opts o = gk_train_opts_default(GK_LOSS_INFONCE);
    o.dim = 4, o.epochs = 1, o.batch = 50;
    gk_train_result *r = NULL;
    gk_train_data d = {V, 2, NULL, 40, NULL, NULL, 0, NULL, 0, NULL};
    assert_int_equal(gk_train(&o, &d, NULL, NULL, &r), GK_EARG); /* batch > items */
    assert_non_null(strstr(gk_last_error(), "batch 50 is larger than the 40"));
    o.batch = 8;
    d.train = idx, d.n_train = 0;
    assert_int_equal(gk_train(&o, &d, NULL, NULL, &r), GK_EARG); /* empty training set */
    assert_non_null(strstr(gk_last_error(), "training set is empty"));
    d.n_train = 39, d.val = idx + 39, d.n_val = 1;
    assert_int_equal(gk_train(&o, &d, NULL, NULL, &r), GK_EARG); /* 1 validation item */
    d.val = NULL, d.n_val = 0, o.early_stop = GK_METRIC_R1;
    assert_int_equal(gk_train(&o, &d, NULL, NULL, &r), GK_EARG); /* early stop, no val */
    o.early_stop = GK_METRIC_NONE, d.train = NULL, d.n_train = 0;
    idx[3] = 40;
    d.train = idx, d.n_train = 8;
    assert_int_equal(gk_train(&o, &d, NULL, NULL, &r), GK_EARG); /* item out of range */
    d.train = NULL, d.n_train = 0, d.n_views = 3;
    gk_train_opts s = gk_train_opts_default(GK_LOSS_SOFTCLAP);
    s.dim = 4, s.batch = 8;
    assert_int_equal(gk_train(&s, &d, NULL, NULL, &r), GK_EARG); /* softclap, 3 views */
    gk_heads *h = NULL;
    assert_gk_ok(gk_heads_create(GK_HEAD_MLP, 3, dims, 4, 0.1, 0, &h));
    d.init = h;
    assert_int_equal(gk_train(&o, &d, NULL, NULL, &r), GK_ESHAPE); /* mlp init, linear run */
    assert_null(r);
    gk_heads_free(h);
    /* a kind "head" file whose header promises more than the file holds */
    char path[] = "/tmp/gk_test_headbad_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    assert_gk_ok(gk_model_write(path, "head", "{\"head\": \"linear\", \"n_views\": 2, "
                                "\"dims\": [100000, 5], \"dim\": 4, \"n_fit\": 1}", NULL, 0));
    assert_int_equal(gk_heads_load(path, &h), GK_EFORMAT);
    assert_null(h);
    gk_align *a = NULL;
    assert_int_equal(gk_align_load(path, &a), GK_EFORMAT);
    unlink(path);
    for (int v = 0; v < 3; v++) gk_mat_free(views[v]);
}

/* The spec text of compare/analyze --train: parsed over the loss's defaults,
** printed canonically (only keys off the defaults), and read back the same. */
static void test_spec_round_trip(void **state)
{
    (void)state;
    gk_train_opts o, back;
    char buf[256];
    assert_int_equal(gk_train_spec_parse("infonce", &o), GK_OK);
    assert_string_equal(gk_train_opts_string(&o, buf, sizeof buf), "infonce:head=linear");
    assert_int_equal(gk_train_spec_parse("modgap:head=mlp,epochs=7,dim=64,lr=0.01,dropout=0.25,"
                                         "alpha=1", &o), GK_OK);
    assert_int_equal(o.loss, GK_LOSS_MODGAP);
    assert_int_equal(o.head, GK_HEAD_MLP);
    assert_int_equal(o.epochs, 7);
    assert_int_equal(o.dim, 64);
    assert_true(o.lr == 0.01 && o.dropout == 0.25 && o.schedule == 0 && o.temperature == 0.1);
    assert_string_equal(gk_train_opts_string(&o, buf, sizeof buf),
                        "modgap:head=mlp,dim=64,epochs=7,lr=0.01,dropout=0.25,alpha=1");
    assert_int_equal(gk_train_spec_parse(buf, &back), GK_OK);
    assert_memory_equal(&o, &back, sizeof o);
    assert_int_equal(gk_train_spec_parse("softclap:beta=0.5,batch=32", &o), GK_OK);
    assert_true(o.soft_beta == 0.5 && o.batch == 32 && o.temperature == 0.07);
    /* refused, naming the key */
    assert_int_equal(gk_train_spec_parse("infonce:epochs=2.5", &o), GK_EARG);
    assert_non_null(strstr(gk_last_error(), "epochs=2.5"));
    assert_int_equal(gk_train_spec_parse("infonce:dim=0", &o), GK_EARG);
    assert_int_equal(gk_train_spec_parse("infonce:depth=3", &o), GK_EARG);
    assert_non_null(strstr(gk_last_error(), "depth"));
    assert_int_equal(gk_train_spec_parse("infonce:lr", &o), GK_EARG);
    assert_int_equal(gk_train_spec_parse("infonce:head=deep", &o), GK_EARG);
    assert_int_equal(gk_train_spec_parse("clip", &o), GK_EARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_save_load_apply),
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_early_stop_and_nonfinite),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_spec_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
