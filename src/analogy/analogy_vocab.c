/*
** analogy_vocab.c — word → vocabulary row for the analogy questions: the
** words sorted once, then a binary search per look-up.
*/
#include <stdlib.h>
#include <string.h>

#include "analogy_internal.h"
#include "core/error_internal.h"

static int cmp_entry(const void *a, const void *b)
{
    const an_entry *x = a, *y = b;
    int c = strcmp(x->w, y->w);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

int an_index_build(const gk_vocab *v, an_index *ix)
{
    ix->n = v->n;
    ix->e = gk_malloc((size_t)(v->n > 0 ? v->n : 1) * sizeof *ix->e);
    GK_FAIL_IF(!ix->e, GK_ENOMEM, "analogy: out of memory for a %lld-word index",
               (long long)v->n);
    for (int64_t i = 0; i < v->n; i++) ix->e[i] = (an_entry){v->word[i], i};
    qsort(ix->e, (size_t)v->n, sizeof *ix->e, cmp_entry);
    return GK_OK;
}

int64_t an_index_find(const an_index *ix, const char *w)
{
    int64_t lo = 0, hi = ix->n; /* first entry with word >= w */
    while (lo < hi) {
        const int64_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix->e[mid].w, w) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo < ix->n && !strcmp(ix->e[lo].w, w) ? ix->e[lo].row : -1;
}

void an_index_free(an_index *ix)
{
    gk_free(ix->e);
    ix->e = NULL;
}

int an_question_rows(const gk_analogy_questions *q, const gk_vocab *v, int64_t *rows)
{
    an_index ix;
    GK_TRY(an_index_build(v, &ix));
    for (int64_t i = 0; i < 4 * q->n; i++) rows[i] = an_index_find(&ix, q->word[i]);
    an_index_free(&ix);
    return GK_OK;
}
