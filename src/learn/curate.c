/*
** curate.c — pseudo-pair selection (curate.h): threshold, top-k and mutual
** top-k pairs of an audio pool and a text pool, all through the kNN engine
** with cosine distance (score = 1 − distance), and the domain-specific text
** filter around them.  The statistics of what was kept are curate_stats.c.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "curate_internal.h"
#include "gapkit/knn.h"
#include "linalg/linalg_internal.h"

gk_curate_opts gk_curate_opts_default(void)
{
    gk_curate_opts o;
    memset(&o, 0, sizeof o);
    o.mode = GK_CURATE_THRESHOLD;
    o.tau = 0.75;
    o.k = 1;
    o.tau_target = NAN;
    return o;
}

static int alloc_pairs(gk_knn_pairs *p, int64_t n)
{
    memset(p, 0, sizeof *p);
    p->q = gk_malloc((size_t)(n ? n : 1) * sizeof *p->q);
    p->g = gk_malloc((size_t)(n ? n : 1) * sizeof *p->g);
    p->dist = gk_malloc((size_t)(n ? n : 1) * sizeof *p->dist);
    if (p->q && p->g && p->dist) return GK_OK;
    gk_knn_pairs_free(p);
    return gk_set_error(GK_ENOMEM, "curate: out of memory for %lld pairs", (long long)n);
}

static int cmp_i64(const void *a, const void *b)
{
    const int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* ids (n,k) → each row's ids sorted ascending (the pairs' text order). */
static void sort_rows(int64_t *ids, int64_t n, int64_t k)
{
    for (int64_t i = 0; i < n; i++) qsort(ids + i * k, (size_t)k, sizeof *ids, cmp_i64);
}

/* The k nearest rows of `gal` for every row of Q (cosine), ids sorted by
** index within a row.  *ids : gk_free. */
static int nearest(const gk_mat *gal, const gk_mat *Q, int64_t k, int64_t **ids)
{
    gk_knn *idx = NULL;
    *ids = gk_malloc((size_t)(Q->rows > 0 ? Q->rows * k : 1) * sizeof **ids);
    int rc = *ids ? gk_knn_create(gal, GK_DIST_COSINE, &idx) : GK_ENOMEM;
    if (rc == GK_OK) rc = gk_knn_query(idx, Q, k, *ids, NULL);
    gk_knn_free(idx);
    if (rc == GK_OK) sort_rows(*ids, Q->rows, k);
    if (rc != GK_OK) {
        gk_free(*ids);
        *ids = NULL;
    }
    return rc;
}

/* 1 when v is among the k sorted values of row */
static int row_has(const int64_t *row, int64_t k, int64_t v)
{
    return bsearch(&v, row, (size_t)k, sizeof v, cmp_i64) != NULL;
}

/* Pairs (a, t) with t among a's k nearest texts and, if mutual, a among
** t's k nearest audio rows; distances recomputed in double. */
static int pairs_nearest(const gk_mat *A, const gk_mat *T, int64_t k, int mutual,
                         gk_knn_pairs *p)
{
    int64_t *at = NULL, *ta = NULL, n = 0;
    int rc = nearest(T, A, k, &at);
    if (rc == GK_OK && mutual) rc = nearest(A, T, k, &ta);
    if (rc == GK_OK) rc = alloc_pairs(p, A->rows * k);
    for (int64_t a = 0; rc == GK_OK && a < A->rows; a++)
        for (int64_t r = 0; r < k; r++) {
            const int64_t t = at[a * k + r];
            if (mutual && !row_has(ta + t * k, k, a)) continue;
            p->q[n] = a;
            p->g[n] = t;
            p->dist[n++] = 1 - gk_row_cos(A, a, T, t);
        }
    p->n = n;
    gk_free(at);
    gk_free(ta);
    return rc;
}

