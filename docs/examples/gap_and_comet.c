/*
** gap_and_comet.c — a complete libgapkit program: load two paired embedding
** files, measure the modality gap, fit COMET and print a few numbers.
**
**   ./gap_and_comet X Y [K]
**
** X and Y are load specs (file.npy, file.npy:VIEW, file.npz:MEMBER, ...);
** row i of X is paired with row i of Y.  COMET is fitted with X as side 0
** ("text") and Y as side 1.  K = axes kept (default 16).
** Build and run: see docs/library.md.
*/
#include <stdio.h>
#include <stdlib.h>

#include <gapkit/gapkit.h>

/* Prints the library's message for a failed call (it names the file or the
** function and what was expected) with the status code's meaning. */
static void fail(int rc)
{
    fprintf(stderr, "gap_and_comet: %s (%s)\n", gk_last_error(), gk_strerror(rc));
}

static void print_gap(const gk_gap_result *g)
{
    printf("pairs %lld, D = %lld\n", (long long)g->n, (long long)g->dx);
    printf("centroid gap       %.5f\n", g->gap);
    printf("true-pair cosine   %.5f\n", g->cos_true);
    printf("non-pair cosine    %.5f\n", g->cos_nonpair);
    printf("cone X / Y         %.5f / %.5f\n", g->cone_x, g->cone_y);
}

static void print_comet(const gk_comet *m)
{
    const float *sigma = gk_comet_sigma(m), *corr = gk_comet_corr(m);
    const float *align = gk_comet_align(m); /* NULL when D_X != D_Y */
    int64_t show = gk_comet_k(m) < 5 ? gk_comet_k(m) : 5;
    printf("COMET: %lld of %lld axes kept\n", (long long)gk_comet_k(m),
           (long long)gk_comet_rank(m));
    printf("axis  sigma      corr    align\n");
    for (int64_t j = 0; j < show; j++)
        printf("%4lld  %-9.4f  %.4f  %.4f\n", (long long)j + 1, sigma[j], corr[j],
               align ? align[j] : 0.0f);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s X Y [K]\n", argv[0]);
        return 2;
    }
    int64_t k = argc > 3 ? atoll(argv[3]) : 16;
    gk_mat *x = NULL, *y = NULL, *coef = NULL;
    gk_gap_result *gap = NULL;
    gk_comet *model = NULL;
    int rc, status = 1;

    /* Defaults: rows L2-normalised, float32 .npy memory-mapped, NaN/Inf rejected. */
    gk_load_opts opts = gk_load_opts_default();
    if ((rc = gk_load_matrix(argv[1], &opts, &x)) != GK_OK) { fail(rc); goto done; }
    if ((rc = gk_load_matrix(argv[2], &opts, &y)) != GK_OK) { fail(rc); goto done; }

    /* NULL options = the defaults of `gapkit gap` (with the 5-fold separability). */
    if ((rc = gk_gap_diagnose(x, y, NULL, &gap)) != GK_OK) { fail(rc); goto done; }
    print_gap(gap);

    if ((rc = gk_comet_fit(x, y, k, &model)) != GK_OK) { fail(rc); goto done; }
    print_comet(model);

    /* PLSHead coefficients of side 1 (Y) on the kept axes: an (N, K) matrix. */
    rc = gk_comet_apply(model, 1, y, 0, GK_COMET_W_NONE, &coef);
    if (rc != GK_OK) { fail(rc); goto done; }
    printf("coefficients of Y: %lld x %lld\n", (long long)coef->rows, (long long)coef->cols);
    status = 0;

done: /* every free function accepts NULL */
    gk_mat_free(coef);
    gk_comet_free(model);
    gk_gap_result_free(gap);
    gk_mat_free(x);
    gk_mat_free(y);
    return status;
}
