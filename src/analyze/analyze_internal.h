/*
** analyze_internal.h — the sections of the report document, each built by
** its own file from the library's results.  Not installed.
*/
#ifndef GAPKIT_ANALYZE_INTERNAL_H
#define GAPKIT_ANALYZE_INTERNAL_H

#include <jansson.h>

#include "gapkit/analyze.h"

/* A library JSON text (freed here) as a jansson value; NULL on failure. */
json_t *analyze_json_from_text(char *text);

/* A (n,) double array as a JSON array, non-finite values as null. */
json_t *analyze_json_reals(const double *v, int64_t n);

/* "comet": fit on all pairs of views 0/1, the permutation test, the classes
** at both ends of the leading axes.  *k_shared out.  @return : a gk status. */
int analyze_comet(const gk_analyze_input *in, const gk_analyze_opts *o, json_t *doc,
                  int64_t *k_shared);

/* "nngs", "nngs_spectrum", "cka_linear" of views 0/1.  @return : a gk status. */
int analyze_neighbours(const gk_analyze_input *in, const gk_analyze_opts *o, json_t *doc);

/* "leakage": zero-shot of the items (the view that is not prompt_view)
** against their own class separability (gk_leakage_run), with labels and
** prompts of the items' dimension; else nothing.  @return : a gk status. */
int analyze_leakage(const gk_analyze_input *in, const gk_analyze_opts *o, json_t *doc);

/* "compare" and "shift_sweep" on the held-out part of split; *best = the
** index in methods of the best transform (−1 if none ran).
** @return : a gk status. */
int analyze_compare(const gk_analyze_input *in, const gk_analyze_opts *o, const gk_split *split,
                    const gk_align_opts *methods, int n_methods, json_t *doc, int *best);

/* "projection": views 0/1 before and after methods[best] fitted on the train
** items.  @return : a gk status. */
int analyze_projection(const gk_analyze_input *in, const gk_analyze_opts *o,
                       const gk_split *split, const gk_align_opts *best, json_t *doc);

#endif
