/*
** synth_opts.h — the generator options shared by `gapkit synth` and `gapkit demo`.
*/
#ifndef GAPKIT_SYNTH_OPTS_H
#define GAPKIT_SYNTH_OPTS_H

#include <errno.h>
#include "cli.h"

enum { SO_N = 2000, SO_D, SO_K, SO_GAP, SO_NOISE, SO_PRIVATE, SO_CLASSES, SO_SEED };

#define SYNTH_LONG_OPTIONS                                                             \
    {"n", required_argument, 0, SO_N}, {"d", required_argument, 0, SO_D},              \
    {"k", required_argument, 0, SO_K}, {"gap", required_argument, 0, SO_GAP},          \
    {"noise", required_argument, 0, SO_NOISE},                                         \
    {"private", required_argument, 0, SO_PRIVATE},                                     \
    {"classes", required_argument, 0, SO_CLASSES}, {"seed", required_argument, 0, SO_SEED}

void synth_opts_usage(FILE *f);
/* 1 if `c` was a generator option (stored in o), 0 if not, -1 on a bad value. */
int synth_parse_option(const char *cmd, int c, const char *arg, gk_synth_opts *o);

#endif
