/*
** blas_reserve.c — taking OpenBLAS's work buffer at start (linalg.h says
** why).  Whether the buffer fits is tried with an mmap of the same size
** first: OpenBLAS itself would never return if it did not.
*/
#include <cblas.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "core/error_internal.h"
#include "gapkit/linalg.h"

/* BUFFER_SIZE of OpenBLAS 0.3 on x86-64, plus its alignment page and a
** margin; builds with a smaller buffer only make this check cautious. */
#define BLAS_BUFFER_MIB 128
#define BLAS_BUFFER_BYTES (((size_t)BLAS_BUFFER_MIB << 20) + ((size_t)1 << 20))

static unsigned long long limit_mib(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return 0;
    return (unsigned long long)rl.rlim_cur >> 20;
}

int gk_blas_reserve(void)
{
    void *p = mmap(NULL, BLAS_BUFFER_BYTES, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    GK_FAIL_IF(p == MAP_FAILED, GK_ENOMEM,
               "out of memory: the BLAS needs a %d MiB work buffer that does not fit under the "
               "address-space limit (ulimit -v: %llu MiB); raise the limit by at least %d MiB",
               BLAS_BUFFER_MIB, limit_mib(), BLAS_BUFFER_MIB);
    munmap(p, BLAS_BUFFER_BYTES);
    /* a 1×1 rank-k update: cblas_ssyrk takes the buffer whatever the size */
    float a = 0.0f, c = 0.0f;
    cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, 1, 1, 1.0f, &a, 1, 0.0f, &c, 1);
    return GK_OK;
}
