/*
** eval_protocol_internal.h — the transform obtained for one evaluation
** (shared by transform.c and the protocols).  Not installed.
*/
#ifndef GAPKIT_EVAL_PROTOCOL_INTERNAL_H
#define GAPKIT_EVAL_PROTOCOL_INTERNAL_H

#include "gapkit/eval.h"

typedef struct ev_model {
    gk_align *model;        /* owned; NULL = no transform (identity: rows as they are) */
    char desc[256];         /* human description, "none" without a model */
} ev_model;

/* Loads (MODEL) or fits on the pairs T ↔ A (COMET_FIT, groups for the CV of
** k = auto; ALIGN_FIT) the model of xf; none for NULL / NONE / identity.
** Free em->model with gk_align_free(). */
int ev_model_get(const gk_transform_spec *xf, const gk_mat *T, const gk_mat *A,
                 const int32_t *groups, uint64_t seed, ev_model *em);

/* Applies em (if any) to X (side 0) and Y (side 1): *X2, *Y2 are new unit-row
** matrices, or NULL when there is no model (then use X and Y). */
int ev_model_apply(const ev_model *em, const gk_mat *X, const gk_mat *Y, gk_mat **X2,
                   gk_mat **Y2);

#endif
