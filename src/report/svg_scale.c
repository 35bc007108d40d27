/*
** svg_scale.c — data → SVG user-unit mappings and their ticks: linear
** scales with "nice" steps (1, 2 or 5 × 10^e, about five ticks) and log10
** scales on whole decades.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_internal.h"

#define TARGET_TICKS 5
#define MAX_DECADE_TICKS 6

/* The 1-2-5 step closest to range / TARGET_TICKS. */
static double nice_step(double range)
{
    double raw = range / TARGET_TICKS;
    double mag = pow(10.0, floor(log10(raw)));
    double f = raw / mag;
    return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}

/* A usable finite interval: [v-½, v+½] around a single value, [0,1] if none. */
static void sane_interval(double *lo, double *hi)
{
    if (!isfinite(*lo) || !isfinite(*hi)) *lo = 0, *hi = 1;
    if (*hi < *lo) {
        double t = *lo;
        *lo = *hi;
        *hi = t;
    }
    if (*hi - *lo <= 1e-12 * (fabs(*lo) + fabs(*hi)) || *hi == *lo) {
        double pad = *lo != 0 ? fabs(*lo) * 0.5 : 0.5;
        *lo -= pad;
        *hi += pad;
    }
}

void svg_scale_fixed(svg_scale *s, double lo, double hi, double r0, double r1)
{
    sane_interval(&lo, &hi);
    s->d0 = lo;
    s->d1 = hi;
    s->r0 = r0;
    s->r1 = r1;
    s->step = nice_step(hi - lo);
    s->log = 0;
}

void svg_scale_lin(svg_scale *s, double lo, double hi, double r0, double r1)
{
    sane_interval(&lo, &hi);
    double step = nice_step(hi - lo);
    svg_scale_fixed(s, floor(lo / step + 1e-9) * step, ceil(hi / step - 1e-9) * step, r0, r1);
    s->step = step;
}

void svg_scale_log(svg_scale *s, double lo, double hi, double r0, double r1)
{
    if (!(lo > 0) || !isfinite(lo)) lo = 1;
    if (!(hi >= lo) || !isfinite(hi)) hi = lo;
    double e0 = floor(log10(lo) + 1e-9), e1 = ceil(log10(hi) - 1e-9);
    if (e1 <= e0) e1 = e0 + 1;
    s->d0 = pow(10.0, e0);
    s->d1 = pow(10.0, e1);
    s->r0 = r0;
    s->r1 = r1;
    s->step = 0;
    s->log = 1;
}

double svg_map(const svg_scale *s, double v)
{
    if (!isfinite(v) || (s->log && v <= 0)) return NAN;
    double t = s->log ? (log10(v) - log10(s->d0)) / (log10(s->d1) - log10(s->d0))
                      : (v - s->d0) / (s->d1 - s->d0);
    return s->r0 + t * (s->r1 - s->r0);
}

int svg_ticks(const svg_scale *s, double *t, int cap)
{
    int n = 0;
    if (s->log) {
        int e0 = (int)lround(log10(s->d0)), e1 = (int)lround(log10(s->d1));
        int every = (e1 - e0 + MAX_DECADE_TICKS - 1) / MAX_DECADE_TICKS;
        for (int e = e0; e <= e1 && n < cap; e += every) t[n++] = pow(10.0, e);
        return n;
    }
    double first = ceil(s->d0 / s->step - 1e-9);
    for (double k = first; n < cap; k++) {
        double v = k * s->step;
        if (v > s->d1 + 1e-9 * s->step) break;
        t[n++] = fabs(v) < 1e-9 * s->step ? 0.0 : v;
    }
    return n;
}

/* "10" followed by e in superscript digits (UTF-8), e.g. 10⁻⁵. */
static void power_label(int e, char *out, size_t cap)
{
    static const char *const sup[10] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
    char digits[16];
    snprintf(digits, sizeof digits, "%d", e < 0 ? -e : e);
    snprintf(out, cap, "10%s", e < 0 ? "⁻" : "");
    for (const char *d = digits; *d; d++) strncat(out, sup[*d - '0'], cap - strlen(out) - 1);
}

void svg_tick_label(const svg_scale *s, double v, char *out, size_t cap)
{
    if (s->log) {
        int e = (int)lround(log10(v));
        if (e >= -2 && e <= 3) snprintf(out, cap, "%g", pow(10.0, e));
        else power_label(e, out, cap);
        return;
    }
    int decimals = s->step >= 1 ? 0 : (int)ceil(-log10(s->step) - 1e-9);
    if (fabs(v) >= 1e6) snprintf(out, cap, "%.3g", v);
    else snprintf(out, cap, "%.*f", decimals, v);
}
