/*
** comet.h — COMET, the PLS-SVD concept decomposition of the modality gap
** (methods.md §1): fit, apply, save/load, per-axis summary, similarity
** dissection, the permutation test of shared axes, and the choice of k.
**
** Inputs are gk_mat views, one embedding per row.  T (N,D_T) and A (N,D_A)
** are paired: row i of T belongs with row i of A.  Every measure here is
** meant for unit rows (normalise first); all sums are accumulated in double.
*/
#ifndef GAPKIT_COMET_H
#define GAPKIT_COMET_H

#include "matrix.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

/*====  the model: fit, apply, save, load  ====*/

/* Weights applied to the k-dim PLSHead coefficients by gk_comet_apply(). */
typedef enum gk_comet_weight {
    GK_COMET_W_NONE = 0,  /* PLSHead: plain coordinates t^(k) = U_kᵀ(t − t̄) */
    GK_COMET_W_ALIGN = 1, /* PLSHeadW, w_j = align_j = u_j·v_j (equal D only) */
    GK_COMET_W_CORR = 2   /* PLSHeadW, w_j = corr_j over the fit pairs */
} gk_comet_weight;

/*! gk_comet_weight_parse() : "none", "align" or "corr" → *w.
 *  @return : GK_OK, GK_EARG ("weight 'x'; expected none, align or corr"). */
int gk_comet_weight_parse(const char *s, gk_comet_weight *w);

/*! gk_comet_weight_name() : @return : static "none", "align" or "corr". */
const char *gk_comet_weight_name(gk_comet_weight w);

/* A fitted COMET model: t̄ (D_T,), ā (D_A,), U_k (D_T,K), V_k (D_A,K) and the
** per-axis σ, align (R,) and corr (K,).  Opaque; its arrays are float32 so
** that a saved and re-loaded model gives byte-identical outputs. */
typedef struct gk_comet gk_comet;

/*! gk_comet_fit() : fits COMET on N paired rows.
 *  T is (N,D_T) text side ("side 0"), A is (N,D_A) audio/image side
 *  ("side 1"); any strides.  N >= 2.
 *  t̄, ā = column means; M = (T − 1t̄ᵀ)ᵀ(A − 1āᵀ) (D_T,D_A, no 1/N) is
 *  accumulated in row blocks (memory ~ D_T·D_A doubles, never a centred copy);
 *  M = U Σ Vᵀ (LAPACK dgesdd), R = min(D_T, D_A) axes, σ descending; each pair
 *  (u_j, v_j) is flipped so that the largest-|.| entry of u_j is positive
 *  (scikit-learn svd_flip, u-based).
 *  k : axes kept (1..R); k <= 0 or k > R keeps all R.
 *  Per-axis numbers: σ_j and align_j for all R axes; corr_j and the variance
 *  of each side on the kept axes (one extra pass over the data, O(N·D·K)).
 *  @return : GK_OK; GK_EARG (NULL, N < 2), GK_ESHAPE (row counts differ),
 *  GK_ENUMERIC (a non-zero row norm outside [1e-15, 1e15], which float32
 *  products cannot carry; or a zero cross-covariance, e.g. all rows of one
 *  side equal), GK_ENOMEM, GK_EBLAS.  *out : caller owns, free with gk_comet_free();
 *  NULL on failure.  Thread-safe on distinct inputs. */
int gk_comet_fit(const gk_mat *T, const gk_mat *A, int64_t k, gk_comet **out);

/*! gk_comet_free() : releases a model; NULL is a no-op. */
void gk_comet_free(gk_comet *m);

/*! gk_comet_apply() : PLSHead(W) coefficients of new rows of one side.
 *  side 0 (the first fit input, T): out_i = s⁰ ⊙ U_kᵀ(x_i − t̄);
 *  side 1 (the second, A):          out_i = s¹ ⊙ V_kᵀ(x_i − ā),
 *  with s⁰_j = sqrt|w_j| and s¹_j = sign(w_j) sqrt|w_j|, so that the inner
 *  product of a side-0 and a side-1 row is Σ_j w_j t̂_j â_j (for w = align:
 *  the head's direct term).
 *  X is (N, D_side), any strides; k = number of leading axes (0 = all kept,
 *  otherwise 1..gk_comet_k()); w = 1, align_j or corr_j.  Coefficients of the
 *  two sides are compared by cosine.  Deterministic: the same model and X give
 *  the same bytes (also after gk_comet_save()/gk_comet_load()).
 *  @return : GK_OK; GK_EARG (bad side, k or weight; ALIGN needs D_T == D_A),
 *  GK_ESHAPE (wrong D), GK_ENOMEM.  *out (N,k) : caller owns, free with
 *  gk_mat_free(); NULL on failure. */
