/*
** matrix_rows.c — exact duplicate rows: for every row, the first row that is
** bit-for-bit equal to it (a repeated item, e.g. a class prompt paired with
** every clip of its class, or a broken export).  Rows are hashed (FNV-1a
** over their bytes) into an open-addressing table of row indices; equal
** hashes are confirmed by comparing the bytes.  O(N·D) expected.
*/
#include <string.h>

#include "error_internal.h"
#include "gapkit/matrix.h"
#include "matrix_internal.h"

uint64_t mat_row_hash(const gk_mat *a, int64_t i)
{
    uint64_t h = 1469598103934665603ULL;
    for (int64_t j = 0; j < a->cols; j++) {
        float v = gk_mat_at(a, i, j);
        uint32_t u;
        memcpy(&u, &v, 4);
        for (int k = 0; k < 4; k++) h = (h ^ ((u >> (8 * k)) & 0xff)) * 1099511628211ULL;
    }
    return h;
}

int mat_rows_equal(const gk_mat *a, int64_t r, const gk_mat *b, int64_t s)
{
    for (int64_t j = 0; j < a->cols; j++) {
        float x = gk_mat_at(a, r, j), y = gk_mat_at(b, s, j);
        if (memcmp(&x, &y, sizeof x) != 0) return 0;
    }
    return 1;
}

int gk_mat_first_rows(const gk_mat *a, int64_t *first, int64_t *n_distinct)
{
    GK_FAIL_IF(!a || !first || !n_distinct, GK_EARG, "gk_mat_first_rows: NULL argument");
    size_t cap = 16;
    while (cap < 2 * (size_t)a->rows) cap *= 2;
    int64_t *slot = gk_malloc(cap * sizeof *slot);
    uint64_t *hash = gk_malloc((size_t)(a->rows ? a->rows : 1) * sizeof *hash);
    if (!slot || !hash) {
        gk_free(slot);
        gk_free(hash);
        return gk_set_error(GK_ENOMEM, "duplicate rows: out of memory for %lld rows", (long long)a->rows);
    }
    memset(slot, 0xff, cap * sizeof *slot); /* -1: empty */
    *n_distinct = 0;
    for (int64_t i = 0; i < a->rows; i++) {
        hash[i] = mat_row_hash(a, i);
        size_t s = (size_t)hash[i] & (cap - 1);
        while (slot[s] >= 0 && !(hash[slot[s]] == hash[i] && mat_rows_equal(a, slot[s], a, i)))
            s = (s + 1) & (cap - 1);
        if (slot[s] < 0) {
            slot[s] = i;
            (*n_distinct)++;
        }
        first[i] = slot[s];
    }
    gk_free(slot);
    gk_free(hash);
    return GK_OK;
}

int mat_shared_row(const gk_mat *a, const gk_mat *b, int64_t *ia, int64_t *ib)
{
    *ia = *ib = -1;
    if (a->rows == 0 || b->rows == 0 || a->cols != b->cols) return GK_OK;
    size_t cap = 16;
    while (cap < 2 * (size_t)a->rows) cap *= 2;
    int64_t *slot = gk_malloc(cap * sizeof *slot);
    uint64_t *hash = gk_malloc((size_t)a->rows * sizeof *hash);
    if (!slot || !hash) {
        gk_free(slot), gk_free(hash);
        return gk_set_error(GK_ENOMEM, "duplicate rows: out of memory for %lld rows",
                            (long long)a->rows);
    }
    memset(slot, 0xff, cap * sizeof *slot); /* -1: empty */
    for (int64_t i = 0; i < a->rows; i++) {
        hash[i] = mat_row_hash(a, i);
        size_t s = (size_t)hash[i] & (cap - 1);
        while (slot[s] >= 0) s = (s + 1) & (cap - 1);
        slot[s] = i;
    }
    for (int64_t i = 0; i < b->rows && *ia < 0; i++) {
        const uint64_t h = mat_row_hash(b, i);
        for (size_t s = (size_t)h & (cap - 1); slot[s] >= 0; s = (s + 1) & (cap - 1))
            if (hash[slot[s]] == h && mat_rows_equal(a, slot[s], b, i)) {
                *ia = slot[s], *ib = i;
                break;
            }
    }
    gk_free(slot), gk_free(hash);
    return GK_OK;
}
