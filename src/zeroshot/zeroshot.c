/*
** zeroshot.c — zero-shot classification: each item is given the class whose
** (ensembled) prompt embedding is most similar; top-1, top-5, per-class
** accuracy and the confusion matrix.  Also the prompt-ensemble and the
** label → class mapping.  The best classes of each item come from the kNN
** engine (inner product, top 5), the one place that finds neighbours.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/zeroshot.h"
#include "retrieval/retrieval_internal.h"
#include "gapkit/knn.h"

void gk_zeroshot_result_free(gk_zeroshot_result *r)
{
    if (!r) return;
    gk_free(r->class_acc);
    gk_free(r->class_n);
    gk_free(r->confusion);
    gk_free(r->pred);
    gk_free(r->class_id);
    gk_free(r->true_rank);
    gk_free(r);
}

void gk_zeroshot_confusion_add(const gk_zeroshot_result *r, int64_t *sum, int32_t C_all)
{
    const int32_t k = r->n_classes;
    for (int32_t t = 0; t < k; t++)
        for (int32_t p = 0; p < k; p++)
            sum[(int64_t)r->class_id[t] * C_all + r->class_id[p]] +=
                r->confusion[(int64_t)t * k + p];
}

/* A result for N items and C classes, arrays zeroed, class_id = identity. */
static int result_alloc(int64_t N, int32_t C, gk_zeroshot_result **out)
{
    gk_zeroshot_result *r = gk_calloc(1, sizeof *r);
    if (!r) return GK_ENOMEM;
    r->n = N;
    r->n_classes = C;
    r->class_acc = gk_calloc((size_t)C, sizeof *r->class_acc);
    r->class_n = gk_calloc((size_t)C, sizeof *r->class_n);
    r->confusion = gk_calloc((size_t)C * (size_t)C, sizeof *r->confusion);
    r->pred = gk_calloc((size_t)N, sizeof *r->pred);
    r->class_id = gk_calloc((size_t)C, sizeof *r->class_id);
    r->true_rank = gk_calloc((size_t)N, sizeof *r->true_rank);
    if (!r->class_acc || !r->class_n || !r->confusion || !r->pred || !r->class_id ||
        !r->true_rank) {
        gk_zeroshot_result_free(r);
        return GK_ENOMEM;
    }
    for (int32_t c = 0; c < C; c++) r->class_id[c] = c;
    ev_copy_text(r->split, sizeof r->split, "none");
    ev_copy_text(r->transform, sizeof r->transform, "none");
    *out = r;
    return GK_OK;
}

static int check_zs(const gk_mat *X, const gk_mat *P, const int32_t *y)
{
    GK_FAIL_IF(!X || !P || !y, GK_EARG, "zero-shot: items, classes and labels must not be NULL");
    GK_FAIL_IF(X->rows < 1 || P->rows < 1, GK_EARG, "zero-shot: %lld items and %lld classes; "
               "need at least one of each", (long long)X->rows, (long long)P->rows);
    GK_FAIL_IF(P->rows > INT32_MAX, GK_EARG, "zero-shot: too many classes");
    GK_FAIL_IF(X->cols != P->cols, GK_ESHAPE, "zero-shot: items have %lld columns but class "
               "embeddings have %lld", (long long)X->cols, (long long)P->cols);
    GK_FAIL_IF(X->cs != 1 || P->cs != 1, GK_ESHAPE, "zero-shot: rows must be contiguous");
    for (int64_t i = 0; i < X->rows; i++)
        GK_FAIL_IF(y[i] < 0 || y[i] >= P->rows, GK_EARG, "zero-shot: class %d of item %lld is "
                   "outside [0, %lld)", y[i], (long long)i, (long long)P->rows);
    return GK_OK;
}

/* Accuracies from the confusion matrix and top-k counts. */
static void finish(gk_zeroshot_result *r, int64_t n1, int64_t n5)
{
    int32_t C = r->n_classes, with = 0;
    double sum = 0;
    r->top1 = (double)n1 / (double)r->n;
    r->top5 = (double)n5 / (double)r->n;
    for (int32_t c = 0; c < C; c++) {
        if (r->class_n[c] == 0) {
            r->class_acc[c] = NAN;
            continue;
        }
        r->class_acc[c] = (double)r->confusion[(int64_t)c * C + c] / (double)r->class_n[c];
        sum += r->class_acc[c];
        with++;
    }
    r->mean_class_acc = with ? sum / with : NAN;
}

/* Scores item i from its kq best classes top (kq,), in the engine's ORDER
** (similarity descending, ties → lower class): the prediction is top[0],
** and the true class is within top-1 / top-5 when its rank is <= 1 / 5. */
static void score_item(const int64_t *top, int64_t kq, int64_t i, const int32_t *y,
                       gk_zeroshot_result *r, int64_t *n1, int64_t *n5)
{
    const int32_t C = r->n_classes;
    int64_t rank = kq + 1;
    for (int64_t a = 0; a < kq && rank > kq; a++)
        if (top[a] == y[i]) rank = a + 1;
    r->pred[i] = (int32_t)top[0];
    r->true_rank[i] = (int32_t)(rank <= 5 ? rank : 6);
    r->class_n[y[i]]++;
    r->confusion[(int64_t)y[i] * C + r->pred[i]]++;
    *n1 += rank <= 1;
    *n5 += rank <= 5;
}

