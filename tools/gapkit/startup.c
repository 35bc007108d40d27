/*
** startup.c — the environment OpenMP and OpenBLAS read when they are loaded,
** chosen before they are.
**
** libgomp reads OMP_WAIT_POLICY, and OpenBLAS reads OPENBLAS_NUM_THREADS and
** starts its threads, in their library constructors, before main().  A
** function in the executable's .preinit_array runs before any of them; it
** cannot just setenv() (libc's own start-up, which comes later, resets the
** environment to the one the kernel gave), so when a variable is missing it
** restarts the program at once with it added (execve of /proc/self/exe, no
** library started yet).  The variables:
**
** - OMP_WAIT_POLICY=passive: OpenMP threads that spin steal the cores from
**   the threads doing the work whenever the machine is shared (measured:
**   `gapkit analyze` on the built-in data took 86 s under load, 9 s with
**   passive waiting);
** - under an address-space limit (ulimit -v, RLIMIT_AS), fewer threads:
**   OMP_NUM_THREADS=N with one thread per GAPKIT_MIB_PER_THREAD of the limit
**   (a thread costs a stack, a malloc arena and an OpenBLAS work buffer of
**   128 MiB), and OPENBLAS_NUM_THREADS=1 so that OpenBLAS starts no worker
**   it cannot hold.  Without this OpenBLAS fails badly: at 60 MB its
**   pthread_create error raises SIGINT, at 100 MB the process hangs at exit,
**   and where its work buffer does not fit it retries the allocation
**   forever.  main() then reserves that buffer (gk_blas_reserve) or stops
**   with an out-of-memory error.
** A variable the user set is left alone.  Without ELF's .preinit_array or
** /proc/self/exe the program runs with the libraries' defaults.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"

#define GAPKIT_MIB_PER_THREAD 512 /* buffer, stack, arena, and room for the data */

static int thread_cap; /* 0: no address-space limit */

/* Threads that fit under a finite RLIMIT_AS; 0 when there is no limit. */
static int threads_for_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return 0;
    unsigned long long n = (unsigned long long)rl.rlim_cur / (GAPKIT_MIB_PER_THREAD << 20);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores > 0 && n > (unsigned long long)cores) n = (unsigned long long)cores;
    return n < 1 ? 1 : (int)n;
}

static int has_var(char **envp, const char *name)
{
    size_t n = strlen(name);
    for (char **e = envp; *e; e++)
        if (strncmp(*e, name, n) == 0 && (*e)[n] == '=') return 1;
    return 0;
}

/* Appends NAME=VALUE to env[*n] unless envp has NAME. */
static void add_var(char **envp, char **env, size_t *n, const char *name, const char *value)
{
    static char text[3][48];
    if (has_var(envp, name)) return;
    char *t = text[*n % 3];
    snprintf(t, sizeof text[0], "%s=%s", name, value);
    env[(*n)++] = t;
}

static void start(int argc, char **argv, char **envp)
{
    (void)argc;
    thread_cap = threads_for_limit();
    size_t n = 0;
    while (envp[n]) n++;
    char **env = malloc((n + 4) * sizeof *env);
    if (!env) return;
    memcpy(env, envp, n * sizeof *env);
    size_t added = n;
    char cap[16];
    snprintf(cap, sizeof cap, "%d", thread_cap);
    add_var(envp, env, &added, "OMP_WAIT_POLICY", "passive");
    if (thread_cap) {
        add_var(envp, env, &added, "OMP_NUM_THREADS", cap);
        add_var(envp, env, &added, "OPENBLAS_NUM_THREADS", "1");
    }
    env[added] = NULL;
    if (added > n) execve("/proc/self/exe", argv, env); /* returns only on failure */
    free(env);
}

#ifdef __ELF__
__attribute__((used, section(".preinit_array")))
static void (*const preinit_entry)(int, char **, char **) = start;
#endif

int cli_threads_within_limit(int requested)
{
    if (thread_cap == 0) return requested;
    return requested <= 0 || requested > thread_cap ? thread_cap : requested;
}

int cli_memory_limited(void) { return thread_cap != 0; }
