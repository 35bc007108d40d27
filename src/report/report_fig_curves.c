/*
** report_fig_curves.c — the line figures of the report: (d) the NNGS
** spectrum, normalised NNGS against the neighbourhood size k on a log axis,
** and (e) the embedding-shift sweep, the gap and the task metrics against λ.
** Inputs: the "nngs_spectrum" and "nngs" sections, and "shift_sweep".
*/
#include <math.h>
#include <stdio.h>

#include "report_internal.h"

#define MAX_METRICS 6

/* Colour class of metric i of the sweep (the gap itself is c-x). */
static const char *const sweep_colours[MAX_METRICS] = {"c-g", "c-k", "c-p", "c-s", "c-y", "c-n"};

static void nngs_panel(report_ctx *c, const rseries *k, const rseries *v, const rseries *pk,
                       const rseries *pv)
{
    svg_plot p;
    double klo = 1, khi = 1, lo = 0, hi = 1, l = 0, h = 0;
    report_panel_begin(c, "Normalised NNGS by neighbourhood size");
    svg_begin(&p, c->b, "Normalised NNGS against k");
    int64_t nk = rseries_range(k->v, k->n, 1, &klo, &khi);
    if (!nk && !rseries_range(pk->v, pk->n, 1, &klo, &khi)) {
        svg_empty(&p, "no neighbourhood sizes");
    } else {
        if (rseries_range(pk->v, pk->n, 1, &l, &h)) klo = fmin(klo, l), khi = fmax(khi, h);
        if (rseries_range(v->v, v->n, 0, &l, &h)) lo = fmin(lo, l), hi = fmax(hi, h);
        if (rseries_range(pv->v, pv->n, 0, &l, &h)) lo = fmin(lo, l), hi = fmax(hi, h);
        svg_scale_log(&p.x, klo, khi, p.left, p.right);
        svg_scale_lin(&p.y, lo, fmin(hi, 1), p.bottom, p.top);
        svg_axes(&p, "neighbours k (log scale)", "normalised NNGS");
        svg_hline(&p, 0, "chance", "c-n");
        svg_line(&p, k->v, v->v, k->n < v->n ? k->n : v->n, "c-x");
        svg_dots(&p, pk->v, pv->v, pk->n < pv->n ? pk->n : pv->n, 8, "c-k");
    }
    svg_end(&p);
    report_panel_end(c);
}

void report_fig_nngs(report_ctx *c)
{
    const json_t *spec = rjson_obj(c->root, "nngs_spectrum"), *at = rjson_obj(c->root, "nngs");
    rseries k = {0}, v = {0}, pk = {0}, pv = {0};
    if (!spec && !at) return;
    if (rseries_read(rjson_arr(spec, "k"), &k) || rseries_read(rjson_arr(spec, "nngs"), &v) ||
        rseries_read(rjson_arr(at, "k"), &pk) || rseries_read(rjson_arr(at, "nngs"), &pv)) {
        c->oom = 1;
        goto done;
    }
    if (!k.n && !pk.n) goto done;
    const report_key keys[] = {{"c-x", 'l', "NNGS spectrum", k.n > 0},
                               {"c-k", 'd', "NNGS at the reported k", pk.n > 0},
                               {"c-n", 'm', "chance level", 1}};
    report_card_begin(c, "fig-nngs", "Neighbourhood agreement (NNGS spectrum)", keys, 3);
    nngs_panel(c, &k, &v, &pk, &pv);
    const char *dist = rjson_str(at, "distance");
    char detail[96];
    snprintf(detail, sizeof detail, "Neighbours by %s distance.", dist ? dist : "an unstated");
    report_card_end(c,
                    "<b>How to read.</b> For each k, the overlap (Jaccard) of every row's k "
                    "nearest neighbours in X and in Y, rescaled so that 0 is chance and 1 is the "
                    "same graph. High at small k: the two spaces agree on close neighbours; "
                    "high only at large k: they agree on the coarse layout.",
                    detail);
done:
    rseries_free(&k);
    rseries_free(&v);
    rseries_free(&pk);
    rseries_free(&pv);
}

