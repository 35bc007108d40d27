#!/usr/bin/env bash
# gap.sh — `gapkit gap` with three views: every pair's diagnostics equal the
# two-view command's on the same files (to the printed digits of the JSON),
# the centroid gap and mean true-pair cosine of each pair equal numpy's
# (float64, from the unit rows), and bad input (too many views, label
# pairing with three views, a view with other rows) fails with its code.
set -u
source "$(dirname "$0")/../cli_lib.sh"
C="$DATA/clip-coco-liang"
V=("$C/features_clip.npy:0" "$C/features_clip.npy:1" "$C/features_clip_random.npy:1")

"$GAPKIT" gap "${V[@]}" --json >"$T/three.json" || { echo "FAIL: gap three views"; fail=1; }
"$GAPKIT" gap "${V[1]}" "${V[2]}" --json >"$T/pair12.json" || { echo "FAIL: gap V1 V2"; fail=1; }
expect 0 "3 views, 500 items" gap "${V[@]}"
expect 0 "  0    1      0.85135" gap "${V[@]}"   # the data README's COCO gap

"$PY" - "$T" "$C" <<'PYEOF' || fail=1
import json, sys
import numpy as np
t, c = sys.argv[1], sys.argv[2]
d = json.load(open(f"{t}/three.json"))
assert [(p["x"], p["y"]) for p in d["pairs"]] == [(0, 1), (0, 2), (1, 2)], d["pairs"]
two = json.load(open(f"{t}/pair12.json"))
assert d["pairs"][2]["result"] == two, "pair (1,2) differs from gap V1 V2"
clip, rnd = np.load(f"{c}/features_clip.npy"), np.load(f"{c}/features_clip_random.npy")
views = [clip[0], clip[1], rnd[1]]
views = [v.astype(np.float64) / np.linalg.norm(v.astype(np.float64), axis=1, keepdims=True)
         for v in views]
for p in d["pairs"]:
    x, y, r = views[p["x"]], views[p["y"]], p["result"]
    gap = np.linalg.norm(x.mean(0) - y.mean(0))
    cos = np.mean(np.sum(x * y, axis=1))
    assert abs(r["gap"] - gap) < 1e-6, (p["x"], p["y"], r["gap"], gap)
    assert abs(r["cos_true"] - cos) < 1e-6, (p["x"], p["y"], r["cos_true"], cos)
PYEOF

"$PY" -c "import numpy as np; np.save('$T/short.npy', np.ones((10, 512), np.float32))"
expect 2 "short.npy" gap "${V[0]}" "${V[1]}" "$T/short.npy"
expect 1 "--pair-by-label pairs two views only" gap "${V[@]}" --labels x --prompt-labels y --pair-by-label
many=()
for i in $(seq 17); do many+=("${V[0]}"); done
expect 1 "up to 16 views" gap "${many[@]}"
expect 1 "expected two inputs" gap "${V[0]}"
exit $fail
