/*
** cluster_internal.h — the one helper of src/cluster that the group-level
** tasks (src/group) share: dense renumbering of class ids.  Not installed.
*/
#ifndef GAPKIT_CLUSTER_INTERNAL_H
#define GAPKIT_CLUSTER_INTERNAL_H

#include <stdint.h>

/* dense[i] (N,) = rank of v[i] among the distinct values of v; *n_groups =
** how many (0 for N = 0).  @return : GK_OK, GK_ENOMEM. */
int grp_renumber(const int32_t *v, int64_t n, int32_t *dense, int32_t *n_groups);

#endif
