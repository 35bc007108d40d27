/*
** analogy_internal.h — what the word-analogy files of src/eval share: a
** sorted index of a vocabulary for many word look-ups.  Not installed.
*/
#ifndef GAPKIT_ANALOGY_INTERNAL_H
#define GAPKIT_ANALOGY_INTERNAL_H

#include "gapkit/analogy.h"
#include "gapkit/eval.h"

typedef struct an_entry {
    const char *w; /* borrowed from the vocabulary */
    int64_t row;
} an_entry;

/* The vocabulary's words sorted by (strcmp, row): binary search finds the
** first row of a word in O(log V). */
typedef struct an_index {
    an_entry *e; /* (V,) */
    int64_t n;
} an_index;

int an_index_build(const gk_vocab *v, an_index *ix);
/* Row of word w (the first row if repeated), or −1. */
int64_t an_index_find(const an_index *ix, const char *w);
void an_index_free(an_index *ix);

/* rows (4n,) = vocabulary row of each question word, −1 if absent. */
int an_question_rows(const gk_analogy_questions *q, const gk_vocab *v, int64_t *rows);

#endif
