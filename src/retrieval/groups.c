/*
** groups.c — a shared group-id space for two label sets (e.g. the clip id of
** each audio row and of each caption row), matched by label text: the two
** class-name lists are sorted and merged, O(C log C).
*/
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "retrieval/retrieval_internal.h"

typedef struct name_ref {
    const char *s;
    int32_t id;
} name_ref;

static int cmp_name(const void *a, const void *b)
{
    return strcmp(((const name_ref *)a)->s, ((const name_ref *)b)->s);
}

static name_ref *sorted_names(const gk_labels *l)
{
    name_ref *r = gk_malloc((size_t)(l->n_classes ? l->n_classes : 1) * sizeof *r);
    if (!r) return NULL;
    for (int32_t c = 0; c < l->n_classes; c++) r[c] = (name_ref){l->name[c], c};
    qsort(r, (size_t)l->n_classes, sizeof *r, cmp_name);
    return r;
}

/* map[c] = id in the shared space of b's class c. */
static void merge(const name_ref *ra, int32_t na, const name_ref *rb, int32_t nb, int32_t *map)
{
    int32_t ia = 0, next = na;
    for (int32_t ib = 0; ib < nb; ib++) {
        while (ia < na && strcmp(ra[ia].s, rb[ib].s) < 0) ia++;
        if (ia < na && strcmp(ra[ia].s, rb[ib].s) == 0) map[rb[ib].id] = ra[ia].id;
        else map[rb[ib].id] = next++;
    }
}

int gk_groups_from_labels(const gk_labels *a, const gk_labels *b, int32_t *ga, int32_t *gb)
{
    GK_FAIL_IF(!a || !b || !ga || !gb, GK_EARG, "gk_groups_from_labels: NULL argument");
    GK_FAIL_IF((int64_t)a->n_classes + b->n_classes > INT32_MAX, GK_EARG,
               "labels: more than %d classes on the two sides together", INT32_MAX);
    name_ref *ra = sorted_names(a), *rb = sorted_names(b);
    int32_t *map = gk_malloc((size_t)(b->n_classes ? b->n_classes : 1) * sizeof *map);
    int rc = GK_ENOMEM;
    if (!ra || !rb || !map) goto cleanup;
    merge(ra, a->n_classes, rb, b->n_classes, map);
    for (int64_t i = 0; i < a->n; i++) ga[i] = a->id[i];
    for (int64_t i = 0; i < b->n; i++) gb[i] = map[b->id[i]];
    rc = GK_OK;
cleanup:
    gk_free(ra);
    gk_free(rb);
    gk_free(map);
    return rc;
}
