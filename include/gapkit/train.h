/*
** train.h — learning projection heads on frozen embeddings (methods.md §6,
** docs/train.md): one head per view maps a row x of view v to a unit row
** z = normalize(head_v(x)) of dimension D, trained on paired rows with a
** contrastive loss.
**
** Heads:
**   linear  y = x W + b                               W (Din,D), b (D,)
**   mlp     the MS-CLAP projection block:
**           e1 = x W1 + b1;  e2 = Dropout(GELU(e1) W2 + b2);
**           y  = LayerNorm(e1 + e2) with gain g and bias β (ε 1e-5)
**   then    z  = y / ‖y‖.
** Losses on a batch of B items (z_i^v the unit output of item i, view v;
** S = s·Z_a Z_bᵀ the logits of a view pair, s the logit scale):
**   infonce   symmetric InfoNCE ½[CE(S, I) + CE(Sᵀ, I)], averaged over the
**             view pairs (anchor ↔ every other view, or all pairs)
**   softclap  ½[mean_i KL(Q_a,i ‖ softmax S_i) + mean_j KL(Q_b,j ‖ softmax Sᵀ_j)]
**             with Q = rownormalise((1−β)I + β·max(T̂T̂ᵀ, 0)) from teacher rows T
**             (the input rows unless others are given).  Decision (methods.md
**             §6): negative teacher cosines are clamped at 0 and rows of Q sum
**             to 1, so Q is a distribution and KL is finite (the reference code
**             keeps negatives, which gives NaN in PyTorch's KLDivLoss).  Two views.
**   modgap    infonce + α·L_ATP + β·L_CU: L_ATP = mean over the view pairs of
**             mean_i ‖z_i^a − z_i^b‖²; L_CU = log mean_{i<j} exp(−2‖c_i − c_j‖²),
**             c_i = normalize(mean_v z_i^v).
** Optimiser: AdamW (β 0.9/0.999, ε 1e-8, decoupled decay on weight matrices
** only), linear warm-up then cosine decay, per step.
**
** Determinism: every random choice (initialisation, shuffling, dropout,
** mixup) comes from one seeded generator consumed in a fixed order, and
** BLAS runs single-threaded during training, so the same seed and inputs give
** bit-identical heads for any thread count.
*/
#ifndef GAPKIT_TRAIN_H
#define GAPKIT_TRAIN_H

#include "matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

GK_API_BEGIN

#define GK_TRAIN_MAX_VIEWS 16

typedef enum gk_head_kind { GK_HEAD_LINEAR = 0, GK_HEAD_MLP = 1 } gk_head_kind;
typedef enum gk_loss_kind {
    GK_LOSS_INFONCE = 0,
    GK_LOSS_SOFTCLAP = 1,
    GK_LOSS_MODGAP = 2
} gk_loss_kind;
typedef enum gk_train_metric {
    GK_METRIC_NONE = 0, /* no early stopping */
    GK_METRIC_LOSS = 1, /* validation loss, lower is better */
    GK_METRIC_R1 = 2    /* validation R@1 (mean of both directions), higher is better */
} gk_train_metric;

typedef struct gk_train_opts {
    gk_loss_kind loss;       /* default infonce */
    gk_head_kind head;       /* default linear */
    int64_t dim;             /* D, default 512 */
    int epochs;              /* default 20 */
    int64_t batch;           /* B, default 256 */
    double lr;               /* peak rate, default 1e-3 */
    double warmup;           /* share of the steps warming up, default 0.1 */
    double weight_decay;     /* AdamW decoupled decay, default 0.01 */
    double dropout;          /* mlp only, default 0 */
    uint64_t seed;           /* default 0 */
    double temperature;      /* τ, s = 1/τ; default 0.07 (infonce, softclap), 0.1 (modgap) */
    int learn_temperature;   /* 1: t = log s is trained, s capped at 100 (default 0) */
    double soft_beta;        /* SoftCLAP β, default 0.3 */
    int schedule;            /* modgap: 1 = reference schedule (default), 0 = constants */
    double alpha, beta;      /* modgap constant weights (default 1, 1) */
    double mixup;            /* a > 0: λ ~ Beta(a, a) per batch (FuseMix); 0 = off */
    int anchor;              /* −1 = all view pairs (default), else the anchor view */
    int shuffle;             /* 1 (default): reshuffle items every epoch */
    gk_train_metric early_stop; /* default none */
    int patience;            /* epochs without improvement before stopping, default 5 */
    int64_t row_block;       /* rows per block of a batch, default 256: the heads run block
                                by block and the weight gradient is the blocks' sum in block
                                order (one block: one pass), which fixes the bits for any
                                number of MPI ranks (gk_dist_train) */
} gk_train_opts;

