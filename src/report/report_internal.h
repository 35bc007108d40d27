/*
** report_internal.h — the pieces the HTML report renderer is built from:
** a growing text buffer, reading numbers out of report.json, SVG scales and
** marks, and one function per figure or table.  Not installed.
**
** Coordinates: every SVG panel has a viewBox of PANEL_W × PANEL_H user units
** and is scaled by CSS to the width of its card, so text sizes are chosen in
** user units to stay legible from a 390 px phone to a 1280 px screen.
*/
#ifndef GAPKIT_REPORT_INTERNAL_H
#define GAPKIT_REPORT_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "gapkit/core.h"
#include "gapkit/report.h"

#define PANEL_W 440.0
#define PANEL_H 290.0
#define REPORT_MAX_POINTS 2000 /* scatter rows drawn per modality per panel */

/*====  text buffer (report_buf.c)  ====*/
/* A NUL-terminated string that grows by doubling.  An allocation failure is
** sticky: later appends do nothing and rbuf_take() reports GK_ENOMEM, so
** the drawing code need not check every append. */
typedef struct rbuf {
    char *s;
    size_t len, cap;
    int failed;
} rbuf;

void rbuf_init(rbuf *b);
void rbuf_free(rbuf *b);
void rbuf_puts(rbuf *b, const char *text);
void rbuf_printf(rbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends text with & < > " ' replaced by entities (HTML and SVG text). */
void rbuf_escape(rbuf *b, const char *text);
/* Appends a number for a person: "–" for NaN/Inf, else 4 significant digits
** (no exponent below 10⁴). */
void rbuf_number(rbuf *b, double v);
/* Appends v with a fixed number of decimals ("–" for NaN/Inf, never "-0"). */
void rbuf_decimal(rbuf *b, double v, int decimals);
/* *out = the text (gk_malloc memory, caller frees with gk_free); b is reset.
** @return : GK_OK, or GK_ENOMEM if an append failed. */
int rbuf_take(rbuf *b, char **out);

/*====  reading report.json (report_data.c)  ====*/
/* A numeric array read from JSON: null and non-numbers become NaN. */
typedef struct rseries {
    double *v; /* (n,) gk_malloc memory; NULL when n == 0 */
    int64_t n;
} rseries;

/* *s = the numbers of the JSON array `a` (anything else gives n = 0).
** @return : GK_OK, GK_ENOMEM. */
int rseries_read(const json_t *a, rseries *s);
void rseries_free(rseries *s);
/* *s = 1, 2, …, n (axis numbers as x values).  @return : GK_OK, GK_ENOMEM. */
int rseries_iota(rseries *s, int64_t n);
/* Points [[a,b],…] → xs, ys (n,); at most `max` rows, picked at a fixed
** stride so the same input always gives the same subset.  @return : GK_OK,
** GK_ENOMEM. */
int rseries_read_points(const json_t *a, int64_t max, rseries *xs, rseries *ys);
/* The value of obj[key] as a double; NaN when absent, null or not a number
** (a present value of another type is noted, see rjson_type_error). */
double rjson_num(const json_t *obj, const char *key);
/* obj[key] if it is a string, else NULL (borrowed from obj). */
const char *rjson_str(const json_t *obj, const char *key);
/* obj[key] if it is an object / an array, else NULL (borrowed). */
const json_t *rjson_obj(const json_t *obj, const char *key);
const json_t *rjson_arr(const json_t *obj, const char *key);
/* Forget the mistyped values noted so far (at the start of a render). */
void rjson_type_reset(void);
/* GK_OK, or GK_EFORMAT naming the first value read since the reset that was
** present but of another type than expected ("doc: \"gap\" is a string,
** expected a number"). */
int rjson_type_error(const char *doc);
/* min and max of the finite values of v[0..n) (only those > 0 if positive);
** @return : the number of such values (0 leaves lo, hi unchanged). */
int64_t rseries_range(const double *v, int64_t n, int positive, double *lo, double *hi);

/*====  scales (svg_scale.c)  ====*/
/* Maps a data interval [d0,d1] onto user units [r0,r1], linearly or in log10. */
typedef struct svg_scale {
    double d0, d1, r0, r1;
    double step; /* linear tick step; 0 on a log scale */
    int log;
} svg_scale;

/* Widens [lo,hi] to "nice" tick boundaries (1, 2, 5 × 10^e steps; whole
** decades for log) and sets the mapping onto [r0,r1].  lo = hi, or no finite
** range, gives a unit-wide interval around the value. */
void svg_scale_lin(svg_scale *s, double lo, double hi, double r0, double r1);
void svg_scale_log(svg_scale *s, double lo, double hi, double r0, double r1);
/* A linear mapping of exactly [lo,hi] (no widening), ticks still nice. */
void svg_scale_fixed(svg_scale *s, double lo, double hi, double r0, double r1);
/* User-unit position of v; NaN when v is not finite, or ≤ 0 on a log scale. */
double svg_map(const svg_scale *s, double v);
/* Tick values inside the domain into t[0..cap); @return : their count. */
int svg_ticks(const svg_scale *s, double *t, int cap);
/* A tick label: as many decimals as the step needs; 10^e for log scales. */
void svg_tick_label(const svg_scale *s, double v, char *out, size_t cap);

/*====  SVG marks (svg_draw.c)  ====*/
/* One plot: a viewBox of w × h units with the data area inset by margins. */
typedef struct svg_plot {
    rbuf *b;
    double w, h;
    double left, top, right, bottom; /* the data area, user units */
    svg_scale x, y;
} svg_plot;

/* Opens <svg> with a viewBox and an accessible name (escaped); sets the data
** area to the default margins.  Scales are set afterwards by the caller. */
void svg_begin(svg_plot *p, rbuf *b, const char *title);
void svg_end(svg_plot *p);
/* Grid lines, ticks, tick labels, the frame and the two axis titles. */
void svg_axes(svg_plot *p, const char *xlabel, const char *ylabel);
/* A line through (x_i, y_i), broken where a point is not drawable; `cls`
** is the CSS class that colours it. */
void svg_line(svg_plot *p, const double *x, const double *y, int64_t n, const char *cls);
/* A round dot of diameter `size` at every drawable point, one <path>. */
void svg_dots(svg_plot *p, const double *x, const double *y, int64_t n, double size,
              const char *cls);
/* Vertical bars from 0 (or the edge of the domain nearest 0) to y_i at x_i;
** x_i are meant to be whole numbers: a bar is 0.72 x-units wide. */
void svg_bars(svg_plot *p, const double *x, const double *y, int64_t n, const char *cls);
/* A dashed marker line across the data area at x (vertical) or y
** (horizontal), with an optional label beside it. */
void svg_vline(svg_plot *p, double x, const char *label, const char *cls);
void svg_hline(svg_plot *p, double y, const char *label, const char *cls);
/* "No data" written across an empty data area. */
void svg_empty(svg_plot *p, const char *why);

/*====  page pieces  ====*/
/* What every figure needs: the output, the names of the two views, and a
** sticky allocation-failure flag (the page is dropped if it is set). */
typedef struct report_ctx {
    rbuf *b;
    const json_t *root;
    const char *name_x, *name_y; /* borrowed from root; never NULL */
    int oom;
} report_ctx;

/* One legend entry: a swatch of colour class `cls` drawn as a line ('l'), a
** dot ('d'), a bar ('b') or a dashed marker ('m'), and its label (escaped);
** left out unless `shown` (the figure has no such mark). */
typedef struct report_key {
    const char *cls;
    char kind;
    const char *label;
    int shown;
} report_key;

/* Card frame (report_html.c): a <section> with a heading and a legend, then
** a grid of panels, then the caption that says how to read the figure:
** `caption` is trusted markup written as is, `detail` (may be NULL) is text
** from the document, escaped and appended after it. */
void report_card_begin(report_ctx *c, const char *id, const char *title, const report_key *keys,
                       int nkeys);
void report_card_end(report_ctx *c, const char *caption, const char *detail);
void report_panel_begin(report_ctx *c, const char *title);
void report_panel_end(report_ctx *c);

/* Header, inputs and the key numbers (report_summary.c). */
void report_summary(report_ctx *c);
/* Figures a–e (report_fig_comet.c, report_fig_projection.c,
** report_fig_curves.c); each draws nothing when its section is absent. */
void report_fig_spectrum(report_ctx *c);
void report_fig_axes(report_ctx *c);
void report_fig_projection(report_ctx *c);
void report_fig_nngs(report_ctx *c);
void report_fig_sweep(report_ctx *c);
/* Tables f and g (report_table.c). */
void report_table_compare(report_ctx *c);
void report_table_top_items(report_ctx *c);
/* The named pairs of rows tested against each other, under the comparison
** table (report_table_versus.c); cols: the table's columns. */
void report_table_versus(report_ctx *c, const json_t *cols);
/* Table h (report_table_leakage.c): nothing without a "leakage" section. */
void report_table_leakage(report_ctx *c);
/* The label of metric `key` from compare.columns, else the key itself
** (borrowed from the document). */
const char *report_metric_label(const report_ctx *c, const char *key);

#endif
