/*
** outfile.c — atomic output: the bytes go to a file without a name or to a
** temporary name beside the target, are synced, and only then put in place,
** so a failure, an abort or a signal leaves any existing target untouched.
**
** Where the file system allows it (Linux, O_TMPFILE: ext4, xfs, btrfs,
** tmpfs …) the file is created without a name in the target's directory
** and linked into place at commit (linkat of /proc/self/fd/N): a process
** killed even by SIGKILL leaves nothing behind.  Elsewhere a
** "<target>.tmp.XXXXXX" file is written and renamed; the signal handler of
** outfile_signals.c removes it on SIGINT, SIGTERM, SIGHUP and SIGXFSZ, but
** SIGKILL leaves it (a name ending in .tmp. and six characters).
**
** A target that exists and is not a regular file (a device such as
** /dev/null or /dev/full, a pipe) is written directly: there is no previous
** content to protect, and renaming over it would replace the device.  A
** symbolic link is followed, so the link stays and its target is replaced.
** Inside an output set (outfile_set.c) commit syncs the file and leaves
** putting it in place to the end of the set.
*/
#define _GNU_SOURCE /* O_TMPFILE */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
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
    char *target; /* what is replaced: path, or where its symbolic link leads */
    char *tmp;    /* "<target>.tmp.XXXXXX" (same directory, so rename is atomic),
                     or NULL: a nameless O_TMPFILE file, or a device written directly */
    int nameless; /* 1: an O_TMPFILE file, linked into place at commit */
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

static int open_stream(gk_outfile *o, int fd)
{
    o->f = fdopen(fd, "wb");
    if (o->f) return GK_OK;
    int e = errno;
    close(fd);
    if (o->tmp) unlink(o->tmp);
    return gk_set_error(GK_EIO, "%s: cannot open a stream: %s", o->path, strerror(e));
}

/* "/proc/self/fd/N", the name linkat() gives a nameless file. */
static void fd_name(int fd, char *buf, size_t size)
{
    snprintf(buf, size, "/proc/self/fd/%d", fd);
}

