/*
** compare_significance.c — is a transform's R@1 really different from the
** identity's?  Every transform is scored on the SAME held-out queries (the
** distinct test rows, found on the rows before any transform), so each
** direction of each view pair gives two vectors of per-query hits (best rank
** <= 1) to compare with a paired bootstrap interval and a sign-flip
** permutation test (stats.h).  With several transforms and directions the
** p-values are Holm–Bonferroni adjusted together (methods.md §11).
*/
#include <math.h>
#include <string.h>

#include "compare_internal.h"
#include "core/error_internal.h"

/* The first row fitted with the identity, or −1. */
static int find_baseline(const gk_compare_result *r, const gk_align_opts *methods,
                         int n_methods)
{
    for (int i = 0; i < r->n_rows && i < n_methods; i++)
        if (methods[i].method == GK_ALIGN_IDENTITY && r->rows[i].ok) return i;
    return -1;
}

/* hits (n_scored,) of the queries that have a true match; *n their count. */
static void hits_of(const int64_t *rank, int64_t nq, double *hit, int64_t *n)
{
    *n = 0;
    for (int64_t i = 0; i < nq; i++)
        if (rank[i] > 0) hit[(*n)++] = rank[i] <= 1;
}

/* One direction: this row's ranks against the baseline's. */
static int test_one(const int64_t *rank, const int64_t *base, int64_t nq,
                    const gk_compare_opts *o, double *buf, gk_compare_test *t)
{
    int64_t na, nb;
    hits_of(rank, nq, buf, &na);
    hits_of(base, nq, buf + nq, &nb);
    GK_FAIL_IF(na != nb, GK_EINTERNAL, "compare: %lld and %lld scored queries; the transforms "
               "must be scored on the same queries", (long long)na, (long long)nb);
    if (na < 1) return GK_OK;
    GK_TRY(gk_paired_test(buf, buf + nq, na, GK_STAT_MEAN, &o->boot, o->n_perm, &t->r1));
    t->tested = 1;
    return GK_OK;
}

/* Every test of the result, in a fixed order (row, pair, a2b then b2a). */
static int collect(gk_compare_result *r, gk_compare_test **all)
{
    int m = 0;
    for (int i = 0; i < r->n_rows; i++)
        for (int q = 0; r->rows[i].ok && q < r->rows[i].n_pairs; q++) {
            gk_compare_pair *p = &r->rows[i].pairs[q];
            if (p->test_a2b.tested) all[m++] = &p->test_a2b;
            if (p->test_b2a.tested) all[m++] = &p->test_b2a;
        }
    return m;
}

static int holm_all(gk_compare_result *r, double alpha)
{
    int cap = 0;
    for (int i = 0; i < r->n_rows; i++) cap += 2 * r->rows[i].n_pairs;
    gk_compare_test **all = gk_malloc((size_t)(cap ? cap : 1) * sizeof *all);
    double *p = gk_malloc((size_t)(cap ? cap : 1) * sizeof *p);
    int rc = all && p ? GK_OK : gk_set_error(GK_ENOMEM, "compare: out of memory");
    const int m = rc == GK_OK ? collect(r, all) : 0;
    for (int j = 0; j < m; j++) p[j] = all[j]->r1.p_value;
    if (m > 0) rc = gk_holm(p, m, p);
    for (int j = 0; rc == GK_OK && j < m; j++) {
        all[j]->p_holm = p[j];
        all[j]->significant = p[j] <= alpha;
    }
    r->n_tests = m;
    gk_free(all), gk_free(p);
    return rc;
}

int cmp_significance(gk_compare_result *r, const gk_align_opts *methods, int n_methods,
                     const gk_compare_opts *opts)
{
    r->baseline = find_baseline(r, methods, n_methods);
    r->alpha = opts->alpha, r->boot = opts->boot, r->n_perm = opts->n_perm;
    if (r->baseline < 0 || opts->n_perm < 1) return GK_OK;
    const gk_compare_row *b = &r->rows[r->baseline];
    int rc = GK_OK;
    for (int i = 0; rc == GK_OK && i < r->n_rows; i++) {
        gk_compare_row *w = &r->rows[i];
        for (int q = 0; rc == GK_OK && i != r->baseline && w->ok && q < w->n_pairs; q++) {
            gk_compare_pair *p = &w->pairs[q];
            const gk_compare_pair *bp = &b->pairs[q];
            const int64_t na = p->a2b.n_queries, nb = p->b2a.n_queries;
            double *buf = gk_malloc((size_t)(2 * (na > nb ? na : nb)) * sizeof *buf);
            if (!buf) return gk_set_error(GK_ENOMEM, "compare: out of memory");
            if (p->rank_a2b && bp->rank_a2b)
                rc = test_one(p->rank_a2b, bp->rank_a2b, na, opts, buf, &p->test_a2b);
            if (rc == GK_OK && p->rank_b2a && bp->rank_b2a)
                rc = test_one(p->rank_b2a, bp->rank_b2a, nb, opts, buf, &p->test_b2a);
            gk_free(buf);
        }
    }
    return rc == GK_OK ? holm_all(r, opts->alpha) : rc;
}
