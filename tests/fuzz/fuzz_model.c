/*
** fuzz_model.c — libFuzzer target for the transform model files of the align
** module (kind "align" and kind "comet" with a "transform" member; docs/
** model-format.md), read by gk_align_load(), and for the path-based COMET
** loader gk_comet_load().  Those readers take a path, so the input is put in
** an anonymous in-memory file (memfd_create) named /proc/self/fd/N: no disk
** file per input.  A model that loads is applied to one row of ones per view.
*/
#include "fuzz_common.h"

static void apply_views(const gk_align *a)
{
    for (int v = 0; v < gk_align_n_views(a); v++) {
        int64_t d = gk_align_dim(a, v);
        gk_mat *x = NULL, *y = NULL;
        FUZZ_CHECK(d >= 1 && gk_mat_create(1, d, &x) == GK_OK);
        for (int64_t j = 0; j < d; j++) x->data[j] = 1.0f;
        int rc = gk_align_apply(a, v, x, &y);
        FUZZ_CHECK(rc == GK_OK || rc == GK_ENUMERIC);
        if (rc == GK_OK) FUZZ_CHECK(y->rows == 1 && y->cols == gk_align_out_dim(a, v));
        gk_mat_free(x);
        gk_mat_free(y);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init++) fuzz_init_threads();
    const char *path = fuzz_as_file(data, size);
    gk_align *a = (gk_align *)1;
    int rc = gk_align_load(path, &a);
    if (rc == GK_OK) {
        char buf[256], *json = NULL;
        gk_align_describe(a, buf, sizeof buf);
        FUZZ_CHECK(gk_align_to_json(a, &json) == GK_OK);
        gk_free(json);
        apply_views(a);
        gk_align_free(a);
    } else {
        FUZZ_CHECK(a == NULL);
        fuzz_check_failure(rc, path);
    }
    gk_comet *m = (gk_comet *)1;
    rc = gk_comet_load(path, &m);
    if (rc == GK_OK) gk_comet_free(m);
    else FUZZ_CHECK(m == NULL);
    return 0;
}
