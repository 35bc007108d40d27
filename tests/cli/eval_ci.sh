#!/usr/bin/env bash
# eval_ci.sh — `gapkit eval --bootstrap B`: the intervals in the table and in
# the JSON (ci_lo <= value <= ci_hi, the numbers of
# tests/reference/eval_ci_reference.py with B = 200, seed 5), 0 turns them off,
# bad values are usage errors.
set -u
source "$(dirname "$0")/../cli_lib.sh"
COCO="$DATA/clip-coco-liang/features_clip.npy"
ESC="$DATA/esc50-clap"

expect 1 "--bootstrap 1" eval retrieval "$COCO:0" "$COCO:1" --bootstrap 1
expect 1 "--bootstrap -5" eval retrieval "$COCO:0" "$COCO:1" --bootstrap -5
expect 0 "95% intervals (percentile bootstrap over the scored queries, B = 1000, seed 0)" \
    eval retrieval "$COCO:0" "$COCO:1"
expect 0 "top-1 [0.9040, 0.9260]" eval zeroshot "$ESC/audio.npy" "$ESC/class_text.npy" \
    --labels "$ESC/meta.csv:class_name" --prompt-labels "$ESC/class_names.txt" \
    --bootstrap 200 --seed 5

"$GAPKIT" eval retrieval "$COCO:0" "$COCO:1" --bootstrap 200 --seed 5 --json >"$T/r.json" || fail=1
"$PY" - "$T/r.json" <<'PYEOF' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
assert d["bootstrap"]["B"] == 200 and d["bootstrap"]["seed"] == 5, d["bootstrap"]
ci = d["x_to_y"]["ci"]
assert abs(ci["R@1"]["ci_lo"] - 0.50995) < 1e-9 and abs(ci["R@1"]["ci_hi"] - 0.6) < 1e-9, ci
assert abs(ci["mAP"]["ci_lo"] - 0.632414245191) < 1e-9, ci
for way in ("x_to_y", "y_to_x"):
    for k, v in d[way]["ci"].items():
        assert v["ci_lo"] <= d[way][k] <= v["ci_hi"], (way, k)
PYEOF

"$GAPKIT" eval retrieval "$COCO:0" "$COCO:1" --bootstrap 0 --json >"$T/n.json" || fail=1
"$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); assert 'ci' not in d['x_to_y'] and 'bootstrap' not in d" "$T/n.json" || fail=1
# exact duplicate rows: 20 images of COCO repeated, merged by default
"$PY" - "$COCO" "$T" <<'PYEOF' || fail=1
import sys, numpy as np
f = np.load(sys.argv[1]).astype(np.float32)
x = np.concatenate([f[0][:100], f[0][:20]])
y = np.concatenate([f[1][:100], f[1][:20] + 0.2 * f[1][200:220]])
np.save(sys.argv[2] + "/x.npy", x)
np.save(sys.argv[2] + "/y.npy", y)
PYEOF
expect 0 "duplicates: 20 rows of X and 0 of Y are exact copies" eval retrieval "$T/x.npy" "$T/y.npy"
"$GAPKIT" eval retrieval "$T/x.npy" "$T/y.npy" --json >"$T/d.json" || fail=1
"$GAPKIT" eval retrieval "$T/x.npy" "$T/y.npy" --json --keep-duplicates >"$T/k.json" || fail=1
"$PY" - "$T/d.json" "$T/k.json" <<'PYEOF' || fail=1
import json, sys
d, k = (json.load(open(p)) for p in sys.argv[1:3])
assert d["duplicates"]["merged_x"] == 20 and d["duplicates"]["merged_y"] == 0, d["duplicates"]
assert d["y_to_x"]["n_gallery"] == 100 and "duplicates" not in k
assert k["y_to_x"]["R@1"] < d["y_to_x"]["R@1"], (k["y_to_x"]["R@1"], d["y_to_x"]["R@1"])
PYEOF
exit $fail
