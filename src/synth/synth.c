/*
** synth.c — the synthetic paired-embedding generator (see synth.h for the model).
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/synth.h"
#include "linalg/linalg_internal.h"

gk_synth_opts gk_synth_opts_default(void)
{
    gk_synth_opts o = {
        .n = 2000, .d = 64, .k_shared = 8, .corr_first = 0.95, .corr_last = 0.6,
        .scale_first = 1.0, .scale_last = 0.5, .n_private = 8, .private_scale = 0.6,
        .gap = 1.0, .cone = 1.0, .noise = 0.02, .n_classes = 10, .normalize = 1, .seed = 0,
    };
    return o;
}

void gk_synth_free(gk_synth *s)
{
    if (!s) return;
    gk_mat_free(s->text);
    gk_mat_free(s->audio);
    gk_mat_free(s->axes);
    gk_free(s->corr);
    gk_free(s->scale);
    gk_free(s->gap_dir);
    gk_free(s->label);
    gk_free(s);
}

/* Linear interpolation from a (j = 0) to b (j = k-1). */
static double ramp(double a, double b, int64_t j, int64_t k)
{
    return k > 1 ? a + (b - a) * (double)j / (double)(k - 1) : a;
}

/* Q is (D,D) column-major on return: a Haar-like random orthonormal basis from
** the QR factorisation of a Gaussian matrix. */
static int random_basis(int64_t d, gk_rng *rng, double *Q)
{
    for (int64_t i = 0; i < d * d; i++) Q[i] = gk_rng_normal(rng);
    const int rc = gk_qr_basis(Q, d);
    return rc == GK_OK ? rc : gk_error_prepend(rc, "synth");
}

static int validate(const gk_synth_opts *o)
{
    GK_FAIL_IF(o->n < 2, GK_EARG, "synth: n = %lld, expected at least 2", (long long)o->n);
    GK_FAIL_IF(o->k_shared < 0 || o->n_private < 0, GK_EARG, "synth: negative axis count");
    GK_FAIL_IF(o->k_shared + 2 * o->n_private + 2 > o->d, GK_EARG,
               "synth: K + 2*private + 2 = %lld axes do not fit in d = %lld",
               (long long)(o->k_shared + 2 * o->n_private + 2), (long long)o->d);
    GK_FAIL_IF(o->d > 8192, GK_EARG, "synth: d = %lld, at most 8192", (long long)o->d);
    GK_FAIL_IF(o->corr_first < 0 || o->corr_first > 1 || o->corr_last < 0 || o->corr_last > 1,
               GK_EARG, "synth: correlations must lie in [0, 1]");
    GK_FAIL_IF(o->n_classes < 0, GK_EARG, "synth: n_classes must be >= 0");
    return GK_OK;
}

static int alloc_result(const gk_synth_opts *o, gk_synth **out)
{
    gk_synth *s = gk_calloc(1, sizeof *s);
    if (!s) return GK_ENOMEM;
    *out = s;
    GK_TRY(gk_mat_create(o->n, o->d, &s->text));
    GK_TRY(gk_mat_create(o->n, o->d, &s->audio));
    GK_TRY(gk_mat_create(o->k_shared, o->d, &s->axes));
    s->corr = gk_calloc((size_t)o->k_shared + 1, sizeof(double));
    s->scale = gk_calloc((size_t)o->k_shared + 1, sizeof(double));
    s->gap_dir = gk_calloc((size_t)o->d, sizeof(double));
    if (o->n_classes > 0) s->label = gk_calloc((size_t)o->n, sizeof(int32_t));
    if (!s->corr || !s->scale || !s->gap_dir || (o->n_classes > 0 && !s->label)) return GK_ENOMEM;
    return GK_OK;
}

/* x += c * (column `col` of the column-major basis Q). */
static void add_axis(float *x, const double *Q, int64_t d, int64_t col, double c)
{
    const double *q = Q + col * d;
    for (int64_t t = 0; t < d; t++) x[t] += (float)(c * q[t]);
}

