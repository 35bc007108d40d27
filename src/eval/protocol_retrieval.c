/*
** protocol_retrieval.c — `gapkit eval retrieval` as one library call: split
** the rows, obtain the transform (a saved model, or COMET fitted on the train
** pairs only), apply it to the test rows and score both directions.
**
** Split rules.  The split is over the rows of X.  Without groups, Y's rows
** follow X's (row i ↔ row i).  With groups, the test gallery holds the Y rows
** whose group has a test X row, and the fit pairs are every (train X row, Y
** row) of the same group (e.g. a clip with each of its 5 captions, or each
** clip of a class with the class prompt).
*/
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/eval.h"
#include "retrieval/retrieval_internal.h"
#include "eval_protocol_internal.h"

/* Rows of one part of a split, with their groups. */
typedef struct part {
    gk_mat *x, *y;          /* owned */
    int32_t *gx, *gy;       /* owned; NULL without groups */
} part;

static void part_free(part *p)
{
    gk_mat_free(p->x);
    gk_mat_free(p->y);
    gk_free(p->gx);
    gk_free(p->gy);
    memset(p, 0, sizeof *p);
}

/* Copies g[idx[0..n)] into a new array. */
static int32_t *gather_groups(const int32_t *g, const int64_t *idx, int64_t n)
{
    int32_t *o = gk_malloc((size_t)(n ? n : 1) * sizeof *o);
    for (int64_t i = 0; o && i < n; i++) o[i] = g[idx[i]];
    return o;
}

/* Test part with groups: X test rows, and Y rows whose group has one. */
static int grouped_test(const gk_mat *X, const gk_mat *Y, const int32_t *gx, const int32_t *gy,
                        const gk_split *s, part *p)
{
    int64_t ng = 0, ny = 0;
    for (int64_t i = 0; i < s->n_test; i++)
        if (gx[s->test[i]] >= ng) ng = gx[s->test[i]] + (int64_t)1;
    uint8_t *has = gk_calloc((size_t)(ng ? ng : 1), 1);
    int64_t *yi = gk_malloc((size_t)Y->rows * sizeof *yi);
    int rc = has && yi ? GK_OK : GK_ENOMEM;
    if (rc) goto cleanup;
    for (int64_t i = 0; i < s->n_test; i++) has[gx[s->test[i]]] = 1;
    for (int64_t j = 0; j < Y->rows; j++)
        if (gy[j] < ng && has[gy[j]]) yi[ny++] = j;
    GK_TRY_GOTO(rc, gk_mat_select_rows(X, s->test, s->n_test, &p->x), cleanup);
    GK_TRY_GOTO(rc, gk_mat_select_rows(Y, yi, ny, &p->y), cleanup);
    p->gx = gather_groups(gx, s->test, s->n_test);
    p->gy = gather_groups(gy, yi, ny);
    if (!p->gx || !p->gy) rc = GK_ENOMEM;
cleanup:
    gk_free(has);
    gk_free(yi);
    return rc;
}

/* Fit pairs with groups: every (train X row, Y row of its group). */
static int grouped_train(const gk_mat *X, const gk_mat *Y, const int32_t *gx, const int32_t *gy,
                         const gk_split *s, part *p)
{
    rt_truth yt;
    int64_t np = 0, m;
    GK_TRY(rt_truth_build(gy, Y->rows, &yt));
    for (int64_t i = 0; i < s->n_train; i++) {
        rt_truth_of(&yt, gx, s->train[i], &m);
        np += m;
    }
    int64_t *xi = gk_malloc((size_t)(np ? np : 1) * sizeof *xi);
    int64_t *yi = gk_malloc((size_t)(np ? np : 1) * sizeof *yi);
    int rc = xi && yi ? GK_OK : GK_ENOMEM;
    if (rc) goto cleanup;
    np = 0;
    for (int64_t i = 0; i < s->n_train; i++) {
        const int64_t *ys = rt_truth_of(&yt, gx, s->train[i], &m);
        for (int64_t a = 0; a < m; a++, np++) {
            xi[np] = s->train[i];
            yi[np] = ys[a];
        }
    }
    GK_TRY_GOTO(rc, gk_mat_select_rows(X, xi, np, &p->x), cleanup);
    GK_TRY_GOTO(rc, gk_mat_select_rows(Y, yi, np, &p->y), cleanup);
    if (!(p->gx = gather_groups(gx, xi, np))) rc = GK_ENOMEM;
cleanup:
    gk_free(xi);
    gk_free(yi);
    rt_truth_free(&yt);
    return rc;
}

/* Rows idx (n,) of both X and Y (no groups: Y follows X). */
static int paired_rows(const gk_mat *X, const gk_mat *Y, const int64_t *idx, int64_t n, part *p)
{
    GK_TRY(gk_mat_select_rows(X, idx, n, &p->x));
    return gk_mat_select_rows(Y, idx, n, &p->y);
}

static int check_protocol(const gk_mat *X, const gk_mat *Y, const int32_t *gx,
                          const int32_t *gy, const gk_split *split, const gk_align_opts *fit,
                          const gk_retrieval_result *out)
{
    GK_FAIL_IF(!X || !Y || !out, GK_EARG, "retrieval: X, Y and out must not be NULL");
    GK_FAIL_IF(!gx != !gy, GK_EARG, "retrieval: give groups for both X and Y, or for neither");
    GK_FAIL_IF(!gx && X->rows != Y->rows, GK_ESHAPE, "retrieval: X has %lld rows but Y has "
               "%lld; without groups row i pairs with row i", (long long)X->rows,
               (long long)Y->rows);
    GK_FAIL_IF(split && split->n != X->rows, GK_ESHAPE, "retrieval: the split covers %lld rows "
               "but X has %lld", (long long)split->n, (long long)X->rows);
    GK_FAIL_IF(ev_needs_fit(fit) && !split, GK_EARG,
               "a fitted transform (comet:k=…, center, cca, …) needs a split: fitting and scoring the same "
               "rows leaks (give --split random:0.2, fold:… or classes:…)");
    return GK_OK;
}

