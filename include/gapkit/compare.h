/*
** compare.h — every transform side by side on the held-out items (methods.md §4, §5):
** retrieval, zero-shot, group tasks, gap, and their significance against identity.
*/
#ifndef GAPKIT_COMPARE_H
#define GAPKIT_COMPARE_H

#include "align.h"
#include "eval.h"
#include "group.h"
#include "retrieval.h"
#include "train.h"
#include "zeroshot.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

/* The data compare works on: M paired views (row i of every view is item i),
** optional item classes and class prompt embeddings. */
typedef struct gk_compare_input {
    int n_views;                   /* M >= 2 */
    const gk_mat *const *views;    /* (M,) each (N,D_v), unit rows */
    const char *const *view_names; /* (M,) labels for the report, may be NULL */
    const int32_t *labels;         /* (N,) class of each item in [0,C), or NULL */
    int32_t n_classes;             /* C */
    const char *const *class_names;/* (C,) or NULL */
    const gk_mat *prompts;         /* (C,D_p) class embeddings for zero-shot, or NULL */
    int prompt_view;               /* the view whose space the prompts are in */
} gk_compare_input;

/* Two rows to test against each other, by name (gk_compare_row.name, or a
** method spec that gk_align_parse turns into that name, e.g. "comet" for
** "comet:k=auto,weight=none"): the row of a minus the row of b. */
typedef struct gk_compare_vs {
    char a[128], b[128];
} gk_compare_vs;

typedef struct gk_compare_opts {
    const gk_split *split;   /* over the items; required (the report names it) */
    gk_group_opts groups;    /* group-task settings (joint rows of the test items) */
    uint64_t seed;           /* COMET's k = auto cross-validation */
    gk_boot_opts boot;       /* paired bootstrap of every tested difference (stats.h
                                defaults); one seed, so tests on the same queries
                                share their draws */
    int n_perm;              /* sign-flip permutations of each paired test (default 9999;
                                0 = no tests) */
    double alpha;            /* family-wise level of the Holm correction (default 0.05) */
    const gk_train_opts *heads; /* (n_heads,) heads trained on the train items (gk_train,
                                   seed = seed, no validation), one row each after the
                                   transforms; NULL = none (default) */
    int n_heads;
    const gk_compare_vs *versus; /* (n_versus,) named pairs of rows also tested against
                                    each other, in the same Holm family; NULL = none */
    int n_versus;
} gk_compare_opts;

/*! gk_compare_opts_default() : @return : group defaults, seed 0, no split. */
gk_compare_opts gk_compare_opts_default(void);

/* The metrics tested, each the mean of a per-query value on the same queries. */
typedef enum gk_compare_metric {
    GK_CMP_R1 = 0,   /* retrieval query: 1 if its best true rank <= 1 */
    GK_CMP_R5 = 1,   /* 1 if its best true rank <= 5 */
    GK_CMP_MAP10 = 2,/* its AP@10 (gk_retrieval_eval: every true match counts, several
                        when copies are merged or rows are paired through classes) */
    GK_CMP_N_RANKED = 3 /* metrics tested per retrieval direction */
} gk_compare_metric;

/* One paired test: a metric of one row minus another's on the same queries. */
typedef struct gk_compare_test {
    int tested;      /* 0: a failed row, no shared space, or tests off */
    gk_paired d;     /* difference, paired bootstrap interval, sign-flip p-value */
    double p_holm;   /* Holm–Bonferroni adjusted over every test of the result */
    int significant; /* p_holm <= alpha */
} gk_compare_test;

/* Every test of row `row` against row `other` (row − other). */
typedef struct gk_compare_tests {
    int row, other;           /* rows of the result */
    int n_pairs;              /* view pairs, as gk_compare_row.pairs */
    gk_compare_test *ranked;  /* (n_pairs·2·GK_CMP_N_RANKED,): view pair q, direction
                                 d (0: a→b, 1: b→a), metric m at
                                 [(q·2 + d)·GK_CMP_N_RANKED + m]; owned by the result */
    gk_compare_test zs_top1;  /* zero-shot top-1 per test item (its mean over the
                                 non-prompt views: the row's zs_top1) */
} gk_compare_tests;

/*! gk_compare_tests_at() : @return : the test of metric m (gk_compare_metric <
 *  GK_CMP_N_RANKED) in direction dir (0: a→b, 1: b→a) of view pair q. */
const gk_compare_test *gk_compare_tests_at(const gk_compare_tests *t, int q, int dir, int m);

/* What one transform does on the held-out items. */
typedef struct gk_compare_pair {
    int a, b;                     /* views, a < b */
    double gap;                   /* ‖mean(a') − mean(b')‖ over the test items */
    double cos_true;              /* mean cos(a'_i, b'_i) over the test items */
    gk_retrieval_metrics a2b, b2a;/* distinct rows of a query distinct rows of b;
                                     true matches: rows paired through an item */
    int64_t *rank_a2b, *rank_b2a; /* (a2b.n_queries,), (b2a.n_queries,) best rank of
                                     each query, 0 if unscored; owned by the result */
    double *ap10_a2b, *ap10_b2a;  /* the same queries' AP@10 (0 if unscored); owned */
} gk_compare_pair;

