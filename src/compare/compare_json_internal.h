/*
** compare_json_internal.h — the one encoder of the parts of a compare result
** that both gk_compare_to_json and analyze's report table write: a row's
** head, its paired tests, the named pairs and the test rule.  Not installed.
*/
#ifndef GAPKIT_COMPARE_JSON_INTERNAL_H
#define GAPKIT_COMPARE_JSON_INTERNAL_H

#include <jansson.h>

#include "gapkit/compare.h"

/* One paired test: {"diff", "ci_lo", "ci_hi", "p_value", "p_holm",
** "significant"} (diff = this row minus the other), or JSON null when not run. */
json_t *cmp_test_json(const gk_compare_test *t);

/* Every test run of c on view pair q, keyed as analyze's table columns
** (report-format.md): "R@1_x2y", "R@1_y2x", "R@5_x2y", "R@5_y2x",
** "mAP@10_x2y", "mAP@10_y2x" (x→y: view a → view b of the pair) and
** "zeroshot_top1" (the row's, in every pair); tests not run are left out.
** c NULL: {}. */
json_t *cmp_tests_json(const gk_compare_tests *c, int q);

/* {"a": row, "b": other row, "pairs": [{"views": [a, b], "tests": {…}}]}:
** one row against another (cmp_tests_json per view pair). */
json_t *cmp_versus_json(const gk_compare_result *r, const gk_compare_tests *c);

/* [cmp_versus_json of each named pair], in the order given. */
json_t *cmp_versus_list_json(const gk_compare_result *r);

/* How the rows were tested: baseline, metrics, test, correction, n_tests
** (the Holm family), named_pairs, alpha, permutations, bootstrap, level,
** seed and "rule" (one sentence); null when no test was run. */
json_t *cmp_significance_json(const gk_compare_result *r);

/* {"transform", "description", "ok", "error" (failed rows only)}: the head
** of a row in both compare's document and analyze's table. */
json_t *cmp_row_head_json(const gk_compare_row *r);

#endif
