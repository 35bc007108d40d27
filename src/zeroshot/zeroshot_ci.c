/*
** zeroshot_ci.c — bootstrap intervals of zero-shot accuracy over the items
** (stats.h, methods.md §11): top-1 and top-5 are means of per-item hits, both
** resampled with the same seed, hence the same draws of items.
*/
#include "core/error_internal.h"
#include "gapkit/zeroshot.h"
#include "retrieval/retrieval_internal.h"

int gk_zeroshot_intervals(gk_zeroshot_result *r, const gk_boot_opts *boot)
{
    GK_FAIL_IF(!r || !r->true_rank, GK_EARG, "gk_zeroshot_intervals: no result");
    const gk_boot_opts o = boot ? *boot : gk_boot_opts_default();
    double *hit = gk_malloc((size_t)r->n * sizeof *hit);
    if (!hit) return GK_ENOMEM;
    for (int64_t i = 0; i < r->n; i++) hit[i] = r->true_rank[i] <= 1;
    int rc = gk_bootstrap_ci(hit, r->n, GK_STAT_MEAN, &o, &r->top1_ci);
    for (int64_t i = 0; i < r->n; i++) hit[i] = r->true_rank[i] <= 5;
    if (rc == GK_OK) rc = gk_bootstrap_ci(hit, r->n, GK_STAT_MEAN, &o, &r->top5_ci);
    gk_free(hit);
    if (rc == GK_OK) {
        r->boot = o;
        r->has_ci = 1;
    }
    return rc;
}