typedef struct gk_compare_row {
    char name[128];         /* e.g. "cca:k=32,ridge=0.1"; a trained head:
                               "head:" + gk_train_opts_string */
    char desc[256];         /* what was fitted ("… fitted on 1000 train items") */
    int ok;                 /* 0: the fit or a task failed, see error */
    char error[256];
    int n_pairs;            /* M(M−1)/2 */
    gk_compare_pair *pairs; /* (n_pairs,) */
    double gap, cos_true;   /* means over the pairs */
    double r1, r5, map10;   /* retrieval, mean over pairs and both directions */
    double zs_top1, zs_top5;/* zero-shot of the non-prompt views' test items (mean over
                               views); NaN without prompts */
    double *zs_hit;         /* (n_test,) per test item: share of the non-prompt views
                               whose top-1 class is right; NULL without prompts; owned */
    unsigned zs_views;      /* bit v: view v entered zero-shot */
    gk_group_result groups; /* on the joint rows of the test items; NaN without labels */
    int vs_baseline;        /* index in gk_compare_result.tests of this row against the
                               baseline, −1: not tested */
} gk_compare_row;

typedef struct gk_compare_result {
    int n_rows;
    gk_compare_row *rows;   /* (n_rows,) one per transform, in the order given */
    int n_views;
    int64_t n_train, n_test;/* items */
    int32_t n_test_classes; /* classes among the test items (0 without labels) */
    int zs_candidates;      /* classes zero-shot chooses among */
    char split[256];        /* the split's description */
    int baseline;           /* row the tests compare against (identity), −1: none */
    int n_versus;           /* entries of tests */
    gk_compare_tests *tests;/* (n_versus,): each tested row against the baseline, in
                               row order, then the named pairs (opts.versus) in order */
    int n_named;            /* the last n_named entries of tests are the named pairs */
    int n_tests;            /* tests run: the size of the Holm family */
    double alpha;           /* their family-wise level */
    gk_boot_opts boot;      /* how the intervals were drawn */
    int n_perm;             /* sign flips per test */
    int64_t merged[GK_ALIGN_MAX_VIEWS]; /* (n_views,) test rows of each view equal to an
                               earlier test row of that view (before any transform):
                               retrieval ranks them once (methods.md §11) */
} gk_compare_result;

/*! gk_compare_run() : for each transform methods[0..n_methods) (gk_align_opts;
 *  COMET with k = 0 chooses k by 5-fold CV on the train items, as
 *  `--transform comet:k=auto`): fit on the TRAIN items of opts->split, apply
 *  to the TEST items of every view, and measure there: per pair of views the
 *  gap and true-pair cosine, retrieval both ways (R@1, R@5, mAP@10; rows
 *  repeated within a view, e.g. one prompt per class, enter the gallery
 *  once and match every item paired with them); zero-shot (with prompts:
 *  test items of each other view against the transformed prompts, among
 *  the test classes only for a class split); the group tasks on the joint
 *  rows of the test items (with labels).  Then for each opts->heads[h]: heads
 *  trained (gk_train, seed opts->seed) on the TRAIN items only, measured the
 *  same way (rows after the transforms' rows; a run stopped by a non-finite
 *  loss is a failed row).  A transform that fails is recorded (row ok = 0,
 *  error) and the others still run.  Then the paired tests (methods.md §11):
 *  each row against the first identity row, and each named pair
 *  opts->versus, on R@1, R@5 and mAP@10 of each direction of each view pair
 *  and on zero-shot top-1, all Holm-adjusted as one family (n_tests).
 *  @return : GK_OK; GK_EARG (no split, a class split without labels, inputs, an unknown
 *  name in opts->versus);
 *  GK_ESHAPE; GK_ENOMEM.  *out : caller owns, free with gk_compare_result_free(). */
int gk_compare_run(const gk_compare_input *in, const gk_align_opts *methods, int n_methods,
                   const gk_compare_opts *opts, gk_compare_result **out);

/*! gk_compare_vs_parse() : "A,B" (as `--test A,B`) into out.  Row names hold
 *  commas ("cca:k=32,ridge=0.1"), so the split is at the one comma whose
 *  next field has no '=' before the next ':' or ',' (a method name, not a
 *  KEY=V).  @return : GK_OK; GK_EARG (no such comma, or more than one; an
 *  empty name or one longer than 127 bytes). */
int gk_compare_vs_parse(const char *spec, gk_compare_vs *out);

/*! gk_compare_check_versus() : checks that every name of opts->versus is a
 *  row of gk_compare_run(in, methods, n_methods, opts) and that the two
 *  names of a pair are different rows, before anything is fitted.
 *  @return : GK_OK; GK_EARG naming the unknown name and the rows. */
int gk_compare_check_versus(const gk_align_opts *methods, int n_methods,
                            const gk_compare_opts *opts);

/*! gk_compare_result_free() : NULL is a no-op. */
void gk_compare_result_free(gk_compare_result *r);

/*! gk_compare_to_json() : {"task":"compare","split","views","n_train","n_test",
 *  "rows":[{"transform","description","ok","error","gap","cos_true","R@1","R@5",
 *  "mAP@10","zeroshot_top1","zeroshot_top5","v_measure","nmi","ari",…,"pairs":[…],
 *  "vs_baseline":{tests}}],"significance":{…},"versus":[…]} (NaN → null;
 *  docs/compare.md lists every key).  *json : caller frees with gk_free(). */
int gk_compare_to_json(const gk_compare_result *r, const gk_compare_input *in, char **json);

/*! gk_compare_default_methods() : the transforms compare runs when none are
 *  named: identity, center, shift (λ=1), ablate (m=10), procrustes, cca (k=32),
 *  comet (k=auto), comet weight=align (k=auto), projdec; into out (cap entries).
 *  @return : how many were written. */
int gk_compare_default_methods(gk_align_opts *out, int cap);

/*! gk_compare_shift_sweep() : shift with λ = 0, 1/(steps−1), …, 1 into out
 *  (cap entries), steps >= 2.  @return : how many were written. */
int gk_compare_shift_sweep(int steps, gk_align_opts *out, int cap);

GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_COMPARE_H */