/*! gk_train_opts_default() : @return : the defaults above for `loss`. */
gk_train_opts gk_train_opts_default(gk_loss_kind loss);

/*! gk_head_kind_parse(), gk_loss_kind_parse(), gk_train_metric_parse() :
 *  "linear"|"mlp", "infonce"|"softclap"|"modgap", "none"|"loss"|"r1".
 *  @return : GK_OK, GK_EARG saying what was expected. */
int gk_head_kind_parse(const char *s, gk_head_kind *out);
int gk_loss_kind_parse(const char *s, gk_loss_kind *out);
int gk_train_metric_parse(const char *s, gk_train_metric *out);
/*! gk_head_kind_name(), gk_loss_kind_name() : @return : static name, or "?". */
const char *gk_head_kind_name(gk_head_kind k);
const char *gk_loss_kind_name(gk_loss_kind k);

/*! gk_train_spec_parse() : "LOSS[:KEY=V,…]", e.g. "modgap:head=mlp,epochs=20",
 *  over gk_train_opts_default(LOSS).  Keys: head (linear|mlp), dim, epochs,
 *  batch, lr, warmup, wd, dropout, temp, learn_temp (0|1), beta (softclap β),
 *  alpha and cu_beta (modgap constant weights: setting either drops the
 *  schedule), mixup, anchor.  The seed is not a key: the caller's seed is used.
 *  @return : GK_OK, GK_EARG naming the key.  *out filled on success. */
int gk_train_spec_parse(const char *s, gk_train_opts *out);

/*! gk_train_opts_string() : the canonical spec of o into buf (cap bytes,
 *  truncated): "LOSS:head=H" and the keys whose values differ from the
 *  loss's defaults, e.g. "infonce:head=mlp,dim=64,epochs=5".  @return : buf. */
char *gk_train_opts_string(const gk_train_opts *o, char *buf, size_t cap);

/*====  heads  ====*/

typedef struct gk_heads gk_heads; /* the heads of M views and the logit scale; opaque */

/*! gk_heads_create() : M = n_views heads of `kind` from input dimensions
 *  dims[0..M) to D = dim, initialised as torch.nn.Linear (weights and biases
 *  U(−1/√fan_in, 1/√fan_in)), LayerNorm gain 1 and bias 0, from `seed`; logit
 *  scale s = 1/temperature.  @return : GK_OK, GK_EARG, GK_ENOMEM.
 *  *out : caller owns, free with gk_heads_free(); NULL on failure. */
int gk_heads_create(gk_head_kind kind, int n_views, const int64_t *dims, int64_t dim,
                    double temperature, uint64_t seed, gk_heads **out);

/*! gk_heads_apply() : z = normalize(head_view(x)) for every row of X
 *  (R, D_view), cs == 1 (inference: no dropout).  Row tiles through
 *  gk_gemm_rows: the same bytes for any thread count.
 *  @return : GK_OK, GK_EARG, GK_ESHAPE (D differs, naming both), GK_ENOMEM.
 *  *out (R, D) : caller owns, free with gk_mat_free(); NULL on failure. */
int gk_heads_apply(const gk_heads *h, int view, const gk_mat *X, gk_mat **out);

/*! gk_heads_save() : writes a kind "head" model file atomically
 *  (docs/model-format.md).  @return : GK_OK, GK_EIO, GK_ENOMEM. */
int gk_heads_save(const gk_heads *h, const char *path);
/*! gk_heads_load() : reads a kind "head" model file, checking every size.
 *  @return : GK_OK, GK_EIO, GK_EFORMAT naming the file and field.
 *  *out : caller owns, free with gk_heads_free(); NULL on failure. */
int gk_heads_load(const char *path, gk_heads **out);
/*! gk_heads_free() : NULL is a no-op. */
void gk_heads_free(gk_heads *h);

/*! Getters: kind, M, Din of a view (−1 out of range), D, the logit scale s,
 *  and the training items recorded in the model.  NULL gives linear, 0, −1,
 *  −1, NaN, 0. */
gk_head_kind gk_heads_kind(const gk_heads *h);
int gk_heads_n_views(const gk_heads *h);
int64_t gk_heads_in_dim(const gk_heads *h, int view);
int64_t gk_heads_out_dim(const gk_heads *h);
double gk_heads_logit_scale(const gk_heads *h);
int64_t gk_heads_n_fit(const gk_heads *h);

/*! gk_heads_params() : the parameter vector (n floats, *n receives the
 *  count) in the order of docs/train.md (per view: W1, b1[, W2, b2, g, β]; last
 *  t = log s).  Borrowed; writable, for tests and tools that set weights. */
float *gk_heads_params(gk_heads *h, size_t *n);

/*====  training  ====*/