int gk_comet_apply(const gk_comet *m, int side, const gk_mat *X, int64_t k, gk_comet_weight w,
                   gk_mat **out);

/*! gk_comet_save() : writes the model to `path`, an .npz (docs/model-format.md)
 *  with arrays t_mean (1,D_T), a_mean (1,D_A), U (D_T,K), V (D_A,K), sigma (1,R),
 *  align (1,R), corr (1,K), t_var (1,K), a_var (1,K) and "header.json"
 *  {"format":"gapkit-model","version":1,"kind":"comet",...}.  Atomic.
 *  @return : GK_OK, GK_EIO, GK_ENOMEM. */
int gk_comet_save(const gk_comet *m, const char *path);

/*! gk_comet_save_ex() : as gk_comet_save(), with the members of the JSON
 *  object text `extra` (may be NULL) added to header.json (readers of kind
 *  "comet" ignore members they do not know; gk_align_save() records its
 *  apply settings this way); members the model itself writes are kept.
 *  @return : as gk_comet_save(), GK_EARG when extra is not a JSON object. */
int gk_comet_save_ex(const gk_comet *m, const char *path, const char *extra);

/*! gk_comet_load() : reads a model written by gk_comet_save(); checks the
 *  header (format, version, kind) and every array's shape.
 *  @return : GK_OK, GK_EIO, GK_EFORMAT (naming the field).  *out : caller
 *  owns, free with gk_comet_free(); NULL on failure. */
int gk_comet_load(const char *path, gk_comet **out);

/*! gk_comet_load_mem() : as gk_comet_load() on a model file held in memory
 *  (buf[0..len) is only read; fuzzing).  `name` prefixes messages. */
int gk_comet_load_mem(const void *buf, size_t len, const char *name, gk_comet **out);

/*====  model getters (borrowed pointers, valid while the model lives)  ====*/

int64_t gk_comet_k(const gk_comet *m);      /* K, axes kept */
int64_t gk_comet_rank(const gk_comet *m);   /* R = min(D_T, D_A), axes with σ */
/* Axes whose σ_j / σ_1 is at most GK_COMET_NOISE_TOL (the float32 machine
** epsilon 2^-23) are rounding noise of a rank-deficient cross-covariance
** (e.g. N − 1 < min(D_T, D_A)): their align, corr and net are meaningless. */
#define GK_COMET_NOISE_TOL 0x1p-23
/*! gk_comet_numerical_rank() : @return : #{j : σ_j > GK_COMET_NOISE_TOL·σ_1}
 *  (σ descending), at most min(R, N_fit − 1): the axes that are not noise. */
int64_t gk_comet_numerical_rank(const gk_comet *m);
int64_t gk_comet_n_fit(const gk_comet *m);  /* N of the fit */
int64_t gk_comet_dim(const gk_comet *m, int side); /* D_T (side 0) or D_A (side 1) */
const float *gk_comet_sigma(const gk_comet *m);  /* (R,) σ_j, descending */
const float *gk_comet_align(const gk_comet *m);  /* (R,) u_j·v_j; NULL if D_T != D_A */
const float *gk_comet_corr(const gk_comet *m);   /* (K,) corr(t̂_j, â_j) over the fit pairs */
const float *gk_comet_mean(const gk_comet *m, int side); /* (D_side,) t̄ or ā */
/*! gk_comet_axes() : U_k (side 0, (D_T,K)) or V_k (side 1, (D_A,K)), row-major:
 *  entry (i, j) is axis j's coordinate i, at [i*K + j]. */
const float *gk_comet_axes(const gk_comet *m, int side);
/*! gk_comet_var() : (K,) Σ_i t̂_ij² (side 0) or Σ_i â_ij² (side 1) over the
 *  fit pairs: centred energy of each kept axis.  *total = Σ_i ‖t_i − t̄‖². */
