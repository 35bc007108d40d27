/*
** split.c — honest train/test splits (methods.md §5): a seeded random split
** of the rows, a fold given by a CSV column ("fold:fold=1"), and a seeded
** class-disjoint split; plus the parser of the "--split" strings.
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/split.h"

void gk_split_free(gk_split *s)
{
    if (!s) return;
    gk_free(s->train);
    gk_free(s->test);
    gk_free(s->test_class);
    gk_free(s);
}

/* Fills train/test from is_test (n,), both ascending. */
static int split_from_mask(const uint8_t *is_test, int64_t n, gk_split **out)
{
    gk_split *s = gk_calloc(1, sizeof *s);
    if (!s) return GK_ENOMEM;
    for (int64_t i = 0; i < n; i++) s->n_test += is_test[i] != 0;
    s->n = n;
    s->n_train = n - s->n_test;
    s->train = gk_malloc((size_t)(s->n_train ? s->n_train : 1) * sizeof(int64_t));
    s->test = gk_malloc((size_t)(s->n_test ? s->n_test : 1) * sizeof(int64_t));
    if (!s->train || !s->test) {
        gk_split_free(s);
        return GK_ENOMEM;
    }
    int64_t a = 0, b = 0;
    for (int64_t i = 0; i < n; i++) {
        if (is_test[i]) s->test[b++] = i;
        else s->train[a++] = i;
    }
    *out = s;
    return GK_OK;
}

/* round(f·n) clamped to [1, n−1]. */
static int64_t test_count(double f, int64_t n)
{
    int64_t k = (int64_t)llround(f * (double)n);
    if (k < 1) k = 1;
    if (k > n - 1) k = n - 1;
    return k;
}

/* mark[perm[0..k)] = 1 for a seeded permutation of n. */
static int mark_random(int64_t n, int64_t k, uint64_t seed, uint8_t *mark)
{
    int64_t *perm = gk_malloc((size_t)n * sizeof *perm);
    if (!perm) return GK_ENOMEM;
    gk_rng r;
    gk_rng_seed(&r, seed);
    for (int64_t i = 0; i < n; i++) perm[i] = i;
    gk_rng_shuffle(&r, perm, n);
    memset(mark, 0, (size_t)n);
    for (int64_t i = 0; i < k; i++) mark[perm[i]] = 1;
    gk_free(perm);
    return GK_OK;
}

int gk_split_random(int64_t n, double test_fraction, uint64_t seed, gk_split **out)
{
    GK_FAIL_IF(!out, GK_EARG, "split: out is NULL");
    *out = NULL;
    GK_FAIL_IF(n < 2, GK_EARG, "split random: %lld rows; need at least 2", (long long)n);
    GK_FAIL_IF(!(test_fraction > 0 && test_fraction < 1), GK_EARG,
               "split random: test fraction %g is not in (0, 1)", test_fraction);
    uint8_t *mask = gk_malloc((size_t)n);
    int rc = mask ? mark_random(n, test_count(test_fraction, n), seed, mask) : GK_ENOMEM;
    if (rc == GK_OK) rc = split_from_mask(mask, n, out);
    gk_free(mask);
    if (rc == GK_OK)
        snprintf((*out)->desc, sizeof (*out)->desc, "random:%g seed %llu: %lld train / %lld test "
                 "rows", test_fraction, (unsigned long long)seed, (long long)(*out)->n_train,
                 (long long)(*out)->n_test);
    return rc;
}

int gk_split_fold(const char *const *values, int64_t n, const char *column, const char *value,
                  gk_split **out)
{
    GK_FAIL_IF(!out, GK_EARG, "split: out is NULL");
    *out = NULL;
    GK_FAIL_IF(!values || !value || n < 1, GK_EARG, "split fold: no values to split by");
    uint8_t *mask = gk_malloc((size_t)n);
    if (!mask) return GK_ENOMEM;
    int64_t k = 0;
    for (int64_t i = 0; i < n; i++) k += mask[i] = strcmp(values[i], value) == 0;
    int rc = GK_OK;
    if (k == 0 || k == n)
        rc = gk_set_error(GK_EARG, "split fold: %s row has %s = '%s'; need both train and "
                          "test rows", k ? "every" : "no", column ? column : "the column", value);
    if (rc == GK_OK) rc = split_from_mask(mask, n, out);
    gk_free(mask);
    if (rc == GK_OK)
        snprintf((*out)->desc, sizeof (*out)->desc, "fold:%s=%s: %lld train / %lld test rows",
                 column ? column : "", value, (long long)(*out)->n_train,
                 (long long)(*out)->n_test);
    return rc;
}

/* The class split once the test classes are marked in tc (C,). */
int64_t gk_split_fold_values(const char *const *values, int64_t n, const char **out)
{
    int64_t k = 0;
    for (int64_t i = 0; values && out && i < n; i++) {
        int64_t j = 0;
        while (j < k && strcmp(out[j], values[i])) j++;
        if (j == k) out[k++] = values[i];
    }
    return k;
}

