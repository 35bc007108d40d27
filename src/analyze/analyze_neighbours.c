/*
** analyze_neighbours.c — the report's neighbourhood and geometry sections:
** NNGS at the default scales (as `gapkit similarity --measure nngs
** --k-sweep`; above SAMPLE_ABOVE rows estimated from SAMPLE_ROWS sampled
** rows with 95 % intervals, as `--sample`), its spectrum over k (as `--measure tas`, skipped above
** spectrum_max_n rows: it is O(N²)), and linear CKA (`--measure cka-linear`).
** The neighbourhood measures rank rows, so exact copies are merged first, by
** the rule of `gapkit similarity` (gk_dedup_items; methods.md §11): items
** linked by a bit-equal row of X or of Y are one item.  A view whose row is a
** function of the class (one prompt per class, repeated for its items, as
** --pair-by-label builds it) links nothing: it would merge every class.
*/
#include <math.h>
#include <string.h>

#include "analyze_internal.h"
#include "core/error_internal.h"
#include "gapkit/cka.h"
#include "gapkit/nngs.h"
#include "gapkit/retrieval.h"
#include "core/json_internal.h"

#define SPECTRUM_POINTS 200 /* k values of the spectrum kept in the document */
#define SAMPLE_ABOVE 50000  /* more rows: NNGS is estimated (an exact sweep is O(N²·D)) */
#define SAMPLE_ROWS 2000    /* rows of that estimate: ± about 0.01 at k = 10 */

/* "ci_lo" and "ci_hi" arrays and "sampled_rows" of a sampled sweep r[0..n). */
static void sampled_fields(json_t *nn, const gk_nbr_result *r, int n)
{
    json_t *lo = json_array(), *hi = json_array();
    for (int i = 0; i < n; i++) {
        json_array_append_new(lo, isfinite(r[i].ci_lo) ? json_real(r[i].ci_lo) : json_null());
        json_array_append_new(hi, isfinite(r[i].ci_hi) ? json_real(r[i].ci_hi) : json_null());
    }
    json_object_set_new(nn, "sampled_rows", json_integer(r[0].sampled_rows));
    json_object_set_new(nn, "ci_lo", lo);
    json_object_set_new(nn, "ci_hi", hi);
}

/* 1 when every item's row of V equals the row of the first item of its
** class: the view repeats one row per class (labels y (N,), C classes). */
static int repeated_by_class(const gk_mat *V, const int32_t *y, int32_t C)
{
    if (!y || C < 1 || C >= V->rows) return 0;
    int64_t *first = gk_malloc((size_t)C * sizeof *first);
    if (!first) return 0; /* then copies in V link items: the safe side */
    for (int32_t c = 0; c < C; c++) first[c] = -1;
    int same = 1;
    for (int64_t i = 0; i < V->rows && same; i++) {
        if (y[i] < 0 || y[i] >= C) same = 0;
        else if (first[y[i]] < 0) first[y[i]] = i;
        else same = !memcmp(gk_mat_row(V, i), gk_mat_row(V, first[y[i]]),
                            (size_t)V->cols * sizeof(float));
    }
    gk_free(first);
    return same;
}

/* The two views with exact copies merged (gk_dedup_pair_rows).  A view
** repeating one row per class (a class prompt paired with each of its
** items) does not link items: every item of a class would become one. */
static int merge_copies(const gk_analyze_input *in, gk_mat **kx, gk_mat **ky, int64_t *merged)
{
    const gk_mat *Y = in->views[1];
    const int link_y = !repeated_by_class(Y, in->labels, in->n_classes);
    return gk_dedup_pair_rows(in->views[0], Y, link_y, kx, ky, merged);
}

static int nngs_sweep(const gk_mat *X, const gk_mat *Y, int64_t merged, const gk_analyze_opts *o,
                      json_t *doc)
{
    gk_nbr_result r[GK_NNGS_SWEEP_MAX];
    int n = 0;
    const int sampled = X->rows > SAMPLE_ABOVE;
    if (sampled)
        GK_TRY(gk_nngs_sweep_sampled(X, Y, NULL, 0, o->distance, SAMPLE_ROWS, o->seed, r, &n));
    else GK_TRY(gk_nngs_sweep(X, Y, NULL, 0, o->distance, r, &n));
    json_t *k = json_array(), *v = json_array(), *raw = json_array();
    for (int i = 0; i < n; i++) {
        json_array_append_new(k, json_integer(r[i].k));
        json_array_append_new(v, gk_json_num(r[i].value));
        json_array_append_new(raw, gk_json_num(r[i].raw));
    }
    json_t *nn = json_pack("{s:s, s:o, s:o, s:o}", "distance", gk_distance_name(o->distance),
                           "k", k, "nngs", v, "nngs_raw", raw);
    if (nn && sampled) sampled_fields(nn, r, n);
    if (nn) json_object_set_new(nn, "duplicates", json_pack("{s:I, s:I}", "merged",
                                (json_int_t)merged, "items", (json_int_t)X->rows));
    json_object_set_new(doc, "nngs", nn);
    return GK_OK;
}

