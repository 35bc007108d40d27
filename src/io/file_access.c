/*
** file_access.c — whole-file reads and memory maps, with messages that say
** what went wrong (the caller adds the file name).
*/
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error_internal.h"
#include "io_internal.h"

/* Opens path read-only and returns its size; *fd is -1 on failure. */
static int open_sized(const char *path, int *fd, size_t *len)
{
    struct stat st;
    *fd = open(path, O_RDONLY);
    GK_FAIL_IF(*fd < 0, GK_EIO, "cannot open: %s", strerror(errno));
    int bad = fstat(*fd, &st) != 0;
    if (bad || S_ISDIR(st.st_mode)) {
        int e = bad ? errno : EISDIR;
        close(*fd);
        *fd = -1;
        return gk_set_error(GK_EIO, "cannot read: %s", strerror(e));
    }
    if (!S_ISREG(st.st_mode)) { /* a pipe or a device has no size to read or map */
        close(*fd);
        *fd = -1;
        return gk_set_error(GK_EIO, "not a regular file (a pipe or a device); give a file "
                                    "saved on disk");
    }
    *len = (size_t)st.st_size;
    io_guard_input(path, &st);
    return GK_OK;
}

/* Reads exactly len bytes (retrying short reads). */
static int read_all(int fd, unsigned char *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t r = read(fd, buf + done, len - done);
        if (r < 0 && errno == EINTR) continue;
        GK_FAIL_IF(r < 0, GK_EIO, "read failed: %s", strerror(errno));
        GK_FAIL_IF(r == 0, GK_EIO, "file shrank while reading (%zu of %zu bytes)", done, len);
        done += (size_t)r;
    }
    return GK_OK;
}

int io_file_read(const char *path, unsigned char **buf, size_t *len)
{
    int fd, rc;
    *buf = NULL;
    *len = 0;
    GK_TRY(open_sized(path, &fd, len));
    *buf = *len < SIZE_MAX ? gk_malloc(*len + 1) : NULL;
    if (!*buf) GK_FAIL_GOTO(rc, GK_ENOMEM, cleanup, "out of memory reading %zu bytes", *len);
    GK_TRY_GOTO(rc, read_all(fd, *buf, *len), cleanup);
    (*buf)[*len] = '\0';
cleanup:
    close(fd);
    if (rc != GK_OK) {
        gk_free(*buf);
        *buf = NULL;
    }
    return rc;
}

int io_buffer_copy(const void *buf, size_t len, char **copy)
{
    *copy = len < SIZE_MAX ? gk_malloc(len + 1) : NULL;
    if (!*copy) return GK_ENOMEM;
    if (len) memcpy(*copy, buf, len);
    (*copy)[len] = '\0';
    return GK_OK;
}

int io_file_map(const char *path, int writable, void **base, size_t *len)
{
    int fd;
    *base = NULL;
    GK_TRY(open_sized(path, &fd, len));
    if (*len == 0) {
        close(fd);
        return gk_set_error(GK_EFORMAT, "file is empty (0 bytes)");
    }
    /* MAP_PRIVATE + PROT_WRITE: writes (in-place normalisation) are
    ** copy-on-write and never reach the file. */
    int prot = PROT_READ | (writable ? PROT_WRITE : 0);
    void *p = mmap(NULL, *len, prot, MAP_PRIVATE, fd, 0);
    int e = errno;
    close(fd);
    GK_FAIL_IF(p == MAP_FAILED && e == ENOMEM, GK_ENOMEM,
               "out of memory: cannot memory-map %zu bytes (is an address-space limit, "
               "ulimit -v, set?)", *len);
    GK_FAIL_IF(p == MAP_FAILED, GK_EIO, "cannot memory-map %zu bytes: %s", *len, strerror(e));
    *base = p;
    return GK_OK;
}

void io_file_unmap(void *base, size_t len)
{
    if (base) munmap(base, len);
}
