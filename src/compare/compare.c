/*
** compare.c — `gapkit compare` as one library call (methods.md §4, §5):
** split the items, and for every transform fit it on the TRAIN items of all
** views, apply it to the TEST items (and to the class prompts) and measure
** the gap, retrieval, zero-shot and the group-level tasks there
** (compare_measure.c).  One row per transform; a failing transform is
** recorded and the others still run.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare_internal.h"
#include "core/error_internal.h"

gk_compare_opts gk_compare_opts_default(void)
{
    gk_compare_opts o;
    memset(&o, 0, sizeof o);
    o.groups = gk_group_opts_default();
    o.boot = gk_boot_opts_default();
    o.n_perm = 9999, o.alpha = 0.05;
    return o;
}

int gk_compare_default_methods(gk_align_opts *out, int cap)
{
    static const char *const spec[] = {"identity", "center", "shift", "ablate", "procrustes",
                                       "cca", "comet:k=auto", "comet:k=auto,weight=align",
                                       "projdec"};
    int n = 0;
    for (size_t i = 0; i < sizeof spec / sizeof spec[0] && n < cap; i++)
        if (gk_align_parse(spec[i], &out[n]) == GK_OK) n++;
    return n;
}

int gk_compare_shift_sweep(int steps, gk_align_opts *out, int cap)
{
    int n = 0;
    for (int s = 0; steps >= 2 && s < steps && n < cap; s++) {
        out[n] = gk_align_opts_default(GK_ALIGN_SHIFT);
        out[n++].lambda = (double)s / (steps - 1);
    }
    return n;
}

/*====  set-up  ====*/

static int check_input(const gk_compare_input *in, const gk_compare_opts *o)
{
    GK_FAIL_IF(!in || !o || !in->views, GK_EARG, "compare: NULL argument");
    GK_FAIL_IF(in->n_views < 2 || in->n_views > GK_ALIGN_MAX_VIEWS, GK_EARG, "compare: %d views;"
               " expected 2..%d", in->n_views, GK_ALIGN_MAX_VIEWS);
    for (int v = 0; v < in->n_views; v++)
        GK_FAIL_IF(!in->views[v] || in->views[v]->rows != in->views[0]->rows, GK_ESHAPE,
                   "compare: view %d does not have the %lld rows of view 0", v,
                   (long long)in->views[0]->rows);
    GK_FAIL_IF(!o->split, GK_EARG, "compare: a split is required (transforms are fitted on the "
               "train items and scored on the others)");
    GK_FAIL_IF(o->split->n != in->views[0]->rows, GK_ESHAPE, "compare: the split covers %lld "
               "items but the views have %lld rows", (long long)o->split->n,
               (long long)in->views[0]->rows);
    GK_FAIL_IF(in->prompts && (!in->labels || in->prompt_view < 0 ||
               in->prompt_view >= in->n_views || in->prompts->rows != in->n_classes),
               GK_EARG, "compare: zero-shot needs labels, a prompt view in 0..%d and one prompt "
               "row per class", in->n_views - 1);
    for (int64_t i = 0; in->labels && i < in->views[0]->rows; i++)
        GK_FAIL_IF(in->labels[i] < 0 || in->labels[i] >= in->n_classes, GK_EARG, "compare: class "
                   "%d of item %lld outside [0, %d)", in->labels[i], (long long)i,
                   in->n_classes);
    return GK_OK;
}

/* Candidate classes of zero-shot: the test classes of a class split, else all. */
static int zeroshot_setup(cmp_data *d)
{
    const gk_split *s = d->opts->split;
    const int32_t C = d->in->n_classes;
    int32_t *remap = gk_malloc((size_t)C * sizeof *remap);
    int64_t *rows = gk_malloc((size_t)C * sizeof *rows);
    d->zs_y = gk_malloc((size_t)(s->n_test ? s->n_test : 1) * sizeof *d->zs_y);
    int rc = remap && rows && d->zs_y ? GK_OK : gk_set_error(GK_ENOMEM, "compare: out of memory");
    d->zs_c = 0;
    for (int32_t c = 0; rc == GK_OK && c < C; c++) {
        int keep = !s->test_class || s->test_class[c];
        remap[c] = keep ? d->zs_c : -1;
        if (keep) rows[d->zs_c++] = c;
    }
    for (int64_t i = 0; rc == GK_OK && i < s->n_test; i++)
        d->zs_y[i] = remap[d->in->labels[s->test[i]]];
    if (rc == GK_OK) rc = gk_mat_select_rows(d->in->prompts, rows, d->zs_c, &d->zs_prompts);
    gk_free(remap);
    gk_free(rows);
    return rc;
}

