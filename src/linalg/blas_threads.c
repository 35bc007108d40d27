/*
** blas_threads.c — OpenBLAS's thread count: the one place gapkit sets it
** (blas_threads_internal.h gives the rule and why).
*/
#include <cblas.h>
#include <pthread.h>

#include "linalg/blas_threads_internal.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int wanted = 0; /* BLAS threads outside serial sections; 0 = not set yet */
static int depth = 0;  /* serial sections open, over all threads */

void gk_blas_set_threads(int n)
{
    pthread_mutex_lock(&lock);
    wanted = n > 0 ? n : 1;
    if (depth == 0) openblas_set_num_threads(wanted);
    pthread_mutex_unlock(&lock);
}

int gk_blas_serial(void)
{
    pthread_mutex_lock(&lock);
    if (depth++ == 0) {
        if (wanted == 0) wanted = openblas_get_num_threads();
        openblas_set_num_threads(1);
    }
    pthread_mutex_unlock(&lock);
    return 1;
}

void gk_blas_restore(int token)
{
    (void)token;
    pthread_mutex_lock(&lock);
    if (--depth == 0) openblas_set_num_threads(wanted);
    pthread_mutex_unlock(&lock);
}
