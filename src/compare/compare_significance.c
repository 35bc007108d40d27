/*
** compare_significance.c — is one transform really better than another?
** Every transform is scored on the SAME held-out queries (the distinct test
** rows, found on the rows before any transform) and the same test items, so
** two rows give, per direction of each view pair, two vectors of per-query
** values (hit at 1, hit at 5, AP@10) and, with prompts, two vectors of
** per-item zero-shot hits, to compare with a paired bootstrap interval and a
** sign-flip permutation test (stats.h).  Each row is tested against the
** identity row, and each named pair against each other; all p-values are
** Holm–Bonferroni adjusted as one family (methods.md §11).
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

const gk_compare_test *gk_compare_tests_at(const gk_compare_tests *t, int q, int dir, int m)
{
    return &t->ranked[((int64_t)q * 2 + dir) * GK_CMP_N_RANKED + m];
}

/* v (n_scored,) = metric m of the queries that have a true match; *n their count. */
static void values_of(const int64_t *rank, const double *ap10, int64_t nq, int m, double *v,
                      int64_t *n)
{
    *n = 0;
    for (int64_t i = 0; i < nq; i++)
        if (rank[i] > 0)
            v[(*n)++] = m == GK_CMP_R1 ? rank[i] <= 1 : m == GK_CMP_R5 ? rank[i] <= 5 : ap10[i];
}

/* One direction of one view pair, every ranked metric: row x minus row y.
** buf (2·nq,) scratch; t (GK_CMP_N_RANKED,). */
static int test_direction(const int64_t *rx, const double *ax, const int64_t *ry,
                          const double *ay, int64_t nq, const gk_compare_opts *o, double *buf,
                          gk_compare_test *t)
{
    for (int m = 0; rx && ry && m < GK_CMP_N_RANKED; m++) {
        int64_t na, nb;
        values_of(rx, ax, nq, m, buf, &na);
        values_of(ry, ay, nq, m, buf + nq, &nb);
        GK_FAIL_IF(na != nb, GK_EINTERNAL, "compare: %lld and %lld scored queries; the "
                   "transforms must be scored on the same queries", (long long)na, (long long)nb);
        if (na < 1) continue;
        GK_TRY(gk_paired_test(buf, buf + nq, na, GK_STAT_MEAN, &o->boot, o->n_perm, &t[m].d));
        t[m].tested = 1;
    }
    return GK_OK;
}

static int test_pair(const gk_compare_pair *x, const gk_compare_pair *y, const gk_compare_opts *o,
                     gk_compare_test *t)
{
    const int64_t na = x->a2b.n_queries, nb = x->b2a.n_queries;
    if (!x->rank_a2b || !y->rank_a2b) return GK_OK; /* no shared space in one of them */
    GK_FAIL_IF(na != y->a2b.n_queries || nb != y->b2a.n_queries, GK_EINTERNAL, "compare: the "
               "rows were scored on different queries");
    double *buf = gk_malloc((size_t)(2 * (na > nb ? na : nb) + 1) * sizeof *buf);
    GK_FAIL_IF(!buf, GK_ENOMEM, "compare: out of memory");
    int rc = test_direction(x->rank_a2b, x->ap10_a2b, y->rank_a2b, y->ap10_a2b, na, o, buf, t);
    if (rc == GK_OK)
        rc = test_direction(x->rank_b2a, x->ap10_b2a, y->rank_b2a, y->ap10_b2a, nb, o, buf,
                            t + GK_CMP_N_RANKED);
    gk_free(buf);
    return rc;
}

/* Every test of row c->row against row c->other. */
static int test_rows(const gk_compare_result *r, const gk_compare_opts *o, gk_compare_tests *c)
{
    const gk_compare_row *x = &r->rows[c->row], *y = &r->rows[c->other];
    c->n_pairs = x->n_pairs;
    c->ranked = gk_calloc((size_t)(2 * GK_CMP_N_RANKED * (c->n_pairs ? c->n_pairs : 1)),
                          sizeof *c->ranked);
    GK_FAIL_IF(!c->ranked, GK_ENOMEM, "compare: out of memory");
    if (!x->ok || !y->ok) return GK_OK; /* a failed row has nothing to test */
    for (int q = 0; q < c->n_pairs; q++)
        GK_TRY(test_pair(&x->pairs[q], &y->pairs[q], o,
                         &c->ranked[(int64_t)q * 2 * GK_CMP_N_RANKED]));
    if (!x->zs_hit || !y->zs_hit || !x->zs_views || x->zs_views != y->zs_views || r->n_test < 1)
        return GK_OK; /* zero-shot only on the same views */
    GK_TRY(gk_paired_test(x->zs_hit, y->zs_hit, r->n_test, GK_STAT_MEAN, &o->boot, o->n_perm,
                          &c->zs_top1.d));
    c->zs_top1.tested = 1;
    return GK_OK;
}