const float *gk_comet_var(const gk_comet *m, int side, double *total);

/*====  per-axis summary  ====*/

typedef struct gk_comet_axis_stats {
    int64_t k, r;        /* K kept axes, R axes with σ */
    int64_t nr;          /* numerical rank: axes nr..R−1 are noise (gk_comet_numerical_rank) */
    double *sigma;       /* (R,) σ_j */
    double *cov;         /* (R,) σ_j / N: covariance of the paired coordinates */
    double *align;       /* (R,) u_j·v_j, NULL when D_T != D_A */
    double *net;         /* (R,) σ_j·align_j, NULL when D_T != D_A */
    double *net_cum;     /* (R,) Σ_{i<=j} net_i / Σ_i net_i, NULL when D_T != D_A */
    double *corr;        /* (K,) corr_j */
    double head_t, head_a; /* share of centred variance on axes 1..K (text, audio) */
    double tail_t, tail_a; /* 1 − head: on axes K+1..R and outside the axes */
} gk_comet_axis_stats;

/*! gk_comet_stats() : the per-axis diagnostics of a model.
 *  @return : GK_OK, GK_ENOMEM.  *out : caller owns, free with
 *  gk_comet_stats_free(). */
int gk_comet_stats(const gk_comet *m, gk_comet_axis_stats **out);
void gk_comet_stats_free(gk_comet_axis_stats *s);

/*====  similarity dissection on test pairs  ====*/

/* t·a = t̄·ā + [t̄ᵀV â + āᵀU t̂] + Σ_j t̂_j â_j align_j + Σ_{l≠m} t̂_l â_m u_l·v_m
**        mean     mean×coef           direct                 cross
** plus, when the kept axes do not span the space, a residual (the part of
** (t − t̄)·(a − ā) outside the kept axes).  Each term is averaged over the
** N true pairs and over the N(N−1) non-pairs (computed from sums, O(N·D·K)). */
typedef struct gk_comet_terms {
    double total;     /* mean cosine t·a */
    double mean;      /* t̄·ā */
    double mean_coef; /* t̄ᵀV â + āᵀU t̂ over the axes in scope */
    double direct;    /* Σ_j t̂_j â_j align_j */
    double cross;     /* Σ_{l≠m} t̂_l â_m u_l·v_m */
    double residual;  /* total − the four terms above */
} gk_comet_terms;

typedef struct gk_comet_dissection {
    int64_t n;               /* test pairs */
    int64_t k, head;         /* axes in "all" (= K kept) and in the head */
    gk_comet_terms pos_all;  /* true pairs, all kept axes */
    gk_comet_terms neg_all;  /* non-pairs, all kept axes */
    gk_comet_terms pos_head; /* true pairs, axes 1..head */
    gk_comet_terms neg_head; /* non-pairs, axes 1..head */
} gk_comet_dissection;

/*! gk_comet_dissect() : the similarity dissection of N test pairs (rows of T
 *  (N,D_T) and A (N,D_A), unit rows), for all kept axes and the first `head`
 *  (1..K; 0 = K).  Needs D_T == D_A.  N >= 2.
 *  @return : GK_OK, GK_EARG, GK_ESHAPE, GK_ENOMEM.  *out filled by value. */
int gk_comet_dissect(const gk_comet *m, const gk_mat *T, const gk_mat *A, int64_t head,
                     gk_comet_dissection *out);

/*! gk_comet_extremes() : for each kept axis j (0..K−1), the indices of the
 *  `ntop` rows of X with the largest and the smallest coordinate on that axis
 *  (side 0 → t̂_j, side 1 → â_j), largest first / smallest first; ties by
 *  lower index.  X is (N, D_side); ntop <= N.
 *  top and bottom are caller buffers of (K, ntop) int64: row j at [j*ntop].
 *  @return : GK_OK, GK_EARG, GK_ESHAPE, GK_ENOMEM. */
int gk_comet_extremes(const gk_comet *m, int side, const gk_mat *X, int64_t ntop, int64_t *top,
                      int64_t *bottom);

