/*
** learn.h — models learnt on frozen embeddings.  For now: L2-regularised
** logistic regression (binary and multinomial), used for the linear
** separability of modalities and as a linear probe.
*/
#ifndef GAPKIT_LEARN_H
#define GAPKIT_LEARN_H

#include "matrix.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

/*====  logistic regression  ====*/

typedef struct gk_logreg_opts {
    double lambda;   /* L2 strength: loss = mean log-loss + (λ/2)‖W‖² (bias free), default 1e-4 */
    int max_iter;    /* L-BFGS iterations (default 200) */
    double tol;      /* stop when ‖∇‖∞ < tol (default 1e-6) */
    int history;     /* L-BFGS memory (default 10) */
} gk_logreg_opts;

/*! gk_logreg_opts_default() : @return : the defaults listed above. */
gk_logreg_opts gk_logreg_opts_default(void);

/* A fitted classifier: C = 2 keeps one weight vector (sigmoid), C > 2 keeps
** C vectors (softmax).  Opaque. */
typedef struct gk_logreg gk_logreg;

/*! gk_logreg_fit() : fits on X (N,D) (any strides) with labels y (N,) in
 *  [0, n_classes), n_classes >= 2.  Deterministic (no randomness; L-BFGS from
 *  zero weights with Armijo backtracking); the result does not depend on the
 *  thread count beyond floating-point summation order within a row.
 *  @return : GK_OK, GK_EARG (a label out of range, N == 0), GK_ENOMEM.
 *  *out : caller owns, free with gk_logreg_free(); NULL on failure. */
int gk_logreg_fit(const gk_mat *X, const int32_t *y, int32_t n_classes,
                  const gk_logreg_opts *opts, gk_logreg **out);

/*! gk_logreg_predict() : pred (N,) = argmax class of each row of X (N,D).
 *  If proba != NULL it receives (N,C) row-major class probabilities.
 *  @return : GK_OK, GK_ESHAPE (D differs from the fit), GK_ENOMEM. */
int gk_logreg_predict(const gk_logreg *m, const gk_mat *X, int32_t *pred, double *proba);

/*! gk_logreg_iterations() : @return : L-BFGS iterations used by the fit. */
int gk_logreg_iterations(const gk_logreg *m);

/*! gk_logreg_free() : NULL is a no-op. */
void gk_logreg_free(gk_logreg *m);

/*! gk_logreg_cv_accuracy() : k-fold cross-validated accuracy.  Rows are
 *  assigned to folds by a seeded shuffle stratified by class (row i of class c
 *  goes to fold (rank of i within c after shuffling) mod folds).
 *  acc (folds,) receives each fold's accuracy.
 *  @return : GK_OK, GK_EARG (folds < 2 or > N), GK_ENOMEM. */
int gk_logreg_cv_accuracy(const gk_mat *X, const int32_t *y, int32_t n_classes, int folds,
                          uint64_t seed, const gk_logreg_opts *opts, double *acc);

GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_LEARN_H */
