/*
** split.h — honest train/test splits: random, by a label column (folds), class-disjoint.
*/
#ifndef GAPKIT_SPLIT_H
#define GAPKIT_SPLIT_H

#include "core.h"
#include "io.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

typedef enum gk_split_kind {
    GK_SPLIT_RANDOM = 1,  /* "random:FRACTION": a seeded FRACTION of the rows is test */
    GK_SPLIT_FOLD = 2,    /* "fold:COLUMN=VALUE": rows whose COLUMN equals VALUE are test;
                             "fold:COLUMN" = every value in turn (k-fold) */
    GK_SPLIT_CLASSES = 3  /* "classes:FRACTION": a seeded FRACTION of the classes is test */
} gk_split_kind;

typedef struct gk_split_spec {
    gk_split_kind kind;
    double fraction;  /* test fraction in (0,1), RANDOM and CLASSES */
    char column[128]; /* FOLD: CSV column holding the fold of each row */
    char value[128];  /* FOLD: the test value; "" when has_value == 0 */
    int has_value;    /* FOLD: 0 = loop over every value (k-fold) */
} gk_split_spec;

/*! gk_split_parse() : parses "random:F", "classes:F" (0 < F < 1),
 *  "fold:COLUMN=VALUE" or "fold:COLUMN".  @return : GK_OK, GK_EARG saying
 *  what was expected.  *out filled on success. */
int gk_split_parse(const char *s, gk_split_spec *out);

typedef struct gk_split {
    int64_t n;               /* rows split */
    int64_t n_train, n_test; /* n_train + n_test == n */
    int64_t *train, *test;   /* (n_train,), (n_test,) row indices, ascending */
    int32_t n_classes;       /* C for a class split, else 0 */
    uint8_t *test_class;     /* (C,) 1 = class in test; NULL unless a class split */
    int32_t n_test_classes;  /* classes in test (class split) */
    char desc[256];          /* e.g. "classes:0.5 seed 0: 25 train classes / 25 test
                                classes, 1000/1000 rows" */
} gk_split;

/*! gk_split_random() : a seeded random split of n rows: round(F·n) rows
 *  (at least 1, at most n−1) go to test.  n >= 2.  Same seed, same split.
 *  @return : GK_OK, GK_EARG, GK_ENOMEM.  *out : caller owns (gk_split_free). */
int gk_split_random(int64_t n, double test_fraction, uint64_t seed, gk_split **out);

/*! gk_split_fold() : rows i with strcmp(values[i], value) == 0 are test; the
 *  others train.  values (n,) e.g. a CSV column.  `column` names it in desc.
 *  @return : GK_OK, GK_EARG (no row or every row has that value), GK_ENOMEM. */
int gk_split_fold(const char *const *values, int64_t n, const char *column, const char *value,
                  gk_split **out);

/*! gk_split_fold_values() : the folds of "fold:COLUMN" (k-fold): the
 *  distinct strings of values (n,), in order of first appearance, into out
 *  (a caller buffer of n pointers, borrowed from values).  O(n·k).
 *  @return : their number k (0 when values is NULL or n < 1). */
int64_t gk_split_fold_values(const char *const *values, int64_t n, const char **out);

/*! gk_split_classes() : class-disjoint split: a seeded random round(F·C)
 *  of the C classes (at least 1, at most C−1) go to test with all their rows.
 *  cls (n,) in [0,C), C >= 2.  @return : GK_OK, GK_EARG, GK_ENOMEM. */
int gk_split_classes(const int32_t *cls, int64_t n, int32_t C, double test_fraction,
                     uint64_t seed, gk_split **out);

/*! gk_split_make() : the split described by spec over n rows.  RANDOM needs
 *  nothing else; CLASSES needs cls (n,) and C; FOLD needs values (n,) and
 *  spec->has_value.  @return : as the functions above; GK_EARG when a needed
 *  input is NULL (the message says which). */
int gk_split_make(const gk_split_spec *spec, int64_t n, const int32_t *cls, int32_t C,
                  const char *const *values, uint64_t seed, gk_split **out);

/*! gk_split_free() : NULL is a no-op. */
void gk_split_free(gk_split *s);

GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_SPLIT_H */
