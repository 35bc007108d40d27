/*
** compare_internal.h — the state `gapkit compare` works on: the split's
** train and test rows of every view, and what zero-shot and retrieval need
** on the test items.  Shared by compare.c and compare_measure.c.  Not
** installed.
*/
#ifndef GAPKIT_COMPARE_INTERNAL_H
#define GAPKIT_COMPARE_INTERNAL_H

#include "gapkit/compare.h"
#include "group/group_internal.h"

typedef struct cmp_data {
    const gk_compare_input *in;
    const gk_compare_opts *opts;
    int M;
    gk_mat *train[GK_ALIGN_MAX_VIEWS]; /* (n_train, D_v) fit rows of each view */
    gk_mat *test[GK_ALIGN_MAX_VIEWS];  /* (n_test, D_v) held-out rows, before any transform */
    int32_t *ytest;                    /* (n_test,) item classes, or NULL */
    gk_mat *zs_prompts;                /* (c, D_p) candidate class embeddings, or NULL */
    int32_t *zs_y;                     /* (n_test,) class among the candidates */
    int32_t zs_c;
} cmp_data;

/* Measures one transformed test set T[0..M) (rows of the test items) into
** row: pairs (gap, cosine, retrieval), zero-shot (model transforms the
** prompts; NULL = identity) and the group tasks.  Returns the first failure. */
int cmp_measure(const cmp_data *d, const gk_align *model, gk_mat *const *T, gk_compare_row *row);

/* Applies model (NULL = identity) to the test rows of every view and
** measures them into row (cmp_measure).  Returns the first failure. */
int cmp_apply_measure(const cmp_data *d, const gk_align *model, gk_compare_row *row);

/* Trains the heads o on the train rows (seed d->opts->seed) and measures
** them on the test rows into row (compare_heads.c). */
int cmp_run_head(const cmp_data *d, const gk_train_opts *o, gk_compare_row *row);

/* The name row i of gk_compare_run(…, methods, n_methods, o) gets, into buf. */
void cmp_row_name(const gk_align_opts *methods, int n_methods, const gk_compare_opts *o, int i,
                  char *buf, size_t cap);

/* The rows of each named pair o->versus[t] into rows[2t], rows[2t+1] (rows
** may be NULL: only check).  GK_EARG naming an unknown name (compare_versus.c). */
int cmp_resolve_versus(const gk_align_opts *methods, int n_methods, const gk_compare_opts *o,
                       int *rows);

/* The paired tests (methods.md §11): every row against the identity row and
** every named pair, on R@1, R@5, mAP@10 per direction of every view pair and
** on zero-shot top-1; Holm–Bonferroni over all of them.  Rows past
** n_methods (trained heads) are tested but never the baseline. */
int cmp_significance(gk_compare_result *r, const gk_align_opts *methods, int n_methods,
                     const gk_compare_opts *opts);

/* {"merged_a","merged_b","rule"}: the copies among the test rows of views a
** and b (compare_json.c; analyze writes it too).  NULL when out of memory. */
json_t *cmp_duplicates_json(const gk_compare_result *r, int a, int b);

#endif
