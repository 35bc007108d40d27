/*
** transform.c — the transform applied before scoring: reading "--transform"
** strings (align options to fit, or a model file) and obtaining the model of
** one evaluation (given, or fitted on train pairs through gk_transform_fit,
** COMET's k rule included).
*/
#include <stdio.h>
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/eval.h"
#include "retrieval/retrieval_internal.h"
#include "eval_protocol_internal.h"

/* 1 if s starts with an align method's name followed by ':' or the end. */
static int names_method(const char *s)
{
    size_t len = strcspn(s, ":");
    for (int m = 0; m < GK_ALIGN_N_METHODS; m++) {
        const char *name = gk_align_method_name((gk_align_method)m);
        if (strlen(name) == len && !strncmp(s, name, len)) return 1;
    }
    return 0;
}

int gk_transform_open(const char *s, gk_align_opts *fit, int *has_fit, gk_align **model)
{
    GK_FAIL_IF(!s || !fit || !has_fit || !model, GK_EARG, "transform: NULL argument");
    *has_fit = 0, *model = NULL;
    GK_FAIL_IF(!*s, GK_EARG, "transform: empty; expected a model file or comet:k=K");
    if (!strcmp(s, "none")) return GK_OK;
    if (!strncmp(s, "head:", 5)) return gk_align_load(s + 5, model); /* gapkit train */
    if (!names_method(s)) return gk_align_load(s, model);
    int rc = gk_align_parse(s, fit);
    if (rc != GK_OK) return gk_error_prepend(rc, "transform");
    /* fitted on train pairs, COMET's k must be said: k=K, k=auto or k=shared */
    GK_FAIL_IF(!strncmp(s, "comet:", 6) && !strstr(s, "k="), GK_EARG,
               "transform: comet needs k=K or k=auto (comet:k=32)");
    *has_fit = 1;
    return GK_OK;
}

/* The transform fitted on (T, A): gk_transform_fit resolves COMET's k rule. */
static int fit_align(const gk_align_opts *fit, const gk_mat *T, const gk_mat *A,
                     const int32_t *groups, uint64_t seed, ev_model *em)
{
    char spec[128];
    gk_k_choice how;
    const gk_mat *views[2] = {T, A};
    int rc = gk_transform_fit(fit, views, 2, groups, seed, &em->fitted, &how);
    gk_k_choice_free(&how);
    GK_TRY(rc);
    em->model = em->fitted;
    snprintf(em->desc, sizeof em->desc, "%s%s%s, fitted on %lld train pairs",
             gk_align_opts_string(gk_align_get_opts(em->model), spec, sizeof spec),
             *how.why ? "; " : "", how.why, (long long)T->rows);
    return GK_OK;
}

/* A given model, described by the file it came from when it was loaded. */
static void given_model(const gk_align *m, ev_model *em)
{
    char spec[128];
    const gk_align_opts *o = gk_align_get_opts(m);
    const char *src = gk_align_source(m);
    em->model = m;
    if (!src)
        gk_align_describe(m, em->desc, sizeof em->desc);
    else if (o->method == GK_ALIGN_COMET)
        snprintf(em->desc, sizeof em->desc, "model %s (k=%lld, weight=%s)", src,
                 (long long)o->k, gk_comet_weight_name(o->weight));
    else
        snprintf(em->desc, sizeof em->desc, "model %s (%s)", src,
                 gk_align_opts_string(o, spec, sizeof spec));
}

int ev_needs_fit(const gk_align_opts *fit)
{
    return fit && fit->method != GK_ALIGN_IDENTITY;
}

int ev_model_get(const gk_align_opts *fit, const gk_align *model, const gk_mat *T,
                 const gk_mat *A, const int32_t *groups, uint64_t seed, ev_model *em)
{
    memset(em, 0, sizeof *em);
    ev_copy_text(em->desc, sizeof em->desc, "none");
    GK_FAIL_IF(fit && model, GK_EARG, "transform: give a transform to fit or a model, not both");
    if (model) {
        given_model(model, em);
        return GK_OK;
    }
    if (!fit) return GK_OK;
    if (fit->method == GK_ALIGN_IDENTITY) {
        ev_copy_text(em->desc, sizeof em->desc, "identity");
        return GK_OK;
    }
    return fit_align(fit, T, A, groups, seed, em);
}

int ev_model_apply(const ev_model *em, const gk_mat *X, const gk_mat *Y, gk_mat **X2,
                   gk_mat **Y2)
{
    *X2 = *Y2 = NULL;
    if (!em->model) return GK_OK;
    return gk_align_apply_pair(em->model, X, Y, X2, Y2);
}
