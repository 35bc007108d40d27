/*
** report_fig_projection.c — figure (c): both modalities' rows projected to
** two dimensions, before and after the best transform, one scatter panel
** each.  Both axes of a panel use the same unit, so the distance between the
** two clouds (the modality gap) is not distorted; the line joins the two
** centroids.  Input: the "projection" section, {before, after} each holding
** {"x": [[a,b],…], "y": [[a,b],…]}.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_internal.h"

#define DOT_SIZE 3.2
#define PAD 0.06 /* share of the data span left empty around the clouds */

/* The two clouds of one panel: at most REPORT_MAX_POINTS rows each, plus the
** centroids of all rows. */
typedef struct cloud_pair {
    rseries x1, x2, y1, y2; /* view X: (x1, x2); view Y: (y1, y2) */
    double cx[2], cy[2];    /* centroid of view X and of view Y */
} cloud_pair;

/* Mean of the finite points of a [[a,b],…] array; NaN if there is none. */
static void points_mean(const json_t *a, double m[2])
{
    double s0 = 0, s1 = 0;
    int64_t n = 0;
    for (size_t i = 0; i < json_array_size(a); i++) {
        const json_t *p = json_array_get(a, i);
        double u = json_number_value(json_array_get(p, 0));
        double v = json_number_value(json_array_get(p, 1));
        if (!json_is_number(json_array_get(p, 0)) || !json_is_number(json_array_get(p, 1)) ||
            !isfinite(u) || !isfinite(v))
            continue;
        s0 += u;
        s1 += v;
        n++;
    }
    m[0] = n ? s0 / (double)n : NAN;
    m[1] = n ? s1 / (double)n : NAN;
}

static void clouds_free(cloud_pair *cp)
{
    rseries_free(&cp->x1);
    rseries_free(&cp->x2);
    rseries_free(&cp->y1);
    rseries_free(&cp->y2);
}

static int clouds_read(const json_t *panel, cloud_pair *cp)
{
    const json_t *x = rjson_arr(panel, "x"), *y = rjson_arr(panel, "y");
    memset(cp, 0, sizeof *cp);
    if (rseries_read_points(x, REPORT_MAX_POINTS, &cp->x1, &cp->x2) ||
        rseries_read_points(y, REPORT_MAX_POINTS, &cp->y1, &cp->y2)) {
        clouds_free(cp);
        return -1;
    }
    points_mean(x, cp->cx);
    points_mean(y, cp->cy);
    return 0;
}

/* Equal-unit scales that hold every finite point of both clouds; 0 if none. */
static int equal_unit_scales(svg_plot *p, const cloud_pair *cp)
{
    double lo[2] = {0, 0}, hi[2] = {0, 0};
    const rseries *coord[2][2] = {{&cp->x1, &cp->y1}, {&cp->x2, &cp->y2}};
    for (int d = 0; d < 2; d++) {
        int any = 0;
        for (int v = 0; v < 2; v++) {
            double l = 0, h = 0;
            if (!rseries_range(coord[d][v]->v, coord[d][v]->n, 0, &l, &h)) continue;
            lo[d] = any ? fmin(lo[d], l) : l;
            hi[d] = any ? fmax(hi[d], h) : h;
            any = 1;
        }
        if (!any) return 0;
    }
    double w = p->right - p->left, h = p->bottom - p->top;
    double span0 = fmax(hi[0] - lo[0], 1e-12), span1 = fmax(hi[1] - lo[1], 1e-12);
    double unit = fmax(span0 / w, span1 / h) * (1 + 2 * PAD); /* data units per user unit */
    double m0 = (lo[0] + hi[0]) / 2, m1 = (lo[1] + hi[1]) / 2;
    svg_scale_fixed(&p->x, m0 - unit * w / 2, m0 + unit * w / 2, p->left, p->right);
    svg_scale_fixed(&p->y, m1 - unit * h / 2, m1 + unit * h / 2, p->bottom, p->top);
    return 1;
}

static void scatter_panel(report_ctx *c, const char *title, const cloud_pair *cp)
{
    svg_plot p;
    report_panel_begin(c, title);
    svg_begin(&p, c->b, title);
    if (!equal_unit_scales(&p, cp)) {
        svg_empty(&p, "no finite points");
    } else {
        svg_axes(&p, "component 1", "component 2");
        svg_dots(&p, cp->x1.v, cp->x2.v, cp->x1.n, DOT_SIZE, "c-x op");
        svg_dots(&p, cp->y1.v, cp->y2.v, cp->y1.n, DOT_SIZE, "c-y op");
        double lx[2] = {cp->cx[0], cp->cy[0]}, ly[2] = {cp->cx[1], cp->cy[1]};
        svg_line(&p, lx, ly, 2, "c-n");
        svg_dots(&p, lx, ly, 2, 13, "c-n");
        svg_dots(&p, lx, ly, 1, 8, "c-x");
        svg_dots(&p, lx + 1, ly + 1, 1, 8, "c-y");
    }
    svg_end(&p);
    report_panel_end(c);
}

void report_fig_projection(report_ctx *c)
{
    const json_t *proj = rjson_obj(c->root, "projection");
    const json_t *before = rjson_obj(proj, "before"), *after = rjson_obj(proj, "after");
    if (!before && !after) return;
    const report_key keys[] = {{"c-x", 'd', c->name_x, 1},
                               {"c-y", 'd', c->name_y, 1},
                               {"c-n", 'l', "line between the centroids", 1}};
    report_card_begin(c, "fig-projection", "Both modalities in two dimensions", keys, 3);
    cloud_pair cp;
    char title[160];
    const char *tr = rjson_str(proj, "after_transform");
    const json_t *panels[2] = {before, after};
    for (int i = 0; i < 2; i++) {
        if (!panels[i]) continue;
        if (clouds_read(panels[i], &cp)) {
            c->oom = 1;
            break;
        }
        if (i == 0) snprintf(title, sizeof title, "Before: the raw embeddings");
        else snprintf(title, sizeof title, "After: %s", tr ? tr : "the best transform");
        scatter_panel(c, title, &cp);
        clouds_free(&cp);
    }
    const char *method = rjson_str(proj, "method");
    char detail[200];
    snprintf(detail, sizeof detail, "Projection: %s.", method ? method : "not stated");
    report_card_end(c,
                    "<b>How to read.</b> Each dot is one row (at most 2000 per modality, "
                    "evenly spaced), projected to two dimensions; both axes use the same unit. "
                    "Two separate clouds with a long line between their centroids is the "
                    "modality gap; after a transform that closes it, the clouds overlap.",
                    detail);
}
