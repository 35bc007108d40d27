/*
** align.h — post-hoc transforms that close the modality gap of frozen
** embeddings (methods.md §4): fitted on paired calibration rows of M >= 2
** views (X, Y, [Z …], row i of every view is the same item), then applied to
** new rows of any one view, saved and loaded (docs/model-format.md, kinds
** "align" and "comet").  docs/compare.md defines every method.
**
** Every transform maps a row x of view v to a UNIT row (rows are compared by
** cosine afterwards):
**   identity    x' = normalize(x)
**   center      x' = normalize(x − μ_v)
**   shift       x' = normalize(x − λ(μ_v − μ̄)), μ̄ = mean of the view means;
**               for two views x' = normalize(x − (λ/2)Δ), y' = normalize(y + (λ/2)Δ),
**               Δ = μ_X − μ_Y: λ = 1 makes the means meet before renormalising
**   ablate      zero the m coordinates j with the largest Σ_v (μ_vj − μ̄_j)²
**               (for two views: the largest |Δ_j|), renormalise
**   procrustes  x' = normalize((x − μ_v) W_v), W_v = P Qᵀ from the SVD
**               (X_v − μ_v)ᵀ(X_a − μ_a) = P Σ Qᵀ, a the anchor (x' = normalize(x − μ_a)
**               for the anchor itself)
**   cca         x' = normalize((x − μ_v) A_v), A_v (D_v,K): ridge-regularised
**               (multi-view) CCA, K canonical directions
**   comet       two views: COMET PLSHead(W) coefficients normalize(s ⊙ U_kᵀ(x − x̄)),
**               s the weights as gk_comet_apply() splits them over the two sides;
**               M > 2 views: the multi-view PLS generalisation (weight none only)
**   projdec     projection decoding onto a memory of the anchor view: a row of
**               another view becomes normalize(Σ_i s_i m_i), s = softmax over the
**               memory rows (or the top-k of them) of τ·(x·m_i)
**   head        a trained projection head (gapkit train, train.h): x' =
**               normalize(head_v(x)); loaded from a kind "head" model file
** A zero result row stays zero (it has no direction).
**
** Thread-safety: a fitted gk_align is read-only during apply; several threads
** may apply one model at once.  Results do not depend on the thread count.
*/
#ifndef GAPKIT_ALIGN_H
#define GAPKIT_ALIGN_H

#include "comet.h"
#include "matrix.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

#define GK_ALIGN_MAX_VIEWS 16

typedef enum gk_align_method {
    GK_ALIGN_IDENTITY = 0,
    GK_ALIGN_CENTER = 1,
    GK_ALIGN_SHIFT = 2,
    GK_ALIGN_ABLATE = 3,
    GK_ALIGN_PROCRUSTES = 4,
    GK_ALIGN_CCA = 5,
    GK_ALIGN_COMET = 6,
    GK_ALIGN_PROJDEC = 7,
    GK_ALIGN_HEAD = 8 /* trained projection heads (train.h): loaded from a kind "head"
                         file, never fitted by gk_align_fit */
} gk_align_method;
#define GK_ALIGN_N_METHODS 8 /* the methods gk_align_fit knows (HEAD is not one) */

/* How COMET's k is chosen when the transform is fitted (gk_transform_fit,
** eval.h): as given, by cross-validation, or as the number of axes that pass
** the step-down permutation test.  A fitted model records the rule and, in k,
** the k it chose. */
typedef enum gk_k_rule {
    GK_K_FIXED = 0,  /* k as given */
    GK_K_AUTO = 1,   /* "k=auto": 5-fold CV of held-out mAP@10 (gk_comet_select_k) */
    GK_K_SHARED = 2  /* "k=shared": axes passing gk_comet_permutation_test (B =
                        permutations, alpha), at least 1 */
} gk_k_rule;

/* The method and its parameters; fields a method does not use are ignored. */
typedef struct gk_align_opts {
    gk_align_method method;
    int anchor;             /* PROCRUSTES (target), PROJDEC (memory): view index, −1 = last */
    double lambda;          /* SHIFT: share of the gap closed, default 1 (any real) */
    int64_t m;              /* ABLATE: coordinates zeroed, default 10 (1..D−1) */
    int64_t k;              /* CCA, COMET: dimensions kept, default 32 (capped at the
                               numerical rank for CCA, at min(D) for COMET) */
    gk_k_rule k_rule;       /* COMET: how k is chosen at the fit (k = 0 until then) */
    double ridge;           /* CCA: ρ >= 0, C_vv + ρ·(tr C_vv / D_v)·I, default 0.1 */
    gk_comet_weight weight; /* COMET: none (default), align or corr */
    double temperature;     /* PROJDEC: τ > 0, default 100 (COMET paper) */
    int64_t topk;           /* PROJDEC: memory rows averaged, 0 = all (default) */
    int permutations;       /* COMET k=shared: B shuffled pairings (default 19, the
                               smallest B whose p can reach 0.05; <= 0 = default) */
    double alpha;           /* COMET k=shared: family-wise level (default 0.05; <= 0 =
                               default) */
} gk_align_opts;