static int data_setup(const gk_compare_input *in, const gk_compare_opts *o, cmp_data *d)
{
    const gk_split *s = o->split;
    memset(d, 0, sizeof *d);
    d->in = in, d->opts = o, d->M = in->n_views;
    for (int v = 0; v < d->M; v++) {
        GK_TRY(gk_mat_select_rows(in->views[v], s->train, s->n_train, &d->train[v]));
        GK_TRY(gk_mat_select_rows(in->views[v], s->test, s->n_test, &d->test[v]));
    }
    if (in->labels) {
        d->ytest = gk_malloc((size_t)(s->n_test ? s->n_test : 1) * sizeof *d->ytest);
        GK_FAIL_IF(!d->ytest, GK_ENOMEM, "compare: out of memory");
        for (int64_t i = 0; i < s->n_test; i++) d->ytest[i] = in->labels[s->test[i]];
    }
    if (in->prompts) GK_TRY(zeroshot_setup(d));
    return GK_OK;
}

static void data_free(cmp_data *d)
{
    for (int v = 0; v < d->M; v++) {
        gk_mat_free(d->train[v]);
        gk_mat_free(d->test[v]);
    }
    gk_free(d->ytest);
    gk_mat_free(d->zs_prompts);
    gk_free(d->zs_y);
}

/*====  one transform  ====*/

/* Fits o on the train rows (gk_transform_fit: COMET's k rule resolved there). */
static int fit_one(const cmp_data *d, const gk_align_opts *o, gk_align **model, char *desc,
                   size_t cap)
{
    char spec[128];
    gk_k_choice how;
    if (o->method == GK_ALIGN_IDENTITY) {
        snprintf(desc, cap, "identity (rows as they are)");
        return GK_OK;
    }
    /* NULL groups: COMET k = auto matches items through rows they share */
    int rc = gk_transform_fit(o, (const gk_mat *const *)d->train, d->M, NULL, d->opts->seed,
                              model, &how);
    gk_k_choice_free(&how);
    GK_TRY(rc);
    snprintf(desc, cap, "%s%s%s, fitted on %lld train items", gk_align_opts_string(
             gk_align_get_opts(*model), spec, sizeof spec), *how.why ? "; " : "", how.why,
             (long long)d->train[0]->rows);
    return GK_OK;
}

int cmp_apply_measure(const cmp_data *d, const gk_align *model, gk_compare_row *row)
{
    gk_mat *T[GK_ALIGN_MAX_VIEWS] = {0};
    int rc = GK_OK;
    for (int v = 0; rc == GK_OK && model && v < d->M; v++)
        rc = gk_align_apply(model, v, d->test[v], &T[v]);
    if (rc == GK_OK)
        rc = cmp_measure(d, model, model ? T : (gk_mat *const *)d->test, row);
    for (int v = 0; v < d->M; v++) gk_mat_free(T[v]);
    return rc;
}

static int run_one(const cmp_data *d, const gk_align_opts *o, gk_compare_row *row)
{
    gk_align *model = NULL;
    int rc = fit_one(d, o, &model, row->desc, sizeof row->desc);
    if (rc == GK_OK) rc = cmp_apply_measure(d, model, row);
    gk_align_free(model);
    return rc;
}

/* Distinct classes among y (n,) in [0,C); 0 without labels. */
static int32_t count_classes(const int32_t *y, int64_t n, int32_t C)
{
    uint8_t *seen = y ? gk_calloc((size_t)C, 1) : NULL;
    int32_t k = 0;
    for (int64_t i = 0; seen && i < n; i++) {
        k += !seen[y[i]];
        seen[y[i]] = 1;
    }
    gk_free(seen);
    return k;
}

