/*
** inspect.c — what `gapkit info` reports about an embedding file: storage,
** shape, NaN/Inf counts, L2 row-norm statistics and exact duplicate rows.
** The file is loaded without normalisation and without the finite check, so
** a broken file is described rather than rejected.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "io_internal.h"

/* NaN and Inf counts and the first offending element. */
static void count_nonfinite(const gk_mat *a, gk_inspect *r)
{
    r->first_bad_row = r->first_bad_col = -1;
    for (int64_t i = 0; i < a->rows; i++)
        for (int64_t j = 0; j < a->cols; j++) {
            float v = gk_mat_at(a, i, j);
            if (isfinite(v)) continue;
            if (isnan(v)) r->n_nan++;
            else r->n_inf++;
            if (r->first_bad_row < 0) {
                r->first_bad_row = i;
                r->first_bad_col = j;
            }
        }
}

/* min, mean, max of ||row i||_2 over rows with a finite norm (double sums). */
static int norm_stats(const gk_mat *a, gk_inspect *r)
{
    double *nrm = gk_malloc((size_t)a->rows * sizeof *nrm);
    if (!nrm) return GK_ENOMEM;
    gk_mat_row_norms(a, nrm);
    double lo = INFINITY, hi = -INFINITY, sum = 0.0;
    int64_t k = 0;
    for (int64_t i = 0; i < a->rows; i++) {
        if (nrm[i] == 0.0) r->n_zero_rows++;
        if (!isfinite(nrm[i])) continue;
        lo = fmin(lo, nrm[i]);
        hi = fmax(hi, nrm[i]);
        sum += nrm[i];
        k++;
    }
    r->norm_min = k ? lo : NAN;
    r->norm_max = k ? hi : NAN;
    r->norm_mean = k ? sum / (double)k : NAN;
    gk_free(nrm);
    return GK_OK;
}

int gk_inspect_file(const char *spec, gk_inspect *out)
{
    GK_FAIL_IF(!out, GK_EARG, "gk_inspect_file: out is NULL");
    memset(out, 0, sizeof *out);
    out->spec = spec;
    gk_load_opts o = gk_load_opts_default();
    o.normalize = 0;
    o.allow_nonfinite = 1;
    gk_mat *m;
    GK_TRY(gk_load_matrix_ex(spec, &o, &m, &out->info));
    out->rows = m->rows;
    out->cols = m->cols;
    count_nonfinite(m, out);
    int rc = norm_stats(m, out);
    if (rc == GK_OK) rc = io_count_duplicate_rows(m, &out->n_duplicate_rows);
    gk_mat_free(m);
    return rc == GK_OK ? GK_OK : gk_error_prepend(rc, spec);
}
