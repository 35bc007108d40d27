#!/usr/bin/env bash
# report_significance.sh — `gapkit report render` shows what compare's tests
# and the CKA null say: an error bar per tested cell with its numbers in the
# tooltip, * only on significant cells (R@1 and the tests beyond it, here
# zero-shot), the named pairs (compare --test) listed under the table with *
# on their significant tests, the test rule under the table, and
# linear CKA's chance level and calibrated value beside the raw one, and a
# clustering score's sd over the k-means restarts beside its value.
set -u
source "$(dirname "$0")/../cli_lib.sh"

cat >"$T/r.json" <<'JSON'
{"format": "gapkit-report", "version": 1,
 "cka_linear": 0.636,
 "cka_linear_null": {"n_perm": 49, "seed": 0, "observed": 0.636, "null_mean": 0.0842,
                     "null_sd": 0.0026, "calibrated": 0.6028, "z": 210.3, "p_value": 0.02},
 "compare": {"split": "random:0.5",
   "columns": [{"key": "R@1_x2y", "label": "R@1 x→y", "better": "higher"},
               {"key": "v_measure", "label": "k-means V", "better": "higher"},
               {"key": "zeroshot_top1", "label": "zero-shot top-1", "better": "higher"}],
   "significance": {"baseline": "identity", "rule": "RULE-TEXT Holm-Bonferroni over 2 tests",
                    "n_tests": 2, "alpha": 0.05},
   "rows": [
     {"transform": "identity", "values": {"R@1_x2y": 0.55, "v_measure": 0.371}, "tests": {},
      "over_restarts": {"n_restarts": 5, "v_measure": {"mean": 0.368, "sd": 0.0153}}},
     {"transform": "center", "values": {"R@1_x2y": 0.52, "zeroshot_top1": 0.9},
      "tests": {"R@1_x2y": {"diff": -0.028, "ci_lo": -0.072, "ci_hi": 0.016, "p_value": 0.30,
                            "p_holm": 0.91, "significant": false},
                "zeroshot_top1": {"diff": 0.05, "ci_lo": 0.02, "ci_hi": 0.08, "p_value": 0.001,
                                  "p_holm": 0.004, "significant": true}}},
     {"transform": "procrustes", "values": {"R@1_x2y": 0.15},
      "tests": {"R@1_x2y": {"diff": -0.404, "ci_lo": -0.476, "ci_hi": -0.336,
                            "p_value": 0.0001, "p_holm": 0.0016, "significant": true}}}],
   "versus": [{"a": "procrustes", "b": "center", "pairs": [{"views": [0, 1], "tests": {
      "R@1_x2y": {"diff": -0.376, "ci_lo": -0.44, "ci_hi": -0.31, "p_value": 0.0001,
                  "p_holm": 0.0016, "significant": true},
      "zeroshot_top1": {"diff": 0.01, "ci_lo": -0.02, "ci_hi": 0.04, "p_value": 0.5,
                        "p_holm": 1, "significant": false}}}]}]}}
JSON
"$GAPKIT" report render "$T/r.json" --out "$T/r.html" --quiet || { echo "FAIL: render"; fail=1; }
for frag in "vs identity: -0.0280 [-0.0720, +0.0160], Holm p 0.91\"" \
            "vs identity: -0.4040 [-0.4760, -0.3360], Holm p 0.0016 (significant)\"" \
            "RULE-TEXT Holm-Bonferroni over 2 tests" "chance 0.084; calibrated 0.603 (p 0.02)" \
            "<small title=\"sample sd over 5 k-means restarts\"> ± 0.015</small>" \
            "vs identity: +0.0500 [+0.0200, +0.0800], Holm p 0.004 (significant)\"" \
            "<li>procrustes − center: R@1 x→y -0.3760 [-0.4400, -0.3100], Holm p 0.0016<span" \
            "; zero-shot top-1 +0.0100 [-0.0200, +0.0400], Holm p 1</li>"; do
    grep -qF -- "$frag" "$T/r.html" || { echo "FAIL: page lacks '$frag'"; fail=1; }
done
n=$(grep -o 'differs from identity' "$T/r.html" | wc -l)
[ "$n" -eq 2 ] || { echo "FAIL: $n significance marks, expected 2"; fail=1; }
n=$(grep -o 'the two rows differ' "$T/r.html" | wc -l)
[ "$n" -eq 1 ] || { echo "FAIL: $n marks on named pairs, expected 1"; fail=1; }
exit $fail
