/*
** fuzz_wordvec.c — libFuzzer target for word vectors: GloVe text, word2vec
** text and word2vec binary (the variant is detected from the bytes), through
** gk_wordvec_read_mem().
*/
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init++) fuzz_init_threads();
    gk_mat *m = (gk_mat *)1;
    gk_vocab *v = (gk_vocab *)1;
    int rc = gk_wordvec_read_mem(data, size, "fuzz.vec", &m, &v);
    if (rc != GK_OK) {
        FUZZ_CHECK(m == NULL && v == NULL);
        fuzz_check_failure(rc, "fuzz.vec");
        return 0;
    }
    fuzz_check_matrix(m);
    FUZZ_CHECK(v && v->n == m->rows);
    for (int64_t i = 0; i < v->n; i++) FUZZ_CHECK(v->word[i] && v->word[i][0]);
    FUZZ_CHECK(gk_vocab_find(v, v->word[0]) == 0);
    gk_mat_free(m);
    gk_vocab_free(v);
    return 0;
}
