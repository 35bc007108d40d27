/*
** blas_threads_internal.h — running OpenBLAS single-threaded for a while.
**
** Two reasons to do so, both about reproducibility and contention: inside
** an OpenMP region each thread calls BLAS on its own tile, and BLAS threads
** would only compete with the OpenMP ones; and a multi-threaded BLAS or
** LAPACK call may split its sums differently for another thread count, so
** its last bits would depend on the machine's cores.  The setting is
** process-wide; callers restore it as soon as they are done.  Not installed.
*/
#ifndef GAPKIT_BLAS_THREADS_INTERNAL_H
#define GAPKIT_BLAS_THREADS_INTERNAL_H

/* Sets OpenBLAS to one thread; @return : the previous count, for
** gk_blas_restore(). */
int gk_blas_serial(void);

/* Sets OpenBLAS back to `saved` threads. */
void gk_blas_restore(int saved);

#endif
