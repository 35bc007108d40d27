/*
** gap_internal.h — the parts of the gap diagnostics, one file each.
** Not installed.
*/
#ifndef GAPKIT_GAP_INTERNAL_H
#define GAPKIT_GAP_INTERNAL_H

#include "gapkit/gap.h"

/* The sums over rows the moment diagnostics take, and the row count N: in
** one process local (gap_sums_local), over MPI ranks the block sums in
** global block order (src/dist/dist_gap.c), the same bits either way. */
typedef struct gap_sums {
    int64_t n; /* rows over all ranks */
    /* total (len,) = Σ_b parts_b, blocks of GK_CROSS_BLOCK rows in order */
    int (*sum_blocks)(const double *parts, int64_t nb, int64_t len, double *total);
    /* G (D,D) = gk_cross_centered(A, mu, A, mu, G) over all rows */
    int (*gram)(const gk_mat *A, const double *mu, double *G);
} gap_sums;

/* gap_sums of all rows held by this process (n = rows). */
gap_sums gap_sums_local(int64_t n);

/* Option checks of gk_gap_diagnose (no rows involved). */
int gap_check_opts(const gk_gap_opts *o);

/* Moments, spectra and (o->separability, one process only) the classifier
** of X, Y (this process's rows of s->n pairs); *out as gk_gap_diagnose(). */
int gap_run(const gk_mat *X, const gk_mat *Y, const gk_gap_opts *o, const gap_sums *s,
            gk_gap_result **out);

/* Centroids, cosines, RMG and the mean share (gap_moments.c), O(N·D); sums
** of per-block parts added in block order. */
int gap_moments(const gk_mat *X, const gk_mat *Y, const gap_sums *s, gk_gap_result *r,
                double *mux, double *muy);

/* Spectra, effective rank, participation ratio, principal angles, PC
** concentration and W2 uniformity (gap_spectrum.c).  mux, muy: (D,) means.
** With fewer rows than dimensions the spectra need every row (one process). */
int gap_spectrum(const gk_mat *X, const gk_mat *Y, const double *mux, const double *muy,
                 const gap_sums *s, gk_gap_result *r);

/* Cross-validated linear separability of the modalities (gap_separability.c). */
int gap_separability(const gk_mat *X, const gk_mat *Y, const gk_gap_opts *o, gk_gap_result *r);

#endif
