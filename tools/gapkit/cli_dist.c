/*
** cli_dist.c — running a command under mpirun/srun: join the job, refuse the
** commands that have no distributed form (rather than running P copies of
** them), and the "on P MPI ranks" note of the ones that have.
*/
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* command and subcommand (NULL: any) that run distributed (docs/distributed.md) */
static const char *const distributed[][2] = {
    {"comet", "fit"},
    {"align", NULL}, /* fit: the moment-based methods (dist_align.c); apply */
    {"gap", NULL},   /* two inputs, --no-separability (dist_gap.c) */
    {"eval", "cluster"},   /* one input, k-means (dist_kmeans.c) */
    {"eval", "retrieval"}, /* paired rows, --keep-duplicates, no fit (dist_retrieval.c) */
    {"eval", "zeroshot"},  /* --keep-duplicates, no fit (dist_zeroshot.c) */
    {"knn", NULL},
    {"similarity", NULL}, /* every measure but cka-rbf and tas (cmd_similarity.c) */
    {"train", NULL},      /* each batch's row blocks split over the ranks (dist_train.c) */
};
#define N_DISTRIBUTED (int)(sizeof distributed / sizeof distributed[0])

static int is_distributed(int argc, char **argv)
{
    for (int i = 0; i < N_DISTRIBUTED; i++) {
        if (strcmp(argv[0], distributed[i][0])) continue;
        if (!distributed[i][1] || (argc > 1 && !strcmp(argv[1], distributed[i][1]))) return 1;
    }
    return 0;
}

int cli_dist_run(int (*fn)(int argc, char **argv), int argc, char **argv)
{
    int st = gk_dist_init(NULL, NULL);
    if (st != GK_OK) return cli_fail(argv[0], st), CLI_USAGE;
    int rc;
    if (gk_dist_size() > 1 && !is_distributed(argc, argv)) {
        if (gk_dist_rank() == 0)
            fprintf(stderr, "gapkit %s: cannot run on %d MPI ranks: only comet fit, knn, "
                    "similarity, gap, align, train and eval cluster/retrieval/zeroshot are "
                    "distributed (docs/distributed.md); run it without mpirun\n", argv[0],
                    gk_dist_size());
        rc = CLI_USAGE;
    } else {
        rc = fn(argc, argv);
    }
    gk_dist_finalize();
    return rc;
}

const char *cli_ranks_note(void)
{
    static char note[48];
    if (!gk_dist_active()) return "";
    snprintf(note, sizeof note, " on %d MPI rank%s", gk_dist_size(),
             gk_dist_size() == 1 ? "" : "s");
    return note;
}