/* Every test run, in a fixed order (entry, pair, direction, metric, then
** zero-shot); all NULL: only count. */
static int collect(gk_compare_result *r, gk_compare_test **all)
{
    int m = 0;
    for (int k = 0; k < r->n_versus; k++) {
        gk_compare_tests *c = &r->tests[k];
        for (int j = 0; j < 2 * GK_CMP_N_RANKED * c->n_pairs; j++)
            if (c->ranked[j].tested) {
                if (all) all[m] = &c->ranked[j];
                m++;
            }
        if (c->zs_top1.tested) {
            if (all) all[m] = &c->zs_top1;
            m++;
        }
    }
    return m;
}

static int holm_all(gk_compare_result *r, double alpha)
{
    const int m = collect(r, NULL);
    gk_compare_test **all = gk_malloc((size_t)(m ? m : 1) * sizeof *all);
    double *p = gk_malloc((size_t)(m ? m : 1) * sizeof *p);
    int rc = all && p ? GK_OK : gk_set_error(GK_ENOMEM, "compare: out of memory");
    if (rc == GK_OK) collect(r, all);
    for (int j = 0; rc == GK_OK && j < m; j++) p[j] = all[j]->d.p_value;
    if (rc == GK_OK && m > 0) rc = gk_holm(p, m, p);
    for (int j = 0; rc == GK_OK && j < m; j++) {
        all[j]->p_holm = p[j];
        all[j]->significant = p[j] <= alpha;
    }
    r->n_tests = rc == GK_OK ? m : 0;
    gk_free(all), gk_free(p);
    return rc;
}

/* The entries of r->tests: each ok row against the baseline, then the named pairs. */
static int plan_tests(gk_compare_result *r, const int *named, int n_named)
{
    int n = n_named;
    for (int i = 0; r->baseline >= 0 && i < r->n_rows; i++) n += i != r->baseline && r->rows[i].ok;
    r->tests = gk_calloc((size_t)(n ? n : 1), sizeof *r->tests);
    GK_FAIL_IF(!r->tests, GK_ENOMEM, "compare: out of memory");
    for (int i = 0; r->baseline >= 0 && i < r->n_rows; i++)
        if (i != r->baseline && r->rows[i].ok) {
            r->rows[i].vs_baseline = r->n_versus;
            r->tests[r->n_versus].row = i, r->tests[r->n_versus++].other = r->baseline;
        }
    for (int t = 0; t < n_named; t++, r->n_versus++)
        r->tests[r->n_versus].row = named[2 * t], r->tests[r->n_versus].other = named[2 * t + 1];
    r->n_named = n_named;
    return GK_OK;
}

int cmp_significance(gk_compare_result *r, const gk_align_opts *methods, int n_methods,
                     const gk_compare_opts *opts)
{
    for (int i = 0; i < r->n_rows; i++) r->rows[i].vs_baseline = -1;
    r->baseline = find_baseline(r, methods, n_methods);
    r->alpha = opts->alpha, r->boot = opts->boot, r->n_perm = opts->n_perm;
    if (opts->n_perm < 1) return GK_OK;
    const int n_named = opts->versus ? opts->n_versus : 0;
    int *named = gk_malloc((size_t)(2 * n_named + 1) * sizeof *named);
    GK_FAIL_IF(!named, GK_ENOMEM, "compare: out of memory");
    int rc = cmp_resolve_versus(methods, n_methods, opts, named);
    if (rc == GK_OK) rc = plan_tests(r, named, n_named);
    gk_free(named);
    for (int k = 0; rc == GK_OK && k < r->n_versus; k++) rc = test_rows(r, opts, &r->tests[k]);
    return rc == GK_OK ? holm_all(r, opts->alpha) : rc;
}
