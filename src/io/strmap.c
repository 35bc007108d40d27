/*
** strmap.c — a string → int64 map with open addressing (FNV-1a hash, linear
** probing, load factor <= 1/2); keys are borrowed.  Used to intern labels.
*/
#include <string.h>

#include "core/error_internal.h"
#include "io_internal.h"

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

int io_strmap_init(io_strmap *m, size_t expected)
{
    memset(m, 0, sizeof *m);
    size_t cap = 16;
    while (cap < 2 * expected) cap *= 2;
    m->key = gk_calloc(cap, sizeof *m->key);
    m->val = gk_calloc(cap, sizeof *m->val);
    if (!m->key || !m->val) {
        io_strmap_free(m);
        return GK_ENOMEM;
    }
    m->cap = cap;
    return GK_OK;
}

/* Slot holding key, or the empty slot where it would go. */
static size_t find_slot(const io_strmap *m, const char *key)
{
    size_t i = (size_t)fnv1a(key) & (m->cap - 1);
    while (m->key[i] && strcmp(m->key[i], key) != 0) i = (i + 1) & (m->cap - 1);
    return i;
}

static int grow(io_strmap *m)
{
    io_strmap bigger;
    GK_TRY(io_strmap_init(&bigger, m->cap));
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->key[i]) continue;
        size_t s = find_slot(&bigger, m->key[i]);
        bigger.key[s] = m->key[i];
        bigger.val[s] = m->val[i];
    }
    bigger.count = m->count;
    io_strmap_free(m);
    *m = bigger;
    return GK_OK;
}

int io_strmap_put(io_strmap *m, const char *key, int64_t val, int64_t *found)
{
    if (2 * (m->count + 1) > m->cap) GK_TRY(grow(m));
    size_t s = find_slot(m, key);
    if (!m->key[s]) {
        m->key[s] = key;
        m->val[s] = val;
        m->count++;
    }
    *found = m->val[s];
    return GK_OK;
}

int64_t io_strmap_get(const io_strmap *m, const char *key)
{
    size_t s = find_slot(m, key);
    return m->key[s] ? m->val[s] : -1;
}

void io_strmap_free(io_strmap *m)
{
    gk_free((void *)m->key);
    gk_free(m->val);
    memset(m, 0, sizeof *m);
}
