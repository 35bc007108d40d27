/*
** test_train_blocks.c — the row blocks of a training step (train_step.c)
** against a second code path: the head kernels called by hand.
**
** One block (batch ≤ --row-block, the default batch): the step's gradient is,
** bit for bit, one forward and one backward pass of each head over the whole
** batch (the step before blocks existed, so the heads of a default run are
** unchanged).  Several blocks: it is, bit for bit, the heads run on each
** block and the blocks' gradients added in block order in float (what MPI
** ranks reproduce), and it agrees with the one-block gradient to float
** rounding.  MLP heads with dropout and mixup, InfoNCE and SoftCLAP, a short
** last block.
*/
#include "test_util.h"
#include "learn/train_internal.h"

enum { NB = 40, D = 8 };

/* Rows [i0, i0 + n) of a (the fields the head kernels use). */
static hd_acts slice(const hd_acts *a, int64_t i0, int64_t n, int64_t din)
{
    hd_acts s = *a;
    s.B = n;
    s.x = a->x + i0 * din;
    float **rows[] = {&s.e1, &s.gel, &s.dgel, &s.mask_buf, &s.h, &s.y, &s.z, &s.dz, &s.tmp,
                      &s.tmp2};
    for (size_t k = 0; k < sizeof rows / sizeof *rows; k++) *rows[k] += i0 * D;
    if (a->mask) s.mask = a->mask + i0 * D;
    s.mean += i0, s.rstd += i0, s.rnorm += i0;
    return s;
}

typedef struct fixture {
    gk_heads *h;
    gk_mat *views[2];
    gk_train_data d;
    gk_train_opts o;
} fixture;

static void setup(fixture *f, gk_loss_kind loss)
{
    gk_rng r;
    gk_rng_seed(&r, 5);
    const int64_t dims[2] = {24, 16};
    f->o = gk_train_opts_default(loss);
    f->o.head = GK_HEAD_MLP, f->o.dim = D, f->o.dropout = 0.2, f->o.mixup = 0.5;
    assert_gk_ok(gk_heads_create(GK_HEAD_MLP, 2, dims, D, f->o.temperature, 3, &f->h));
    for (int v = 0; v < 2; v++) {
        assert_gk_ok(gk_mat_create(NB, dims[v], &f->views[v]));
        for (int64_t i = 0; i < NB * dims[v]; i++) f->views[v]->data[i] = (float)gk_rng_normal(&r);
    }
    gk_train_data d = {(const gk_mat *const *)f->views, 2, NULL, NB, NULL, NULL, 0, NULL, 0, NULL};
    f->d = d;
}

static void teardown(fixture *f)
{
    gk_heads_free(f->h);
    gk_mat_free(f->views[0]), gk_mat_free(f->views[1]);
}

/* A batch of all NB items with the draws (mixup, dropout) of seed 9. */
static void batch(const fixture *f, train_batch *b)
{
    const int64_t tdim[2] = {24, 16};
    int64_t items[NB];
    for (int i = 0; i < NB; i++) items[i] = (i * 7) % NB;
    gk_rng r;
    gk_rng_seed(&r, 9);
    assert_gk_ok(train_batch_alloc(b, f->h, &f->o, NB, tdim));
    assert_gk_ok(train_fill(&f->d, &f->o, b, items, &r, 1));
}

/* The step's gradient (n_params − 1 floats: not the logit scale's) into g. */
static void step_grads(const fixture *f, float *g)
{
    train_batch b;
    batch(f, &b);
    train_terms t;
    assert_gk_ok(train_forward_backward(f->h, &f->o, &b, 1.0, 1.0, 1, &t));
    assert_true(isfinite(t.total));
    memcpy(g, b.grads, (f->h->n_params - 1) * sizeof *g);
    train_batch_free(&b);
}

/* By hand: each view forward on blocks of R rows, dL/dz taken from a step
** on the same batch, backward per block, the blocks' gradients added in
** block order (the first written, as one pass writes). */
static void hand_grads(const fixture *f, int64_t R, float *g)
{
    const gk_heads *h = f->h;
    train_batch b, ref;
    batch(f, &b);
    batch(f, &ref);
    train_terms t;
    assert_gk_ok(train_forward_backward(h, &f->o, &ref, 1.0, 1.0, 1, &t)); /* for dz */
    float *gk = malloc(h->n_params * sizeof *gk);
    assert_non_null(gk);
    for (int v = 0; v < 2; v++) {
        for (int64_t i0 = 0; i0 < NB; i0 += R) {
            hd_acts a = slice(&b.act[v], i0, NB - i0 < R ? NB - i0 : R, h->din[v]);
            assert_gk_ok(hd_forward(h, v, &a));
        }
        /* the step's unit outputs are those of the blocks */
        assert_memory_equal(b.act[v].z, ref.act[v].z, NB * D * sizeof(float));
        memcpy(b.act[v].dz, ref.act[v].dz, NB * D * sizeof(float));
        for (int64_t i0 = 0; i0 < NB; i0 += R) {
            hd_acts a = slice(&b.act[v], i0, NB - i0 < R ? NB - i0 : R, h->din[v]);
            assert_gk_ok(hd_backward(h, v, &a, i0 == 0 ? g : gk));
            for (size_t q = h->off[v]; i0 > 0 && q < h->off[v + 1]; q++) g[q] += gk[q];
        }
    }
    free(gk);
    train_batch_free(&b);
    train_batch_free(&ref);
}

static void check(gk_loss_kind loss)
{
    fixture f;
    setup(&f, loss);
    const size_t n = f.h->n_params - 1;
    float *one = malloc(n * sizeof *one), *blk = malloc(n * sizeof *blk);
    float *hand = malloc(n * sizeof *hand);
    assert_true(one && blk && hand);
    /* one block: the default R = 256 > NB, then R = NB exactly */
    step_grads(&f, one);
    hand_grads(&f, NB, hand);
    assert_memory_equal(one, hand, n * sizeof *one);
    f.o.row_block = NB;
    step_grads(&f, blk);
    assert_memory_equal(one, blk, n * sizeof *one);
    /* blocks of 16, 16 and 8 rows */
    f.o.row_block = 16;
    step_grads(&f, blk);
    hand_grads(&f, 16, hand);
    assert_memory_equal(blk, hand, n * sizeof *blk);
    double num = 0, den = 0;
    for (size_t q = 0; q < n; q++) {
        num += ((double)blk[q] - one[q]) * ((double)blk[q] - one[q]);
        den += (double)one[q] * one[q];
    }
    print_message("%s: blocks of 16 vs one block: relative difference %.2e\n",
                  gk_loss_kind_name(loss), sqrt(num / den));
    assert_true(den > 0 && sqrt(num / den) < 1e-5);
    free(one), free(blk), free(hand);
    teardown(&f);
}

static void test_infonce(void **state)
{
    (void)state;
    check(GK_LOSS_INFONCE);
}

static void test_softclap(void **state)
{
    (void)state;
    check(GK_LOSS_SOFTCLAP);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_infonce),
        cmocka_unit_test(test_softclap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
