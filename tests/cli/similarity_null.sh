#!/usr/bin/env bash
# similarity_null.sh — `gapkit similarity --null N`: the permutation null of
# each measure against tests/reference/similarity_null_reference.py (COCO CLIP,
# 19 shuffled pairings of seed 3, the same permutations regenerated in
# Python), the table line, and the usage errors.
set -u
source "$(dirname "$0")/../cli_lib.sh"
C="$DATA/clip-coco-liang/features_clip.npy"

expect 1 "--null 1" similarity "$C:0" "$C:1" --null 1
expect 1 "--null x" similarity "$C:0" "$C:1" --null x
expect 1 "not with --k-sweep or tas" similarity "$C:0" "$C:1" --measure tas --null 9
expect 0 "calibrated (s - mean)/(1 - mean)" similarity "$C:0" "$C:1" --measure cka-linear --null 9

"$GAPKIT" similarity "$C:0" "$C:1" --measure cka-linear,mutual-knn --null 19 --seed 3 --json \
    >"$T/n.json" || fail=1
"$PY" - "$T/n.json" <<'PYEOF' || fail=1
import json, sys
ref = {  # similarity_null_reference.py
    "cka-linear": (0.6361957996, 0.0863083419, 0.0027334867, 0.6018304456, 201.167049, 0.05),
    "mutual-knn": (0.2494, 0.0204842105, 0.0021326205, 0.2337030112, 107.340143, 0.05),
}
res = json.load(open(sys.argv[1]))["results"]
assert len(res) == 2
for r, (name, want) in zip(res, ref.items()):
    n = r["null"]
    got = (n["observed"], n["null_mean"], n["null_sd"], n["calibrated"], n["z"], n["p_value"])
    tol = (1e-7, 1e-7, 1e-8, 1e-7, 1e-3, 0)
    for g, w, t in zip(got, want, tol):
        assert abs(g - w) <= t, (name, got, want)
    assert n["n_perm"] == 19 and n["seed"] == 3
PYEOF
exit $fail