int zs_from_items(const int32_t *pred, const int32_t *true_rank, const int32_t *y, int64_t N,
                  int32_t C, gk_zeroshot_result **out)
{
    gk_zeroshot_result *r = NULL;
    int64_t n1 = 0, n5 = 0;
    *out = NULL;
    GK_FAIL_IF(result_alloc(N, C, &r) != GK_OK, GK_ENOMEM, "zero-shot: out of memory");
    for (int64_t i = 0; i < N; i++) {
        r->pred[i] = pred[i], r->true_rank[i] = true_rank[i];
        r->class_n[y[i]]++;
        r->confusion[(int64_t)y[i] * C + pred[i]]++;
        n1 += true_rank[i] <= 1;
        n5 += true_rank[i] <= 5;
    }
    finish(r, n1, n5);
    *out = r;
    return GK_OK;
}

int gk_zeroshot_eval(const gk_mat *X, const gk_mat *P, const int32_t *y,
                     gk_zeroshot_result **out)
{
    GK_FAIL_IF(!out, GK_EARG, "zero-shot: out is NULL");
    *out = NULL;
    GK_TRY(check_zs(X, P, y));
    int64_t N = X->rows, n1 = 0, n5 = 0;
    int32_t C = (int32_t)P->rows;
    const int64_t kq = C < 5 ? C : 5;
    gk_zeroshot_result *r = NULL;
    gk_knn *idx = NULL;
    int64_t *top = gk_malloc((size_t)N * (size_t)kq * sizeof *top);
    int rc = top ? GK_OK : GK_ENOMEM;
    if (rc) goto cleanup;
    GK_TRY_GOTO(rc, result_alloc(N, C, &r), cleanup);
    /* the 5 most similar classes of every item (inner product: the rows given
    ** are unit, so cosine) from the kNN engine */
    GK_TRY_GOTO(rc, gk_knn_create(P, GK_DIST_IP, &idx), cleanup);
    GK_TRY_GOTO(rc, gk_knn_query(idx, X, kq, top, NULL), cleanup);
    for (int64_t i = 0; i < N; i++) score_item(top + i * kq, kq, i, y, r, &n1, &n5);
    finish(r, n1, n5);
cleanup:
    gk_knn_free(idx);
    gk_free(top);
    if (rc != GK_OK) gk_zeroshot_result_free(r);
    else *out = r;
    return rc;
}

/* acc (D,) += row p of prompts / ||row p|| (double accumulation). */
static int add_unit_row(const gk_mat *prompts, int64_t p, double *acc)
{
    double nn = 0;
    for (int64_t d = 0; d < prompts->cols; d++) {
        double v = gk_mat_at(prompts, p, d);
        nn += v * v;
    }
    GK_FAIL_IF(!(nn > 0) || !isfinite(nn), GK_ENUMERIC,
               "prompt ensemble: prompt row %lld has zero or non-finite norm", (long long)p);
    nn = sqrt(nn);
    for (int64_t d = 0; d < prompts->cols; d++) acc[d] += gk_mat_at(prompts, p, d) / nn;
    return GK_OK;
}

/* Row c of out = normalize(acc): GK_ENUMERIC if the mean vanishes. */
static int store_unit(const double *acc, int64_t D, int32_t c, gk_mat *out)
{
    double nn = 0;
    for (int64_t d = 0; d < D; d++) nn += acc[d] * acc[d];
    GK_FAIL_IF(!(nn > 0), GK_ENUMERIC, "prompt ensemble: the prompts of class %d cancel out "
               "(mean of zero)", c);
    nn = sqrt(nn);
    for (int64_t d = 0; d < D; d++) gk_mat_row(out, c)[d] = (float)(acc[d] / nn);
    return GK_OK;
}

int gk_zeroshot_ensemble(const gk_mat *prompts, const int32_t *cls, int32_t C, gk_mat **out)
{
    GK_FAIL_IF(!out, GK_EARG, "prompt ensemble: out is NULL");
    *out = NULL;
    GK_FAIL_IF(!prompts || !cls || C < 1, GK_EARG, "prompt ensemble: NULL input or C = %d", C);
    int64_t D = prompts->cols;
    double *acc = gk_calloc((size_t)C * (size_t)(D ? D : 1), sizeof *acc);
    int64_t *cnt = gk_calloc((size_t)C, sizeof *cnt);
    gk_mat *m = NULL;
    int rc = GK_ENOMEM;
    if (!acc || !cnt) goto cleanup;
    for (int64_t p = 0; p < prompts->rows; p++) {
        if (cls[p] < 0 || cls[p] >= C)
            GK_FAIL_GOTO(rc, GK_EARG, cleanup, "prompt ensemble: class %d of prompt row %lld "
                         "is outside [0, %d)", cls[p], (long long)p, C);
        GK_TRY_GOTO(rc, add_unit_row(prompts, p, acc + (int64_t)cls[p] * D), cleanup);
        cnt[cls[p]]++;
    }
    GK_TRY_GOTO(rc, gk_mat_create(C, D, &m), cleanup);
    for (int32_t c = 0; c < C; c++) {
        if (!cnt[c])
            GK_FAIL_GOTO(rc, GK_EARG, cleanup, "prompt ensemble: class %d has no prompt", c);
        GK_TRY_GOTO(rc, store_unit(acc + (int64_t)c * D, D, c, m), cleanup);
    }
cleanup:
    gk_free(acc);
    gk_free(cnt);
    if (rc != GK_OK) gk_mat_free(m);
    else *out = m;
    return rc;
}

int gk_zeroshot_classes(const gk_labels *items, const gk_labels *prompts, int32_t *y)
{
    GK_FAIL_IF(!items || !prompts || !y, GK_EARG, "gk_zeroshot_classes: NULL argument");
    int64_t *idx = gk_malloc((size_t)(items->n ? items->n : 1) * sizeof *idx);
    if (!idx) return GK_ENOMEM;
    int rc = gk_labels_match(items, prompts, idx);
    if (rc == GK_OK)
        for (int64_t i = 0; i < items->n; i++) y[i] = prompts->id[idx[i]];
    gk_free(idx);
    return rc;
}