/* Up to SPECTRUM_POINTS log-spaced k of 1..len (every k when len is small). */
static int spectrum(const gk_mat *X, const gk_mat *Y, const gk_analyze_opts *o, json_t *doc)
{
    gk_tas *t;
    GK_TRY(gk_nngs_spectrum(X, Y, o->distance, &t));
    json_t *k = json_array(), *v = json_array();
    int64_t last = 0;
    for (int i = 0; i < SPECTRUM_POINTS; i++) {
        int64_t kk = (int64_t)llround(exp(log((double)t->len) * i / (SPECTRUM_POINTS - 1)));
        if (kk <= last || kk > t->len) continue;
        last = kk;
        const double val = t->normalized[kk - 1];
        json_array_append_new(k, json_integer(kk));
        json_array_append_new(v, gk_json_num(val));
    }
    json_object_set_new(doc, "nngs_spectrum", json_pack("{s:o, s:o, s:f}", "k", k, "nngs", v,
                                                        "mean_normalized", t->mean_normalized));
    gk_tas_free(t);
    return GK_OK;
}

static int cka_value(const gk_mat *X, const gk_mat *Y, void *ctx, double *value)
{
    (void)ctx;
    gk_cka_result c;
    int rc = gk_cka_linear(X, Y, &c);
    if (rc != GK_OK) return rc;
    *value = c.value;
    gk_cka_result_free(&c);
    return GK_OK;
}

/* Linear CKA against o->n_null shuffled pairings (stats.h): the chance level
** of this N and D, the calibrated value and a p-value, beside the raw one. */
static int cka_null(const gk_analyze_input *in, const gk_analyze_opts *o, json_t *doc)
{
    gk_null_result r;
    char *json = NULL;
    GK_TRY(gk_perm_null(cka_value, NULL, in->views[0], in->views[1], o->n_null, o->seed, &r,
                        NULL));
    GK_TRY(gk_null_to_json(&r, o->seed, &json));
    json_t *j = json_loads(json, 0, NULL);
    gk_free(json);
    GK_FAIL_IF(!j, GK_ENOMEM, "analyze: out of memory");
    json_object_set_new(doc, "cka_linear_null", j);
    return GK_OK;
}

/* NNGS at the default scales and its spectrum, on the merged items. */
static int neighbourhoods(const gk_analyze_input *in, const gk_analyze_opts *o, json_t *doc)
{
    gk_mat *kx = NULL, *ky = NULL;
    int64_t merged = 0;
    int rc = merge_copies(in, &kx, &ky, &merged);
    const gk_mat *X = kx ? kx : in->views[0], *Y = ky ? ky : in->views[1];
    if (rc == GK_OK && (rc = nngs_sweep(X, Y, merged, o, doc)) != GK_OK)
        rc = gk_error_prepend(rc, "analyze: NNGS");
    if (rc == GK_OK && X->rows <= o->spectrum_max_n && (rc = spectrum(X, Y, o, doc)) != GK_OK)
        rc = gk_error_prepend(rc, "analyze: NNGS spectrum");
    gk_mat_free(kx), gk_mat_free(ky);
    return rc;
}

int analyze_neighbours(const gk_analyze_input *in, const gk_analyze_opts *o, json_t *doc)
{
    int rc = neighbourhoods(in, o, doc);
    if (rc != GK_OK) return rc;
    gk_cka_result c;
    if ((rc = gk_cka_linear(in->views[0], in->views[1], &c)) != GK_OK)
        return gk_error_prepend(rc, "analyze: linear CKA");
    json_object_set_new(doc, "cka_linear", gk_json_num(c.value));
    gk_cka_result_free(&c);
    if (o->n_null >= 2 && (rc = cka_null(in, o, doc)) != GK_OK)
        return gk_error_prepend(rc, "analyze: linear CKA null");
    return GK_OK;
}
