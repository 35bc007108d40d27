#!/usr/bin/env bash
# compare_significance.sh — `gapkit compare` tests each transform against
# identity on the same queries, on R@1, R@5 and mAP@10 of both directions:
# the JSON differences equal the differences of the rows' metrics,
# ci_lo <= diff <= ci_hi, the legacy R@1 keys ("R@1_diff") still hold the R@1
# test, the Holm adjustment equals tests/reference/stats_reference.py's
# independent holm() over all 12 reported p-values (one family),
# significance is p_holm <= alpha, and the table states the rule.
set -u
source "$(dirname "$0")/../cli_lib.sh"
C="$DATA/clip-coco-liang/features_clip.npy"
REF="$(dirname "$0")/../reference"

expect 0 "Holm-Bonferroni over 12 tests" compare "$C:0" "$C:1" --split random:0.5 \
    --methods "identity center procrustes"
"$GAPKIT" compare "$C:0" "$C:1" --split random:0.5 --methods "identity center procrustes" \
    --json >"$T/c.json" || fail=1
"$PY" - "$T/c.json" "$REF" <<'PYEOF' || fail=1
import json, sys
sys.path.insert(0, sys.argv[2])
from stats_reference import holm
d = json.load(open(sys.argv[1]))
s = d["significance"]
assert s["baseline"] == "identity" and s["n_tests"] == 12 and s["alpha"] == 0.05, s
assert "Holm-Bonferroni over 12 tests" in s["rule"], s["rule"]
rows = {r["transform"]: r for r in d["rows"]}
base = rows["identity"]["pairs"][0]
assert base["a_to_b_vs_baseline"] is None and base["vs_baseline"] is None
tests = []
for name in ("center", "procrustes"):
    p = rows[name]["pairs"][0]
    for way, xy in (("a_to_b", "x2y"), ("b_to_a", "y2x")):
        old = p[way + "_vs_baseline"]
        assert old["R@1_diff"] == old["diff"] == p["vs_baseline"]["R@1_" + xy]["diff"], old
        for m in ("R@1", "R@5", "mAP@10"):
            t = p["vs_baseline"][m + "_" + xy]
            assert abs(t["diff"] - (p[way][m] - base[way][m])) < 1e-9, (name, way, m, t)
            assert t["ci_lo"] <= t["diff"] <= t["ci_hi"], t
            assert 1 / 10000 <= t["p_value"] <= t["p_holm"] <= 1, t
            tests.append(t)
assert len(tests) == 12 and "zeroshot_top1" not in p["vs_baseline"]  # no prompts
for t, adj in zip(tests, holm([t["p_value"] for t in tests])):
    assert abs(t["p_holm"] - adj) < 1e-12 and t["significant"] == (adj <= 0.05), (t, adj)
# procrustes loses about 0.4 of R@1 on COCO: far beyond chance
assert all(t["significant"] for t in tests[6:]), tests[6:]
PYEOF
exit $fail
