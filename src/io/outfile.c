/*
** outfile.c — atomic output: write to a temporary file beside the target,
** fsync, then rename into place; a failure, an abort or a fatal signal
** (outfile_signals.c) removes the temporary file and leaves any existing
** target untouched.  A target that exists and is not a regular file (a
** device such as /dev/null or /dev/full, a pipe) is written directly: there
** is no previous content to protect, and renaming over it would replace the
** device.  A symbolic link is followed, so the link stays and its target is
** replaced.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error_internal.h"
#include "io_internal.h"

struct gk_outfile {
    FILE *f;
    char *path;   /* final name, as given (for messages) */
    char *target; /* what is renamed over: path, or where its symbolic link leads */
    char *tmp;    /* "<target>.tmp.XXXXXX", same directory so rename is atomic; NULL
                     when writing directly to a device */
    int slot;     /* registry slot of tmp (outfile_signals.c), or -1 */
};

static void outfile_release(gk_outfile *o)
{
    io_outfile_untrack(o->slot);
    gk_free(o->path);
    gk_free(o->target);
    gk_free(o->tmp);
    gk_free(o);
}

/* New files get 0666 & ~umask, as fopen would give (mkstemp uses 0600). */
static void set_default_mode(int fd)
{
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
}

static int make_temp(gk_outfile *o)
{
    size_t n = strlen(o->target);
    o->tmp = gk_malloc(n + 12);
    if (!o->tmp) return GK_ENOMEM;
    memcpy(o->tmp, o->target, n);
    memcpy(o->tmp + n, ".tmp.XXXXXX", 12);
    o->slot = io_outfile_track(o->tmp); /* before the file exists: no unguarded instant */
    int fd = mkstemp(o->tmp);
    GK_FAIL_IF(fd < 0, GK_EIO, "%s: cannot create a temporary file beside it: %s", o->path,
               strerror(errno));
    set_default_mode(fd);
    o->f = fdopen(fd, "wb");
    if (!o->f) {
        int e = errno;
        close(fd);
        unlink(o->tmp);
        return gk_set_error(GK_EIO, "%s: cannot open a stream: %s", o->path, strerror(e));
    }
    return GK_OK;
}

/* An existing non-regular target (device, pipe) is opened for direct writing. */
static int open_direct(gk_outfile *o)
{
    o->f = fopen(o->path, "wb");
    GK_FAIL_IF(!o->f, GK_EIO, "%s: cannot open for writing: %s", o->path, strerror(errno));
    return GK_OK;
}

/* Chooses between direct writing and a temporary file beside the (resolved) target. */
static int open_target(gk_outfile *o)
{
    struct stat st;
    if (stat(o->path, &st) == 0 && !S_ISREG(st.st_mode)) {
        GK_FAIL_IF(S_ISDIR(st.st_mode), GK_EIO, "%s: is a directory; expected a file name",
                   o->path);
        return open_direct(o);
    }
    char *real = realpath(o->path, NULL); /* follows a symbolic link; NULL if new */
    o->target = gk_strdup(real ? real : o->path);
    free(real);
    if (!o->target) return GK_ENOMEM;
    GK_TRY(io_guard_output(o->path, o->target));
    return make_temp(o);
}

int gk_outfile_open(const char *path, gk_outfile **out)
{
    GK_FAIL_IF(!out, GK_EARG, "gk_outfile_open: out is NULL");
    *out = NULL;
    GK_FAIL_IF(!path || !*path, GK_EARG, "gk_outfile_open: empty path");
    gk_outfile *o = gk_calloc(1, sizeof *o);
    if (!o) return GK_ENOMEM;
    o->slot = -1;
    o->path = gk_strdup(path);
    int rc = o->path ? open_target(o) : GK_ENOMEM;
    if (rc != GK_OK) {
        outfile_release(o);
        return rc;
    }
    *out = o;
    return GK_OK;
}

FILE *gk_outfile_stream(gk_outfile *f)
{
    return f ? f->f : NULL;
}

/* Flushes user-space buffers and, for a temporary file, the kernel's to the
** disk, then closes. */
static int flush_close(gk_outfile *o)
{
    int bad = ferror(o->f) || fflush(o->f) != 0 || (o->tmp && fsync(fileno(o->f)) != 0);
    int e = errno;
    if (fclose(o->f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    o->f = NULL;
    GK_FAIL_IF(bad, GK_EIO, "%s: write failed: %s", o->path, strerror(e));
    return GK_OK;
}

int gk_outfile_commit(gk_outfile *f)
{
    GK_FAIL_IF(!f, GK_EARG, "gk_outfile_commit: handle is NULL");
    int rc = flush_close(f);
    if (rc == GK_OK && f->tmp && rename(f->tmp, f->target) != 0)
        rc = gk_set_error(GK_EIO, "%s: cannot rename the temporary file into place: %s",
                          f->path, strerror(errno));
    if (rc != GK_OK && f->tmp) unlink(f->tmp);
    outfile_release(f);
    return rc;
}

void gk_outfile_abort(gk_outfile *f)
{
    if (!f) return;
    if (f->f) fclose(f->f);
    if (f->tmp) unlink(f->tmp);
    outfile_release(f);
}

int gk_write_text_atomic(const char *path, const char *text)
{
    gk_outfile *o;
    GK_FAIL_IF(!text, GK_EARG, "gk_write_text_atomic: text is NULL");
    GK_TRY(gk_outfile_open(path, &o));
    size_t n = strlen(text);
    if (fwrite(text, 1, n, o->f) != n) {
        int e = errno;
        gk_outfile_abort(o);
        return gk_set_error(GK_EIO, "%s: write failed: %s", path, strerror(e));
    }
    return gk_outfile_commit(o);
}
