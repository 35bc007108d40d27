/*
** report_fig_comet.c — the two COMET figures of the report: (a) the
** singular spectrum σⱼ (log scale) beside the cumulative net contribution,
** with the chosen k marked, and (b) per-axis alignment alignⱼ and
** correlation corrⱼ over the leading axes.  Input: the "comet" section.
*/
#include <math.h>
#include <stdio.h>

#include "report_internal.h"

#define AXES_SHOWN 64
#define SIGMA_DECADES 1e-8 /* σ below max·1e-8 is numerical zero: not drawn */

/* The k marker of every COMET panel, when k is a positive number. */
static void k_marker(svg_plot *p, double k)
{
    char label[40];
    if (!(k >= 1)) return;
    snprintf(label, sizeof label, "k = %.0f", k);
    svg_vline(p, k, label, "c-n");
}

/* The smallest σ not below hi·SIGMA_DECADES: smaller ones are numerical
** zeros and would stretch the log axis over empty decades. */
static double sigma_floor(const rseries *sigma, double hi)
{
    double lo = hi;
    for (int64_t j = 0; j < sigma->n; j++)
        if (sigma->v[j] >= hi * SIGMA_DECADES && sigma->v[j] < lo) lo = sigma->v[j];
    return lo;
}

static void sigma_panel(report_ctx *c, const rseries *axis, const rseries *sigma, double k)
{
    svg_plot p;
    double lo = 0, hi = 0;
    report_panel_begin(c, "Singular values σⱼ (log scale)");
    svg_begin(&p, c->b, "Singular values of the COMET cross-covariance by axis");
    svg_scale_fixed(&p.x, 1, (double)sigma->n, p.left, p.right);
    if (!rseries_range(sigma->v, sigma->n, 1, &lo, &hi)) {
        svg_empty(&p, "no positive singular values");
    } else {
        svg_scale_log(&p.y, sigma_floor(sigma, hi), hi, p.bottom, p.top);
        svg_axes(&p, "axis j", "σⱼ");
        svg_line(&p, axis->v, sigma->v, sigma->n, "c-x");
        if (sigma->n <= 80) svg_dots(&p, axis->v, sigma->v, sigma->n, 5, "c-x");
        k_marker(&p, k);
    }
    svg_end(&p);
    report_panel_end(c);
}

static void net_panel(report_ctx *c, const rseries *axis, const rseries *net, double k)
{
    svg_plot p;
    double lo = 0, hi = 1;
    char label[48];
    report_panel_begin(c, "Cumulative net contribution");
    svg_begin(&p, c->b, "Cumulative share of the true-pair similarity by axis");
    svg_scale_fixed(&p.x, 1, (double)net->n, p.left, p.right);
    rseries_range(net->v, net->n, 0, &lo, &hi);
    svg_scale_lin(&p.y, fmin(lo, 0), fmax(hi, 1), p.bottom, p.top);
    svg_axes(&p, "axis j", "share of Σ netⱼ");
    svg_line(&p, axis->v, net->v, net->n, "c-g");
    k_marker(&p, k);
    if (k >= 1 && k <= (double)net->n && isfinite(net->v[(int64_t)k - 1])) {
        snprintf(label, sizeof label, "%.0f %% at k", 100 * net->v[(int64_t)k - 1]);
        svg_hline(&p, net->v[(int64_t)k - 1], label, "c-g");
    }
    svg_end(&p);
    report_panel_end(c);
}

