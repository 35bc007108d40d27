/*
** transform.c — the transform applied before scoring: parsing "--transform"
** strings, applying a COMET model to both sides of a pair of inputs, and
** obtaining the model as a gk_align (loaded from a "comet" or "align" model
** file, or fitted on train pairs through gk_transform_fit, COMET's k rule
** included).
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

int gk_transform_parse(const char *s, gk_transform_spec *out)
{
    GK_FAIL_IF(!s || !out, GK_EARG, "transform: NULL argument");
    memset(out, 0, sizeof *out);
    GK_FAIL_IF(!*s, GK_EARG, "transform: empty; expected a model file or comet:k=K");
    if (!strcmp(s, "none")) return GK_OK;
    if (!strncmp(s, "head:", 5)) { /* trained heads (gapkit train): a model file */
        out->kind = GK_TRANSFORM_MODEL;
        out->path = s + 5;
        return GK_OK;
    }
    if (!strncmp(s, "comet:", 6)) { /* COMET fitted on train pairs: k must be given */
        out->kind = GK_TRANSFORM_COMET_FIT;
        const int rc = gk_align_parse(s, &out->align);
        if (rc != GK_OK) return gk_error_prepend(rc, "transform");
        GK_FAIL_IF(!strstr(s, "k="), GK_EARG, "transform: comet needs k=K or k=auto "
                   "(comet:k=32)");
        out->k = out->align.k, out->weight = out->align.weight;
        return GK_OK;
    }
    if (names_method(s)) {
        out->kind = GK_TRANSFORM_ALIGN_FIT;
        return gk_align_parse(s, &out->align);
    }
    out->kind = GK_TRANSFORM_MODEL;
    out->path = s;
    return GK_OK;
}

int gk_transform_needs_fit(const gk_transform_spec *xf)
{
    if (!xf) return 0;
    return xf->kind == GK_TRANSFORM_COMET_FIT ||
           (xf->kind == GK_TRANSFORM_ALIGN_FIT && xf->align.method != GK_ALIGN_IDENTITY);
}

int gk_transform_apply_pair(const gk_comet *m, int64_t k, gk_comet_weight w, const gk_mat *X,
                            const gk_mat *Y, gk_mat **X2, gk_mat **Y2)
{
    GK_FAIL_IF(!X2 || !Y2, GK_EARG, "transform: NULL output");
    *X2 = *Y2 = NULL;
    int rc;
    GK_TRY_GOTO(rc, gk_comet_apply(m, 0, X, k, w, X2), fail);
    GK_TRY_GOTO(rc, gk_comet_apply(m, 1, Y, k, w, Y2), fail);
    /* coefficients are compared by cosine: unit rows make inner products cosines */
    GK_TRY_GOTO(rc, gk_mat_normalize_rows(*X2), fail);
    GK_TRY_GOTO(rc, gk_mat_normalize_rows(*Y2), fail);
    return GK_OK;
fail:
    gk_mat_free(*X2);
    gk_mat_free(*Y2);
    *X2 = *Y2 = NULL;
    return rc;
}

/* The options of a COMET_FIT spec: its align member as parsed, or, for a spec
** filled in by hand with only k and weight, COMET with those. */
static gk_align_opts comet_opts(const gk_transform_spec *xf)
{
    if (xf->align.method == GK_ALIGN_COMET) return xf->align;
    gk_align_opts o = gk_align_opts_default(GK_ALIGN_COMET);
    o.k = xf->k, o.weight = xf->weight;
    o.k_rule = xf->k > 0 ? GK_K_FIXED : GK_K_AUTO;
    return o;
}

/* The transform fitted on (T, A): gk_transform_fit resolves COMET's k rule. */
static int fit_align(const gk_transform_spec *xf, const gk_mat *T, const gk_mat *A,
                     const int32_t *groups, uint64_t seed, ev_model *em)
{
    char spec[128], why[160];
    const gk_mat *views[2] = {T, A};
    const gk_align_opts o = xf->kind == GK_TRANSFORM_COMET_FIT ? comet_opts(xf) : xf->align;
    GK_TRY(gk_transform_fit(&o, views, 2, groups, seed, &em->model, why, sizeof why));
    snprintf(em->desc, sizeof em->desc, "%s%s%s, fitted on %lld train pairs",
             gk_align_opts_string(gk_align_get_opts(em->model), spec, sizeof spec),
             *why ? "; " : "", why, (long long)T->rows);
    return GK_OK;
}

/* A saved model; a COMET model takes the spec's k and weight when given. */
static int load_model(const gk_transform_spec *xf, ev_model *em)
{
    char spec[128];
    GK_TRY(gk_align_load(xf->path, &em->model));
    const gk_align_opts *o = gk_align_get_opts(em->model);
    if (o->method == GK_ALIGN_COMET && (xf->k > 0 || xf->weight != GK_COMET_W_NONE)) {
        int64_t k = xf->k > 0 && xf->k < o->k ? xf->k : 0;
        GK_TRY(gk_align_set_comet(em->model, k, xf->weight));
    }
    if (o->method == GK_ALIGN_COMET)
        snprintf(em->desc, sizeof em->desc, "model %s (k=%lld, weight=%s)", xf->path,
                 (long long)o->k, gk_comet_weight_name(o->weight));
    else
        snprintf(em->desc, sizeof em->desc, "model %s (%s)", xf->path,
                 gk_align_opts_string(o, spec, sizeof spec));
    return GK_OK;
}

int ev_model_get(const gk_transform_spec *xf, const gk_mat *T, const gk_mat *A,
                 const int32_t *groups, uint64_t seed, ev_model *em)
{
    memset(em, 0, sizeof *em);
    ev_copy_text(em->desc, sizeof em->desc, "none");
    if (!xf || xf->kind == GK_TRANSFORM_NONE) return GK_OK;
    if (xf->kind == GK_TRANSFORM_ALIGN_FIT && xf->align.method == GK_ALIGN_IDENTITY) {
        ev_copy_text(em->desc, sizeof em->desc, "identity");
        return GK_OK;
    }
    if (xf->kind == GK_TRANSFORM_COMET_FIT || xf->kind == GK_TRANSFORM_ALIGN_FIT)
        return fit_align(xf, T, A, groups, seed, em);
    return load_model(xf, em);
}

int ev_model_apply(const ev_model *em, const gk_mat *X, const gk_mat *Y, gk_mat **X2,
                   gk_mat **Y2)
{
    *X2 = *Y2 = NULL;
    if (!em->model) return GK_OK;
    int rc = gk_align_apply(em->model, 0, X, X2);
    if (rc == GK_OK) rc = gk_align_apply(em->model, 1, Y, Y2);
    if (rc != GK_OK) {
        gk_mat_free(*X2);
        *X2 = NULL;
    }
    return rc;
}
