/*
** train_spec.c — the text form "LOSS[:KEY=V,…]" of a training run, as
** `gapkit compare --train` and `gapkit analyze --train` name the heads they
** train beside the training-free transforms (docs/train.md), and its
** canonical string, the name of the head's row in their tables.
*/
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "train_internal.h"

/* A key of the spec: the gk_train_opts field it sets and its range. */
typedef enum { K_REAL, K_INT64, K_INT } key_type;
typedef struct spec_key {
    const char *name;
    key_type type;
    size_t off;
    double lo, hi;
} spec_key;

#define KEY(n, t, f, lo, hi) {n, t, offsetof(gk_train_opts, f), lo, hi}
static const spec_key KEYS[] = {
    KEY("dim", K_INT64, dim, 1, 1 << 20),        KEY("epochs", K_INT, epochs, 1, 1000000),
    KEY("batch", K_INT64, batch, 2, INT32_MAX),  KEY("lr", K_REAL, lr, 1e-300, INFINITY),
    KEY("warmup", K_REAL, warmup, 0, 0.999999),  KEY("wd", K_REAL, weight_decay, 0, INFINITY),
    KEY("dropout", K_REAL, dropout, 0, 0.999999), KEY("temp", K_REAL, temperature, 1e-6, 1e6),
    KEY("learn_temp", K_INT, learn_temperature, 0, 1), KEY("beta", K_REAL, soft_beta, 0, 1),
    KEY("alpha", K_REAL, alpha, 0, 1e6),         KEY("cu_beta", K_REAL, beta, 0, 1e6),
    KEY("mixup", K_REAL, mixup, 0, 1e6),         KEY("anchor", K_INT, anchor, 0, GK_TRAIN_MAX_VIEWS - 1),
};
#define N_KEYS (sizeof KEYS / sizeof KEYS[0])

static int set_key(const spec_key *k, const char *v, gk_train_opts *o)
{
    char *end;
    errno = 0;
    const double x = strtod(v, &end);
    const int integral = k->type == K_REAL || x == floor(x);
    GK_FAIL_IF(errno || end == v || *end || !(x >= k->lo && x <= k->hi) || !integral, GK_EARG,
               "train spec: %s=%s; expected %s in [%g, %g]", k->name, v,
               k->type == K_REAL ? "a number" : "an integer", k->lo, k->hi);
    char *field = (char *)o + k->off;
    if (k->type == K_REAL) *(double *)field = x;
    else if (k->type == K_INT64) *(int64_t *)field = (int64_t)x;
    else *(int *)field = (int)x;
    return GK_OK;
}

/* One "KEY=V": head takes a name, alpha/cu_beta switch ModGap to constants. */
static int parse_pair(char *kv, gk_train_opts *o)
{
    char *eq = strchr(kv, '=');
    GK_FAIL_IF(!eq, GK_EARG, "train spec: '%s'; expected KEY=VALUE", kv);
    *eq = 0;
    const char *v = eq + 1;
    if (!strcmp(kv, "head")) return gk_head_kind_parse(v, &o->head);
    for (size_t i = 0; i < N_KEYS; i++)
        if (!strcmp(kv, KEYS[i].name)) {
            if (!strcmp(kv, "alpha") || !strcmp(kv, "cu_beta")) o->schedule = 0;
            return set_key(&KEYS[i], v, o);
        }
    return gk_set_error(GK_EARG, "train spec: unknown key '%s' (expected head, dim, epochs, "
                        "batch, lr, warmup, wd, dropout, temp, learn_temp, beta, alpha, "
                        "cu_beta, mixup or anchor)", kv);
}

int gk_train_spec_parse(const char *s, gk_train_opts *out)
{
    GK_FAIL_IF(!s || !out, GK_EARG, "train spec: NULL argument");
    char buf[512];
    GK_FAIL_IF(strlen(s) >= sizeof buf, GK_EARG, "train spec: longer than %zu characters",
               sizeof buf - 1);
    snprintf(buf, sizeof buf, "%s", s);
    char *colon = strchr(buf, ':'), *save = NULL;
    if (colon) *colon = 0;
    gk_loss_kind loss;
    GK_TRY(gk_loss_kind_parse(buf, &loss));
    gk_train_opts o = gk_train_opts_default(loss);
    for (char *t = colon ? strtok_r(colon + 1, ",", &save) : NULL; t; t = strtok_r(NULL, ",", &save))
        GK_TRY(parse_pair(t, &o));
    *out = o;
    return GK_OK;
}

/* Appends ",KEY=V" for a key whose value differs from the loss's default. */
static void add_key(const spec_key *k, const gk_train_opts *o, const gk_train_opts *def,
                    char *buf, size_t cap)
{
    const char *a = (const char *)o + k->off, *b = (const char *)def + k->off;
    const size_t len = strlen(buf);
    if (k->type == K_REAL && *(const double *)a != *(const double *)b)
        snprintf(buf + len, cap - len, ",%s=%g", k->name, *(const double *)a);
    else if (k->type == K_INT64 && *(const int64_t *)a != *(const int64_t *)b)
        snprintf(buf + len, cap - len, ",%s=%lld", k->name, (long long)*(const int64_t *)a);
    else if (k->type == K_INT && *(const int *)a != *(const int *)b)
        snprintf(buf + len, cap - len, ",%s=%d", k->name, *(const int *)a);
}

char *gk_train_opts_string(const gk_train_opts *o, char *buf, size_t cap)
{
    if (!buf || !cap) return buf;
    if (!o) return snprintf(buf, cap, "?"), buf;
    const gk_train_opts def = gk_train_opts_default(o->loss);
    snprintf(buf, cap, "%s:head=%s", gk_loss_kind_name(o->loss), gk_head_kind_name(o->head));
    for (size_t i = 0; i < N_KEYS; i++) add_key(&KEYS[i], o, &def, buf, cap);
    const size_t len = strlen(buf);
    if (o->loss == GK_LOSS_MODGAP && !o->schedule && o->alpha == def.alpha &&
        o->beta == def.beta) /* constant weights equal to the defaults: still not the schedule */
        snprintf(buf + len, cap - len, ",alpha=%g", o->alpha);
    return buf;
}
