/*
** curate_internal.h — what curate.c and curate_stats.c share.  Not installed.
*/
#ifndef GAPKIT_CURATE_INTERNAL_H
#define GAPKIT_CURATE_INTERNAL_H

#include "gapkit/curate.h"

/* *out (M',D) = the rows of T with pass[i] != 0, *map (M',) their rows in T.
** @return : GK_OK, GK_ENOMEM.  Caller frees both (gk_mat_free, gk_free). */
int curate_gather(const gk_mat *T, const uint8_t *pass, gk_mat **out, int64_t **map);

/* The domain step: r->text_class and r->text_target_cos from each text's
** nearest target prompt; with a tau_target, *pass (M,) marks the texts that
** pass it (else *pass = NULL) and r->n_text_passed counts them.
** @return : GK_OK, GK_EARG, GK_ENUMERIC, GK_ENOMEM. */
int curate_domain(const gk_mat *T, const gk_curate_opts *o, gk_curate_result *r,
                  uint8_t **pass);

/* Coverage, the score histogram, pairs per class and the label agreement of
** r's pairs.  @return : GK_OK, GK_ENOMEM. */
int curate_stats(const gk_curate_opts *o, gk_curate_result *r);

#endif