static int pairs_threshold(const gk_mat *A, const gk_mat *T, double tau, gk_knn_pairs *p)
{
    gk_knn *idx = NULL;
    int rc = gk_knn_create(T, GK_DIST_COSINE, &idx);
    if (rc == GK_OK) rc = gk_knn_within(idx, A, 1 - tau, p);
    gk_knn_free(idx);
    return rc;
}

/* Keeps the pairs with score >= floor whose text passes (pass NULL = all),
** mapping text rows through tmap (NULL = identity), into r. */
static int keep_pairs(const gk_knn_pairs *p, double floor, const uint8_t *pass,
                      const int64_t *tmap, gk_curate_result *r)
{
    int64_t n = 0;
    r->audio = gk_malloc((size_t)(p->n ? p->n : 1) * sizeof *r->audio);
    r->text = gk_malloc((size_t)(p->n ? p->n : 1) * sizeof *r->text);
    r->score = gk_malloc((size_t)(p->n ? p->n : 1) * sizeof *r->score);
    GK_FAIL_IF(!r->audio || !r->text || !r->score, GK_ENOMEM,
               "curate: out of memory for %lld pairs", (long long)p->n);
    for (int64_t i = 0; i < p->n; i++) {
        const int64_t t = tmap ? tmap[p->g[i]] : p->g[i];
        const double s = 1 - p->dist[i];
        if (s < floor || (pass && !pass[t])) continue;
        r->audio[n] = p->q[i];
        r->text[n] = t;
        r->score[n++] = s;
    }
    r->n_pairs = n;
    return GK_OK;
}

static int check_inputs(const gk_mat *A, const gk_mat *T, const gk_curate_opts *o)
{
    GK_FAIL_IF(!A || !T || !A->data || !T->data, GK_EARG, "curate: NULL pool");
    GK_FAIL_IF(A->rows < 1 || T->rows < 1, GK_EARG,
               "curate: empty pool (%lld audio rows, %lld text rows; need at least 1 each)",
               (long long)A->rows, (long long)T->rows);
    GK_FAIL_IF(A->cols != T->cols, GK_ESHAPE, "curate: audio rows have %lld dimensions, text "
               "rows %lld", (long long)A->cols, (long long)T->cols);
    GK_FAIL_IF(!(o->tau >= -1 && o->tau <= 1), GK_EARG,
               "curate: tau = %g is outside [-1, 1] (a cosine)", o->tau);
    GK_FAIL_IF(o->mode < GK_CURATE_THRESHOLD || o->mode > GK_CURATE_MUTUAL, GK_EARG,
               "curate: unknown mode %d", (int)o->mode);
    GK_FAIL_IF(o->targets && o->targets->cols != A->cols, GK_ESHAPE,
               "curate: target prompts have %lld dimensions, the pools %lld",
               (long long)o->targets->cols, (long long)A->cols);
    GK_FAIL_IF(o->targets && (!o->target_class || o->n_target_classes < 1), GK_EARG,
               "curate: target prompts need a class per row");
    for (int64_t i = 0; o->targets && i < o->targets->rows; i++)
        GK_FAIL_IF(o->target_class[i] < 0 || o->target_class[i] >= o->n_target_classes, GK_EARG,
                   "curate: target prompt %lld has class %d outside 0..%d", (long long)i,
                   (int)o->target_class[i], (int)o->n_target_classes - 1);
    GK_FAIL_IF(!isnan(o->tau_target) && !(o->tau_target >= -1 && o->tau_target <= 1), GK_EARG,
               "curate: tau_target = %g is outside [-1, 1] (a cosine)", o->tau_target);
    GK_FAIL_IF(!isnan(o->tau_target) && !o->targets, GK_EARG,
               "curate: a domain filter (tau_target) needs target prompts");
    GK_FAIL_IF(o->augment && isnan(o->tau_target), GK_EARG,
               "curate: augment needs the domain filter (tau_target)");
    return GK_OK;
}

