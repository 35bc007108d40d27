#!/usr/bin/env bash
# compare_significance.sh — `gapkit compare` tests each transform's R@1
# against identity's on the same queries: the JSON differences equal the R@1
# differences of the rows, ci_lo <= diff <= ci_hi, the Holm adjustment equals
# tests/reference/stats_reference.py's independent holm() over the reported
# p-values, significance is p_holm <= alpha, and the table states the rule.
set -u
source "$(dirname "$0")/../cli_lib.sh"
C="$DATA/clip-coco-liang/features_clip.npy"
REF="$(dirname "$0")/../reference"

expect 0 "Holm-Bonferroni over 4 tests" compare "$C:0" "$C:1" --split random:0.5 \
    --methods "identity center procrustes"
"$GAPKIT" compare "$C:0" "$C:1" --split random:0.5 --methods "identity center procrustes" \
    --json >"$T/c.json" || fail=1
"$PY" - "$T/c.json" "$REF" <<'PYEOF' || fail=1
import json, sys
sys.path.insert(0, sys.argv[2])
from stats_reference import holm
d = json.load(open(sys.argv[1]))
s = d["significance"]
assert s["baseline"] == "identity" and s["n_tests"] == 4 and s["alpha"] == 0.05, s
rows = {r["transform"]: r for r in d["rows"]}
base = rows["identity"]["pairs"][0]
assert base["a_to_b_vs_baseline"] is None
tests = []
for name in ("center", "procrustes"):
    p = rows[name]["pairs"][0]
    for way, t in (("a_to_b", p["a_to_b_vs_baseline"]), ("b_to_a", p["b_to_a_vs_baseline"])):
        assert abs(t["R@1_diff"] - (p[way]["R@1"] - base[way]["R@1"])) < 1e-12, (name, way, t)
        assert t["ci_lo"] <= t["R@1_diff"] <= t["ci_hi"], t
        assert 1 / 10000 <= t["p_value"] <= t["p_holm"] <= 1, t
        tests.append(t)
for t, adj in zip(tests, holm([t["p_value"] for t in tests])):
    assert abs(t["p_holm"] - adj) < 1e-12 and t["significant"] == (adj <= 0.05), (t, adj)
# procrustes loses about 0.4 of R@1 on COCO: far beyond chance
assert all(t["significant"] for t in tests[2:]), tests[2:]
PYEOF
exit $fail
