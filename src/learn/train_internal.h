/*
** train_internal.h — the layout of projection heads and the layer kernels
** of `gapkit train` (methods.md §6), shared by src/learn/head_*.c, loss_*.c,
** adamw.c and train*.c.  Not installed.
**
** Letters (llm.c style): B = batch rows, Din = input dimension of a view,
** D = output dimension (--dim), M = views.  Every array is row-major float32;
** sums over a batch or a row are accumulated in double.
**
** Parameters of all heads and the logit scale live in ONE float array (one
** allocation, llm.c's malloc_and_point_parameters): view v's tensors are
** consecutive, in the order listed in hd_view; the last float is
** t = log(logit scale).  Gradients and the AdamW moments mirror that layout.
*/
#ifndef GAPKIT_TRAIN_INTERNAL_H
#define GAPKIT_TRAIN_INTERNAL_H

#include "gapkit/train.h"

#define HD_LN_EPS 1e-5 /* LayerNorm ε, as torch.nn.LayerNorm */

/* Pointers of one view's tensors into a parameter-shaped array. */
typedef struct hd_tensors {
    float *w1; /* (Din, D)  linear: W; mlp: W1 */
    float *b1; /* (D,) */
    float *w2; /* (D, D)    mlp only */
    float *b2; /* (D,)      mlp only */
    float *g;  /* (D,)      mlp only: LayerNorm gain */
    float *be; /* (D,)      mlp only: LayerNorm bias */
} hd_tensors;

struct gk_heads {
    gk_head_kind kind;
    int n_views;                     /* M */
    int64_t din[GK_TRAIN_MAX_VIEWS]; /* Din per view */
    int64_t dim;                     /* D */
    size_t off[GK_TRAIN_MAX_VIEWS + 1]; /* view v's floats are [off[v], off[v+1]); off[M] = t */
    size_t n_params;                 /* off[M] + 1 */
    float *params;                   /* (n_params,) */
    int64_t n_fit;                   /* training items (for the model file) */
};

/* Heads with zeroed parameters (gk_heads_create and the loader fill them). */
int hd_heads_alloc(gk_head_kind kind, int n_views, const int64_t *dims, int64_t dim,
                   gk_heads **out);
/* Floats of one view's head. */
size_t hd_view_size(gk_head_kind kind, int64_t din, int64_t dim);
/* The tensors of view v inside `base`, an array laid out like h->params. */
hd_tensors hd_tensors_of(const gk_heads *h, float *base, int v);
/* 1 where AdamW decays the float (weight matrices), 0 for biases, LayerNorm
** and the logit scale; mask (n_params,) caller's. */
void hd_decay_mask(const gk_heads *h, uint8_t *mask);

/*====  activations of one view's head over a batch  ====*/

typedef struct hd_acts {
    int64_t B;
    float *x;     /* (B, Din) input rows (after mixup) */
    float *e1;    /* (B, D)   x W1 + b1 */
    float *gel;   /* (B, D)   GELU(e1)                       mlp */
    float *dgel;  /* (B, D)   GELU'(e1) for the backward pass  mlp */
    float *mask;  /* (B, D)   dropout multiplier 0 or 1/(1−p): mask_buf, or NULL = none */
    float *mask_buf; /* (B, D) storage of the mask */
    float *h;     /* (B, D)   pre-LayerNorm e1 + e2           mlp */
    float *mean;  /* (B,)     LayerNorm mean                  mlp */
    float *rstd;  /* (B,)     LayerNorm 1/σ                   mlp */
    float *y;     /* (B, D)   head output before L2 normalisation */
    float *rnorm; /* (B,)     1/‖y‖ */
    float *z;     /* (B, D)   unit output */
    float *dz;    /* (B, D)   dL/dz, filled by the losses (accumulated) */
    float *tmp;   /* (B, D)   scratch for the backward pass */
    float *tmp2;  /* (B, D)   scratch for the backward pass */
} hd_acts;

int hd_acts_alloc(hd_acts *a, int64_t B, int64_t din, int64_t dim);
void hd_acts_free(hd_acts *a);

/* Forward of view v on a->x: fills e1 … z.  a->mask NULL = inference. */
int hd_forward(const gk_heads *h, int v, hd_acts *a);
/* Backward of view v from a->dz: WRITES the parameter gradients of view v
** into grads (laid out like h->params; every float of the view once, so
** grads needs no zeroing).  Overwrites y and h. */
int hd_backward(const gk_heads *h, int v, hd_acts *a, float *grads);

/* Linear and MLP bodies (head_linear.c, head_mlp.c): y from x and back. */
int hd_linear_forward(const hd_tensors *p, int64_t din, int64_t D, hd_acts *a);
int hd_linear_backward(const hd_tensors *p, const hd_tensors *g, int64_t din, int64_t D,
                       hd_acts *a, const float *dy);
int hd_mlp_forward(const hd_tensors *p, int64_t din, int64_t D, hd_acts *a);
int hd_mlp_backward(const hd_tensors *p, const hd_tensors *g, int64_t din, int64_t D,
                    hd_acts *a, const float *dy);

