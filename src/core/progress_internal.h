/*
** progress_internal.h — how library code reports progress (see
** gk_set_progress() in core.h).  Not installed.
*/
#ifndef GAPKIT_PROGRESS_INTERNAL_H
#define GAPKIT_PROGRESS_INTERNAL_H

#include <stdint.h>

/* Reports `done` of `total` units of `stage` to the installed callback, if
** any; a no-op costing one load otherwise.  total <= 0: the end is not
** known in advance (report done == total once when it is over).  Call it from the thread that
** runs the operation (outside OpenMP regions). */
void gk_progress(const char *stage, int64_t done, int64_t total);

#endif
