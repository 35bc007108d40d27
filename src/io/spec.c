/*
** spec.c — input specs "FILE[:SELECTOR]" and file kinds.
**
** A colon starts a selector only when the text before it names an existing
** file, so that paths containing colons keep working.
*/
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/error_internal.h"
#include "io_internal.h"

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* Copy of spec[0..n) as a NUL-terminated gk_malloc string. */
static char *copy_prefix(const char *spec, size_t n)
{
    char *p = gk_malloc(n + 1);
    if (!p) return NULL;
    memcpy(p, spec, n);
    p[n] = '\0';
    return p;
}

int io_spec_split(const char *spec, char **path, const char **sel)
{
    *path = NULL;
    *sel = NULL;
    GK_FAIL_IF(!spec || !*spec, GK_EARG, "empty file name");
    if (!is_file(spec) && strchr(spec, ':')) {
        /* Try the rightmost colon first: "a:b.npz:member" -> "a:b.npz", "member". */
        for (const char *c = strrchr(spec, ':'); c; ) {
            char *p = copy_prefix(spec, (size_t)(c - spec));
            if (!p) return GK_ENOMEM;
            if (is_file(p)) {
                *path = p;
                *sel = c + 1;
                return GK_OK;
            }
            gk_free(p);
            const char *prev = NULL;
            for (const char *q = spec; q < c; q++)
                if (*q == ':') prev = q;
            c = prev;
        }
    }
    *path = gk_strdup(spec);
    return *path ? GK_OK : GK_ENOMEM;
}

static int has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n > e && strcasecmp(path + n - e, ext) == 0;
}

/* Kind from the first bytes: .npy magic, zip local header, or unknown. */
static io_kind kind_from_magic(const char *path)
{
    unsigned char b[6] = {0};
    FILE *f = fopen(path, "rb");
    if (!f) return IO_KIND_UNKNOWN;
    size_t got = fread(b, 1, sizeof b, f);
    fclose(f);
    if (got == 6 && memcmp(b, "\x93NUMPY", 6) == 0) return IO_KIND_NPY;
    if (got >= 4 && memcmp(b, "PK\x03\x04", 4) == 0) return IO_KIND_NPZ;
    return IO_KIND_UNKNOWN;
}

io_kind io_kind_of(const char *path)
{
    if (has_ext(path, ".npy")) return IO_KIND_NPY;
    if (has_ext(path, ".npz")) return IO_KIND_NPZ;
    if (has_ext(path, ".txt") || has_ext(path, ".vec")) return IO_KIND_TEXT;
    if (has_ext(path, ".bin")) return IO_KIND_W2V_BIN;
    if (has_ext(path, ".csv")) return IO_KIND_CSV;
    return kind_from_magic(path);
}