/* Latent concept values of every class: (n_classes, K) standard normals. The
** within-class spread keeps a unit total variance per axis: z = 0.8·centre + 0.6·N(0,1). */
static void draw_item(const gk_synth_opts *o, const gk_synth *s, const double *Q,
                      const double *centres, int64_t i, gk_rng *rng)
{
    const int64_t d = o->d, K = o->k_shared, P = o->n_private;
    float *t = gk_mat_row(s->text, i), *a = gk_mat_row(s->audio, i);
    for (int64_t j = 0; j < K; j++) {
        double z = gk_rng_normal(rng);
        if (centres) z = 0.8 * centres[(int64_t)s->label[i] * K + j] + 0.6 * z;
        double rho = s->corr[j];
        double za = rho * z + sqrt(1.0 - rho * rho) * gk_rng_normal(rng);
        add_axis(t, Q, d, j, s->scale[j] * z);
        add_axis(a, Q, d, j, s->scale[j] * za);
    }
    for (int64_t p = 0; p < P; p++) {
        add_axis(t, Q, d, K + p, o->private_scale * gk_rng_normal(rng));
        add_axis(a, Q, d, K + P + p, o->private_scale * gk_rng_normal(rng));
    }
    const int64_t cone_col = K + 2 * P, gap_col = K + 2 * P + 1;
    add_axis(t, Q, d, cone_col, o->cone);
    add_axis(a, Q, d, cone_col, o->cone);
    add_axis(t, Q, d, gap_col, 0.5 * o->gap);
    add_axis(a, Q, d, gap_col, -0.5 * o->gap);
    for (int64_t c = 0; c < d; c++) {
        t[c] += (float)(o->noise * gk_rng_normal(rng));
        a[c] += (float)(o->noise * gk_rng_normal(rng));
    }
}

static void record_truth(const gk_synth_opts *o, gk_synth *s, const double *Q)
{
    for (int64_t j = 0; j < o->k_shared; j++) {
        s->corr[j] = ramp(o->corr_first, o->corr_last, j, o->k_shared);
        s->scale[j] = ramp(o->scale_first, o->scale_last, j, o->k_shared);
        float *e = gk_mat_row(s->axes, j);
        for (int64_t t = 0; t < o->d; t++) e[t] = (float)Q[j * o->d + t];
    }
    const double *g = Q + (o->k_shared + 2 * o->n_private + 1) * o->d;
    memcpy(s->gap_dir, g, (size_t)o->d * sizeof *g);
}

int gk_synth_generate(const gk_synth_opts *o, gk_synth **out)
{
    *out = NULL;
    GK_TRY(validate(o));
    gk_synth *s = NULL;
    double *Q = NULL, *centres = NULL;
    gk_rng rng;
    gk_rng_seed(&rng, o->seed);
    int rc;
    GK_TRY_GOTO(rc, alloc_result(o, &s), fail);
    Q = gk_malloc((size_t)o->d * (size_t)o->d * sizeof *Q);
    if (o->n_classes > 0)
        centres = gk_malloc((size_t)o->n_classes * (size_t)(o->k_shared + 1) * sizeof *centres);
    if (!Q || (o->n_classes > 0 && !centres)) GK_FAIL_GOTO(rc, GK_ENOMEM, fail, "synth: out of memory");
    GK_TRY_GOTO(rc, random_basis(o->d, &rng, Q), fail);
    record_truth(o, s, Q);
    for (int64_t c = 0; centres && c < (int64_t)o->n_classes * o->k_shared; c++)
        centres[c] = gk_rng_normal(&rng);
    for (int64_t i = 0; i < o->n; i++) {
        if (s->label) s->label[i] = (int32_t)(i % o->n_classes);
        draw_item(o, s, Q, centres, i, &rng);
    }
    if (o->normalize) {
        GK_TRY_GOTO(rc, gk_mat_normalize_rows(s->text), fail);
        GK_TRY_GOTO(rc, gk_mat_normalize_rows(s->audio), fail);
    }
    gk_free(Q);
    gk_free(centres);
    *out = s;
    return GK_OK;
fail:
    gk_free(Q);
    gk_free(centres);
    gk_synth_free(s);
    return rc;
}
