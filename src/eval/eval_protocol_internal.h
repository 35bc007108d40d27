/*
** eval_protocol_internal.h — the transform obtained for one evaluation
** (shared by transform.c and the protocols).  Not installed.
*/
#ifndef GAPKIT_EVAL_PROTOCOL_INTERNAL_H
#define GAPKIT_EVAL_PROTOCOL_INTERNAL_H

#include "gapkit/eval.h"

typedef struct ev_model {
    const gk_align *model;  /* the one applied; NULL = no transform (rows as they are) */
    gk_align *fitted;       /* owned: the model fitted here, or NULL */
    char desc[256];         /* human description, "none" without a model */
} ev_model;

/* 1 when fit is a transform fitted on the data (not NULL, not identity). */
int ev_needs_fit(const gk_align_opts *fit);

/* The model of one evaluation: model as given, or fit fitted on the pairs
** T <-> A (groups for the CV of k = auto); none for both NULL / identity.
** Free em->fitted with gk_align_free(). */
int ev_model_get(const gk_align_opts *fit, const gk_align *model, const gk_mat *T,
                 const gk_mat *A, const int32_t *groups, uint64_t seed, ev_model *em);

/* Applies em (if any) to X (side 0) and Y (side 1): *X2, *Y2 are new unit-row
** matrices, or NULL when there is no model (then use X and Y). */
int ev_model_apply(const ev_model *em, const gk_mat *X, const gk_mat *Y, gk_mat **X2,
                   gk_mat **Y2);

#endif
