/*
** train.c — gk_train(): checking the inputs, then epochs of shuffled full
** batches (AdamW per step with warm-up and cosine decay), validation and
** early stopping after each epoch, and the non-finite guard that stops with
** the last good heads.  BLAS runs single-threaded throughout (and the
** generator is drawn in a fixed order), so results do not depend on the
** thread count.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/error_internal.h"
#include "linalg/blas_threads_internal.h"
#include "train_internal.h"

static int check_opts(const gk_train_opts *o, int M)
{
    GK_FAIL_IF(o->epochs < 1 || o->batch < 2, GK_EARG, "train: epochs %d and batch %lld; "
               "expected >= 1 and >= 2", o->epochs, (long long)o->batch);
    GK_FAIL_IF(o->row_block < 1, GK_EARG, "train: row block %lld; expected >= 1",
               (long long)o->row_block);
    GK_FAIL_IF(!(o->lr > 0) || !(o->warmup >= 0 && o->warmup < 1) || !(o->weight_decay >= 0) ||
               !(o->dropout >= 0 && o->dropout < 1) || !(o->mixup >= 0) ||
               !(o->soft_beta >= 0 && o->soft_beta <= 1) || !(o->temperature > 0),
               GK_EARG, "train: lr > 0, 0 <= warmup < 1, wd >= 0, 0 <= dropout < 1, "
               "mixup >= 0, 0 <= beta <= 1 and temperature > 0 expected");
    GK_FAIL_IF(o->loss == GK_LOSS_SOFTCLAP && M != 2, GK_EARG,
               "train: softclap takes exactly 2 views, got %d", M);
    GK_FAIL_IF(o->anchor >= M, GK_EARG, "train: anchor view %d but only %d views", o->anchor, M);
    return GK_OK;
}

static int check_items(const gk_train_data *d, const int64_t *idx, int64_t n, const char *what)
{
    for (int64_t i = 0; i < n; i++)
        GK_FAIL_IF(idx[i] < 0 || idx[i] >= d->n_items, GK_EARG, "train: %s item %lld outside "
                   "0..%lld", what, (long long)idx[i], (long long)d->n_items - 1);
    return GK_OK;
}

static int check_data(const gk_train_opts *o, const gk_train_data *d)
{
    GK_FAIL_IF(!d->views || d->n_views < 2 || d->n_views > GK_TRAIN_MAX_VIEWS, GK_EARG,
               "train: %d views; expected 2..%d", d->n_views, GK_TRAIN_MAX_VIEWS);
    GK_TRY(check_opts(o, d->n_views));
    for (int v = 0; v < d->n_views; v++) {
        const gk_mat *m = d->views[v];
        GK_FAIL_IF(!m || m->cs != 1, GK_ESHAPE, "train: view %d must be row-major", v);
        GK_FAIL_IF(!d->rows && m->rows != d->n_items, GK_ESHAPE, "train: view %d has %lld rows "
                   "but view 0 has %lld (rows are paired by index)", v, (long long)m->rows,
                   (long long)d->n_items);
        for (int64_t p = 0; d->rows && p < d->n_items; p++) {
            const int64_t r = train_row_of(d, v, p);
            GK_FAIL_IF(r < 0 || r >= m->rows, GK_EARG, "train: pair %lld names row %lld of "
                       "view %d, which has %lld rows", (long long)p, (long long)r, v,
                       (long long)m->rows);
        }
    }
    for (int v = 0; d->teacher && v < 2; v++)
        GK_FAIL_IF(!d->teacher[v] || d->teacher[v]->rows != d->views[v]->rows ||
                   d->teacher[v]->cs != 1, GK_ESHAPE, "train: teacher %d must be row-major "
                   "with the %lld rows of view %d", v, (long long)d->views[v]->rows, v);
    const int64_t n_train = d->train ? d->n_train : d->n_items;
    GK_FAIL_IF(n_train < 1, GK_EARG, "train: the training set is empty");
    GK_FAIL_IF(o->batch > n_train, GK_EARG, "train: batch %lld is larger than the %lld "
               "training items", (long long)o->batch, (long long)n_train);
    GK_FAIL_IF(d->val && d->n_val < 2, GK_EARG, "train: the validation set has %lld items; "
               "at least 2 needed", (long long)d->n_val);
    GK_FAIL_IF(o->early_stop != GK_METRIC_NONE && !d->val, GK_EARG,
               "train: early stopping needs a validation set (a split)");
    if (d->train) GK_TRY(check_items(d, d->train, d->n_train, "training"));
    if (d->val) GK_TRY(check_items(d, d->val, d->n_val, "validation"));
    return GK_OK;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Starting heads given by the caller: same shape, then their parameters. */
