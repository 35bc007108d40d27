/*
** fuzz_labels.c — libFuzzer target for label files: one label per line, and
** column "class" of a CSV with a header row (quotes, CRLF, BOM), through
** gk_labels_read_mem(); the labels are then matched against themselves.  The
** same bytes as a vocabulary (one word per line, gk_vocab_read on the input
** as an in-memory file).
*/
#include "fuzz_common.h"

#include <string.h>

static void parse(const uint8_t *data, size_t size, const char *column)
{
    gk_labels *l = (gk_labels *)1;
    int rc = gk_labels_read_mem(data, size, column, "fuzz.labels", &l);
    if (rc != GK_OK) {
        FUZZ_CHECK(l == NULL);
        fuzz_check_failure(rc, "fuzz.labels");
        return;
    }
    FUZZ_CHECK(l->n > 0 && l->n_classes > 0 && l->n_classes <= l->n);
    for (int64_t i = 0; i < l->n; i++) FUZZ_CHECK(l->id[i] >= 0 && l->id[i] < l->n_classes);
    /* every label matches a "prompt" of the same list, at a row with its text */
    int64_t *idx = malloc((size_t)l->n * sizeof *idx);
    FUZZ_CHECK(idx != NULL);
    FUZZ_CHECK(gk_labels_match(l, l, idx) == GK_OK);
    /* by its shown text: invalid UTF-8 is shown escaped (\xNN), so a raw byte
    ** and the same escape typed out are two classes with one name */
    for (int64_t i = 0; i < l->n; i++)
        FUZZ_CHECK(!strcmp(l->name[l->id[idx[i]]], l->name[l->id[i]]));
    free(idx);
    gk_labels_free(l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init++) fuzz_init_threads();
    parse(data, size, NULL);
    parse(data, size, "class");
    gk_vocab *v = (gk_vocab *)1;
    int rc = gk_vocab_read(fuzz_as_file(data, size), &v);
    if (rc == GK_OK) {
        FUZZ_CHECK(v->n > 0 && gk_vocab_find(v, v->word[v->n - 1]) >= 0);
        gk_vocab_free(v);
    } else {
        FUZZ_CHECK(v == NULL);
    }
    return 0;
}
