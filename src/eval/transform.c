/*
** transform.c — the transform applied before scoring: parsing "--transform"
** strings, applying a COMET model to both sides of a pair of inputs, and
** obtaining the model as a gk_align (loaded from a "comet" or "align" model
** file, or fitted on train pairs: COMET with a fixed or cross-validated k,
** or any other align method).
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "eval_internal.h"
#include "eval_protocol_internal.h"

/* "none", "align" or "corr". */
static int parse_weight(const char *s, size_t len, gk_comet_weight *w)
{
    if (len == 4 && !strncmp(s, "none", 4)) *w = GK_COMET_W_NONE;
    else if (len == 5 && !strncmp(s, "align", 5)) *w = GK_COMET_W_ALIGN;
    else if (len == 4 && !strncmp(s, "corr", 4)) *w = GK_COMET_W_CORR;
    else return gk_set_error(GK_EARG, "transform: weight '%.*s'; expected none, align or corr",
                             (int)len, s);
    return GK_OK;
}

/* "auto" or a positive integer, len characters of s. */
static int parse_k(const char *s, size_t len, int64_t *k)
{
    char buf[32], *end;
    GK_FAIL_IF(len == 0 || len >= sizeof buf, GK_EARG, "transform: expected k=K or k=auto");
    memcpy(buf, s, len);
    buf[len] = 0;
    if (!strcmp(buf, "auto")) {
        *k = 0;
        return GK_OK;
    }
    errno = 0;
    long long v = strtoll(buf, &end, 10);
    GK_FAIL_IF(errno || *end || v < 1, GK_EARG, "transform: k=%s; expected a positive integer "
               "or auto", buf);
    *k = v;
    return GK_OK;
}

/* The comma-separated "k=…,weight=…" list after "comet:". */
static int parse_comet(const char *s, gk_transform_spec *out)
{
    int have_k = 0;
    while (*s) {
        size_t len = strcspn(s, ",");
        if (!strncmp(s, "k=", 2)) {
            GK_TRY(parse_k(s + 2, len - 2, &out->k));
            have_k = 1;
        } else if (!strncmp(s, "weight=", 7)) {
            GK_TRY(parse_weight(s + 7, len - 7, &out->weight));
        } else {
            return gk_set_error(GK_EARG, "transform: unknown setting '%.*s'; expected k=K, "
                                "k=auto or weight=none|align|corr", (int)len, s);
        }
        s += len + (s[len] == ',');
    }
    GK_FAIL_IF(!have_k, GK_EARG, "transform: comet needs k=K or k=auto (comet:k=32)");
    return GK_OK;
}

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
    if (!strncmp(s, "comet:", 6)) {
        out->kind = GK_TRANSFORM_COMET_FIT;
        return parse_comet(s + 6, out);
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

/* Fits COMET on (T, A) with spec->k, or the k chosen by 5-fold CV. */
static int fit_model(const gk_transform_spec *xf, const gk_mat *T, const gk_mat *A,
                     const int32_t *groups, uint64_t seed, ev_model *em)
{
    gk_align_opts o = gk_align_opts_default(GK_ALIGN_COMET);
    double score = 0;
    o.k = xf->k;
    o.weight = xf->weight;
    if (o.k == 0) {
        int64_t cand[] = {8, 16, 32, 64, 128, 256};
        double sc[6];
        GK_TRY(gk_comet_select_k(T, A, groups, cand, 6, 5, seed, xf->weight, &o.k, sc));
        for (int c = 0; c < 6; c++)
            if (sc[c] > score) score = sc[c]; /* the chosen k has the best score */
    }
    GK_TRY(gk_align_fit_pair(&o, T, A, &em->model));
    const int64_t k = gk_align_get_opts(em->model)->k;
    if (xf->k == 0)
        snprintf(em->desc, sizeof em->desc, "comet:k=auto -> k=%lld (5-fold CV mAP@10 %.4f), "
                 "weight=%s, fitted on %lld train pairs", (long long)k, score,
                 gk_comet_weight_name(xf->weight), (long long)T->rows);
    else
        snprintf(em->desc, sizeof em->desc, "comet:k=%lld, weight=%s, fitted on %lld train pairs",
                 (long long)k, gk_comet_weight_name(xf->weight), (long long)T->rows);
    return GK_OK;
}

/* Any other align method, fitted on (T, A). */
static int fit_align(const gk_transform_spec *xf, const gk_mat *T, const gk_mat *A, ev_model *em)
{
    char spec[128];
    GK_TRY(gk_align_fit_pair(&xf->align, T, A, &em->model));
    snprintf(em->desc, sizeof em->desc, "%s, fitted on %lld train pairs",
             gk_align_opts_string(gk_align_get_opts(em->model), spec, sizeof spec),
             (long long)T->rows);
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
    if (xf->kind == GK_TRANSFORM_COMET_FIT) return fit_model(xf, T, A, groups, seed, em);
    if (xf->kind == GK_TRANSFORM_ALIGN_FIT && xf->align.method == GK_ALIGN_IDENTITY) {
        ev_copy_text(em->desc, sizeof em->desc, "identity");
        return GK_OK;
    }
    if (xf->kind == GK_TRANSFORM_ALIGN_FIT) return fit_align(xf, T, A, em);
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