static int copy_init(gk_heads *h, const gk_heads *init)
{
    int same = init->kind == h->kind && init->n_views == h->n_views && init->dim == h->dim;
    for (int v = 0; same && v < h->n_views; v++) same = init->din[v] == h->din[v];
    GK_FAIL_IF(!same, GK_ESHAPE, "train: the initial heads (%s, %d views, D = %lld) do not fit "
               "the options and inputs (%s, %d views, D = %lld)", gk_head_kind_name(init->kind),
               init->n_views, (long long)init->dim, gk_head_kind_name(h->kind), h->n_views,
               (long long)h->dim);
    memcpy(h->params, init->params, h->n_params * sizeof(float));
    return GK_OK;
}

/* Everything one run holds. */
typedef struct run {
    const gk_train_opts *o;
    const gk_train_data *d;
    gk_heads *h;
    train_batch b;
    adamw opt;
    uint8_t *decay;
    int64_t *order;   /* (n_train,) this epoch's item order */
    float *kept;      /* (n_params,) heads kept so far (last good or best epoch) */
    gk_rng rng;
    int64_t step, total;
    double best;
} run;

static int run_init(run *r, const gk_train_opts *o, const gk_train_data *d)
{
    int64_t dims[GK_TRAIN_MAX_VIEWS], tdim[2] = {0, 0};
    for (int v = 0; v < d->n_views; v++) dims[v] = d->views[v]->cols;
    for (int v = 0; v < 2; v++) tdim[v] = (d->teacher ? d->teacher[v] : d->views[v])->cols;
    GK_TRY(gk_heads_create(o->head, d->n_views, dims, o->dim, o->temperature, o->seed, &r->h));
    if (d->init) GK_TRY(copy_init(r->h, d->init));
    const int64_t n_train = d->train ? d->n_train : d->n_items;
    r->h->n_fit = n_train;
    r->decay = gk_malloc(r->h->n_params);
    r->order = gk_malloc((size_t)n_train * sizeof *r->order);
    r->kept = gk_malloc(r->h->n_params * sizeof(float));
    GK_FAIL_IF(!r->decay || !r->order || !r->kept, GK_ENOMEM, "train: out of memory");
    hd_decay_mask(r->h, r->decay);
    memcpy(r->kept, r->h->params, r->h->n_params * sizeof(float));
    for (int64_t i = 0; i < n_train; i++) r->order[i] = d->train ? d->train[i] : i;
    GK_TRY(adamw_init(&r->opt, r->h->n_params, r->decay));
    GK_TRY(train_batch_alloc(&r->b, r->h, o, o->batch, tdim));
    gk_rng_seed(&r->rng, o->seed ^ 0x5eedULL); /* shuffles, dropout, mixup */
    r->total = (int64_t)o->epochs * (n_train / o->batch);
    r->best = NAN;
    return GK_OK;
}

static void run_free(run *r)
{
    train_batch_free(&r->b);
    adamw_free(&r->opt);
    gk_free(r->decay);
    gk_free(r->order);
    gk_free(r->kept);
    gk_heads_free(r->h);
}

/* One optimiser step on items[0..B).  *bad = 1 (message set) when the
** loss, a gradient or a weight is not finite. */
static int run_step(run *r, const int64_t *items, double alpha, double beta, int epoch,
                    int64_t k, train_terms *t, int *bad, char *msg, size_t cap)
{
    const gk_heads *h = r->h;
    GK_TRY(train_fill(r->d, r->o, &r->b, items, &r->rng, 1));
    GK_TRY(train_forward_backward(h, r->o, &r->b, alpha, beta, 1, t));
    const char *what = !isfinite(t->total) ? "the loss" : NULL;
    if (!what) {
        const int rc = adamw_step(&r->opt, h->params, r->b.grads, train_lr_at(
            r->o->lr, r->o->warmup, r->step, r->total), r->o->weight_decay);
        float *t_log = &h->params[h->n_params - 1]; /* the cap on s, as a parameter clamp */
        if (*t_log > (float)log(100.0)) *t_log = (float)log(100.0);
        what = rc == ADAMW_BAD_GRAD ? "a gradient" : rc == ADAMW_BAD_WEIGHT ? "a weight" : NULL;
    }
    r->step++;
    if (what) {
        *bad = 1;
        snprintf(msg, cap, "epoch %d step %lld: %s is not finite (NaN or Inf); training "
                 "stopped", epoch, (long long)k + 1, what);
    }
    return GK_OK;
}

