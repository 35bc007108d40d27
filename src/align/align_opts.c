/*
** align_opts.c — the methods' names, default parameters, and the
** "METHOD[:KEY=VALUE,…]" text form used by the CLI (--method, --transform,
** --methods) and in reports.
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "align_internal.h"

static const char *const method_names[GK_ALIGN_N_METHODS] = {
    "identity", "center", "shift", "ablate", "procrustes", "cca", "comet", "projdec"};

/* Keys each method accepts, besides "anchor" (documented in align.h). */
static const char *const method_keys[GK_ALIGN_N_METHODS] = {
    "", "", "lambda", "m", "", "k, ridge", "k, weight", "temp, topk"};

const char *gk_align_method_name(gk_align_method m)
{
    if (m == GK_ALIGN_HEAD) return "head";
    return (unsigned)m < GK_ALIGN_N_METHODS ? method_names[m] : "?";
}

gk_align_opts gk_align_opts_default(gk_align_method method)
{
    gk_align_opts o;
    memset(&o, 0, sizeof o);
    o.method = method;
    o.anchor = -1;
    o.lambda = 1.0;
    o.m = 10;
    o.k = 32;
    o.ridge = 0.1;
    o.weight = GK_COMET_W_NONE;
    o.temperature = 100.0;
    o.topk = 0;
    o.permutations = 19;
    o.alpha = 0.05;
    return o;
}

/*====  parsing  ====*/

static int parse_real(const char *key, const char *v, double lo, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    GK_FAIL_IF(errno || end == v || *end || !isfinite(x) || x < lo, GK_EARG,
               "align: %s=%s; expected a number >= %g", key, v, lo);
    *out = x;
    return GK_OK;
}

static int parse_int(const char *key, const char *v, int64_t lo, int64_t *out)
{
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    GK_FAIL_IF(errno || end == v || *end || x < lo, GK_EARG,
               "align: %s=%s; expected an integer >= %lld", key, v, (long long)lo);
    *out = x;
    return GK_OK;
}

/* 1 if `key` belongs to the method (anchor belongs to all). */
static int key_allowed(gk_align_method m, const char *key)
{
    static const char *const owner[][2] = {{"lambda", "shift"}, {"m", "ablate"},
                                           {"k", "cca comet"},  {"ridge", "cca"},
                                           {"weight", "comet"}, {"temp", "projdec"},
                                           {"topk", "projdec"}};
    if (!strcmp(key, "anchor")) return 1;
    for (size_t i = 0; i < sizeof owner / sizeof owner[0]; i++)
        if (!strcmp(key, owner[i][0])) return strstr(owner[i][1], method_names[m]) != NULL;
    return 0;
}

static int set_key(gk_align_opts *o, const char *key, const char *v)
{
    int64_t t;
    GK_FAIL_IF(!key_allowed(o->method, key), GK_EARG, "align: %s takes no '%s'; its keys are "
               "%s%sanchor", method_names[o->method], key, method_keys[o->method],
               *method_keys[o->method] ? ", " : "");
    if (!strcmp(key, "lambda")) return parse_real(key, v, -INFINITY, &o->lambda);
    if (!strcmp(key, "m")) return parse_int(key, v, 1, &o->m);
    if (!strcmp(key, "k") && o->method == GK_ALIGN_COMET &&
        (!strcmp(v, "auto") || !strcmp(v, "shared"))) {
        o->k = 0; /* resolved at the fit (gk_transform_fit) */
        o->k_rule = !strcmp(v, "auto") ? GK_K_AUTO : GK_K_SHARED;
        return GK_OK;
    }
    if (!strcmp(key, "k")) {
        o->k_rule = GK_K_FIXED;
        return parse_int(key, v, 1, &o->k);
    }
    if (!strcmp(key, "ridge")) return parse_real(key, v, 0, &o->ridge);
    if (!strcmp(key, "weight")) return gk_comet_weight_parse(v, &o->weight);
    if (!strcmp(key, "temp")) {
        GK_TRY(parse_real(key, v, 0, &o->temperature));
        GK_FAIL_IF(o->temperature <= 0, GK_EARG, "align: temp must be > 0");
        return GK_OK;
    }
    if (!strcmp(key, "topk")) return parse_int(key, v, 0, &o->topk);
    GK_TRY(parse_int(key, v, -1, &t));
    GK_FAIL_IF(t >= GK_ALIGN_MAX_VIEWS, GK_EARG, "align: anchor=%s; expected -1..%d", v,
               GK_ALIGN_MAX_VIEWS - 1);
    o->anchor = (int)t;
    return GK_OK;
}

/* "k=1,ridge=0.5" */
static int parse_settings(const char *s, gk_align_opts *o)
{
    char item[128];
    while (*s) {
        size_t len = strcspn(s, ",");
        GK_FAIL_IF(len == 0 || len >= sizeof item, GK_EARG, "align: empty or too long setting "
                   "in '%s'", s);
        memcpy(item, s, len);
        item[len] = 0;
        char *eq = strchr(item, '=');
        GK_FAIL_IF(!eq, GK_EARG, "align: setting '%s'; expected KEY=VALUE", item);
        *eq = 0;
        GK_TRY(set_key(o, item, eq + 1));
        s += len + (s[len] == ',');
    }
    return GK_OK;
}

int gk_align_parse(const char *s, gk_align_opts *out)
{
    GK_FAIL_IF(!s || !out, GK_EARG, "align: NULL argument");
    size_t len = strcspn(s, ":");
    for (int m = 0; m < GK_ALIGN_N_METHODS; m++)
        if (strlen(method_names[m]) == len && !strncmp(s, method_names[m], len)) {
            gk_align_opts o = gk_align_opts_default((gk_align_method)m);
            GK_TRY(parse_settings(s[len] ? s + len + 1 : s + len, &o));
            *out = o;
            return GK_OK;
        }
    return gk_set_error(GK_EARG, "align: unknown method '%.*s'; expected identity, center, "
                        "shift, ablate, procrustes, cca, comet or projdec", (int)len, s);
}

const char *gk_k_rule_name(gk_k_rule r)
{
    return r == GK_K_SHARED ? "shared" : r == GK_K_FIXED ? "fixed" : "auto";
}

char *gk_align_opts_string(const gk_align_opts *o, char *buf, size_t cap)
{
    if (!buf || !cap) return buf;
    const char *name = gk_align_method_name(o->method);
    switch (o->method) {
    case GK_ALIGN_SHIFT: snprintf(buf, cap, "%s:lambda=%g", name, o->lambda); break;
    case GK_ALIGN_ABLATE: snprintf(buf, cap, "%s:m=%lld", name, (long long)o->m); break;
    case GK_ALIGN_CCA:
        snprintf(buf, cap, "%s:k=%lld,ridge=%g", name, (long long)o->k, o->ridge);
        break;
    case GK_ALIGN_COMET:
        if (o->k == 0)
            snprintf(buf, cap, "%s:k=%s,weight=%s", name,
                     o->k_rule == GK_K_SHARED ? "shared" : "auto",
                     gk_comet_weight_name(o->weight));
        else snprintf(buf, cap, "%s:k=%lld,weight=%s", name, (long long)o->k,
                      gk_comet_weight_name(o->weight));
        break;
    case GK_ALIGN_PROJDEC:
        snprintf(buf, cap, "%s:temp=%g,topk=%lld", name, o->temperature, (long long)o->topk);
        break;
    default: snprintf(buf, cap, "%s", name);
    }
    return buf;
}
