/*
** adamw.c — the optimiser and the schedules of `gapkit train`: AdamW as
** torch.optim.AdamW (decoupled decay p ← p − lr·wd·p before the Adam
** update), the learning rate per step (linear warm-up, then cosine decay),
** and ModGap's loss weights per epoch.
*/
#include <math.h>
#include <string.h>

#include "core/error_internal.h"
#include "train_internal.h"

/* The decay mask as runs of equal flags (a few per view: weight matrices,
** then biases and LayerNorm), so each run is one loop with a constant
** shrink factor. */
int adamw_init(adamw *o, size_t n, const uint8_t *decay)
{
    memset(o, 0, sizeof *o);
    o->n = n, o->decay = decay;
    o->m = gk_calloc(n, sizeof(float));
    o->v = gk_calloc(n, sizeof(float));
    size_t runs = n > 0;
    for (size_t i = 1; i < n; i++) runs += decay[i] != decay[i - 1];
    o->run_end = gk_malloc((runs ? runs : 1) * sizeof *o->run_end);
    if (o->m && o->v && o->run_end) {
        for (size_t i = 1; i <= n; i++)
            if (i == n || decay[i] != decay[i - 1]) o->run_end[o->n_runs++] = i;
        return GK_OK;
    }
    adamw_free(o);
    return gk_set_error(GK_ENOMEM, "train: out of memory for the optimiser");
}

void adamw_free(adamw *o)
{
    gk_free(o->m);
    gk_free(o->v);
    gk_free(o->run_end);
    o->m = o->v = NULL;
    o->run_end = NULL;
}

/* Σ a·0 over n floats: 0, or NaN once one is Inf or NaN. */
static float nonfinite(const float *a, size_t n)
{
    float c = 0.0f;
#pragma omp simd reduction(+ : c)
    for (size_t i = 0; i < n; i++) c += a[i] * 0.0f;
    return c;
}

/* The update of floats [0, n) of one run, decay factor `shrink`, in blocks
** that stay in L1 while their gradients and new weights are checked: adds
** Σ g·0 to *gchk and Σ p·0 to *pchk (0, or NaN after an Inf or NaN).  Every
** float is updated on its own, so splitting the run over threads changes
** no bit. */
static void adam_run(float *p, const float *g, float *m, float *v, size_t n, float shrink,
                     float step, float rc2, float *gchk, float *pchk)
{
    enum { BLOCK = 2048 };
    const float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
    const size_t nb = (n + BLOCK - 1) / BLOCK;
    float gc = 0.0f, pc = 0.0f;
    const int nt = nb >= 32 ? gk_get_threads() : 1;
#pragma omp parallel for reduction(+ : gc, pc) schedule(static) num_threads(nt) if (nt > 1)
    for (size_t b = 0; b < nb; b++) {
        const size_t i0 = b * BLOCK, len = n - i0 < BLOCK ? n - i0 : BLOCK;
        float *pb = p + i0, *mb = m + i0, *vb = v + i0;
        const float *gb = g + i0;
#pragma omp simd
        for (size_t i = 0; i < len; i++) {
            mb[i] += (gb[i] - mb[i]) * (1.0f - b1);
            vb[i] = vb[i] * b2 + (1.0f - b2) * gb[i] * gb[i];
            pb[i] = pb[i] * shrink - step * (mb[i] / (sqrtf(vb[i]) / rc2 + eps));
        }
        gc += nonfinite(gb, len);
        pc += nonfinite(pb, len);
    }
    *gchk += gc, *pchk += pc;
}

/* m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;
** p ← p − (lr/(1−β1ᵗ)) · m / ( √v/√(1−β2ᵗ) + ε ),
** in float32 in torch's order of operations (so both round alike), as one
** vectorised pass per run of the decay mask: the step is memory-bound, and
** one sweep over p, g, m and v replaces torch's one per operation.  The
** finiteness of the gradients and new weights is checked in the same sweep:
** after a non-finite one the parameters and moments are garbage, and the
** caller stops (its kept heads are a copy). */
int adamw_step(adamw *o, float *params, const float *grads, double lr, double wd)
{
    o->t++;
    const double c1 = 1.0 - pow(0.9, (double)o->t), c2 = 1.0 - pow(0.999, (double)o->t);
    const float step = (float)(lr / c1), rc2 = (float)sqrt(c2), shrink = (float)(1.0 - lr * wd);
    float gchk = 0.0f, pchk = 0.0f;
    for (size_t r = 0, i = 0; r < o->n_runs; i = o->run_end[r++])
        adam_run(params + i, grads + i, o->m + i, o->v + i, o->run_end[r] - i,
                 o->decay[i] ? shrink : 1.0f, step, rc2, &gchk, &pchk);
    return gchk != 0.0f ? ADAMW_BAD_GRAD : pchk != 0.0f ? ADAMW_BAD_WEIGHT : ADAMW_OK;
}

double train_lr_at(double lr, double warmup, int64_t step, int64_t total)
{
    const int64_t W = (int64_t)llround(warmup * (double)total);
    if (step < W) return lr * (double)(step + 1) / (double)W;
    if (total <= W) return lr;
    return lr * 0.5 * (1.0 + cos(M_PI * (double)(step - W) / (double)(total - W)));
}

/* Reference schedule (ModGap config "EXP 10"), p = e/(E−1) the share of
** training done at 0-based epoch e: α = 1 until p = ½ then linear to 2 at
** p = 1; β = 1 until p = 0.2, linear to 0 at p = 0.7, then 0. */
void train_modgap_weights(const gk_train_opts *o, int e, int E, double *alpha, double *beta)
{
    if (!o->schedule) {
        *alpha = o->alpha, *beta = o->beta;
        return;
    }
    const double p = E > 1 ? (double)e / (double)(E - 1) : 0.0;
    *alpha = p <= 0.5 ? 1.0 : 1.0 + (p - 0.5) / 0.5;
    *beta = p <= 0.2 ? 1.0 : p >= 0.7 ? 0.0 : 1.0 - (p - 0.2) / 0.5;
}
