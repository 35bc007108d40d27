/*
** protocol_zeroshot.c — `gapkit eval zeroshot` as one library call: split
** the items, obtain the transform (fitted on train items paired with their
** class embedding), and classify the test items.
**
** With a class-disjoint split the test items are classified among the TEST
** classes only: the classes seen while fitting are not candidates, so the
** score measures generalisation to unseen classes (methods.md §5).  With a
** random or fold split every class is a candidate.
*/
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/eval.h"
#include "retrieval/retrieval_internal.h"
#include "eval_protocol_internal.h"

/* The scored part: items, their (remapped) classes, candidate classes. */
typedef struct zs_part {
    gk_mat *x, *p;     /* owned: test items (n,D), candidate classes (c,D) */
    int32_t *y;        /* (n,) class among the candidates */
    int32_t *class_id; /* (c,) original class of each candidate */
    int32_t c;
} zs_part;

static void zs_part_free(zs_part *z)
{
    gk_mat_free(z->x);
    gk_mat_free(z->p);
    gk_free(z->y);
    gk_free(z->class_id);
}

/* Candidate classes: the test classes of a class split, else all C. */
static int candidate_classes(const gk_split *s, int32_t C, zs_part *z, int32_t *remap)
{
    z->class_id = gk_malloc((size_t)C * sizeof *z->class_id);
    if (!z->class_id) return GK_ENOMEM;
    z->c = 0;
    for (int32_t c = 0; c < C; c++) {
        int keep = !s || !s->test_class || s->test_class[c];
        remap[c] = keep ? z->c : -1;
        if (keep) z->class_id[z->c++] = c;
    }
    return GK_OK;
}

static int make_test(const gk_mat *X, const int32_t *y, const gk_mat *P, const gk_split *s,
                     zs_part *z)
{
    int32_t C = (int32_t)P->rows;
    int64_t n = s ? s->n_test : X->rows;
    int32_t *remap = gk_malloc((size_t)C * sizeof *remap);
    z->y = gk_malloc((size_t)(n ? n : 1) * sizeof *z->y);
    int64_t *ci = gk_malloc((size_t)C * sizeof *ci);
    int rc = remap && z->y && ci ? GK_OK : GK_ENOMEM;
    if (rc) goto cleanup;
    GK_TRY_GOTO(rc, candidate_classes(s, C, z, remap), cleanup);
    for (int64_t i = 0; i < n; i++) z->y[i] = remap[y[s ? s->test[i] : i]];
    for (int32_t c = 0; c < z->c; c++) ci[c] = z->class_id[c];
    GK_TRY_GOTO(rc, gk_mat_select_rows(P, ci, z->c, &z->p), cleanup);
    if (s) rc = gk_mat_select_rows(X, s->test, s->n_test, &z->x);
    else rc = gk_mat_clone(X, &z->x);
cleanup:
    gk_free(remap);
    gk_free(ci);
    return rc;
}

/* Fit pairs: train items and the embedding of their class; groups = class. */
static int make_train(const gk_mat *X, const int32_t *y, const gk_mat *P, const gk_split *s,
                      gk_mat **T, gk_mat **A, int32_t **g)
{
    int64_t n = s->n_train;
    int64_t *ci = gk_malloc((size_t)(n ? n : 1) * sizeof *ci);
    *g = gk_malloc((size_t)(n ? n : 1) * sizeof **g);
    if (!ci || !*g) {
        gk_free(ci);
        return GK_ENOMEM;
    }
    for (int64_t i = 0; i < n; i++) ci[i] = (*g)[i] = y[s->train[i]];
    int rc = gk_mat_select_rows(X, s->train, n, T);
    if (rc == GK_OK) rc = gk_mat_select_rows(P, ci, n, A);
    gk_free(ci);
    return rc;
}

static int check_zs_protocol(const gk_mat *X, const int32_t *y, const gk_mat *P,
                             const gk_split *split, const gk_align_opts *fit,
                             gk_zeroshot_result **out)
{
    GK_FAIL_IF(!out, GK_EARG, "zero-shot: out is NULL");
    *out = NULL;
    GK_FAIL_IF(!X || !y || !P, GK_EARG, "zero-shot: items, classes and labels must not be NULL");
    GK_FAIL_IF(split && split->n != X->rows, GK_ESHAPE, "zero-shot: the split covers %lld rows "
               "but there are %lld items", (long long)split->n, (long long)X->rows);
    GK_FAIL_IF(split && split->test_class && split->n_classes != P->rows, GK_ESHAPE,
               "zero-shot: the class split has %d classes but there are %lld class embeddings",
               split->n_classes, (long long)P->rows);
    GK_FAIL_IF(ev_needs_fit(fit) && !split, GK_EARG,
               "a fitted transform (comet:k=…, center, cca, …) needs a split: fitting and scoring the same "
               "items leaks (give --split random:0.2, fold:… or classes:…)");
    for (int64_t i = 0; i < X->rows; i++)
        GK_FAIL_IF(y[i] < 0 || y[i] >= P->rows, GK_EARG, "zero-shot: class %d of item %lld is "
                   "outside [0, %lld)", y[i], (long long)i, (long long)P->rows);
    return GK_OK;
}

