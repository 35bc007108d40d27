/*
** nngs.h — neighbourhood-graph similarity of two spaces holding the same N
** items (methods.md §3): NNGS and its chance-normalised form, the NNGS
** spectrum (TAS) over every k, mutual k-NN, cycle k-NN and CKNNA.
**
** X is (N,Dx) and Y is (N,Dy), any strides; row i of X and row i of Y are the
** same item; Dx and Dy may differ.  N_k^X(i) is the set of the k nearest
** OTHER rows of row i in X (gk_knn_graph(): the row excluded by its index,
** ties broken by lower index), for a distance of knn.h.  Every neighbour
** search goes through the kNN engine; no N×N matrix is ever held.
**
** NNGS (Tavares, Ayres, Smaragdis, arXiv 2411.08687):
**   J_i = |N_k^X(i) ∩ N_k^Y(i)| / |N_k^X(i) ∪ N_k^Y(i)| = I_i / (2k − I_i),
**   raw = mean_i J_i,
**   chance H(k) = k / (2m − k), m = N − 1 candidates (the Jaccard index at
**   the expected intersection k²/m of two random k-subsets),
**   normalised = (raw − H) / (1 − H): 1 = identical graphs, 0 = chance,
**   < 0 = fewer shared neighbours than chance.  1 <= k <= N − 2.
** Rank-based, so unchanged by translation, rotation and isotropic scaling of
** either space (euclidean), and by per-row rescaling with cosine.
*/
#ifndef GAPKIT_NNGS_H
#define GAPKIT_NNGS_H

#include "knn.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

/*====  the scale k  ====*/

/* k as a count, or as a fraction c of N−1 (k = floor(c·(N−1))). */
typedef struct gk_kspec {
    int64_t k;   /* > 0: a count (then frac == 0) */
    double frac; /* in (0, 1]: a fraction of N − 1 (then k == 0) */
} gk_kspec;

/*! gk_kspec_parse() : "10" (a count), "0.2" or "20%" (a fraction of N−1):
 *  a number with a '.' or a '%' is a fraction.
 *  @return : GK_OK, GK_EARG saying what was expected. */
int gk_kspec_parse(const char *s, gk_kspec *out);

/*! gk_kspec_resolve() : *k = the count of s for N items, checked to lie in
 *  [kmin, kmax].  @return : GK_OK, GK_EARG naming k, N and the range. */
int gk_kspec_resolve(gk_kspec s, int64_t n, int64_t kmin, int64_t kmax, int64_t *k);

/*! gk_nngs_chance() : @return : H(k) = k / (2(N−1) − k), the NNGS of two
 *  unrelated spaces (see above); NaN unless 1 <= k <= N − 1. */
double gk_nngs_chance(int64_t k, int64_t n);

/*! gk_nngs_chance_exact() : @return : E[J] = Σ_i P(I = i) · i/(2k − i) for
 *  two independent uniformly random k-subsets of m = N−1 candidates (I is
 *  hypergeometric), the exact mean Jaccard of unrelated spaces.  H(k) above
 *  (the paper's chance level, used for the normalisation) is the Jaccard at
 *  the MEAN overlap; the two agree for large k but not for small k (k = 1:
 *  H = 1/(2m−1), exact 1/m).  O(k).  NaN unless 1 <= k <= N − 1. */
double gk_nngs_chance_exact(int64_t k, int64_t n);

/*====  results  ====*/

typedef enum gk_nbr_kind {
    GK_NBR_NNGS = 1,       /* "nngs" */
    GK_NBR_MUTUAL_KNN = 2, /* "mutual-knn" */
    GK_NBR_CYCLE_KNN = 3,  /* "cycle-knn" */
    GK_NBR_CKNNA = 4       /* "cknna" */
} gk_nbr_kind;

typedef struct gk_nbr_result {
    gk_nbr_kind kind;
    char measure[24];     /* "nngs", "mutual-knn", "cycle-knn", "cknna" */
    char estimator[480];  /* the estimator and its parameters, in words */
    int64_t n, dx, dy;    /* N, Dx, Dy */
    int64_t k;            /* neighbours per item */
    double k_frac;        /* the fraction of N−1 asked for, 0 when k was a count */
    gk_distance distance; /* of the neighbour search */
    double value;         /* the similarity (1 = same neighbourhoods) */
    double raw, chance;   /* nngs: mean Jaccard and H(k); value = normalised */
    double hsic_xy, hsic_xx, hsic_yy; /* cknna: value = xy / sqrt(xx·yy) */
    int64_t sampled_rows; /* 0: every row; else the m rows of a sampled estimate */
    double ci_lo, ci_hi;  /* sampled: the 95 % interval of value; NaN when exact */
} gk_nbr_result;

/*====  the measures (k resolved by gk_kspec_resolve; N >= 3)  ====*/

/*! gk_nngs() : NNGS at scale k (1 <= k <= N−2) with distance d:
 *  value = the normalised NNGS, raw and chance as above.
 *  Cost: two kNN graphs (2·N²·D flops each) and O(N·k).
 *  @return : GK_OK; GK_EARG (NULL, k or N out of range), GK_ESHAPE (row
 *  counts differ), GK_ENUMERIC (NaN/Inf; a zero row with cosine), GK_ENOMEM.
 *  *out filled on success.  The value does not depend on the thread count. */