/* The training data.  Item p is the tuple of rows (rows[v·n_items + p])_v
** of the views, or row p of every view when rows == NULL. */
typedef struct gk_train_data {
    const gk_mat *const *views;   /* M views (N_v, Din_v), cs == 1 */
    int n_views;                  /* M, 2..GK_TRAIN_MAX_VIEWS (softclap: 2) */
    const int64_t *rows;          /* (M, n_items) row of each view per item, or NULL */
    int64_t n_items;              /* items (== N_v of every view when rows == NULL) */
    const gk_mat *const *teacher; /* softclap: 2 teacher views rowed like views, or NULL */
    const int64_t *train;         /* (n_train,) items trained on, or NULL = all */
    int64_t n_train;
    const int64_t *val;           /* (n_val,) validation items, or NULL = none */
    int64_t n_val;
    const gk_heads *init;         /* start from a copy of these heads (their kind, input
                                     dimensions and D must match), or NULL = fresh */
} gk_train_data;

/* One epoch of the curve. */
typedef struct gk_train_epoch {
    int epoch;               /* 1-based */
    double loss;             /* mean training loss over the epoch's steps */
    double nce, soft, atp, cu; /* its terms (unweighted means; 0 when unused) */
    double alpha, beta;      /* ModGap weights used */
    double lr;               /* rate of the epoch's last step */
    double logit_scale;      /* s at the end of the epoch */
    double val_loss, val_r1; /* validation (NaN without a validation set) */
    double seconds;          /* wall time of the epoch, training and validation */
} gk_train_epoch;

typedef enum gk_train_stop {
    GK_TRAIN_DONE = 0,      /* every epoch ran */
    GK_TRAIN_EARLY = 1,     /* early stopping: the best epoch's heads are kept */
    GK_TRAIN_NONFINITE = 2  /* a loss or weight became NaN/Inf: the heads of the last
                               finished epoch (or the initial heads) are kept */
} gk_train_stop;

typedef struct gk_train_result {
    gk_heads *heads;         /* the kept heads (owned) */
    gk_train_epoch *curve;   /* (n_epochs,) */
    int n_epochs;            /* epochs run */
    int best_epoch;          /* 1-based epoch whose heads are kept (0 = initial) */
    gk_train_stop stop;
    char message[256];       /* for NONFINITE: "epoch E step S: …" */
} gk_train_result;

/* Called after every epoch (may be NULL). */
typedef void (*gk_train_progress_fn)(const gk_train_epoch *e, void *ud);

/*! gk_train() : trains heads of o->head on d with loss o->loss.  Each epoch
 *  shuffles the training items (seeded) and takes floor(n_train / B) full
 *  batches.  With a validation set the loss and R@1 are measured after each
 *  epoch.  A non-finite loss, gradient or weight stops training: result
 *  stop = GK_TRAIN_NONFINITE and message names the epoch and step (gk_train
 *  still returns GK_OK with the last good heads).
 *  @return : GK_OK; GK_EARG (B > training items, empty train or validation
 *  set, softclap without 2 views, early stopping without validation…, naming
 *  the problem), GK_ESHAPE, GK_ENOMEM.  *out : caller owns, free with
 *  gk_train_result_free(); NULL on failure. */
int gk_train(const gk_train_opts *o, const gk_train_data *d, gk_train_progress_fn progress,
             void *ud, gk_train_result **out);

/*! gk_train_result_free() : NULL is a no-op (frees the heads too). */
void gk_train_result_free(gk_train_result *r);

/*! gk_train_result_to_json() : {"loss","head","dim","epochs_run","best_epoch",
 *  "stop","message","curve":[{epoch, loss, nce, soft, atp, cu, alpha, beta,
 *  lr, logit_scale, val_loss, val_r1, seconds}]} (NaN as null).
 *  *json : caller frees with gk_free().  @return : GK_OK, GK_ENOMEM. */
int gk_train_result_to_json(const gk_train_opts *o, const gk_train_result *r, char **json);

/*! gk_dist_train() : collective (every rank calls it with the same options
 *  and ALL the data): gk_train() data-parallel over the MPI ranks.  Of each
 *  batch a rank runs the heads on its o->row_block-row blocks, the unit
 *  outputs are all-gathered and the block gradients added in block order
 *  along the ranks (dist_train.c), so *out on every rank is bitwise
 *  gk_train()'s in one process with the same options.  Memory per rank: all
 *  the data, the state of gk_train(), and up to ⌈⌈B/row_block⌉/P⌉·n_params
 *  floats of block gradients.  More ranks than blocks in a batch: GK_EARG.
 *  @return : the codes of gk_train(), the same on every rank. */
int gk_dist_train(const gk_train_opts *o, const gk_train_data *d, gk_train_progress_fn progress,
                  void *ud, gk_train_result **out);

GK_API_END

#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_TRAIN_H */
