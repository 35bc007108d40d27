/*
** joint.c — the JOINT set of M views for the group-level tasks (methods.md
** §4): the selected items' rows of every view stacked (view 0's rows first),
** each labelled with its item's class.  A row bit-for-bit equal to an
** earlier selected row of the same view (a class prompt repeated for every
** clip of its class) enters once: repeating it would let a row be its own
** neighbour and weigh one text as many.  Duplicates are found on `keys`
** (the rows before a transform, whose rounding could split equal rows).
*/
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/group.h"

static int check_joint(const gk_mat *const *views, int M, const int32_t *labels)
{
    GK_FAIL_IF(!views || M < 1 || !labels, GK_EARG, "joint: views and labels are needed");
    for (int v = 0; v < M; v++) {
        GK_FAIL_IF(!views[v], GK_EARG, "joint: view %d is NULL", v);
        GK_FAIL_IF(views[v]->rows != views[0]->rows || views[v]->cols != views[0]->cols,
                   GK_ESHAPE, "joint: view %d is (%lld, %lld) but view 0 is (%lld, %lld): the "
                   "joint set needs one shared space", v, (long long)views[v]->rows,
                   (long long)views[v]->cols, (long long)views[0]->rows,
                   (long long)views[0]->cols);
    }
    return GK_OK;
}

/* keep[p] = 1 for the first selected item of each distinct row of view X. */
static int distinct_items(const gk_mat *X, const int64_t *idx, int64_t n, uint8_t *keep)
{
    int64_t *first = gk_malloc((size_t)(X->rows ? X->rows : 1) * sizeof *first), nd;
    uint8_t *seen = gk_calloc((size_t)(X->rows ? X->rows : 1), 1);
    int rc = first && seen ? gk_mat_first_rows(X, first, &nd) : GK_ENOMEM;
    for (int64_t p = 0; rc == GK_OK && p < n; p++) {
        int64_t f = first[idx ? idx[p] : p];
        keep[p] = !seen[f];
        seen[f] = 1;
    }
    gk_free(first);
    gk_free(seen);
    return rc == GK_ENOMEM ? gk_set_error(GK_ENOMEM, "joint: out of memory") : rc;
}

static int joint_alloc(int64_t n, int64_t d, gk_joint *j)
{
    j->n = n;
    j->label = gk_malloc((size_t)(n ? n : 1) * sizeof *j->label);
    j->view = gk_malloc((size_t)(n ? n : 1) * sizeof *j->view);
    j->item = gk_malloc((size_t)(n ? n : 1) * sizeof *j->item);
    GK_FAIL_IF(!j->label || !j->view || !j->item, GK_ENOMEM, "joint: out of memory");
    return gk_mat_create(n, d, &j->rows);
}

/* Copies the kept rows (keep is (M, n_items)) into j. */
static void fill(const gk_mat *const *views, int M, const int32_t *labels, const int64_t *idx,
                 int64_t n_items, const uint8_t *keep, gk_joint *j)
{
    const int64_t d = views[0]->cols;
    int64_t r = 0;
    for (int v = 0; v < M; v++)
        for (int64_t p = 0; p < n_items; p++) {
            if (!keep[v * n_items + p]) continue;
            const int64_t it = idx ? idx[p] : p;
            memcpy(gk_mat_row(j->rows, r), gk_mat_row(views[v], it), (size_t)d * sizeof(float));
            j->label[r] = labels[it];
            j->view[r] = v;
            j->item[r++] = it;
        }
}

int gk_joint_build(const gk_mat *const *views, const gk_mat *const *keys, int n_views,
                   const int32_t *labels, const int64_t *idx, int64_t n_items, gk_joint **out)
{
    GK_FAIL_IF(!out, GK_EARG, "joint: NULL output");
    *out = NULL;
    GK_TRY(check_joint(views, n_views, labels));
    if (!keys) keys = views;
    for (int v = 0; v < n_views; v++)
        GK_FAIL_IF(!keys[v] || keys[v]->rows != views[v]->rows, GK_ESHAPE, "joint: the "
                   "duplicate keys of view %d do not have its %lld rows", v,
                   (long long)views[v]->rows);
    if (!idx) n_items = views[0]->rows;
    uint8_t *keep = gk_malloc((size_t)n_views * (size_t)(n_items ? n_items : 1));
    gk_joint *j = gk_calloc(1, sizeof *j);
    int64_t total = 0;
    int rc = keep && j ? GK_OK : gk_set_error(GK_ENOMEM, "joint: out of memory");
    for (int v = 0; rc == GK_OK && v < n_views; v++)
        rc = distinct_items(keys[v], idx, n_items, keep + v * n_items);
    for (int64_t q = 0; rc == GK_OK && q < n_views * n_items; q++) total += keep[q];
    if (rc == GK_OK) rc = joint_alloc(total, views[0]->cols, j);
    if (rc == GK_OK) fill(views, n_views, labels, idx, n_items, keep, j);
    gk_free(keep);
    if (rc != GK_OK) gk_joint_free(j);
    else *out = j;
    return rc;
}

void gk_joint_free(gk_joint *j)
{
    if (!j) return;
    gk_mat_free(j->rows);
    gk_free(j->label);
    gk_free(j->view);
    gk_free(j->item);
    gk_free(j);
}
