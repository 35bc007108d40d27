/*
** demo.c — the main job on the built-in synthetic data, whose answer is
** known: draw, diagnose the gap, fit COMET with the shared axes on a train
** half, set the axes found beside the true ones, score held-out retrieval
** before and after.  `gapkit demo` prints what gk_demo_run returns.
*/
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/analyze.h"

gk_demo_opts gk_demo_opts_default(void)
{
    gk_demo_opts o;
    memset(&o, 0, sizeof o);
    o.synth = gk_synth_opts_default();
    o.n_perm = 99;
    o.test_fraction = 0.5;
    return o;
}

void gk_demo_free(gk_demo_result *r)
{
    if (!r) return;
    gk_synth_free(r->synth);
    gk_gap_result_free(r->gap);
    gk_split_free(r->split);
    gk_k_choice_free(&r->shared);
    gk_align_free(r->model);
    gk_synth_recovery_free(r->recovery);
    gk_free(r);
}

/* COMET with k = shared on the train half; its axes against the truth. */
static int fit_shared(gk_demo_result *d)
{
    const gk_synth *s = d->synth;
    const gk_split *sp = d->split;
    gk_mat *t = NULL, *a = NULL;
    gk_align_opts o = gk_align_opts_default(GK_ALIGN_COMET);
    o.k = 0, o.k_rule = GK_K_SHARED;
    o.permutations = d->opts.n_perm, o.alpha = 0.05;
    int rc = gk_mat_select_rows(s->text, sp->train, sp->n_train, &t);
    if (rc == GK_OK) rc = gk_mat_select_rows(s->audio, sp->train, sp->n_train, &a);
    const gk_mat *views[2] = {t, a};
    if (rc == GK_OK)
        rc = gk_transform_fit(&o, views, 2, NULL, d->opts.synth.seed, &d->model, &d->shared);
    if (rc == GK_OK)
        rc = gk_synth_recovery_compare(s, gk_align_comet(d->model), d->shared.k, &d->recovery);
    gk_mat_free(t);
    gk_mat_free(a);
    return rc;
}

/* Held-out retrieval before and after COMET with the k found (fitted on the
** same train half by the protocol, as `gapkit eval --transform comet:k=K`). */
static int score(gk_demo_result *d)
{
    const gk_synth *s = d->synth;
    gk_align_opts fit = gk_align_opts_default(GK_ALIGN_COMET);
    fit.k = d->shared.k;
    GK_TRY(gk_retrieval_protocol(s->text, s->audio, NULL, NULL, d->split, NULL, NULL,
                                 d->opts.synth.seed, &d->raw));
    return gk_retrieval_protocol(s->text, s->audio, NULL, NULL, d->split, &fit, NULL,
                                 d->opts.synth.seed, &d->comet);
}

int gk_demo_run(const gk_demo_opts *opts, gk_demo_result **out)
{
    GK_FAIL_IF(!out, GK_EARG, "demo: out is NULL");
    *out = NULL;
    gk_demo_result *d = gk_calloc(1, sizeof *d);
    GK_FAIL_IF(!d, GK_ENOMEM, "demo: out of memory");
    d->opts = opts ? *opts : gk_demo_opts_default();
    int rc = gk_synth_generate(&d->opts.synth, &d->synth);
    if (rc == GK_OK) rc = gk_gap_diagnose(d->synth->text, d->synth->audio, NULL, &d->gap);
    if (rc == GK_OK)
        rc = gk_split_random(d->synth->text->rows, d->opts.test_fraction, d->opts.synth.seed,
                             &d->split);
    if (rc == GK_OK) rc = fit_shared(d);
    if (rc == GK_OK) rc = score(d);
    if (rc != GK_OK) {
        gk_demo_free(d);
        return rc;
    }
    *out = d;
    return GK_OK;
}
