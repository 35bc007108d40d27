/*
** progress.c — the progress callback of the program using libgapkit.  One
** process-wide slot: a program shows one progress line, whatever runs.
*/
#include "gapkit/core.h"
#include "progress_internal.h"

static gk_progress_fn progress_fn;
static void *progress_ud;

void gk_set_progress(gk_progress_fn fn, void *ud)
{
    progress_fn = fn;
    progress_ud = ud;
}

void gk_progress(const char *stage, int64_t done, int64_t total)
{
    if (progress_fn) progress_fn(progress_ud, stage, done, total);
}