/* A nameless file in the target's directory; -1 where the file system or
** the system cannot (then the caller uses a temporary name). */
static int open_nameless(const char *target)
{
#ifdef O_TMPFILE
    char *copy = gk_strdup(target);
    if (!copy) return -1;
    int fd = open(dirname(copy), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    gk_free(copy);
    char proc[40];
    if (fd >= 0) fd_name(fd, proc, sizeof proc);
    if (fd >= 0 && access(proc, F_OK) != 0) { /* no /proc: it could never be linked */
        close(fd);
        fd = -1;
    }
    return fd;
#else
    (void)target;
    return -1;
#endif
}

static int make_temp(gk_outfile *o)
{
    int fd = open_nameless(o->target);
    if (fd >= 0) {
        o->nameless = 1;
        return open_stream(o, fd);
    }
    size_t n = strlen(o->target);
    o->tmp = gk_malloc(n + 12);
    if (!o->tmp) return GK_ENOMEM;
    memcpy(o->tmp, o->target, n);
    memcpy(o->tmp + n, ".tmp.XXXXXX", 12);
    o->slot = io_outfile_track(o->tmp); /* before the file exists: no unguarded instant */
    fd = mkstemp(o->tmp);
    GK_FAIL_IF(fd < 0, GK_EIO, "%s: cannot create a temporary file beside it: %s", o->path,
               strerror(errno));
    set_default_mode(fd);
    return open_stream(o, fd);
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

int gk_outfile_check(const char *path)
{
    GK_FAIL_IF(!path || !*path, GK_EARG, "output file: the name is empty");
    struct stat st;
    if (stat(path, &st) == 0) {
        GK_FAIL_IF(S_ISDIR(st.st_mode), GK_EIO, "%s: is a directory; expected a file name", path);
        if (!S_ISREG(st.st_mode)) return GK_OK; /* a device: written directly */
    }
    char *copy = gk_strdup(path);
    if (!copy) return GK_ENOMEM;
    const char *dir = dirname(copy);
    int e = access(dir, W_OK | X_OK) == 0 ? 0 : errno;
    int rc = e ? gk_set_error(GK_EIO, "%s: cannot write in directory %s: %s", path, dir,
                              strerror(e))
               : GK_OK;
    gk_free(copy);
    return rc;
}

int gk_outfile_open(const char *path, gk_outfile **out)
{
    GK_FAIL_IF(!out, GK_EARG, "output file: no handle to fill");
    *out = NULL;
    GK_FAIL_IF(!path || !*path, GK_EARG, "output file: the name is empty");
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

/* Flushes user-space buffers and, unless writing to a device, the kernel's
** to the disk.  The stream stays open (a nameless file needs its fd). */
static int flush_sync(gk_outfile *o)
{
    int bad = ferror(o->f) || fflush(o->f) != 0 ||
              ((o->tmp || o->nameless) && fsync(fileno(o->f)) != 0);
    GK_FAIL_IF(bad, GK_EIO, "%s: write failed: %s", o->path, strerror(errno));
    return GK_OK;
}

/* Links the nameless file to `name`; 0 or an errno. */
static int link_as(gk_outfile *o, const char *name)
{
    char proc[40];
    fd_name(fileno(o->f), proc, sizeof proc);
    return linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0 ? 0 : errno;
}

/* Over an existing target: link to a fresh temporary name, then rename
** (linkat never replaces).  The name exists only for this instant. */
static int link_over(gk_outfile *o)
{
    size_t n = strlen(o->target);
    int e = ENOMEM;
    o->tmp = gk_malloc(n + 12);
    for (int tries = 0; o->tmp && tries < 100; tries++) {
        memcpy(o->tmp, o->target, n);
        memcpy(o->tmp + n, ".tmp.XXXXXX", 12);
        int fd = mkstemp(o->tmp); /* a unique name; freed again for the link */
        if (fd < 0) {
            e = errno;
            break;
        }
        close(fd);
        unlink(o->tmp);
        o->slot = io_outfile_track(o->tmp);
        if ((e = link_as(o, o->tmp)) != EEXIST) break;
        io_outfile_untrack(o->slot);
        o->slot = -1;
    }
    if (e == 0 && rename(o->tmp, o->target) != 0) {
        e = errno;
        unlink(o->tmp);
    }
    io_outfile_untrack(o->slot);
    o->slot = -1;
    gk_free(o->tmp);
    o->tmp = NULL;
    return e;
}

/* Puts a synced file in place and closes it; frees nothing. */
static int place(gk_outfile *o)
{
    int e = 0;
    if (o->nameless) {
        e = link_as(o, o->target);
        if (e == EEXIST) e = link_over(o);
    } else if (o->tmp && rename(o->tmp, o->target) != 0) {
        e = errno;
    }
    if (fclose(o->f) != 0 && !e) e = errno;
    o->f = NULL;
    GK_FAIL_IF(e, GK_EIO, "%s: cannot put the written file in place: %s", o->path, strerror(e));
    return GK_OK;
}

int io_outfile_place(gk_outfile *f)
{
    int rc = place(f);
    if (rc != GK_OK && f->tmp) unlink(f->tmp);
    outfile_release(f);
    return rc;
}

int gk_outfile_commit(gk_outfile *f)
{
    GK_FAIL_IF(!f, GK_EARG, "output file: no handle to commit");
    int rc = flush_sync(f);
    if (rc != GK_OK) {
        gk_outfile_abort(f);
        return rc;
    }
    if ((f->tmp || f->nameless) && io_outset_defer(f)) return GK_OK;
    return io_outfile_place(f);
}

void gk_outfile_abort(gk_outfile *f)
{
    if (!f) return;
    if (f->f) fclose(f->f); /* a nameless file vanishes with its last fd */
    if (f->tmp) unlink(f->tmp);
    outfile_release(f);
}

int gk_write_text_atomic(const char *path, const char *text)
{
    gk_outfile *o;
    GK_FAIL_IF(!text, GK_EARG, "%s: no text to write", path ? path : "output file");
    GK_TRY(gk_outfile_open(path, &o));
    size_t n = strlen(text);
    if (fwrite(text, 1, n, o->f) != n) {
        int e = errno;
        gk_outfile_abort(o);
        return gk_set_error(GK_EIO, "%s: write failed: %s", path, strerror(e));
    }
    return gk_outfile_commit(o);
}
