/*
** curate.h — pseudo-pairs from UNPAIRED audio and text (Wang et al., WASPAA
** 2023, "Unsupervised Improvement of Audio-Text Cross-Modal
** Representations"; methods.md §6): a teacher's cosine similarities between
** an audio pool A (N,D) and a text pool T (M,D) decide which (audio, text)
** rows become training pairs.
**
**   threshold    every pair with cos(a, t) >= τ (domain-unspecific, τ = 0.75)
**   top-k        the k most similar texts of each audio row (cos >= an
**                optional floor)
**   mutual       (a, t) when t is among a's k nearest texts AND a among t's
**                k nearest audio rows (cos >= the optional floor)
**
** Domain-specific filter (with target prompts P (C_t,D), one class per prompt
** row): a text row passes when its best cosine to any prompt row is >= τ_t
** (ESC-50 0.7 in the paper).  Two ways to use it:
**   filter       curate against the whole text pool, then keep the pairs
**                whose text passes (domain-specific);
**   augment      curate against the passing texts only, so every audio row
**                chooses among domain texts (augmented domain-specific: top-k
**                and mutual then give each audio row k domain captions).
** For threshold mode the two give the same pairs.
**
** Everything streams through the kNN engine (knn.h): threshold mode through
** gk_knn_within, the others through gk_knn_query; no N×M matrix is built.
** Memory: the pairs, N·k + M·k ids (mutual), and the engine's tiles.
*/
#ifndef GAPKIT_CURATE_H
#define GAPKIT_CURATE_H

#include "matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

GK_API_BEGIN

typedef enum gk_curate_mode {
    GK_CURATE_THRESHOLD = 1, /* cos >= tau */
    GK_CURATE_TOPK = 2,      /* k nearest texts per audio row */
    GK_CURATE_MUTUAL = 3     /* mutual k nearest */
} gk_curate_mode;

#define GK_CURATE_BINS 40 /* score histogram: bins of 0.05 over [−1, 1] */

typedef struct gk_curate_opts {
    gk_curate_mode mode;
    double tau;          /* THRESHOLD: the threshold (default 0.75); TOPK, MUTUAL: a
                            floor, pairs below it dropped (−1: none) */
    int64_t k;           /* TOPK, MUTUAL: neighbours (default 1) */
    const gk_mat *targets;       /* (C_t,D) target prompt rows; NULL = no domain step */
    const int32_t *target_class; /* (C_t,) class of each prompt row in [0, n_target_classes) */
    int32_t n_target_classes;
    double tau_target;   /* domain filter threshold; NaN = none (targets then only
                            name each pair's class) */
    int augment;         /* 1: curate against the passing texts only (see above) */
    const int32_t *audio_class; /* (N,) true class of each audio row in the target
                                   classes, −1 = unknown; NULL = no labels */
} gk_curate_opts;

/*! gk_curate_opts_default() : threshold mode, τ = 0.75, k = 1, no targets. */
gk_curate_opts gk_curate_opts_default(void);

typedef struct gk_curate_result {
    int64_t n_pairs;             /* P */
    int64_t *audio, *text;       /* (P,) rows of the pools, sorted by (audio, text) */
    double *score;               /* (P,) cosine of each pair */
    int64_t n_audio, n_text;     /* N, M: the pool sizes */
    int64_t n_text_passed;       /* texts passing the domain filter (M without one) */
    int64_t audio_covered;       /* audio rows with at least one pair */
    int64_t text_covered;        /* text rows with at least one pair */
    int64_t hist[GK_CURATE_BINS];/* pairs per score bin [−1 + 0.05b, −1 + 0.05(b+1)) */
    int32_t n_target_classes;    /* C (0 without targets) */
    int32_t *text_class;         /* (M,) class of each text's nearest prompt; NULL
                                    without targets */
    double *text_target_cos;     /* (M,) that best cosine; NULL without targets */
    int64_t *class_pairs;        /* (C,) pairs whose text's nearest prompt is class c */
    int64_t n_labelled;          /* pairs whose audio row has a known class */
    int64_t n_label_match;       /* of those, pairs whose text's class is the audio's */
} gk_curate_result;

/*! gk_curate() : pseudo-pairs of the audio pool A (N,D) and the text pool T
 *  (M,D) by opts (NULL = defaults); cosine similarity (rows need not be unit;
 *  zero rows are an error).  N, M >= 1; targets of the same D.
 *  @return : GK_OK; GK_EARG (tau outside [−1, 1], k outside 1..M (top-k) or
 *  1..min(N, M) (mutual), a target class out of range, tau_target outside
 *  [−1, 1]), GK_ESHAPE (dimensions differ), GK_ENUMERIC (NaN/Inf, zero row),
 *  GK_ENOMEM.  *out : caller owns, free with gk_curate_result_free(); NULL
 *  on failure. */
int gk_curate(const gk_mat *A, const gk_mat *T, const gk_curate_opts *opts,
              gk_curate_result **out);

/*! gk_curate_result_free() : NULL is a no-op. */
void gk_curate_result_free(gk_curate_result *r);

/*! gk_curate_write() : the pairs as a float64 .npy of shape (P,3): columns
 *  audio row, text row (exact integers) and cosine, sorted by (audio, text);
 *  written to a temporary name and renamed into place.
 *  @return : GK_OK, GK_EIO, GK_ENOMEM. */
int gk_curate_write(const gk_curate_result *r, const char *path);

/*! gk_curate_to_json() : {"mode","tau","k" (null for threshold),"n_audio",
 *  "n_text","n_pairs","coverage":{"audio_rows","text_rows","audio","text"}
 *  (counts and shares of the pools),"histogram":{"lo","width","counts"},
 *  "domain":{"tau_target","augment","texts_passed","pairs_per_class":[{"class",
 *  "pairs"}…]} or null without targets,"labels":{"n_labelled","n_match",
 *  "match"} or null without audio labels}; class names (may be NULL: indices)
 *  name the classes.  *json : caller frees with gk_free().
 *  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_curate_to_json(const gk_curate_result *r, const gk_curate_opts *opts,
                      const char *const *class_names, char **json);

GK_API_END

#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_CURATE_H */
