/*
** fuzz_comet.c — libFuzzer target for the COMET model file (an .npz with a
** header.json, docs/model-format.md) through gk_comet_load_mem(); a model that
** loads is then applied to one row of ones on each side.
*/
#include "fuzz_common.h"

/* Applying a loaded model must work for every k and give finite output or a
** clear numeric error. */
static void apply_side(const gk_comet *m, int side)
{
    int64_t d = gk_comet_dim(m, side);
    gk_mat *x = NULL, *y = NULL;
    FUZZ_CHECK(gk_mat_create(1, d, &x) == GK_OK);
    for (int64_t j = 0; j < d; j++) x->data[j] = 1.0f;
    int rc = gk_comet_apply(m, side, x, 0, GK_COMET_W_NONE, &y);
    FUZZ_CHECK(rc == GK_OK || rc == GK_ENUMERIC);
    if (rc == GK_OK) FUZZ_CHECK(y->rows == 1 && y->cols == gk_comet_k(m));
    gk_mat_free(x);
    gk_mat_free(y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init++) fuzz_init_threads();
    gk_comet *m = (gk_comet *)1;
    int rc = gk_comet_load_mem(data, size, "fuzz.model", &m);
    if (rc != GK_OK) {
        FUZZ_CHECK(m == NULL);
        fuzz_check_failure(rc, "fuzz.model");
        return 0;
    }
    FUZZ_CHECK(gk_comet_k(m) >= 1 && gk_comet_k(m) <= gk_comet_rank(m));
    apply_side(m, 0);
    apply_side(m, 1);
    gk_comet_free(m);
    return 0;
}
