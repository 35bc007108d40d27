/*
** svg_draw.c — the SVG marks of a report panel: axes with grid and ticks,
** lines, dots, bars, marker lines and labels.  Colours come from CSS classes
** (report_html.c), so the markup stays small and the palette lives in one
** place.  A point that is not finite, or falls outside the data area, is
** never written: the page cannot contain "nan" coordinates.
*/
#include <math.h>
#include <stdio.h>

#include "report_internal.h"

#define MARGIN_LEFT 66.0
#define MARGIN_RIGHT 22.0
#define MARGIN_TOP 14.0
#define MARGIN_BOTTOM 48.0
#define MAX_TICKS 16

void svg_begin(svg_plot *p, rbuf *b, const char *title)
{
    p->b = b;
    p->w = PANEL_W;
    p->h = PANEL_H;
    p->left = MARGIN_LEFT;
    p->right = PANEL_W - MARGIN_RIGHT;
    p->top = MARGIN_TOP;
    p->bottom = PANEL_H - MARGIN_BOTTOM;
    rbuf_printf(b, "<svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"", p->w, p->h);
    rbuf_escape(b, title);
    rbuf_puts(b, "\">");
}

void svg_end(svg_plot *p) { rbuf_puts(p->b, "</svg>\n"); }

/* *px, *py = the user-unit position of (x, y); 0 if it is not drawable. */
static int svg_place(const svg_plot *p, double x, double y, double *px, double *py)
{
    const double tol = 0.5;
    *px = svg_map(&p->x, x);
    *py = svg_map(&p->y, y);
    return isfinite(*px) && isfinite(*py) && *px >= p->left - tol && *px <= p->right + tol &&
           *py >= p->top - tol && *py <= p->bottom + tol;
}

static void svg_text(svg_plot *p, double x, double y, const char *cls, const char *anchor,
                     const char *text)
{
    rbuf_printf(p->b, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", cls, x, y,
                anchor);
    rbuf_escape(p->b, text);
    rbuf_puts(p->b, "</text>");
}

static void svg_axis_ticks(svg_plot *p, const svg_scale *s, int vertical)
{
    double t[MAX_TICKS];
    char label[48];
    int n = svg_ticks(s, t, MAX_TICKS);
    for (int i = 0; i < n; i++) {
        double u = svg_map(s, t[i]);
        if (!isfinite(u)) continue;
        svg_tick_label(s, t[i], label, sizeof label);
        if (vertical) {
            rbuf_printf(p->b, "<path class=\"grid\" d=\"M%.1f %.1fH%.1f\"/>", p->left, u, p->right);
            svg_text(p, p->left - 7, u + 4.5, "tk", "end", label);
        } else {
            rbuf_printf(p->b, "<path class=\"grid\" d=\"M%.1f %.1fV%.1f\"/>", u, p->top, p->bottom);
            rbuf_printf(p->b, "<path class=\"axis\" d=\"M%.1f %.1fv5\"/>", u, p->bottom);
            svg_text(p, u, p->bottom + 19, "tk", "middle", label);
        }
    }
}

void svg_axes(svg_plot *p, const char *xlabel, const char *ylabel)
{
    svg_axis_ticks(p, &p->y, 1);
    svg_axis_ticks(p, &p->x, 0);
    rbuf_printf(p->b, "<path class=\"axis\" d=\"M%.1f %.1fV%.1fH%.1f\"/>", p->left, p->top,
                p->bottom, p->right);
    svg_text(p, (p->left + p->right) / 2, p->h - 8, "al", "middle", xlabel);
    double cy = (p->top + p->bottom) / 2;
    rbuf_printf(p->b, "<text class=\"al\" transform=\"translate(15 %.1f) rotate(-90)\" "
                      "text-anchor=\"middle\">", cy);
    rbuf_escape(p->b, ylabel);
    rbuf_puts(p->b, "</text>");
}

void svg_line(svg_plot *p, const double *x, const double *y, int64_t n, const char *cls)
{
    int open = 0, pen_down = 0;
    for (int64_t i = 0; i < n; i++) {
        double px, py;
        if (!svg_place(p, x[i], y[i], &px, &py)) {
            pen_down = 0;
            continue;
        }
        if (!open) rbuf_printf(p->b, "<path class=\"ln %s\" d=\"", cls);
        open = 1;
        rbuf_printf(p->b, "%s%.1f %.1f", pen_down ? "L" : "M", px, py);
        pen_down = 1;
    }
    if (open) rbuf_puts(p->b, "\"/>");
}

void svg_dots(svg_plot *p, const double *x, const double *y, int64_t n, double size,
              const char *cls)
{
    int open = 0;
    for (int64_t i = 0; i < n; i++) {
        double px, py;
        if (!svg_place(p, x[i], y[i], &px, &py)) continue;
        if (!open)
            rbuf_printf(p->b, "<path class=\"dt %s\" stroke-width=\"%.1f\" d=\"", cls, size);
        open = 1;
        /* a zero-length segment with round caps is a dot: ~14 bytes a point */
        rbuf_printf(p->b, "M%.1f %.1fh0", px, py);
    }
    if (open) rbuf_puts(p->b, "\"/>");
}

void svg_bars(svg_plot *p, const double *x, const double *y, int64_t n, const char *cls)
{
    double base_v = p->y.log ? p->y.d0 : (p->y.d0 > 0 ? p->y.d0 : p->y.d1 < 0 ? p->y.d1 : 0);
    double base = svg_map(&p->y, base_v);
    double half = 0.36 * fabs(svg_map(&p->x, p->x.d0 + 1) - svg_map(&p->x, p->x.d0));
    int open = 0;
    for (int64_t i = 0; i < n; i++) {
        double px, py;
        if (!svg_place(p, x[i], y[i], &px, &py)) continue;
        if (!open) rbuf_printf(p->b, "<path class=\"br %s\" d=\"", cls);
        open = 1;
        rbuf_printf(p->b, "M%.1f %.1fV%.1fH%.1fV%.1fZ", px - half, base, py, px + half, base);
    }
    if (open) rbuf_puts(p->b, "\"/>");
}

void svg_vline(svg_plot *p, double x, const char *label, const char *cls)
{
    double px = svg_map(&p->x, x);
    if (!isfinite(px) || px < p->left || px > p->right) return;
    rbuf_printf(p->b, "<path class=\"mk %s\" d=\"M%.1f %.1fV%.1f\"/>", cls, px, p->top, p->bottom);
    if (!label) return;
    char cls_text[48];
    snprintf(cls_text, sizeof cls_text, "ml %s", cls);
    int right_side = px < (p->left + p->right) / 2;
    svg_text(p, px + (right_side ? 5 : -5), p->top + 14, cls_text, right_side ? "start" : "end",
             label);
}

void svg_hline(svg_plot *p, double y, const char *label, const char *cls)
{
    double py = svg_map(&p->y, y);
    if (!isfinite(py) || py < p->top || py > p->bottom) return;
    rbuf_printf(p->b, "<path class=\"mk %s\" d=\"M%.1f %.1fH%.1f\"/>", cls, p->left, py, p->right);
    char cls_text[48];
    snprintf(cls_text, sizeof cls_text, "ml %s", cls);
    if (label) svg_text(p, p->right - 4, py - 5, cls_text, "end", label);
}

void svg_empty(svg_plot *p, const char *why)
{
    svg_text(p, p->w / 2, p->h / 2, "al", "middle", why);
}