static int classes_to_rows(const int32_t *cls, int64_t n, int32_t C, uint8_t *tc,
                           gk_split **out)
{
    uint8_t *mask = gk_malloc((size_t)n);
    if (!mask) return GK_ENOMEM;
    for (int64_t i = 0; i < n; i++) mask[i] = tc[cls[i]];
    int rc = split_from_mask(mask, n, out);
    gk_free(mask);
    if (rc != GK_OK) return rc;
    (*out)->n_classes = C;
    (*out)->test_class = tc;
    for (int32_t c = 0; c < C; c++) (*out)->n_test_classes += tc[c];
    return GK_OK;
}

int gk_split_classes(const int32_t *cls, int64_t n, int32_t C, double test_fraction,
                     uint64_t seed, gk_split **out)
{
    GK_FAIL_IF(!out, GK_EARG, "split: out is NULL");
    *out = NULL;
    GK_FAIL_IF(!cls || n < 2 || C < 2, GK_EARG, "split classes: %lld rows of %d classes; need "
               "class labels and at least 2 classes", (long long)n, C);
    GK_FAIL_IF(!(test_fraction > 0 && test_fraction < 1), GK_EARG,
               "split classes: test fraction %g is not in (0, 1)", test_fraction);
    for (int64_t i = 0; i < n; i++)
        GK_FAIL_IF(cls[i] < 0 || cls[i] >= C, GK_EARG, "split classes: class %d of row %lld is "
                   "outside [0, %d)", cls[i], (long long)i, C);
    uint8_t *tc = gk_malloc((size_t)C);
    int rc = tc ? mark_random(C, test_count(test_fraction, C), seed, tc) : GK_ENOMEM;
    if (rc == GK_OK) rc = classes_to_rows(cls, n, C, tc, out);
    if (rc != GK_OK) {
        gk_free(tc);
        return rc;
    }
    gk_split *s = *out;
    snprintf(s->desc, sizeof s->desc, "classes:%g seed %llu: %d train classes / %d test "
             "classes, %lld/%lld rows", test_fraction, (unsigned long long)seed,
             C - s->n_test_classes, s->n_test_classes, (long long)s->n_train,
             (long long)s->n_test);
    return GK_OK;
}

/* "F" with 0 < F < 1, the whole string. */
static int parse_fraction(const char *s, const char *what, double *f)
{
    char *end;
    errno = 0;
    *f = strtod(s, &end);
    GK_FAIL_IF(errno || end == s || *end || !(*f > 0 && *f < 1), GK_EARG,
               "split '%s': expected %s:FRACTION with 0 < FRACTION < 1", s, what);
    return GK_OK;
}

/* "COLUMN=VALUE" or "COLUMN". */
static int parse_fold(const char *s, gk_split_spec *out)
{
    const char *eq = strchr(s, '=');
    size_t nc = eq ? (size_t)(eq - s) : strlen(s);
    GK_FAIL_IF(nc == 0 || nc >= sizeof out->column, GK_EARG,
               "split 'fold:%s': expected fold:COLUMN=VALUE or fold:COLUMN", s);
    memcpy(out->column, s, nc);
    out->column[nc] = 0;
    if (!eq) return GK_OK;
    GK_FAIL_IF(!eq[1] || strlen(eq + 1) >= sizeof out->value, GK_EARG,
               "split 'fold:%s': expected a value after '='", s);
    snprintf(out->value, sizeof out->value, "%s", eq + 1);
    out->has_value = 1;
    return GK_OK;
}

int gk_split_parse(const char *s, gk_split_spec *out)
{
    GK_FAIL_IF(!s || !out, GK_EARG, "split: NULL argument");
    memset(out, 0, sizeof *out);
    if (!strncmp(s, "random:", 7)) {
        out->kind = GK_SPLIT_RANDOM;
        return parse_fraction(s + 7, "random", &out->fraction);
    }
    if (!strncmp(s, "classes:", 8)) {
        out->kind = GK_SPLIT_CLASSES;
        return parse_fraction(s + 8, "classes", &out->fraction);
    }
    if (!strncmp(s, "fold:", 5)) {
        out->kind = GK_SPLIT_FOLD;
        return parse_fold(s + 5, out);
    }
    return gk_set_error(GK_EARG, "split '%s': expected random:FRACTION, classes:FRACTION, "
                        "fold:COLUMN=VALUE or fold:COLUMN", s);
}

int gk_split_make(const gk_split_spec *spec, int64_t n, const int32_t *cls, int32_t C,
                  const char *const *values, uint64_t seed, gk_split **out)
{
    GK_FAIL_IF(!spec || !out, GK_EARG, "split: NULL argument");
    *out = NULL;
    switch (spec->kind) {
    case GK_SPLIT_RANDOM: return gk_split_random(n, spec->fraction, seed, out);
    case GK_SPLIT_CLASSES:
        GK_FAIL_IF(!cls, GK_EARG, "split classes: needs a class label per row");
        return gk_split_classes(cls, n, C, spec->fraction, seed, out);
    case GK_SPLIT_FOLD:
        GK_FAIL_IF(!values, GK_EARG, "split fold:%s: needs the column's value per row",
                   spec->column);
        GK_FAIL_IF(!spec->has_value, GK_EARG, "split fold:%s: give a value (fold:%s=VALUE) "
                   "or loop over the values", spec->column, spec->column);
        return gk_split_fold(values, n, spec->column, spec->value, out);
    }
    return gk_set_error(GK_EARG, "split: unknown kind %d", (int)spec->kind);
}
