/*
** analogy_study.c — the word-analogy case study of the NNGS paper (Tavares,
** Ayres, Smaragdis, arXiv 2411.08687): does the similarity of the space of
** first words and the space of second words of an analogy category predict
** how well analogies of that category are solved?  Per section: the two
** spaces, NNGS and linear CKA, the 3CosAdd/3CosMul accuracy; then Pearson and
** Spearman across sections.  Orchestration only: every number comes from
** gk_analogy_eval, gk_nngs, gk_cka_linear and gk_pearson/gk_spearman.
*/
#include <math.h>

#include "analogy_internal.h"
#include "core/error_internal.h"
#include "gapkit/cka.h"

gk_analogy_study_opts gk_analogy_study_opts_default(void)
{
    return (gk_analogy_study_opts){{0, 0.2}, GK_DIST_EUCLIDEAN, 0};
}

void gk_analogy_study_free(gk_analogy_study *s)
{
    if (!s) return;
    gk_free(s->rows);
    gk_free(s);
}

/* X, Y = the vectors of the first and the second words of the section's pairs. */
static int section_spaces(const gk_mat *vectors, const gk_vocab *vocab,
                          const gk_analogy_questions *q, int32_t s, int normalize, gk_mat **X,
                          gk_mat **Y)
{
    int64_t *f, *g, n;
    *X = *Y = NULL;
    GK_TRY(gk_analogy_pairs(q, vocab, s, &f, &g, &n));
    int rc = n > 0 ? gk_mat_select_rows(vectors, f, n, X) : GK_OK;
    if (rc == GK_OK && n > 0) rc = gk_mat_select_rows(vectors, g, n, Y);
    if (rc == GK_OK && n > 0 && normalize) rc = gk_mat_normalize_rows(*X);
    if (rc == GK_OK && n > 0 && normalize) rc = gk_mat_normalize_rows(*Y);
    gk_free(f), gk_free(g);
    if (rc != GK_OK) gk_mat_free(*X), gk_mat_free(*Y), *X = *Y = NULL;
    return rc;
}

/* NNGS and CKA of one section; a scale out of range leaves NaN. */
static int measure_section(const gk_mat *X, const gk_mat *Y, const gk_analogy_study_opts *o,
                           gk_analogy_study_row *row)
{
    int64_t k;
    row->nngs_raw = row->nngs = row->cka = NAN;
    row->n_pairs = X ? X->rows : 0;
    if (!X || gk_kspec_resolve(o->k, X->rows, 1, X->rows - 2, &k) != GK_OK) return GK_OK;
    gk_nbr_result nr;
    gk_cka_result cr;
    GK_TRY(gk_nngs(X, Y, o->k, o->distance, &nr));
    GK_TRY(gk_cka_linear(X, Y, &cr));
    row->k = nr.k, row->nngs_raw = nr.raw, row->nngs = nr.value, row->cka = cr.value;
    return GK_OK;
}

/* Pearson and Spearman of every measure with every accuracy over the rows
** with every value. */
static int correlate(gk_analogy_study *s)
{
    const int64_t n = s->n_rows;
    double *v = gk_malloc(5 * (size_t)n * sizeof *v);
    GK_FAIL_IF(!v, GK_ENOMEM, "analogy study: out of memory");
    int64_t u = 0;
    for (int32_t i = 0; i < s->n_rows; i++) {
        const gk_analogy_study_row *r = &s->rows[i];
        const double x[5] = {r->nngs_raw, r->nngs, r->cka, r->acc_add, r->acc_mul};
        if (!isfinite(x[0] + x[1] + x[2] + x[3] + x[4])) continue;
        for (int m = 0; m < 5; m++) v[m * n + u] = x[m];
        u++;
    }
    s->n_used = u;
    int rc = u >= 3 ? GK_OK
                    : gk_set_error(GK_EARG, "analogy study: only %lld sections have enough "
                                   "pairs for the scale k; at least 3 are needed", (long long)u);
    for (int m = 0; rc == GK_OK && m < 3; m++)
        for (int a = 0; rc == GK_OK && a < 2; a++) {
            gk_corr_pair *c = &s->corr[m][a];
            rc = gk_pearson(v + m * n, v + (3 + a) * n, u, &c->pearson, &c->pearson_p);
            if (rc == GK_OK)
                rc = gk_spearman(v + m * n, v + (3 + a) * n, u, &c->spearman, &c->spearman_p);
        }
    gk_free(v);
    return rc;
}

static int study_sections(const gk_mat *vectors, const gk_vocab *vocab,
                          const gk_analogy_questions *q, gk_analogy_study *s)
{
    gk_analogy_result *ar;
    GK_TRY(gk_analogy_eval(vectors, vocab, q, NULL, &ar));
    int rc = GK_OK;
    for (int32_t i = 0; rc == GK_OK && i < q->n_sections; i++) {
        gk_analogy_study_row *row = &s->rows[i];
        gk_mat *X, *Y;
        row->name = q->section[i];
        row->covered = ar->sections[i].covered;
        row->acc_add = ar->sections[i].add_acc, row->acc_mul = ar->sections[i].mul_acc;
        rc = section_spaces(vectors, vocab, q, i, s->opts.normalize, &X, &Y);
        if (rc == GK_OK) rc = measure_section(X, Y, &s->opts, row);
        if (rc != GK_OK) gk_error_prepend(rc, row->name);
        gk_mat_free(X), gk_mat_free(Y);
    }
    gk_analogy_result_free(ar);
    return rc;
}

int gk_analogy_study_run(const gk_mat *vectors, const gk_vocab *vocab,
                         const gk_analogy_questions *q, const gk_analogy_study_opts *opts,
                         gk_analogy_study **out)
{
    GK_FAIL_IF(!vectors || !vocab || !q || !out, GK_EARG, "analogy study: NULL argument");
    *out = NULL;
    gk_analogy_study *s = gk_calloc(1, sizeof *s);
    if (s) s->rows = gk_calloc((size_t)q->n_sections, sizeof *s->rows);
    if (!s || !s->rows) {
        gk_analogy_study_free(s);
        return gk_set_error(GK_ENOMEM, "analogy study: out of memory");
    }
    s->opts = opts ? *opts : gk_analogy_study_opts_default();
    s->n_rows = q->n_sections;
    int rc = study_sections(vectors, vocab, q, s);
    if (rc == GK_OK) rc = correlate(s);
    if (rc == GK_OK) *out = s;
    else gk_analogy_study_free(s);
    return rc;
}