/* The train pairs and the test rows of the split. */
static int make_parts(const gk_mat *X, const gk_mat *Y, const int32_t *gx, const int32_t *gy,
                      const gk_split *s, int need_train, part *tr, part *te)
{
    if (gx) {
        if (need_train) GK_TRY(grouped_train(X, Y, gx, gy, s, tr));
        return grouped_test(X, Y, gx, gy, s, te);
    }
    if (need_train) GK_TRY(paired_rows(X, Y, s->train, s->n_train, tr));
    return paired_rows(X, Y, s->test, s->n_test, te);
}

gk_score_opts gk_score_opts_default(void)
{
    gk_score_opts o = {1, gk_boot_opts_default(), 0};
    return o;
}

/* Scores sx, sy (transformed test rows; groups sgx, sgy) as so says. */
static int score(const gk_mat *sx, const gk_mat *sy, const int32_t *sgx, const int32_t *sgy,
                 const gk_score_opts *so, gk_retrieval_result *out)
{
    if (!so) return gk_retrieval_both(sx, sy, sgx, sgy, NULL, out);
    if (so->intervals) return gk_retrieval_both_ci(sx, sy, sgx, sgy, NULL, &so->boot, out);
    return gk_retrieval_both(sx, sy, sgx, sgy, NULL, out);
}

/* Scores after merging the copies among the raw rows kx, ky (plan) when
** there are any; counts go to out. */
static int score_dedup(const gk_mat *kx, const gk_mat *ky, const gk_mat *sx, const gk_mat *sy,
                       const int32_t *sgx, const int32_t *sgy, const gk_score_opts *so,
                       gk_retrieval_result *out)
{
    gk_dedup_plan p;
    gk_mat *dx = NULL, *dy = NULL;
    GK_TRY(gk_dedup_plan_make(kx, ky, sgx, sgy, &p));
    int rc = GK_OK;
    if (p.merged_x || p.merged_y) {
        rc = gk_mat_select_rows(sx, p.rows_x, p.nx, &dx);
        if (rc == GK_OK) rc = gk_mat_select_rows(sy, p.rows_y, p.ny, &dy);
        if (rc == GK_OK) rc = score(dx, dy, p.gx, p.gy, so, out);
    } else {
        rc = score(sx, sy, sgx, sgy, so, out);
    }
    out->dedup = 1;
    out->merged_x = p.merged_x, out->merged_y = p.merged_y;
    gk_mat_free(dx), gk_mat_free(dy);
    gk_dedup_plan_free(&p);
    return rc;
}

/* The protocol; so NULL: the plain scores (no intervals, copies kept). */
static int protocol_run(const gk_mat *X, const gk_mat *Y, const int32_t *gx, const int32_t *gy,
                        const gk_split *split, const gk_align_opts *fit,
                        const gk_align *model, uint64_t seed, const gk_score_opts *so,
                        gk_retrieval_result *out)
{
    GK_TRY(check_protocol(X, Y, gx, gy, split, fit, out));
    part tr = {0}, te = {0};
    ev_model em = {0};
    gk_mat *X2 = NULL, *Y2 = NULL;
    int need_train = ev_needs_fit(fit), rc = GK_OK;
    if (split) GK_TRY_GOTO(rc, make_parts(X, Y, gx, gy, split, need_train, &tr, &te), cleanup);
    const gk_mat *tx = split ? te.x : X, *ty = split ? te.y : Y;
    const int32_t *tgx = split ? te.gx : gx, *tgy = split ? te.gy : gy;
    GK_TRY_GOTO(rc, ev_model_get(fit, model, tr.x, tr.y, tr.gx, seed, &em), cleanup);
    GK_TRY_GOTO(rc, ev_model_apply(&em, tx, ty, &X2, &Y2), cleanup);
    const gk_mat *sx = X2 ? X2 : tx, *sy = Y2 ? Y2 : ty;
    GK_TRY_GOTO(rc, so && !so->keep_copies ? score_dedup(tx, ty, sx, sy, tgx, tgy, so, out)
                                           : score(sx, sy, tgx, tgy, so, out), cleanup);
    ev_copy_text(out->split, sizeof out->split, split ? split->desc : "none");
    ev_copy_text(out->transform, sizeof out->transform, em.desc);
cleanup:
    gk_mat_free(X2);
    gk_mat_free(Y2);
    gk_align_free(em.fitted);
    part_free(&tr);
    part_free(&te);
    return rc;
}

int gk_retrieval_protocol(const gk_mat *X, const gk_mat *Y, const int32_t *gx,
                          const int32_t *gy, const gk_split *split,
                          const gk_align_opts *fit, const gk_align *model, uint64_t seed,
                          gk_retrieval_result *out)
{
    return protocol_run(X, Y, gx, gy, split, fit, model, seed, NULL, out);
}

int gk_retrieval_protocol_opts(const gk_mat *X, const gk_mat *Y, const int32_t *gx,
                               const int32_t *gy, const gk_split *split,
                               const gk_align_opts *fit, const gk_align *model,
                               uint64_t seed, const gk_score_opts *so,
                               gk_retrieval_result *out)
{
    const gk_score_opts d = gk_score_opts_default();
    return protocol_run(X, Y, gx, gy, split, fit, model, seed, so ? so : &d, out);
}
