/*
** gap_internal.h — the parts of the gap diagnostics, one file each.
** Not installed.
*/
#ifndef GAPKIT_GAP_INTERNAL_H
#define GAPKIT_GAP_INTERNAL_H

#include "gapkit/gap.h"

/* Centroids, cosines, RMG and the mean share (gap_moments.c), O(N·D). */
int gap_moments(const gk_mat *X, const gk_mat *Y, gk_gap_result *r, double *mux, double *muy);

/* Spectra, effective rank, participation ratio, principal angles, PC
** concentration and W2 uniformity (gap_spectrum.c).  mux, muy: (D,) means. */
int gap_spectrum(const gk_mat *X, const gk_mat *Y, const double *mux, const double *muy,
                 const gk_gap_opts *o, gk_gap_result *r);

/* Cross-validated linear separability of the modalities (gap_separability.c). */
int gap_separability(const gk_mat *X, const gk_mat *Y, const gk_gap_opts *o, gk_gap_result *r);

#endif
