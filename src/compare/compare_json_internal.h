/*
** compare_json_internal.h — the one encoder of the parts of a compare row
** that both gk_compare_to_json and analyze's report table write.  Not
** installed.
*/
#ifndef GAPKIT_COMPARE_JSON_INTERNAL_H
#define GAPKIT_COMPARE_JSON_INTERNAL_H

#include <jansson.h>

#include "gapkit/compare.h"

/* A row's R@1 test against the baseline on the same queries:
** {diff_key, "ci_lo", "ci_hi", "p_value", "p_holm", "significant"}, or JSON
** null when not tested.  diff_key names the difference (this − baseline):
** "R@1_diff" in compare's document, "diff" in the report (report-format.md). */
json_t *cmp_test_json(const gk_compare_test *t, const char *diff_key);

#endif
