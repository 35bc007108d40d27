/*
** leakage_internal.h — what the files of src/leakage share.  Not installed.
*/
#ifndef GAPKIT_LEAKAGE_INTERNAL_H
#define GAPKIT_LEAKAGE_INTERNAL_H

#include "gapkit/leakage.h"

/* The zero-shot gain of opts->xf on `split` (item or class-disjoint): top-1
** with and without it on the same test items, and a paired percentile
** bootstrap (opts->n_boot resamples of the test items, seeded) of the gain.
** @return : GK_OK or a step's code. */
int leakage_gain(const gk_mat *X, const int32_t *y, const gk_mat *P, const gk_split *split,
                 const gk_leakage_opts *opts, gk_leakage_gain *out);

#endif