int gk_nngs(const gk_mat *X, const gk_mat *Y, gk_kspec k, gk_distance d, gk_nbr_result *out);

/*! gk_mutual_knn() : mutual k-NN of the Platonic Representation Hypothesis
 *  (Huh et al. 2024, platonic-rep mutual_knn): value = mean_i I_i / k, with
 *  I_i = |N_k^X(i) ∩ N_k^Y(i)|; platonic-rep uses unit rows and the inner
 *  product, i.e. d = GK_DIST_COSINE (any distance is accepted).  Chance
 *  level k/(N−1) in raw/chance.  1 <= k <= N−1.  Returns as gk_nngs(). */
int gk_mutual_knn(const gk_mat *X, const gk_mat *Y, gk_kspec k, gk_distance d,
                  gk_nbr_result *out);

/*! gk_cycle_knn() : cycle k-NN (platonic-rep cycle_knn): value = the share of
 *  items i that belong to N_k^X(j) for at least one j in N_k^Y(i) (from i to
 *  its Y-neighbours, back through their X-neighbours).  Asymmetric in X, Y.
 *  1 <= k <= N−1.  Returns as gk_nngs(). */
int gk_cycle_knn(const gk_mat *X, const gk_mat *Y, gk_kspec k, gk_distance d,
                 gk_nbr_result *out);

/*! gk_cknna() : CKNNA (platonic-rep cknna, unbiased): the kernels K_ij =
 *  x_i·x_j and L_ij = y_i·y_j (cosines for d = GK_DIST_COSINE: rows are
 *  taken as unit, platonic-rep's setting; raw inner products for
 *  GK_DIST_IP, the only two accepted) restricted to the pairs (i,j) with
 *  j ∈ N_k^X(i) ∩ N_k^Y(i) (mask M), then
 *    value = HSIC_u(M∘K, M∘L) / sqrt(HSIC_u(M_X∘K, M_X∘K) · HSIC_u(M_Y∘L, M_Y∘L)),
 *  M_X, M_Y the kNN masks of each space, HSIC_u the estimator of Song et al.
 *  (2012, eq. 5) (see cka.h).  Sparse: O(N·k·(D + log k)), no N×N matrix.
 *  platonic-rep adds 1e-6 to the denominator; this does not.
 *  2 <= k <= N−1, N >= 4.  @return : as gk_nngs(); GK_EARG for another
 *  distance; GK_ENUMERIC when an HSIC of a space with itself is not > 0. */
int gk_cknna(const gk_mat *X, const gk_mat *Y, gk_kspec k, gk_distance d, gk_nbr_result *out);

/*! gk_nbr_measure() : the measure named `name` ("nngs", "mutual-knn",
 *  "cycle-knn", "cknna").  @return : as the measure; GK_EARG naming the
 *  known measures for an unknown name. */
int gk_nbr_measure(const char *name, const gk_mat *X, const gk_mat *Y, gk_kspec k,
                   gk_distance d, gk_nbr_result *out);

/*====  sampled estimates (docs/methods.md, "sampled neighbourhood measures")  ====*/

#define GK_NBR_SAMPLE_MIN 20 /* fewest rows of a sampled estimate */

/*! gk_nbr_measure_sampled() : the measure `name` (as gk_nbr_measure)
 *  estimated from m query rows drawn without replacement from the N rows
 *  (gk_rng seeded by `seed`): the exact neighbours of those rows against ALL
 *  N rows (gk_knn_query, the row itself excluded by index: the same lists as
 *  the rows of gk_knn_graph()), so each sampled row's term is exactly the
 *  term of the full measure, and the estimate is their mean.
 *  out->sampled_rows = m; out->ci_lo, ci_hi = a 95 % interval: Student's t
 *  on the mean of the m per-row values with the finite-population correction
 *  sqrt(1 − m/N) (m = N gives the exact value and an empty interval).  NNGS,
 *  mutual and cycle k-NN are means over rows; CKNNA is a ratio of HSIC
 *  terms, each a mean over rows, and its interval is the t interval of the
 *  linearised (delta-method) per-row contributions.  raw and chance as the
 *  exact measure; cknna's hsic_* are the estimated terms.
 *  Cost: m (cycle-knn: m·(k+1); cknna: m·(2k+1) per space) rows searched
 *  against N, i.e. about m/N of the exact measure's products (times those
 *  factors).  GK_NBR_SAMPLE_MIN <= m <= N.  Thread-independent.
 *  @return : as gk_nbr_measure(); GK_EARG for m out of range. */
int gk_nbr_measure_sampled(const char *name, const gk_mat *X, const gk_mat *Y, gk_kspec k,
                           gk_distance d, int64_t m, uint64_t seed, gk_nbr_result *out);