/* The metric series of shift_sweep.metrics, in document order. */
typedef struct sweep_metrics {
    rseries s[MAX_METRICS];
    const char *key[MAX_METRICS];
    int n;
} sweep_metrics;

static int sweep_metrics_read(const json_t *metrics, sweep_metrics *m)
{
    const char *key;
    const json_t *val;
    m->n = 0;
    json_object_foreach((json_t *)metrics, key, val)
    {
        if (m->n == MAX_METRICS || !json_is_array(val)) continue;
        if (rseries_read(val, &m->s[m->n])) return -1;
        m->key[m->n++] = key;
    }
    return 0;
}

static void sweep_panel(report_ctx *c, const char *title, const rseries *lambda,
                        const rseries *ys, int ny, const char *ylabel)
{
    svg_plot p;
    double xlo = 0, xhi = 1, lo = 0, hi = 0, l, h;
    int found = 0;
    report_panel_begin(c, title);
    svg_begin(&p, c->b, title);
    rseries_range(lambda->v, lambda->n, 0, &xlo, &xhi);
    for (int i = 0; i < ny; i++)
        if (rseries_range(ys[i].v, ys[i].n, 0, &l, &h))
            lo = found ? fmin(lo, l) : l, hi = found ? fmax(hi, h) : h, found = 1;
    if (!found) {
        svg_empty(&p, "no values");
    } else {
        svg_scale_lin(&p.x, xlo, xhi, p.left, p.right);
        svg_scale_lin(&p.y, fmin(lo, 0), hi, p.bottom, p.top);
        svg_axes(&p, "shift λ", ylabel);
        for (int i = 0; i < ny; i++) {
            const char *cls = ny == 1 ? "c-x" : sweep_colours[i];
            int64_t n = ys[i].n < lambda->n ? ys[i].n : lambda->n;
            svg_line(&p, lambda->v, ys[i].v, n, cls);
            svg_dots(&p, lambda->v, ys[i].v, n, 6, cls);
        }
    }
    svg_end(&p);
    report_panel_end(c);
}

void report_fig_sweep(report_ctx *c)
{
    const json_t *sw = rjson_obj(c->root, "shift_sweep");
    rseries lambda = {0}, gap = {0};
    sweep_metrics m = {0};
    if (!sw) return;
    if (rseries_read(rjson_arr(sw, "lambda"), &lambda) ||
        rseries_read(rjson_arr(sw, "gap"), &gap) ||
        sweep_metrics_read(rjson_obj(sw, "metrics"), &m)) {
        c->oom = 1;
        goto done;
    }
    if (!lambda.n) goto done;
    report_key keys[MAX_METRICS + 1] = {{"c-x", 'l', "gap ‖μx − μy‖", gap.n > 0}};
    for (int i = 0; i < m.n; i++)
        keys[i + 1] = (report_key){sweep_colours[i], 'l', report_metric_label(c, m.key[i]), 1};
    report_card_begin(c, "fig-sweep", "Closing the gap step by step (embedding shift)", keys,
                      m.n + 1);
    if (gap.n) sweep_panel(c, "Gap along the shift", &lambda, &gap, 1, "gap");
    if (m.n) sweep_panel(c, "Task metrics along the shift", &lambda, m.s, m.n, "metric");
    report_card_end(c,
                    "<b>How to read.</b> Each modality is moved λ/2 along the gap direction "
                    "towards the other and renormalised: λ = 0 is the raw data, λ = 1 removes "
                    "the centroid gap. Left: the gap that remains; right: how the task metrics "
                    "respond (instance tasks such as retrieval often barely move, group tasks "
                    "such as clustering can improve).",
                    NULL);
done:
    rseries_free(&lambda);
    rseries_free(&gap);
    for (int i = 0; i < MAX_METRICS; i++) rseries_free(&m.s[i]);
}
