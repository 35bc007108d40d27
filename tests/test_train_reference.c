/*
** test_train_reference.c — gk_train() against PyTorch, as llm.c checks its
** C training against torch: the same heads (every loss × both head kinds,
** two and three views, fixed and learnable logit scale) from the same
** initial weights on the same batches (no shuffling, dropout or mixup) for
** 4 epochs of 2 AdamW steps with warm-up and cosine decay.  The expected
** epoch losses and final parameters come from
** tests/reference/train_reference.py (torch autograd + torch.optim.AdamW,
** float32), committed in tests/train_reference_data.h.
**
** Tolerances: epoch losses to 5e-5 relative and every parameter to 5e-6
** absolute (float32 on both sides, sums in other orders; measured here
** ≤ 7e-6 and ≤ 6e-7, printed; a wrong gradient term moves them by > 1e-3).
*/
#include "test_util.h"
#include "train_reference_data.h"

static gk_mat *tr_inputs(int v)
{
    gk_mat *x = NULL;
    assert_gk_ok(gk_mat_create(TR_N, tr_dins[v], &x));
    for (int64_t i = 0; i < TR_N; i++)
        for (int64_t k = 0; k < tr_dins[v]; k++)
            gk_mat_row(x, i)[k] = (float)sin(0.37 * (double)(i + 1) +
                                             0.91 * (double)(k + 1) * (v + 1) + 0.5 * v);
    return x;
}

static gk_heads *tr_init(gk_head_kind kind, int M)
{
    gk_heads *h = NULL;
    assert_gk_ok(gk_heads_create(kind, M, tr_dins, TR_D, TR_TEMP, 0, &h));
    size_t n = 0;
    float *p = gk_heads_params(h, &n);
    for (size_t j = 0; j + 1 < n; j++) p[j] = (float)(0.3 * sin(0.77 * (double)j + 0.1));
    p[n - 1] = (float)log(1.0 / TR_TEMP);
    return h;
}

static void check_case(const tr_case *c)
{
    gk_loss_kind loss;
    gk_head_kind kind;
    assert_gk_ok(gk_loss_kind_parse(c->loss, &loss));
    assert_gk_ok(gk_head_kind_parse(c->head, &kind));
    gk_train_opts o = gk_train_opts_default(loss);
    o.head = kind, o.dim = TR_D, o.epochs = TR_EPOCHS, o.batch = TR_B, o.lr = TR_LR;
    o.warmup = TR_WARMUP, o.weight_decay = TR_WD, o.temperature = TR_TEMP;
    o.learn_temperature = c->learn_t, o.shuffle = 0;
    gk_mat *views[3] = {0};
    for (int v = 0; v < c->views; v++) views[v] = tr_inputs(v);
    gk_heads *init = tr_init(kind, c->views);
    gk_train_data d = {(const gk_mat *const *)views, c->views, NULL, TR_N, NULL, NULL, 0,
                       NULL, 0, init};
    gk_train_result *r = NULL;
    assert_gk_ok(gk_train(&o, &d, NULL, NULL, &r));
    assert_int_equal(r->n_epochs, TR_EPOCHS);
    double lmax = 0, pmax = 0;
    for (int e = 0; e < TR_EPOCHS; e++)
        lmax = fmax(lmax, fabs(r->curve[e].loss - c->curve[e]) / fmax(fabs(c->curve[e]), 1e-3));
    size_t n = 0;
    const float *p = gk_heads_params(r->heads, &n);
    assert_int_equal((int)n, c->n_params);
    for (size_t j = 0; j < n; j++) pmax = fmax(pmax, fabs((double)p[j] - c->params[j]));
    print_message("%-16s loss rel diff %.2e, param max diff %.2e (%zu params; first epoch "
                  "loss %.6f, torch %.6f)\n", c->name, lmax, pmax, n, r->curve[0].loss,
                  c->curve[0]);
    assert_true(lmax < 5e-5);
    assert_true(pmax < 5e-6);
    gk_train_result_free(r);
    gk_heads_free(init);
    for (int v = 0; v < c->views; v++) gk_mat_free(views[v]);
}

static void test_against_torch(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof tr_cases / sizeof *tr_cases; i++) check_case(&tr_cases[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_torch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