void report_fig_spectrum(report_ctx *c)
{
    const json_t *comet = rjson_obj(c->root, "comet");
    rseries sigma = {0}, net = {0}, axis = {0};
    if (!comet) return;
    if (rseries_read(rjson_arr(comet, "sigma"), &sigma) ||
        rseries_read(rjson_arr(comet, "net_cum"), &net) ||
        rseries_iota(&axis, sigma.n > net.n ? sigma.n : net.n)) {
        c->oom = 1;
        goto done;
    }
    if (!axis.n) goto done;
    double k = rjson_num(comet, "k");
    const report_key keys[] = {{"c-x", 'l', "σⱼ", sigma.n > 0},
                               {"c-g", 'l', "cumulative net contribution", net.n > 0},
                               {"c-n", 'm', "k shared axes kept", k >= 1}};
    report_card_begin(c, "fig-spectrum", "Shared axes: the COMET spectrum", keys, 3);
    if (sigma.n) sigma_panel(c, &axis, &sigma, k);
    if (net.n) net_panel(c, &axis, &net, k);
    char detail[320];
    const char *rule = rjson_str(comet, "k_rule");
    snprintf(detail, sizeof detail, "Rule for k: %s.", rule ? rule : "not stated");
    report_card_end(c,
                    "<b>How to read.</b> Left: σⱼ, the paired (cross-)covariance that COMET "
                    "axis j carries, on a log scale; a sharp drop separates shared concepts from "
                    "noise. Right: the share of the true-pair similarity carried by the first j "
                    "axes (netⱼ = σⱼ·alignⱼ, summed). The dashed line marks the k axes kept as "
                    "shared.",
                    detail);
done:
    rseries_free(&sigma);
    rseries_free(&net);
    rseries_free(&axis);
}

/* Lowest and highest finite value of both series (at least [0,1]). */
static void axes_range(const rseries *a, const rseries *b, int64_t m, double *lo, double *hi)
{
    *lo = 0;
    *hi = 1;
    double l = 0, h = 0;
    if (rseries_range(a->v, a->n < m ? a->n : m, 0, &l, &h)) *lo = fmin(*lo, l), *hi = fmax(*hi, h);
    if (rseries_range(b->v, b->n < m ? b->n : m, 0, &l, &h)) *lo = fmin(*lo, l), *hi = fmax(*hi, h);
}

void report_fig_axes(report_ctx *c)
{
    const json_t *comet = rjson_obj(c->root, "comet");
    rseries align = {0}, corr = {0}, axis = {0};
    if (!comet) return;
    if (rseries_read(rjson_arr(comet, "align"), &align) ||
        rseries_read(rjson_arr(comet, "corr"), &corr) || rseries_iota(&axis, AXES_SHOWN)) {
        c->oom = 1;
        goto done;
    }
    int64_t total = align.n > corr.n ? align.n : corr.n;
    int64_t m = total < AXES_SHOWN ? total : AXES_SHOWN;
    if (!m) goto done;
    const report_key keys[] = {{"c-s", 'b', "alignⱼ = uⱼ·vⱼ", align.n > 0},
                               {"c-k", 'l', "corrⱼ", corr.n > 0},
                               {"c-n", 'm', "k", rjson_num(comet, "k") >= 1}};
    report_card_begin(c, "fig-axes", "Alignment and correlation of each axis", keys, 3);
    report_panel_begin(c, "Leading axes");
    svg_plot p;
    double lo, hi;
    svg_begin(&p, c->b, "Per-axis alignment (bars) and correlation (line)");
    axes_range(&align, &corr, m, &lo, &hi);
    svg_scale_fixed(&p.x, 0.5, (double)m + 0.5, p.left, p.right);
    svg_scale_lin(&p.y, lo, hi, p.bottom, p.top);
    svg_axes(&p, "axis j", "value");
    svg_bars(&p, axis.v, align.v, align.n < m ? align.n : m, "c-s");
    svg_line(&p, axis.v, corr.v, corr.n < m ? corr.n : m, "c-k");
    svg_dots(&p, axis.v, corr.v, corr.n < m ? corr.n : m, 5, "c-k");
    k_marker(&p, rjson_num(comet, "k"));
    svg_end(&p);
    report_panel_end(c);
    char detail[96];
    snprintf(detail, sizeof detail, "Showing the first %lld of %lld axes.", (long long)m,
             (long long)total);
    report_card_end(c,
                    "<b>How to read.</b> Bars: alignⱼ, the cosine between the paired X and Y "
                    "axes (1 = the same direction in the shared space). Line: corrⱼ, the "
                    "correlation of the paired coordinates over the fit pairs. An axis that "
                    "carries a concept both modalities share has both high.",
                    detail);
done:
    rseries_free(&align);
    rseries_free(&corr);
    rseries_free(&axis);
}
