/*
** blas_threads_internal.h — running OpenBLAS single-threaded for a while.
**
** Two reasons to do so, both about reproducibility and contention: inside
** an OpenMP region each thread calls BLAS on its own tile, and BLAS threads
** would only compete with the OpenMP ones; and a multi-threaded BLAS or
** LAPACK call may split its sums differently for another thread count, so
** its last bits would depend on the machine's cores.
**
** The count is process-wide, so the rule is: gk_set_threads() is the only
** call that chooses it (gk_blas_set_threads); library calls only open and
** close serial sections.  Sections are counted over all threads under a
** mutex: BLAS goes to one thread when the first opens and back to the chosen
** count when the last closes, so library calls running at the same time in
** several threads neither race on the setting nor leave BLAS single-threaded
** (tests/test_threads.c).  Not installed.
*/
#ifndef GAPKIT_BLAS_THREADS_INTERNAL_H
#define GAPKIT_BLAS_THREADS_INTERNAL_H

/* The BLAS thread count outside serial sections (n < 1 means 1); applied
** now if no section is open, else when the last one closes. */
void gk_blas_set_threads(int n);

/* Opens a serial section: OpenBLAS runs one thread until every open section
** is closed.  @return : a token for gk_blas_restore(). */
int gk_blas_serial(void);

/* Closes the section opened by the gk_blas_serial() that returned `token`. */
void gk_blas_restore(int token);

#endif