/*! gk_align_opts_default() : @return : the defaults above for `method`
 *  (anchor −1). */
gk_align_opts gk_align_opts_default(gk_align_method method);

/*! gk_align_method_name() : @return : static name ("identity", "center",
 *  "shift", "ablate", "procrustes", "cca", "comet", "projdec"), or "?". */
const char *gk_align_method_name(gk_align_method m);

/*! gk_align_parse() : parses "METHOD[:KEY=VALUE,…]", e.g. "shift:lambda=0.5",
 *  "cca:k=16,ridge=0.01", "comet:k=64,weight=align", "projdec:temp=50,topk=10",
 *  "procrustes:anchor=0".  Keys: lambda (shift), m (ablate), k (cca, comet;
 *  comet also takes k=auto and k=shared: k = 0 and k_rule set, for
 *  gk_transform_fit to resolve), ridge (cca), weight (comet), temp
 *  (projdec), topk (projdec), anchor (all).
 *  Unset keys take the method's defaults.
 *  @return : GK_OK, GK_EARG saying what was expected.  *out filled on success. */
int gk_align_parse(const char *s, gk_align_opts *out);

/*! gk_k_rule_name() : @return : "fixed", "auto" or "shared" (static). */
const char *gk_k_rule_name(gk_k_rule r);

/*! gk_align_opts_string() : the canonical text of o (the parse form with the
 *  method's parameters, e.g. "shift:lambda=0.5") into buf (cap bytes,
 *  truncated).  @return : buf. */
char *gk_align_opts_string(const gk_align_opts *o, char *buf, size_t cap);

/*====  fit / apply / save / load  ====*/

typedef struct gk_align gk_align; /* a fitted transform; opaque */

/*! gk_align_fit() : fits o->method on M = n_views paired views views[0..M)
 *  (each (N,D_v), any row stride, cs == 1; unit rows expected), N >= 2,
 *  2 <= M <= GK_ALIGN_MAX_VIEWS.  shift, ablate and projdec need every D_v
 *  equal (they act in one shared space); procrustes, cca and comet accept
 *  different D_v.  Sums are accumulated in double; no randomness.
 *  @return : GK_OK; GK_EARG (bad option, naming it), GK_ESHAPE (row counts
 *  or dimensions), GK_ENOMEM, GK_EBLAS, GK_ENUMERIC.  *out : caller owns,
 *  free with gk_align_free(); NULL on failure. */
int gk_align_fit(const gk_align_opts *o, const gk_mat *const *views, int n_views,
                 gk_align **out);

/*! gk_align_fit_pair() : gk_align_fit() with the two views X (N,D_X), Y (N,D_Y). */
int gk_align_fit_pair(const gk_align_opts *o, const gk_mat *X, const gk_mat *Y, gk_align **out);

/*! gk_align_apply() : the transform of view `view` applied to every row of
 *  X (R,D_view), cs == 1.  Processed in blocks of 4096 rows (centring and
 *  scaling by OpenMP loops, projections by gk_gemm_rows), so memory is the output
 *  plus one block.  The same model and input give the same bytes in any
 *  process and with any thread count (also after gk_align_save/load).
 *  @return : GK_OK, GK_EARG (view out of range), GK_ESHAPE (D differs from
 *  the view's), GK_ENOMEM.  *out (R, gk_align_out_dim(a, view)) : caller
 *  owns, free with gk_mat_free(); NULL on failure. */
int gk_align_apply(const gk_align *a, int view, const gk_mat *X, gk_mat **out);

/*! gk_align_apply_pair() : both sides of a pair of inputs under model a:
 *  *X2 = gk_align_apply(a, 0, X), *Y2 = gk_align_apply(a, 1, Y) (X is view
 *  0, the first input of the fit, Y view 1).
 *  @return : as gk_align_apply().  *X2, *Y2 : caller owns both; both NULL on
 *  failure. */
