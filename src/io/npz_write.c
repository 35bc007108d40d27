/*
** npz_write.c — writing an uncompressed .npz: a zip archive whose members
** are stored (method 0) .npy files, plus an optional "header.json".
** Every size and offset must fit the 32-bit fields of a plain zip (no zip64).
** Timestamps are fixed (1980-01-01 00:00) so equal inputs give equal bytes.
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "core/error_internal.h"
#include "io_internal.h"

#define DOS_DATE_1980 0x0021 /* 1980-01-01 */

typedef struct zip_out {
    FILE *f;
    uint32_t offset; /* bytes written so far */
    const char *path;
} zip_out;

typedef struct zip_record {
    char name[260];
    uint32_t crc, size, local;
} zip_record;

static void put16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}
static void put32(unsigned char *p, uint32_t v)
{
    put16(p, v & 0xffff);
    put16(p + 2, v >> 16);
}

static int emit(zip_out *z, const void *p, size_t n)
{
    GK_FAIL_IF(n > UINT32_MAX - z->offset, GK_EARG,
               "%s: archive would exceed 4 GiB, which needs zip64 (not supported)", z->path);
    GK_FAIL_IF(fwrite(p, 1, n, z->f) != n, GK_EIO, "%s: write failed: %s", z->path,
               strerror(errno));
    z->offset += (uint32_t)n;
    return GK_OK;
}

/* Local header + data of one stored member. */
static int emit_member(zip_out *z, zip_record *r, const unsigned char *data, size_t n)
{
    unsigned char h[30] = {0};
    size_t nlen = strlen(r->name);
    GK_FAIL_IF(n > UINT32_MAX, GK_EARG, "%s: member '%s' exceeds 4 GiB", z->path, r->name);
    r->crc = (uint32_t)crc32(0L, data, (uInt)n);
    r->size = (uint32_t)n;
    r->local = z->offset;
    put32(h, 0x04034b50u);
    put16(h + 4, 20); /* version needed: 2.0 */
    put16(h + 12, DOS_DATE_1980);
    put32(h + 14, r->crc);
    put32(h + 18, r->size);
    put32(h + 22, r->size);
    put16(h + 26, (uint32_t)nlen);
    GK_TRY(emit(z, h, sizeof h));
    GK_TRY(emit(z, r->name, nlen));
    return emit(z, data, n);
}

/* Central directory and end record. */
static int emit_directory(zip_out *z, const zip_record *r, int count)
{
    uint32_t start = z->offset;
    for (int i = 0; i < count; i++) {
        unsigned char c[46] = {0};
        size_t nlen = strlen(r[i].name);
        put32(c, 0x02014b50u);
        put16(c + 4, 20);
        put16(c + 6, 20);
        put16(c + 14, DOS_DATE_1980);
        put32(c + 16, r[i].crc);
        put32(c + 20, r[i].size);
        put32(c + 24, r[i].size);
        put16(c + 28, (uint32_t)nlen);
        put32(c + 38, 0644u << 16); /* external attributes: rw-r--r-- */
        put32(c + 42, r[i].local);
        GK_TRY(emit(z, c, sizeof c));
        GK_TRY(emit(z, r[i].name, nlen));
    }
    unsigned char e[22] = {0};
    put32(e, 0x06054b50u);
    put16(e + 8, (uint32_t)count);
    put16(e + 10, (uint32_t)count);
    put32(e + 12, z->offset - start);
    put32(e + 16, start);
    return emit(z, e, sizeof e);
}

static int emit_array(zip_out *z, zip_record *r, const gk_npz_entry *e)
{
    unsigned char *buf;
    size_t len;
    GK_FAIL_IF(!e->name || !e->mat || strlen(e->name) > 250, GK_EARG,
               "%s: an entry has no name, no matrix or a name longer than 250 bytes", z->path);
    snprintf(r->name, sizeof r->name, "%s.npy", e->name);
    GK_TRY(io_npy_encode(e->mat, NULL, e->mat->rows, e->mat->cols, &buf, &len));
    int rc = emit_member(z, r, buf, len);
    gk_free(buf);
    return rc;
}

static int emit_all(zip_out *z, zip_record *rec, const gk_npz_entry *entries, int count,
                    const char *json)
{
    for (int i = 0; i < count; i++) GK_TRY(emit_array(z, &rec[i], &entries[i]));
    if (json) {
        snprintf(rec[count].name, sizeof rec[count].name, "header.json");
        GK_TRY(emit_member(z, &rec[count], (const unsigned char *)json, strlen(json)));
    }
    return emit_directory(z, rec, count + (json != NULL));
}

int gk_npz_write(const char *path, const gk_npz_entry *entries, int count, const char *json)
{
    GK_FAIL_IF(!path || count < 0 || (count && !entries) || count > 65000, GK_EARG,
               "gk_npz_write: expected a path and 0..65000 entries (got %d)", count);
    zip_record *rec = gk_calloc((size_t)count + 1, sizeof *rec);
    if (!rec) return GK_ENOMEM;
    gk_outfile *o;
    int rc = gk_outfile_open(path, &o);
    if (rc == GK_OK) {
        zip_out z = {gk_outfile_stream(o), 0, path};
        rc = emit_all(&z, rec, entries, count, json);
        if (rc == GK_OK) rc = gk_outfile_commit(o);
        else gk_outfile_abort(o);
    }
    gk_free(rec);
    return rc;
}
