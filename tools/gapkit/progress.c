/*
** progress.c — the progress line on stderr: stage, units done, elapsed time
** and ETA, redrawn in place.  Shown only when stderr is a terminal, only for
** an operation that has already run a second (short ones stay silent), and
** never with --quiet.  Nothing of it reaches a pipe or a log file.
*/
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* Stages may nest (a permutation test runs many cross-products): each has
** its own clock, and a stage is forgotten when it reports done == total. */
#define MAX_STAGES 8

typedef struct stage_clock {
    char name[96];
    double start; /* seconds (monotonic) of its first report */
} stage_clock;

static stage_clock stages[MAX_STAGES];
static int n_stages;
static double last_draw;  /* seconds of the last redraw */

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The clock of `name`, started now if it is new; NULL when the table is full. */
static stage_clock *stage_of(const char *name, double t)
{
    for (int i = 0; i < n_stages; i++)
        if (!strncmp(stages[i].name, name, sizeof stages[i].name - 1)) return &stages[i];
    if (n_stages == MAX_STAGES) return NULL;
    stage_clock *c = &stages[n_stages++];
    snprintf(c->name, sizeof c->name, "%s", name);
    c->start = t;
    return c;
}

static void forget(stage_clock *c) { *c = stages[--n_stages]; }

static void draw(const char *stage, int64_t done, int64_t total, double elapsed)
{
    if (total <= 0) { /* an open-ended stage: no share, no ETA */
        fprintf(stderr, "\r\033[K%s: %lld, %.1f s", stage, (long long)done, elapsed);
        fflush(stderr);
        return;
    }
    double frac = (double)done / (double)total;
    fprintf(stderr, "\r\033[K%s: %lld/%lld (%.0f%%), %.1f s", stage, (long long)done,
            (long long)total, 100.0 * frac, elapsed);
    if (frac > 0 && frac < 1) fprintf(stderr, ", ETA %.1f s", elapsed * (1 - frac) / frac);
    fflush(stderr);
}

static void on_progress(void *ud, const char *stage, int64_t done, int64_t total)
{
    (void)ud;
    const double t = now_seconds();
    stage_clock *c = stage_of(stage, t);
    if (!c) return;
    const double elapsed = t - c->start;
    const int finished = total > 0 && done >= total;
    /* short stages stay silent; at most 5 redraws a second */
    if (elapsed >= 1.0 && (finished || t - last_draw >= 0.2)) {
        draw(stage, done, total, elapsed);
        last_draw = t;
        if (finished) fputc('\n', stderr);
    }
    if (finished) forget(c);
}

void cli_progress_init(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--quiet")) return;
    if (!isatty(STDERR_FILENO)) return;
    gk_set_progress(on_progress, NULL);
}