int gk_align_apply_pair(const gk_align *a, const gk_mat *X, const gk_mat *Y, gk_mat **X2,
                        gk_mat **Y2);

/*! gk_align_apply_npy() : gk_align_apply() written straight to a float32
 *  .npy at `path` (atomically, gk_npy_stream_*), GK_ALIGN_STREAM_ROWS rows at
 *  a time: memory is one block, not the output.  The file holds the bytes
 *  gk_npy_write() of gk_align_apply()'s result would hold.
 *  @return : as gk_align_apply(), GK_EIO. */
#define GK_ALIGN_STREAM_ROWS 65536
int gk_align_apply_npy(const gk_align *a, int view, const gk_mat *X, const char *path);

/*! gk_align_save() : writes the model atomically.  A two-view COMET model is
 *  a kind "comet" file (readable by gk_comet_load) whose header also holds
 *  {"transform":{"method":"comet","k":K,"weight":W}}; every other model is a
 *  kind "align" file (docs/model-format.md).
 *  @return : GK_OK, GK_EARG, GK_EIO, GK_ENOMEM. */
int gk_align_save(const gk_align *a, const char *path);

/*! gk_align_load() : reads a kind "align", "comet" or "head" model file (a COMET
 *  file without "transform" applies all its axes with weight none).  Checks
 *  the header and every array's shape before use.
 *  @return : GK_OK, GK_EIO, GK_EFORMAT naming the file and field.  *out :
 *  caller owns, free with gk_align_free(); NULL on failure. */
int gk_align_load(const char *path, gk_align **out);

/*! gk_align_free() : NULL is a no-op. */
void gk_align_free(gk_align *a);

/*====  inspection  ====*/

/*! gk_align_comet() : @return : the COMET decomposition of a two-view COMET
 *  model (all its axes and σ; the model applies gk_align_get_opts()->k of
 *  them), or NULL for another method.  Borrowed, valid while a lives. */
const gk_comet *gk_align_comet(const gk_align *a);

/*! gk_align_get_opts() : @return : the method and parameters of a fitted
 *  model (anchor resolved to an index).  Borrowed, valid while a lives. */
const gk_align_opts *gk_align_get_opts(const gk_align *a);
/*! gk_align_source() : @return : the file the model was read from
 *  (gk_align_load), or NULL for a model fitted in this process.  Borrowed. */
const char *gk_align_source(const gk_align *a);
/*! gk_align_n_views() : @return : M. */
int gk_align_n_views(const gk_align *a);
/*! gk_align_n_fit() : @return : N, the calibration rows of the fit. */
int64_t gk_align_n_fit(const gk_align *a);
/*! gk_align_dim() : @return : D_view, the input dimension of a view (0 for a
 *  NULL model, −1 for a view out of range). */
int64_t gk_align_dim(const gk_align *a, int view);
/*! gk_align_out_dim() : @return : the output dimension of a view (0 for a
 *  NULL model, −1 for a view out of range). */
int64_t gk_align_out_dim(const gk_align *a, int view);

/*! gk_align_diagnostic() : the method's per-component numbers, or NULL:
 *  cca: canonical correlations (K,) of the fit (regularised, for the
 *  anchor-free multi-view form the eigenvalues); ablate: the zeroed
 *  coordinates (m,) as floats; comet (2 views): σ_j (K,); procrustes: the
 *  singular values of the first non-anchor view's cross-covariance.
 *  *len receives the length; *name (may be NULL) a static label.  Borrowed. */
const float *gk_align_diagnostic(const gk_align *a, int64_t *len, const char **name);

/*! gk_align_set_comet() : changes how a COMET model is applied: k axes (0 =
 *  all kept) and weight w.  @return : GK_OK, GK_EARG (not a two-view COMET
 *  model, k out of range, align weights without D_X == D_Y). */
int gk_align_set_comet(gk_align *a, int64_t k, gk_comet_weight w);

/*! gk_align_describe() : a one-line human description ("cca:k=32,ridge=0.1
 *  fitted on 1000 rows of 2 views") into buf.  @return : buf. */
char *gk_align_describe(const gk_align *a, char *buf, size_t cap);

/*! gk_align_to_json() : {"method","spec","n_views","n_fit","dims","out_dims",
 *  "anchor" (null unless procrustes/projdec),"memory_rows","diagnostic":{"name",
 *  "values"}}.  *json : caller frees with gk_free().
 *  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_align_to_json(const gk_align *a, char **json);

GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_ALIGN_H */
