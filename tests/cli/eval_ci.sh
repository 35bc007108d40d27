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
exit $fail