/*! gk_nbr_default_distance() : the distance a measure is defined with:
 *  euclidean for "nngs" and "tas" (the NNGS paper), cosine for "mutual-knn",
 *  "cycle-knn" and "cknna" (platonic-rep); euclidean for any other name. */
gk_distance gk_nbr_default_distance(const char *name);

/*====  several scales  ====*/

#define GK_NNGS_SWEEP_MAX 32

/*! gk_nngs_sweep() : NNGS at several scales ks[0..nk) (NULL: the default
 *  scales k = 1, 5, 10 and 1 %, 5 %, 10 %, 20 %, 50 % of N−1).  Scales that
 *  resolve outside [1, N−2] or to a k already listed are skipped; *n_out
 *  receives the number of results written to out (capacity nk, or 8 for
 *  the defaults; nk <= GK_NNGS_SWEEP_MAX), in ascending k.  One kNN graph per
 *  space at the largest k when N·k_max <= 2^24, else the spectrum below:
 *  the same numbers either way.
 *  @return : as gk_nngs(); GK_EARG when no scale is in range. */
int gk_nngs_sweep(const gk_mat *X, const gk_mat *Y, const gk_kspec *ks, int nk, gk_distance d,
                  gk_nbr_result *out, int *n_out);

/*! gk_nngs_sweep_sampled() : gk_nngs_sweep() estimated from m rows drawn
 *  as in gk_nbr_measure_sampled() (same m range and seed; each result has
 *  sampled_rows and its 95 % interval).  One search per space at the
 *  largest scale serves all; scales with m·k > 2^24 neighbour entries are
 *  left out (the largest first; *n_out says how many remain).  Cost: m/N of
 *  the products of the exact sweep.  @return : as gk_nngs_sweep(). */
int gk_nngs_sweep_sampled(const gk_mat *X, const gk_mat *Y, const gk_kspec *ks, int nk,
                          gk_distance d, int64_t m, uint64_t seed, gk_nbr_result *out,
                          int *n_out);

/*! gk_nngs_sweep_defaults() : the default scales of gk_nngs_sweep() into
 *  ks (capacity 8).  @return : their number (8). */
int gk_nngs_sweep_defaults(gk_kspec *ks);

/*====  the spectrum (TAS)  ====*/

typedef struct gk_tas {
    int64_t n;            /* N items */
    int64_t len;          /* N − 2 scales: entry k−1 is k = 1 .. N−2 */
    gk_distance distance;
    double *raw;          /* (len,) NNGS raw at every k */
    double *normalized;   /* (len,) NNGS normalised at every k */
    double mean_normalized; /* mean of normalized over k: the area under the spectrum */
} gk_tas;

/*! gk_nngs_spectrum() : the Topological Alignment Spectrum: NNGS at every
 *  k = 1 .. N−2.  Each row's full ORDER of the other rows in both spaces
 *  comes from the kNN engine's order stream (one radix sort per row); with
 *  rY(j) the position of j in row i's Y order, the element at position a of
 *  the X order is in both top-k sets exactly when k > max(a, rY(X order a)),
 *  so one histogram of those maxima gives I_i(k) for every k in O(N): O(N²)
 *  after the sorts, memory O(N · block).  N >= 3.
 *  Row sums are added in fixed chunks, so the result is thread-independent.
 *  @return : as gk_nngs().  *out : caller owns, gk_tas_free(); NULL on failure. */
int gk_nngs_spectrum(const gk_mat *X, const gk_mat *Y, gk_distance d, gk_tas **out);

/*! gk_tas_free() : NULL is a no-op. */
void gk_tas_free(gk_tas *t);

/*! gk_tas_write() : writes the spectrum atomically: a path ending in ".npy"
 *  gets a float64 (len, 4) array with columns k, H(k), raw, normalised;
 *  any other path a tab-separated text table with a header line.
 *  @return : GK_OK, GK_EARG, GK_EIO, GK_ENOMEM. */
int gk_tas_write(const gk_tas *t, const char *path);

/*====  output  ====*/

/*! gk_nbr_to_json() : {"measure","estimator","value","n","dims":[Dx,Dy],"k",
 *  "k_fraction","distance"} plus "raw","chance" (nngs, mutual-knn) or the
 *  three "hsic" terms (cknna); a sampled estimate adds "sampled_rows",
 *  "ci_lo", "ci_hi" (the 95 % interval of value).  *json : caller frees with gk_free().
 *  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_nbr_to_json(const gk_nbr_result *r, char **json);

/*! gk_nngs_sweep_to_json() : {"measure":"nngs-sweep","distance","n","points":
 *  [{"k","k_fraction","raw","chance","normalized"}…]} for r[0..count).
 *  *json : caller frees with gk_free().  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_nngs_sweep_to_json(const gk_nbr_result *r, int count, char **json);

/*! gk_tas_to_json() : {"measure":"tas","distance","n","k_min":1,"k_max",
 *  "mean_normalized","points":[{"k","raw","normalized"}…]} with the points
 *  at the default sweep scales (the full arrays go to gk_tas_write()).
 *  *json : caller frees with gk_free().  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_tas_to_json(const gk_tas *t, char **json);

GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_NNGS_H */