/* Records what produced the result and maps classes back to the originals. */
static void label_result(gk_zeroshot_result *r, const zs_part *z, const gk_split *split,
                         const ev_model *em)
{
    memcpy(r->class_id, z->class_id, (size_t)z->c * sizeof *r->class_id);
    ev_copy_text(r->split, sizeof r->split, split ? split->desc : "none");
    ev_copy_text(r->transform, sizeof r->transform, em->desc);
}

/* Keeps one test item of each set of exact copies (same raw row, same
** class): the copies would count one query several times. */
static int merge_copies(zs_part *z, int64_t *merged)
{
    const int64_t n = z->x->rows;
    int64_t *keep = gk_malloc((size_t)(n ? n : 1) * sizeof *keep), m = n;
    gk_mat *x = NULL;
    int rc = keep ? gk_dedup_labelled(z->x, z->y, keep, &m) : GK_ENOMEM;
    if (rc == GK_OK && m < n) rc = gk_mat_select_rows(z->x, keep, m, &x);
    if (rc == GK_OK && m < n) {
        for (int64_t i = 0; i < m; i++) z->y[i] = z->y[keep[i]];
        gk_mat_free(z->x);
        z->x = x;
    }
    *merged = n - m;
    gk_free(keep);
    return rc == GK_ENOMEM ? gk_set_error(rc, "zero-shot: out of memory") : rc;
}

/* The protocol; so NULL: the plain scores (no intervals, copies kept). */
static int zs_protocol_run(const gk_mat *X, const int32_t *y, const gk_mat *P,
                           const gk_split *split, const gk_align_opts *fit,
                           const gk_align *model, uint64_t seed, const gk_score_opts *so,
                           gk_zeroshot_result **out)
{
    GK_TRY(check_zs_protocol(X, y, P, split, fit, out));
    zs_part z = {0};
    ev_model em = {0};
    gk_mat *T = NULL, *A = NULL, *X2 = NULL, *P2 = NULL;
    int32_t *g = NULL;
    int64_t merged = 0;
    int rc;
    GK_TRY_GOTO(rc, make_test(X, y, P, split, &z), cleanup);
    if (so && !so->keep_copies) GK_TRY_GOTO(rc, merge_copies(&z, &merged), cleanup);
    if (ev_needs_fit(fit))
        GK_TRY_GOTO(rc, make_train(X, y, P, split, &T, &A, &g), cleanup);
    GK_TRY_GOTO(rc, ev_model_get(fit, model, T, A, g, seed, &em), cleanup);
    GK_TRY_GOTO(rc, ev_model_apply(&em, z.x, z.p, &X2, &P2), cleanup);
    GK_TRY_GOTO(rc, gk_zeroshot_eval(X2 ? X2 : z.x, P2 ? P2 : z.p, z.y, out), cleanup);
    label_result(*out, &z, split, &em);
    (*out)->dedup = so && !so->keep_copies, (*out)->merged = merged;
    if (so && so->intervals) rc = gk_zeroshot_intervals(*out, &so->boot);
cleanup:
    if (rc != GK_OK && *out) {
        gk_zeroshot_result_free(*out);
        *out = NULL;
    }
    gk_mat_free(T);
    gk_mat_free(A);
    gk_mat_free(X2);
    gk_mat_free(P2);
    gk_free(g);
    gk_align_free(em.fitted);
    zs_part_free(&z);
    return rc;
}

int gk_zeroshot_protocol(const gk_mat *X, const int32_t *y, const gk_mat *P,
                         const gk_split *split, const gk_align_opts *fit,
                         const gk_align *model, uint64_t seed, gk_zeroshot_result **out)
{
    return zs_protocol_run(X, y, P, split, fit, model, seed, NULL, out);
}

int gk_zeroshot_protocol_opts(const gk_mat *X, const int32_t *y, const gk_mat *P,
                              const gk_split *split, const gk_align_opts *fit,
                              const gk_align *model, uint64_t seed, const gk_score_opts *so,
                              gk_zeroshot_result **out)
{
    const gk_score_opts d = gk_score_opts_default();
    return zs_protocol_run(X, y, P, split, fit, model, seed, so ? so : &d, out);
}