/*====  elementwise layers (head_layers.c)  ====*/

/* z = y / ‖y‖ row-wise; rnorm (B,) receives 1/‖y‖ (0 for a zero row). */
void hd_l2norm_forward(const float *y, int64_t B, int64_t D, float *z, float *rnorm);
/* dy = (dz − z (z·dz)) / ‖y‖ row-wise. */
void hd_l2norm_backward(const float *z, const float *rnorm, const float *dz, int64_t B,
                        int64_t D, float *dy);
/* GELU (exact, erf form, as torch's default): out = x Φ(x); deriv (n,), when
** not NULL, receives GELU'(x) = Φ(x) + x φ(x) for the backward pass. */
void hd_gelu_forward(const float *x, int64_t n, float *out, float *deriv);
/* dx = dout · deriv (deriv from hd_gelu_forward; dx may be dout). */
void hd_gelu_backward(const float *deriv, const float *dout, int64_t n, float *dx);
/* LayerNorm over rows: out = (x − μ)/σ ⊙ g + b, σ² = biased variance + ε. */
void hd_layernorm_forward(const float *x, const float *g, const float *b, int64_t B,
                          int64_t D, float *out, float *mean, float *rstd);
/* dx, dg and db (all overwritten) from dout. */
void hd_layernorm_backward(const float *x, const float *mean, const float *rstd,
                           const float *g, const float *dout, int64_t B, int64_t D, float *dx,
                           float *dg, float *db);
/* out (B, D) = x Wᵀ-free GEMM helper: out = x (B,K) · w (K,D) + bias (row). */
int hd_affine_forward(const float *x, const float *w, const float *bias, int64_t B, int64_t K,
                      int64_t D, float *out);
/* dw = xᵀ dout, db = Σ_rows dout, and dx = dout wᵀ when dx != NULL. */
int hd_affine_backward(const float *x, const float *w, const float *dout, int64_t B, int64_t K,
                       int64_t D, float *dw, float *db, float *dx);

/*====  losses (loss_*.c): unit rows z in, dL/dz ADDED into dz  ====*/

/* The contrastive core: targets Qa (rows) and Qb (columns) (N,N), NULL =
** the identity (InfoNCE).  See loss_infonce.c. */
double loss_contrastive(const float *A, const float *Bm, const double *Qa, const double *Qb,
                        int64_t N, int64_t D, double s, double w, float *dA, float *dB,
                        double *ds, double *work);
/* Symmetric InfoNCE with logits S = s·A Bᵀ (A, B (N,D) unit rows):
** L = ½[mean_i CE(row i of S, i) + mean_j CE(column j of S, j)].
** dA, dB (N,D) receive w·dL/dA, w·dL/dB (added); *ds receives w·dL/ds
** (added).  @return : L (unweighted). */
double loss_infonce(const float *A, const float *Bm, int64_t N, int64_t D, double s, double w,
                    float *dA, float *dB, double *ds, double *work);

/* SoftCLAP: L = ½[mean_i KL(Qa_i ‖ softmax(S_i)) + mean_j KL(Qb_j ‖ softmax(Sᵀ_j))],
** Qa, Qb (N,N) row-stochastic targets.  Gradients as loss_infonce. */
double loss_softclap(const float *A, const float *Bm, const double *Qa, const double *Qb,
                     int64_t N, int64_t D, double s, double w, float *dA, float *dB,
                     double *ds, double *work);
/* The SoftCLAP target of UNIT teacher rows T (N,Dt):
** Q = rownormalise((1−β)I + β·max(TTᵀ, 0)) into Q (N,N); G (N,N) scratch. */
int loss_softclap_targets(const float *T, int64_t N, int64_t Dt, double beta, float *G,
                          double *Q);

/* ModGap align-true-pairs: L = mean_i ‖a_i − b_i‖²; w·dL added. */
double loss_atp(const float *A, const float *Bm, int64_t N, int64_t D, double w, float *dA,
                float *dB);
/* ModGap centroid uniformity over M views Z[v] (N,D):
** c_i = normalize(mean_v z_i^v), L = log mean_{i<j} exp(−2‖c_i − c_j‖²); w·dL
** added into dZ[v].  work: (N·N + 3·N·D) doubles.  @return : L. */
double loss_cu(const float *const *Z, int M, int64_t N, int64_t D, double w, float *const *dZ,
               double *work);
/* Doubles of work the losses need for N rows of dimension D. */
size_t loss_work_size(int64_t N, int64_t D);

/*====  AdamW and the learning-rate schedule (adamw.c)  ====*/

typedef struct adamw {
    size_t n;
    float *m, *v;          /* (n,) moments */
    const uint8_t *decay;  /* (n,) 1 = decoupled weight decay applies */
    size_t *run_end;       /* (n_runs,) ends of the runs of equal decay flags */
    size_t n_runs;
    int64_t t;             /* steps taken */
} adamw;

