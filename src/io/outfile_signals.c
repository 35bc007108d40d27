/*
** outfile_signals.c — the registry of temporary output files that are being
** written, and the signal handler that removes them when the process is
** interrupted (SIGINT, SIGTERM, SIGHUP) or stopped by the file-size limit
** (SIGXFSZ), so that no "<path>.tmp.XXXXXX" is left behind.
**
** The handler is installed when the first temporary file is opened, only for
** signals whose disposition is still the default (a program that ignores or
** handles a signal keeps it that way).  It unlinks the registered names
** (unlink is async-signal-safe), restores the default action and re-raises
** the signal, so the process still dies of it with the usual status.
** Slots are claimed and released with atomic operations; a slot records the
** pid that created the file, so a forked child never removes its parent's.
*/
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "core/error_internal.h"
#include "io_internal.h"

#define MAX_TRACKED 64

static const char *volatile tracked[MAX_TRACKED]; /* temp names, borrowed */
static volatile pid_t owner[MAX_TRACKED];
static const int handled[] = {SIGINT, SIGTERM, SIGHUP, SIGXFSZ};

static void on_signal(int sig)
{
    pid_t self = getpid();
    for (int i = 0; i < MAX_TRACKED; i++) {
        const char *p = __atomic_load_n(&tracked[i], __ATOMIC_ACQUIRE);
        if (p && owner[i] == self) unlink(p);
    }
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(sig, &dfl, NULL);
    raise(sig);
}

/* Once per process: our handler for each signal still at its default. */
static void install_handlers(void)
{
    static int installed;
    if (__atomic_exchange_n(&installed, 1, __ATOMIC_ACQ_REL)) return;
    for (size_t i = 0; i < sizeof handled / sizeof *handled; i++) {
        struct sigaction old, sa;
        if (sigaction(handled[i], NULL, &old) != 0 || old.sa_handler != SIG_DFL ||
            (old.sa_flags & SA_SIGINFO))
            continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigfillset(&sa.sa_mask); /* no second signal while unlinking */
        sigaction(handled[i], &sa, NULL);
    }
}

int io_outfile_track(const char *tmp)
{
    install_handlers();
    for (int i = 0; i < MAX_TRACKED; i++) {
        const char *expected = NULL;
        /* until owner is set the handler skips the slot (an instant) */
        if (__atomic_compare_exchange_n(&tracked[i], &expected, tmp, 0, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE)) {
            owner[i] = getpid();
            return i;
        }
    }
    return -1; /* all slots busy: the file is still written atomically, just not tracked */
}

void io_outfile_untrack(int slot)
{
    if (slot >= 0 && slot < MAX_TRACKED) __atomic_store_n(&tracked[slot], NULL, __ATOMIC_RELEASE);
}
