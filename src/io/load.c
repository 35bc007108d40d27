/*
** load.c — gk_load_matrix(): one entry point for every embedding format.
** Splits the spec, dispatches on the file kind, then checks that every value
** is finite and normalises rows if asked.  Errors are prefixed with the spec.
*/
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "core/error_internal.h"
#include "core/matrix_internal.h"
#include "io_internal.h"

gk_load_opts gk_load_opts_default(void)
{
    gk_load_opts o = {.normalize = 1, .allow_mmap = 1, .allow_nonfinite = 0};
    return o;
}

static int load_text(const char *path, const char *sel, gk_mat **out, gk_array_info *info)
{
    GK_FAIL_IF(sel != NULL, GK_EARG,
               "selector '%s' given but word-vector files hold a single matrix", sel);
    return io_wordvec_load(path, out, NULL, info);
}

/* Reads the file part of a spec, dispatching on its kind. */
static int load_kind(const char *path, const char *sel, const gk_load_opts *o, gk_mat **out,
                     gk_array_info *info)
{
    switch (io_kind_of(path)) {
    case IO_KIND_NPY: return io_npy_load(path, sel, o->allow_mmap, out, info);
    case IO_KIND_NPZ: return io_npz_load(path, sel, out, info);
    case IO_KIND_TEXT:
    case IO_KIND_W2V_BIN: return load_text(path, sel, out, info);
    case IO_KIND_CSV:
        return gk_set_error(GK_EFORMAT, "a CSV file holds labels, not embeddings; expected "
                                        ".npy, .npz, .txt, .vec or .bin");
    default:
        /* "missing.npz:member" ends in neither extension: say what is wrong */
        GK_FAIL_IF(access(path, F_OK) != 0, GK_EIO, "cannot open: %s", strerror(errno));
        return gk_set_error(GK_EFORMAT, "unknown file type; expected .npy, .npz, GloVe/word2vec "
                                        "text (.txt, .vec) or word2vec binary (.bin)");
    }
}

int gk_load_matrix_ex(const char *spec, const gk_load_opts *opts, gk_mat **out,
                      gk_array_info *info)
{
    GK_FAIL_IF(!out, GK_EARG, "gk_load_matrix: out is NULL");
    *out = NULL;
    GK_FAIL_IF(!spec, GK_EARG, "gk_load_matrix: spec is NULL");
    gk_load_opts o = opts ? *opts : gk_load_opts_default();
    gk_array_info scratch;
    gk_array_info *inf = info ? info : &scratch;
    memset(inf, 0, sizeof *inf);
    inf->view = -1;
    char *path = NULL;
    const char *sel;
    int rc;
    GK_TRY_GOTO(rc, io_spec_split(spec, &path, &sel), cleanup);
    GK_TRY_GOTO(rc, load_kind(path, sel, &o, out, inf), cleanup);
    /* normalising already finds (and names) NaN and Inf: one pass, not two */
    if (!o.allow_nonfinite && !o.normalize) GK_TRY_GOTO(rc, gk_mat_check_finite(*out), cleanup);
    if (o.normalize) GK_TRY_GOTO(rc, mat_normalize_loaded(out, NULL), cleanup);
cleanup:
    gk_free(path);
    if (rc != GK_OK) {
        gk_mat_free(*out);
        *out = NULL;
        gk_error_prepend(rc, spec);
    }
    return rc;
}

int gk_load_matrix(const char *spec, const gk_load_opts *opts, gk_mat **out)
{
    return gk_load_matrix_ex(spec, opts, out, NULL);
}