/*! gk_comet_permutation_test() : how many leading axes of model m (fitted on
 *  T (N,D_T) ↔ A (N,D_A)) share more than chance — a step-down permutation
 *  test (Winkler et al. 2020): n_perm times the pairing is shuffled (seed);
 *  for axis j the axes before it are projected out of both sides and the
 *  largest singular value σ* of each permuted, deflated cross-product is
 *  compared with σ_j: p_j = (1 + #{σ* >= σ_j}) / (n_perm + 1).  The test
 *  stops at the first axis with p_j > alpha (family-wise error <= alpha);
 *  *n_shared = the axes before it.  An axis with σ_j <= 1e-5 σ_1 is numerical
 *  noise (e.g. beyond the rank of a side with repeated rows): p_j = 1 there
 *  and the test stops.  Only the model's K kept axes can be
 *  tested: fit with K = 0 (all axes) to test them all.
 *  p_values (R,) caller buffer, R = gk_comet_rank(m); NaN for axes not tested.
 *  Cost: n_perm centred cross-products O(N·D_T·D_A) each, kept in memory
 *  (n_perm·D_T·D_A doubles: 207 MB for 99 × 512 × 512), then one SVD (values
 *  only) per permutation and tested axis.
 *  @return : GK_OK, GK_EARG, GK_ESHAPE, GK_ENOMEM, GK_EBLAS. */
int gk_comet_permutation_test(const gk_comet *m, const gk_mat *T, const gk_mat *A, int n_perm,
                              double alpha, uint64_t seed, double *p_values, int64_t *n_shared);

/*! gk_comet_to_json() : a JSON document of the model's per-axis summary
 *  (first `max_axes` axes, 0 = all) and, if d != NULL, the dissection.
 *  *json : caller frees with gk_free(). */
int gk_comet_to_json(const gk_comet *m, const gk_comet_dissection *d, int64_t max_axes,
                     char **json);

/*====  coefficients of a pair, and the choice of k  ====*/

/*! gk_comet_apply_pair() : coefficients of both sides under model m:
 *  *X2 = normalize(apply(m, side 0, X)), *Y2 = normalize(apply(m, side 1, Y))
 *  with k axes (0 = all kept) and weight w: the first input is side 0 (the
 *  first input of the fit), the second side 1.  Rows of X2 (NX,k) and Y2
 *  (NY,k) are unit, so inner products are the cosines of the coefficients.
 *  @return : as gk_comet_apply(), GK_ENUMERIC for a zero coefficient row.
 *  *X2, *Y2 : caller owns both; both NULL on failure. */
int gk_comet_apply_pair(const gk_comet *m, int64_t k, gk_comet_weight w, const gk_mat *X,
                        const gk_mat *Y, gk_mat **X2, gk_mat **Y2);

#define GK_SELECT_K_MAX 32

/*! gk_comet_select_k() : chooses COMET's k by `folds`-fold cross-validation
 *  on the fit pairs T (N,D_T) ↔ A (N,D_A): rows are shuffled (seed) and dealt
 *  into folds; for each fold COMET is fitted once on the other folds with the
 *  largest candidate, and each candidate k is scored by held-out retrieval
 *  mAP@10 from side 0 (T rows as queries) to side 1 (A rows as gallery) on
 *  the coefficients with weight w (gk_comet_apply_pair).  True matches: row
 *  i ↔ row i, or, with groups (N,) (may be NULL), every held-out row of the
 *  same group (use it when A repeats, e.g. items paired with their class
 *  prompt).
 *  candidates (n_candidates <= GK_SELECT_K_MAX) may be NULL: then 8, 16, 32,
 *  64, 128, 256.  Candidates are capped at R = min(D_T, D_A) and at the
 *  smallest training-fold size minus 1, then de-duplicated.  The best mean
 *  score wins; ties go to the smaller k.  scores (may be NULL) receives the
 *  mean score of each ORIGINAL candidate (capped ones score as their cap).
 *  folds >= 2, N >= 2·folds.  gk_transform_fit (eval.h) calls it for the
 *  rule k=auto.
 *  @return : GK_OK, GK_EARG, GK_ESHAPE, GK_ENOMEM, GK_EBLAS.  *best_k set. */
int gk_comet_select_k(const gk_mat *T, const gk_mat *A, const int32_t *groups,
                      const int64_t *candidates, int n_candidates, int folds, uint64_t seed,
                      gk_comet_weight w, int64_t *best_k, double *scores);

GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_COMET_H */
