/*
** outfile_set.c — a command's output files committed all or nothing.
**
** While a set is open, gk_outfile_commit() hands each synced file here
** instead of putting it in place; gk_outfile_set_end() places them all, or
** discards them all; gk_outfile_set_flush() places those deferred so far and
** keeps the set open (files a failing command must still leave behind).  Placing a file is a link or a rename in its own
** directory (outfile.c), which fails only in rare cases (the directory
** removed meanwhile): then that file and the rest are discarded, and the
** ones already placed stay — the set is atomic against errors and signals
** before the end, not against a failing rename.
*/
#include <pthread.h>
#include <signal.h>

#include "core/error_internal.h"
#include "io_internal.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int set_open;
static gk_outfile **files;
static size_t n_files, cap_files;

int gk_outfile_set_begin(void)
{
    pthread_mutex_lock(&lock);
    int was = set_open;
    set_open = 1;
    pthread_mutex_unlock(&lock);
    GK_FAIL_IF(was, GK_EARG, "output set: one is already open");
    return GK_OK;
}

/* Appends f; 0 if the list cannot grow (then f is placed at once). */
static int push(gk_outfile *f)
{
    if (n_files == cap_files) {
        size_t cap = cap_files ? 2 * cap_files : 8;
        gk_outfile **grown = gk_malloc(cap * sizeof *grown);
        if (!grown) return 0;
        for (size_t i = 0; i < n_files; i++) grown[i] = files[i];
        gk_free(files);
        files = grown;
        cap_files = cap;
    }
    files[n_files++] = f;
    return 1;
}

int io_outset_defer(gk_outfile *f)
{
    pthread_mutex_lock(&lock);
    int taken = set_open && push(f);
    pthread_mutex_unlock(&lock);
    return taken;
}

/* Places files[0..n) while the interrupting signals wait. */
static int place_all(void)
{
    sigset_t hold, old;
    sigemptyset(&hold);
    sigaddset(&hold, SIGINT);
    sigaddset(&hold, SIGTERM);
    sigaddset(&hold, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &hold, &old);
    int rc = GK_OK;
    for (size_t i = 0; i < n_files; i++) {
        if (rc == GK_OK) rc = io_outfile_place(files[i]);
        else gk_outfile_abort(files[i]);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

/* Empties the list (its files placed or aborted already). */
static void forget_all(void)
{
    gk_free(files);
    files = NULL;
    n_files = cap_files = 0;
}

int gk_outfile_set_flush(void)
{
    pthread_mutex_lock(&lock);
    const int rc = place_all(); /* the set stays open for the files still to come */
    forget_all();
    pthread_mutex_unlock(&lock);
    return rc;
}

int gk_outfile_set_end(int keep)
{
    pthread_mutex_lock(&lock);
    int rc = GK_OK;
    if (keep) rc = place_all();
    else
        for (size_t i = 0; i < n_files; i++) gk_outfile_abort(files[i]);
    forget_all();
    set_open = 0;
    pthread_mutex_unlock(&lock);
    return rc;
}
