/*
** dist_internal.h — what the distributed steps share inside the library:
** the MPI header when the build has it.  Not installed.
*/
#ifndef GAPKIT_DIST_INTERNAL_H
#define GAPKIT_DIST_INTERNAL_H

#ifdef GK_HAVE_MPI
#include <mpi.h>
#endif

#include "gapkit/dist.h"

#endif
