/*
** file_guard.c — no output over an input, no two outputs on one file.
**
** While the guard is on (gk_io_guard), every file opened for reading
** (io_file_read, io_file_map, gk_io_note_input) is remembered by device and
** inode, and every output target by its directory's device and inode plus
** its name; gk_outfile_open() asks io_guard_output() before it creates
** anything.  Identities, not strings: "./x.npy", a symbolic link to x.npy
** and a hard link of it are all x.npy.  Only regular files and names not
** yet taken are checked: writing /dev/null twice is harmless.
*/
#include <libgen.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error_internal.h"
#include "io_internal.h"

typedef struct seen {
    dev_t dev;
    ino_t ino;
    char *name;   /* output: the file's name in directory (dev, ino); input: as given */
    int is_input;
} seen;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int guard_on;
static seen *files;
static size_t n_files, cap_files;

void gk_io_guard(int on)
{
    pthread_mutex_lock(&lock);
    guard_on = on != 0;
    for (size_t i = 0; i < n_files; i++) gk_free(files[i].name);
    gk_free(files);
    files = NULL;
    n_files = cap_files = 0;
    pthread_mutex_unlock(&lock);
}

/* Appends an entry; a failed allocation only loses the check, not the run. */
static void remember(dev_t dev, ino_t ino, const char *name, int is_input)
{
    if (n_files == cap_files) {
        size_t cap = cap_files ? 2 * cap_files : 16;
        seen *grown = gk_malloc(cap * sizeof *grown);
        if (!grown) return;
        if (n_files) memcpy(grown, files, n_files * sizeof *grown);
        gk_free(files);
        files = grown;
        cap_files = cap;
    }
    char *copy = gk_strdup(name);
    if (!copy) return;
    files[n_files++] = (seen){dev, ino, copy, is_input};
}

void io_guard_input(const char *path, const struct stat *st)
{
    pthread_mutex_lock(&lock);
    if (guard_on && S_ISREG(st->st_mode)) remember(st->st_dev, st->st_ino, path, 1);
    pthread_mutex_unlock(&lock);
}

void gk_io_note_input(const char *path)
{
    struct stat st;
    if (path && stat(path, &st) == 0) io_guard_input(path, &st);
}

static const seen *find(dev_t dev, ino_t ino, const char *name)
{
    for (size_t i = 0; i < n_files; i++) {
        const seen *s = &files[i];
        if (s->dev == dev && s->ino == ino && (s->is_input || strcmp(s->name, name) == 0))
            return s;
    }
    return NULL;
}

/* The output's identity: its directory and its name there. */
static int dir_identity(const char *target, struct stat *dir, char **base)
{
    char *a = gk_strdup(target), *b = gk_strdup(target);
    int ok = a && b && stat(dirname(a), dir) == 0;
    *base = ok ? gk_strdup(basename(b)) : NULL;
    gk_free(a);
    gk_free(b);
    return *base != NULL;
}

static int check_output(const char *path, const char *target)
{
    struct stat st, dir;
    char *base = NULL;
    if (stat(target, &st) == 0) {
        if (!S_ISREG(st.st_mode)) return GK_OK;
        const seen *in = find(st.st_dev, st.st_ino, "");
        GK_FAIL_IF(in, GK_EARG, "%s: is the input file %s; choose another output name", path,
                   in->name);
    }
    if (!dir_identity(target, &dir, &base)) return GK_OK;
    const seen *out = find(dir.st_dev, dir.st_ino, base);
    int rc = out ? gk_set_error(GK_EARG, "%s: is already an output of this command; give each "
                                         "output its own name", path)
                 : GK_OK;
    if (rc == GK_OK) remember(dir.st_dev, dir.st_ino, base, 0);
    gk_free(base);
    return rc;
}

int io_guard_output(const char *path, const char *target)
{
    pthread_mutex_lock(&lock);
    int rc = guard_on ? check_output(path, target) : GK_OK;
    pthread_mutex_unlock(&lock);
    return rc;
}
