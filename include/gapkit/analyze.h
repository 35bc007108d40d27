/*
** analyze.h — the main job: every analysis of paired embeddings in one call,
** written as a report document (format "gapkit-report", docs/report-format.md)
** that gk_report_render_html() turns into the HTML page.
*/
#ifndef GAPKIT_ANALYZE_H
#define GAPKIT_ANALYZE_H

#include "compare.h"
#include "eval.h"
#include "gap.h"
#include "group.h"
#include "knn.h"
#include "synth.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

/* What is analysed: M >= 2 paired views (row i of every view is item i; the
** deep analyses compare view 0 with view 1, the transform comparison uses
** all), optional item classes and class prompts. */
typedef struct gk_analyze_input {
    int n_views;                    /* M */
    const gk_mat *const *views;     /* (M,) each (N,D_v), unit rows */
    const char *const *view_names;  /* (M,) short names ("text"), may be NULL */
    const char *const *view_paths;  /* (M,) input specs as given, may be NULL */
    const int32_t *labels;          /* (N,) class of each item in [0,C), or NULL */
    int32_t n_classes;              /* C */
    const char *const *class_names; /* (C,) names, or NULL */
    const char *labels_path;        /* for the report, may be NULL */
    const gk_mat *prompts;          /* (C,D) class embeddings for zero-shot, or NULL */
    int prompt_view;                /* the view whose space the prompts are in */
    const char *prompts_path;       /* for the report, may be NULL */
    const char *const *fold_values; /* (N,) the column of a fold:COL=V split (one string
                                       per item, e.g. gk_csv_column), or NULL */
} gk_analyze_input;

typedef struct gk_analyze_opts {
    gk_split_spec split;   /* fit/score split of the transforms; kind 0 = the default:
                              classes:0.5 with labels, else random:0.5 */
    uint64_t seed;         /* split, permutations, k-means, CV (default 0) */
    int n_perm;            /* permutations of the shared-axes test (default 99: p
                              can fall to 1/(B+1) = 0.01, well below alpha = 0.05;
                              memory B·D_T·D_A doubles) */
    double alpha;          /* its family-wise level (default 0.05) */
    int n_null;            /* shuffled pairings calibrating linear CKA (default 49; 0 = none) */
    gk_distance distance;  /* of the neighbourhood measures (default euclidean, as
                              `gapkit similarity`; on unit rows it orders as cosine) */
    int64_t max_points;    /* rows per view in the projections (default 20000) */
    int64_t spectrum_max_n;/* the NNGS spectrum (O(N²)) only up to this N (default 20000) */
    int sweep_steps;       /* λ values of the shift sweep (default 6: 0, 0.2, …, 1) */
    int n_top;             /* items named at each end of an axis (default 5) */
    const gk_train_opts *heads; /* (n_heads,) heads trained on the train items, extra rows
                                   of the comparison (gk_compare_opts); NULL = none */
    int n_heads;
    const gk_compare_vs *versus; /* (n_versus,) named pairs of rows of the comparison
                                    tested against each other (gk_compare_opts); NULL = none */
    int n_versus;
} gk_analyze_opts;

/*! gk_analyze_opts_default() : @return : the defaults listed above. */
gk_analyze_opts gk_analyze_opts_default(void);

/*! gk_analyze_check_versus() : checks that the names of opts->versus are rows
 *  of the comparison gk_analyze_run makes (gk_compare_default_methods, then
 *  the heads opts->heads): gk_compare_check_versus.  @return : GK_OK; GK_EARG
 *  naming the unknown name. */
int gk_analyze_check_versus(const gk_analyze_opts *opts);

/*! gk_analyze_run() : runs, on views 0 and 1: the gap diagnostics
 *  (gk_gap_diagnose), COMET on all pairs with K = the axes that pass the
 *  step-down permutation test (gk_comet_permutation_test) and, with labels,
 *  the classes at both ends of the leading axes; NNGS at the default scales
 *  and its spectrum; linear CKA; then, on all views, the transform
 *  comparison (gk_compare_run with gk_compare_default_methods and the trained
 *  heads opts->heads) and the shift
 *  sweep, both fitted on the train part of the split and scored on the
 *  rest; and the joint 2-D projection before and after the best transform
 *  (the comparison row with the best zero-shot top-1 with prompts, else the
 *  best mean R@1).  The numbers are those of the single commands with the
 *  same options (gap, comet fit --k shared, similarity, compare).
 *  *report_json : the document, caller frees with gk_free().
 *  @return : GK_OK or the first failing step's code (its message says which
 *  step). */
int gk_analyze_run(const gk_analyze_input *in, const gk_analyze_opts *opts, char **report_json);

/*====  the demo: the main job on synthetic data with a known answer  ====*/

typedef struct gk_demo_opts {
    gk_synth_opts synth;   /* the generator (gk_synth_opts_default); its seed also
                              seeds the split and the permutations */
    int n_perm;            /* shuffled pairings of the shared-axes test (default 99) */
    double test_fraction;  /* held-out share of the items (default 0.5) */
} gk_demo_opts;

/*! gk_demo_opts_default() : @return : the defaults listed above. */
gk_demo_opts gk_demo_opts_default(void);

/* Everything the demo finds; one owned pointer, released by gk_demo_free. */
typedef struct gk_demo_result {
    gk_demo_opts opts;            /* as run */
    gk_synth *synth;              /* the drawn pairs and their true axes */
    gk_gap_result *gap;           /* gap diagnostics of all pairs */
    gk_split *split;              /* random train/test split of the items */
    gk_k_choice shared;           /* the permutation test on the train half (k=shared) */
    gk_align *model;              /* COMET with k = the shared axes, fitted on the train half */
    gk_synth_recovery *recovery;  /* the model's axes against the true ones */
    gk_retrieval_result raw, comet; /* held-out retrieval before / after COMET */
} gk_demo_result;

/*! gk_demo_run() : draws pairs (gk_synth_generate), diagnoses the gap,
 *  splits the items at random (test_fraction), fits COMET on the train half
 *  with k = shared (gk_transform_fit: permutation test with n_perm pairings,
 *  alpha 0.05), compares its axes with the true ones, and scores held-out
 *  retrieval before and after COMET (gk_retrieval_protocol).  opts NULL =
 *  the defaults.  @return : GK_OK or the failing step's code.
 *  *out : caller owns, free with gk_demo_free(); NULL on failure. */
int gk_demo_run(const gk_demo_opts *opts, gk_demo_result **out);

/*! gk_demo_to_json() : {"generator":{"n","d","k_shared","seed"},"gap":{…},
 *  "permutation_test":{"permutations","alpha","shared_axes"},"recovery":[{"axis",
 *  "rho_true","corr_found","cos_text","cos_audio","in_subspace"}…],
 *  "retrieval_raw":{…},"retrieval_comet":{…}} (sub-documents as gk_gap_to_json,
 *  gk_retrieval_to_json).  *json : caller frees with gk_free().
 *  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_demo_to_json(const gk_demo_result *r, char **json);

/*! gk_demo_free() : NULL is a no-op. */
void gk_demo_free(gk_demo_result *r);

GK_API_END
#ifdef __cplusplus
}
#endif

#endif