static void row_nan(gk_compare_row *r)
{
    r->gap = r->cos_true = r->r1 = r->r5 = r->map10 = r->zs_top1 = r->zs_top5 = NAN;
    r->vs_baseline = -1;
    grp_result_init(&r->groups);
}

/* r->merged: the test rows of each view that copy an earlier one. */
static int count_copies(const cmp_data *d, gk_compare_result *r)
{
    const int64_t n = d->test[0]->rows;
    int64_t *first = gk_malloc((size_t)(n ? n : 1) * sizeof *first), nd = n;
    GK_FAIL_IF(!first, GK_ENOMEM, "compare: out of memory");
    int rc = GK_OK;
    for (int v = 0; rc == GK_OK && v < d->M; v++) {
        rc = gk_mat_first_rows(d->test[v], first, &nd);
        r->merged[v] = n - nd;
    }
    gk_free(first);
    return rc;
}

int gk_compare_run(const gk_compare_input *in, const gk_align_opts *methods, int n_methods,
                   const gk_compare_opts *opts, gk_compare_result **out)
{
    GK_FAIL_IF(!out || !methods || n_methods < 1, GK_EARG, "compare: no transforms given");
    *out = NULL;
    GK_TRY(check_input(in, opts));
    GK_TRY(gk_compare_check_versus(methods, n_methods, opts)); /* before any fit */
    cmp_data d;
    gk_compare_result *r = gk_calloc(1, sizeof *r);
    int rc = r ? data_setup(in, opts, &d) : gk_set_error(GK_ENOMEM, "compare: out of memory");
    const int n_heads = opts->heads ? opts->n_heads : 0, n_rows = n_methods + n_heads;
    if (rc == GK_OK && !(r->rows = gk_calloc((size_t)n_rows, sizeof *r->rows)))
        rc = gk_set_error(GK_ENOMEM, "compare: out of memory");
    for (int m = 0; rc == GK_OK && m < n_rows; m++) {
        gk_compare_row *row = &r->rows[m];
        r->n_rows = m + 1;
        row_nan(row);
        cmp_row_name(methods, n_methods, opts, m, row->name, sizeof row->name);
        const int st = m < n_methods ? run_one(&d, &methods[m], row)
                                     : cmp_run_head(&d, &opts->heads[m - n_methods], row);
        row->ok = st == GK_OK;
        if (st == GK_ENOMEM) rc = st;
        if (st != GK_OK) snprintf(row->error, sizeof row->error, "%s", gk_last_error());
    }
    if (rc == GK_OK) {
        r->n_views = in->n_views;
        r->n_train = opts->split->n_train, r->n_test = opts->split->n_test;
        r->zs_candidates = in->prompts ? d.zs_c : 0;
        r->n_test_classes = count_classes(d.ytest, r->n_test, in->n_classes);
        snprintf(r->split, sizeof r->split, "%s", opts->split->desc);
        rc = count_copies(&d, r);
    }
    if (rc == GK_OK) {
        rc = cmp_significance(r, methods, n_methods, opts);
    }
    if (r) data_free(&d);
    if (rc != GK_OK) gk_compare_result_free(r);
    else *out = r;
    return rc;
}

void gk_compare_result_free(gk_compare_result *r)
{
    if (!r) return;
    for (int i = 0; i < r->n_rows; i++) {
        for (int q = 0; r->rows[i].pairs && q < r->rows[i].n_pairs; q++) {
            gk_compare_pair *p = &r->rows[i].pairs[q];
            gk_free(p->rank_a2b), gk_free(p->rank_b2a);
            gk_free(p->ap10_a2b), gk_free(p->ap10_b2a);
        }
        gk_free(r->rows[i].pairs);
        gk_free(r->rows[i].zs_hit);
    }
    for (int k = 0; r->tests && k < r->n_versus; k++) gk_free(r->tests[k].ranked);
    gk_free(r->tests);
    gk_free(r->rows);
    gk_free(r);
}