/* k must fit the candidate rows: texts (top-k), texts and audio (mutual). */
static int check_k(const gk_curate_opts *o, int64_t na, int64_t nt)
{
    if (o->mode == GK_CURATE_THRESHOLD) return GK_OK;
    const int64_t most = o->mode == GK_CURATE_MUTUAL && na < nt ? na : nt;
    GK_FAIL_IF(o->k < 1 || o->k > most, GK_EARG, "curate: k = %lld is outside 1..%lld (%s)",
               (long long)o->k, (long long)most,
               o->mode == GK_CURATE_MUTUAL ? "the smaller pool" : "the text rows to choose from");
    return GK_OK;
}

/* The pairs of A against T by the mode (no floor applied yet). */
static int select_pairs(const gk_mat *A, const gk_mat *T, const gk_curate_opts *o,
                        gk_knn_pairs *p)
{
    GK_TRY(check_k(o, A->rows, T->rows));
    if (o->mode == GK_CURATE_THRESHOLD) return pairs_threshold(A, T, o->tau, p);
    return pairs_nearest(A, T, o->k, o->mode == GK_CURATE_MUTUAL, p);
}

/* Augmented: the passing texts only, as their own pool. */
static int select_augmented(const gk_mat *A, const gk_mat *T, const gk_curate_opts *o,
                            const uint8_t *pass, gk_curate_result *r)
{
    gk_mat *T2 = NULL;
    int64_t *map = NULL;
    gk_knn_pairs p = {0};
    int rc = r->n_text_passed > 0 ? GK_OK
             : gk_set_error(GK_EARG, "curate: no text row passes the domain filter (tau_target "
                            "= %g): nothing to pair", o->tau_target);
    if (rc == GK_OK) rc = curate_gather(T, pass, &T2, &map);
    if (rc == GK_OK) rc = select_pairs(A, T2, o, &p);
    if (rc == GK_OK) rc = keep_pairs(&p, o->mode == GK_CURATE_THRESHOLD ? -1 : o->tau, NULL, map, r);
    gk_knn_pairs_free(&p);
    gk_mat_free(T2);
    gk_free(map);
    return rc;
}

int gk_curate(const gk_mat *A, const gk_mat *T, const gk_curate_opts *opts,
              gk_curate_result **out)
{
    GK_FAIL_IF(!out, GK_EARG, "curate: out is NULL");
    *out = NULL;
    const gk_curate_opts o = opts ? *opts : gk_curate_opts_default();
    GK_TRY(check_inputs(A, T, &o));
    gk_curate_result *r = gk_calloc(1, sizeof *r);
    uint8_t *pass = NULL;
    gk_knn_pairs p = {0};
    if (!r) return gk_set_error(GK_ENOMEM, "curate: out of memory");
    r->n_audio = A->rows;
    r->n_text = r->n_text_passed = T->rows;
    int rc = o.targets ? curate_domain(T, &o, r, &pass) : GK_OK;
    if (rc == GK_OK && o.augment) rc = select_augmented(A, T, &o, pass, r);
    else if (rc == GK_OK) {
        rc = select_pairs(A, T, &o, &p);
        if (rc == GK_OK)
            rc = keep_pairs(&p, o.mode == GK_CURATE_THRESHOLD ? -1 : o.tau, pass, NULL, r);
    }
    if (rc == GK_OK) rc = curate_stats(&o, r);
    gk_knn_pairs_free(&p);
    gk_free(pass);
    if (rc != GK_OK) {
        gk_curate_result_free(r);
        return rc;
    }
    *out = r;
    return GK_OK;
}

void gk_curate_result_free(gk_curate_result *r)
{
    if (!r) return;
    gk_free(r->audio);
    gk_free(r->text);
    gk_free(r->score);
    gk_free(r->text_class);
    gk_free(r->text_target_cos);
    gk_free(r->class_pairs);
    gk_free(r);
}
