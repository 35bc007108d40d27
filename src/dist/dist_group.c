/*
** dist_group.c — joining the MPI job when a launcher started us, and the
** rank/size queries every distributed step uses.  Without MPI (build option
** GAPKIT_MPI=OFF, or a process not started by mpirun/srun) the process is
** rank 0 of 1 and every call is a no-op.
*/
#include <stdlib.h>

#include "core/error_internal.h"
#include "dist_internal.h"
#include "gapkit/dist.h"

static int g_active, g_rank, g_size = 1;

/* The size announced by a launcher, or 0 when none started this process. */
static int launcher_size(void)
{
    const char *s = getenv("OMPI_COMM_WORLD_SIZE");
    if (!s) s = getenv("PMI_SIZE");
    if (!s && getenv("PMIX_RANK")) s = "1";
    return s ? atoi(s) : 0;
}

int gk_dist_init(int *argc, char ***argv)
{
    const int announced = launcher_size();
    if (announced == 0) return GK_OK;
#ifdef GK_HAVE_MPI
    int ok = MPI_Init(argc, argv) == MPI_SUCCESS;
    GK_FAIL_IF(!ok, GK_EINTERNAL, "MPI_Init failed");
    MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g_size);
    g_active = 1;
    return GK_OK;
#else
    (void)argc, (void)argv;
    GK_FAIL_IF(announced > 1, GK_EARG,
               "started by an MPI launcher on %d ranks, but this gapkit was built without MPI "
               "(configure with -DGAPKIT_MPI=ON)", announced);
    return GK_OK;
#endif
}

void gk_dist_finalize(void)
{
#ifdef GK_HAVE_MPI
    if (g_active) MPI_Finalize();
#endif
    g_active = 0, g_rank = 0, g_size = 1;
}

int gk_dist_active(void) { return g_active; }
int gk_dist_rank(void) { return g_rank; }
int gk_dist_size(void) { return g_size; }

int gk_dist_agree(int rc, int *failed_rank)
{
    int all = rc, who = rc ? g_rank : g_size;
#ifdef GK_HAVE_MPI
    if (g_active) {
        MPI_Allreduce(&rc, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
        int mine = (rc == all && rc) ? g_rank : g_size;
        MPI_Allreduce(&mine, &who, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    }
#endif
    if (failed_rank) *failed_rank = all ? who : -1;
    return all;
}

int64_t dist_total(int64_t v)
{
    int64_t sum = v;
#ifdef GK_HAVE_MPI
    if (g_active) MPI_Allreduce(&v, &sum, 1, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
#endif
    return sum;
}