int adamw_init(adamw *o, size_t n, const uint8_t *decay);
void adamw_free(adamw *o);
enum { ADAMW_OK = 0, ADAMW_BAD_GRAD = 1, ADAMW_BAD_WEIGHT = 2 };
/* One torch.optim.AdamW step (β1 0.9, β2 0.999, ε 1e-8) at rate lr.
** @return : ADAMW_OK, or which of the gradients or the new weights holds an
** Inf or NaN (the parameters are then not usable). */
int adamw_step(adamw *o, float *params, const float *grads, double lr, double wd);
/* Rate of step `step` of `total`: linear warm-up over the first
** round(warmup·total) steps, then cosine decay to 0. */
double train_lr_at(double lr, double warmup, int64_t step, int64_t total);
/* ModGap weights of epoch e of E: reference schedule or the constants. */
void train_modgap_weights(const gk_train_opts *o, int e, int E, double *alpha, double *beta);

/*====  one step (train_step.c)  ====*/

typedef struct train_batch {
    int M;
    int64_t B, dim;        /* rows, D */
    int64_t din[GK_TRAIN_MAX_VIEWS];
    float *mixbuf;         /* (B, max Din or teacher dim) mixup scratch */
    int64_t *perm;         /* (B,) mixup partners */
    hd_acts act[GK_TRAIN_MAX_VIEWS];
    float *teach[2];       /* (B, Dt) teacher rows of views 0 and 1 (SoftCLAP) */
    int64_t tdim[2];
    double *Qa, *Qb;       /* (B,B) SoftCLAP targets */
    double *work;          /* loss scratch */
    float *grads;          /* (n_params,) */
    /* Row blocks (train_step.c): the heads run on blocks of `block` rows and
    ** the weight gradient is the blocks' sum in block order, in float.  Block
    ** 0 writes into grads; a later block into a slot of gblk, then added.
    ** This is rank `rank` of `size` (one process: 0 of 1). */
    int64_t block;
    int rank, size;
    float *gblk;           /* (slots, n_params) block gradients awaiting their addition */
    int *share;            /* (2·size) counts and offsets of the all-gather (ranks) */
    int agreed;            /* 1: a failure every rank knows of (train_agree) */
} train_batch;

int train_batch_alloc(train_batch *b, const gk_heads *h, const gk_train_opts *o, int64_t B,
                      const int64_t *tdim);
void train_batch_free(train_batch *b);
/* Blocks [*k0, *k1) of `block` rows of a B-row batch that `rank` of `size`
** runs: whole blocks, the first ranks taking one more. */
void train_rank_blocks(int64_t B, int64_t block, int rank, int size, int64_t *k0, int64_t *k1);
/* Makes b (after train_batch_alloc) a batch of `rank` among `size` ranks:
** the steps of train_forward_backward become collective. */
int train_batch_ranks(train_batch *b, size_t n_params, int rank, int size);

/* Collective steps of `size` > 1 ranks (dist_train.c). */
/* Every rank's blocks of z (B, D) to every rank, in place (B·D < 2^31:
** gk_dist_train checks). */
void train_share_rows(const train_batch *b, float *z);
/* The gradient of the whole batch into every rank's grads[0..n): the block
** gradients added in block order along the ranks. */
void train_share_grads(train_batch *b, size_t n);
/* gk_dist_agree() on a step's code (rc itself when size is 1), so that one
** rank's failure stops every rank before the next exchange; *agreed = 1
** when the code returned is a failure that every rank returns. */
int train_agree(int size, int rc, int *agreed);
/* gk_train() as `rank` of `size` ranks (collective when size > 1);
** *agreed as train_agree's. */
int train_run(const gk_train_opts *o, const gk_train_data *d, gk_train_progress_fn progress,
              void *ud, gk_train_result **out, int rank, int size, int *agreed);

/* Row of view v holding item `item`. */
int64_t train_row_of(const gk_train_data *d, int v, int64_t item);
/* A draw of Beta(a, a) (two Gamma draws, Marsaglia–Tsang). */
double train_beta_draw(gk_rng *r, double a);
/* Fills b with the rows of items[0..b->B): inputs, teacher rows (unit),
** and, when training, mixup and dropout masks drawn from r. */
int train_fill(const gk_train_data *d, const gk_train_opts *o, train_batch *b,
               const int64_t *items, gk_rng *r, int training);

/* The loss terms of one forward pass. */
typedef struct train_terms {
    double total, nce, soft, atp, cu;
} train_terms;

/* Forward + loss (+ backward into b->grads when `backward`), on the rows
** already in b->act[v].x (and b->teach).  alpha, beta: ModGap weights. */
int train_forward_backward(const gk_heads *h, const gk_train_opts *o, train_batch *b,
                           double alpha, double beta, int backward, train_terms *out);

/*====  validation (train_eval.c)  ====*/

/* Mean validation loss (the training loss without dropout or mixup). */
int train_val_loss(const gk_heads *h, const gk_train_opts *o, const gk_train_data *d,
                   train_batch *b, double alpha, double beta, double *out);
/* Validation R@1 averaged over the loss's view pairs and both directions. */
int train_val_r1(const gk_heads *h, const gk_train_opts *o, const gk_train_data *d,
                 double *out);

#endif
