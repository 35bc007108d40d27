/*
** blas_threads.c — OpenBLAS's thread count, saved and set to one
** (blas_threads_internal.h says why).
*/
#include <cblas.h>

#include "linalg/blas_threads_internal.h"

int gk_blas_serial(void)
{
    const int saved = openblas_get_num_threads();
    openblas_set_num_threads(1);
    return saved;
}

void gk_blas_restore(int saved) { openblas_set_num_threads(saved); }
