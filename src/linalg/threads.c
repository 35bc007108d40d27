/*
** threads.c — one knob for gapkit's OpenMP loops and OpenBLAS's threads.
** Library loops that call BLAS run BLAS single-threaded inside OpenMP regions
** (never oversubscribe; blas_threads_internal.h); whole-matrix BLAS calls use
** the count set here.
*/
#ifdef _OPENMP
#include <omp.h>
#endif

#include "gapkit/core.h"
#include "linalg/blas_threads_internal.h"

static int n_threads = 0;

void gk_set_threads(int n)
{
    n_threads = n > 0 ? n : 0;
#ifdef _OPENMP
    const int use = n > 0 ? n : omp_get_num_procs();
    omp_set_num_threads(use);
#else
    const int use = n > 0 ? n : 1;
#endif
    gk_blas_set_threads(use);
}

int gk_get_threads(void)
{
#ifdef _OPENMP
    return n_threads > 0 ? n_threads : omp_get_max_threads();
#else
    return 1;
#endif
}