/* The epoch's steps; e is 0-based.  Fills the training columns of ep. */
static int run_epoch(run *r, int e, gk_train_epoch *ep, int *bad, char *msg, size_t cap)
{
    const int64_t n_train = r->d->train ? r->d->n_train : r->d->n_items, B = r->o->batch;
    if (r->o->shuffle) gk_rng_shuffle(&r->rng, r->order, n_train);
    train_modgap_weights(r->o, e, r->o->epochs, &ep->alpha, &ep->beta);
    const int64_t steps = n_train / B;
    for (int64_t k = 0; k < steps && !*bad; k++) {
        train_terms t;
        GK_TRY(run_step(r, r->order + k * B, ep->alpha, ep->beta, e + 1, k, &t, bad, msg, cap));
        ep->loss += t.total / steps, ep->nce += t.nce / steps, ep->soft += t.soft / steps;
        ep->atp += t.atp / steps, ep->cu += t.cu / steps;
    }
    ep->lr = train_lr_at(r->o->lr, r->o->warmup, r->step - 1, r->total);
    ep->logit_scale = fmin(gk_heads_logit_scale(r->h), 100.0);
    return GK_OK;
}

/* Validation, then which heads to keep: the last good epoch, or the best
** one under early stopping.  *stop = 1 when patience ran out. */
static int run_validate(run *r, gk_train_epoch *ep, int *since_best, int *best_epoch, int *stop)
{
    ep->val_loss = ep->val_r1 = NAN;
    if (r->d->val) {
        GK_TRY(train_val_loss(r->h, r->o, r->d, &r->b, ep->alpha, ep->beta, &ep->val_loss));
        GK_TRY(train_val_r1(r->h, r->o, r->d, &ep->val_r1));
    }
    const gk_train_metric m = r->o->early_stop;
    const double score = m == GK_METRIC_LOSS ? -ep->val_loss : m == GK_METRIC_R1 ? ep->val_r1 : 0;
    if (m == GK_METRIC_NONE || isnan(r->best) || score > r->best) {
        r->best = score;
        *since_best = 0;
        *best_epoch = ep->epoch;
        memcpy(r->kept, r->h->params, r->h->n_params * sizeof(float));
    } else if (++*since_best >= r->o->patience) {
        *stop = 1;
    }
    return GK_OK;
}

static int run_all(run *r, gk_train_progress_fn progress, void *ud, gk_train_result *res)
{
    int since_best = 0, stop = 0;
    for (int e = 0; e < r->o->epochs && !stop; e++) {
        gk_train_epoch *ep = &res->curve[e];
        memset(ep, 0, sizeof *ep);
        ep->epoch = e + 1;
        const double t0 = now();
        int bad = 0;
        GK_TRY(run_epoch(r, e, ep, &bad, res->message, sizeof res->message));
        if (bad) {
            res->stop = GK_TRAIN_NONFINITE;
            break;
        }
        GK_TRY(run_validate(r, ep, &since_best, &res->best_epoch, &stop));
        ep->seconds = now() - t0;
        res->n_epochs = e + 1;
        if (stop) res->stop = GK_TRAIN_EARLY;
        if (progress) progress(ep, ud);
    }
    memcpy(r->h->params, r->kept, r->h->n_params * sizeof(float));
    return GK_OK;
}

int gk_train(const gk_train_opts *o, const gk_train_data *d, gk_train_progress_fn progress,
             void *ud, gk_train_result **out)
{
    int agreed;
    return train_run(o, d, progress, ud, out, 0, 1, &agreed);
}

int train_run(const gk_train_opts *o, const gk_train_data *d, gk_train_progress_fn progress,
              void *ud, gk_train_result **out, int rank, int size, int *agreed)
{
    *agreed = 0;
    GK_FAIL_IF(!out, GK_EARG, "train: NULL output");
    *out = NULL;
    GK_FAIL_IF(!o || !d, GK_EARG, "train: NULL argument");
    GK_TRY(check_data(o, d));
    gk_train_result *res = gk_calloc(1, sizeof *res);
    run r;
    memset(&r, 0, sizeof r);
    r.o = o, r.d = d;
    int rc = res ? GK_OK : gk_set_error(GK_ENOMEM, "train: out of memory");
    if (rc == GK_OK && !(res->curve = gk_calloc((size_t)o->epochs, sizeof *res->curve)))
        rc = gk_set_error(GK_ENOMEM, "train: out of memory");
    const int saved = gk_blas_serial();
    if (rc == GK_OK) rc = run_init(&r, o, d);
    if (rc == GK_OK && size > 1) rc = train_batch_ranks(&r.b, r.h->n_params, rank, size);
    rc = train_agree(size, rc, agreed); /* before the first exchange */
    if (rc == GK_OK) rc = run_all(&r, progress, ud, res);
    *agreed |= r.b.agreed;
    gk_blas_restore(saved);
    if (rc == GK_OK) {
        res->heads = r.h;
        r.h = NULL;
        *out = res;
    } else {
        gk_train_result_free(res);
    }
    run_free(&r);
    return rc;
}

void gk_train_result_free(gk_train_result *r)
{
    if (!r) return;
    gk_heads_free(r->heads);
    gk_free(r->curve);
    gk_free(r);
}
