#!/usr/bin/env bash
# eval.sh — `gapkit eval`: exit codes and messages for bad options (usage
# errors exit 1, input errors exit 2), --help on stdout, and the reference
# numbers of ../shared/data in the JSON documents (parsed with $PY).
set -u
source "$(dirname "$0")/../cli_lib.sh"
COCO="$DATA/clip-coco-liang/features_clip.npy"
ESC="$DATA/esc50-clap"
ZS=(zeroshot "$ESC/audio.npy" "$ESC/class_text.npy" --labels "$ESC/meta.csv:class_name"
    --prompt-labels "$ESC/class_names.txt")

# ev CODE FRAGMENT ARGS…: cli_lib.sh's expect for `gapkit eval ARGS…`
ev() { local c=$1 f=$2; shift 2; expect "$c" "$f" eval "$@"; }

ev 0 "usage: gapkit eval retrieval" --help
ev 0 "--split classes:F" retrieval --help
ev 1 "usage: gapkit eval" 
ev 1 "unknown eval task 'ranking'" ranking a b
ev 1 "unknown option" retrieval --bogus "$COCO:0" "$COCO:1"
ev 1 "expects two inputs" retrieval "$COCO:0"
ev 1 "--split halves" retrieval "$COCO:0" "$COCO:1" --split halves
ev 1 "0 < FRACTION < 1" retrieval "$COCO:0" "$COCO:1" --split random:2
ev 1 "needs --split" retrieval "$COCO:0" "$COCO:1" --transform comet:k=8
ev 1 "weight 'heavy'" retrieval "$COCO:0" "$COCO:1" --split random:0.2 --transform comet:k=8,weight=heavy
ev 1 "both --groups-x and --groups-y" retrieval "$COCO:0" "$COCO:1" --groups-x "$ESC/class_names.txt"
ev 1 "needs --labels" zeroshot "$ESC/audio.npy" "$ESC/class_text.npy"
ev 1 "--seed -3" retrieval "$COCO:0" "$COCO:1" --seed -3
ev 1 "needs classes" retrieval "$COCO:0" "$COCO:1" --split classes:0.5
ev 1 "--split-csv" retrieval "$COCO:0" "$COCO:1" --split fold:fold=1
ev 2 "missing.npy" retrieval "$T/missing.npy" "$COCO:1"
ev 2 "500 rows but" retrieval "$COCO:0" "$ESC/class_text.npy"
ev 2 "missing_model.npz: cannot open" retrieval "$ESC/audio.npy" "$ESC/class_text.npy" --groups-x "$ESC/meta.csv:class_name" --groups-y "$ESC/class_names.txt" --transform "$T/missing_model.npz"
ev 2 "has 50 labels but" "${ZS[@]::3}" --labels "$ESC/class_names.txt" --prompt-labels "$ESC/class_names.txt"
ev 2 "no row has fold = '9'" "${ZS[@]}" --split fold:fold=9
ev 0 "top-1 0.9150, top-5 0.9935" "${ZS[@]}"
ev 0 "transform: comet:k=16" "${ZS[@]}" --split classes:0.5 --transform comet:k=16

# the --k auto hook of `gapkit comet fit` (cross-validated k, eval.h)
"$GAPKIT" comet fit "$COCO:1" "$COCO:0" --k auto --out "$T/m.npz" >"$T/out" 2>"$T/err"
if [ $? -ne 0 ] || ! grep -q -- "kept 128 of 512 axes (auto: 5-fold CV mAP@10" "$T/out"; then
    echo "FAIL: comet fit --k auto"; cat "$T/out" "$T/err"; fail=1
fi
ev 0 "transform: model $T/m.npz (k=" retrieval "$COCO:1" "$COCO:0" --transform "$T/m.npz"

# JSON documents carry the reference numbers
"$GAPKIT" eval retrieval "$COCO:0" "$COCO:1" --json >"$T/coco.json" || { echo "FAIL: coco json"; fail=1; }
"$GAPKIT" eval "${ZS[@]}" --json --confusion "$T/conf.npy" >"$T/esc.json" || { echo "FAIL: esc json"; fail=1; }
"$GAPKIT" eval "${ZS[@]}" --split fold:fold --json >"$T/folds.json" || { echo "FAIL: folds json"; fail=1; }
"$PY" - "$T" <<'PYEOF' || fail=1
import json, sys
import numpy as np
d = sys.argv[1]
c = json.load(open(f"{d}/coco.json"))
assert c["split"] == "none" and c["transform"] == "none", c
assert abs(c["x_to_y"]["R@1"] - 0.552) < 1e-9 and abs(c["x_to_y"]["R@5"] - 0.808) < 1e-9, c
assert abs(c["y_to_x"]["R@1"] - 0.506) < 1e-9 and abs(c["y_to_x"]["R@5"] - 0.766) < 1e-9, c
e = json.load(open(f"{d}/esc.json"))
assert abs(e["top1"] - 0.915) < 1e-9 and abs(e["top5"] - 0.9935) < 1e-9, e
assert e["n"] == 2000 and e["n_classes"] == 50 and len(e["classes"]) == 50
conf = np.load(f"{d}/conf.npy")
assert conf.shape == (50, 50) and conf.sum() == 2000 and np.trace(conf) == 1830, conf
f = json.load(open(f"{d}/folds.json"))["folds"]
assert len(f) == 5 and all(x["n"] == 400 for x in f), f
assert abs(np.mean([x["top1"] for x in f]) - 0.915) < 1e-9  # the folds partition the clips
PYEOF
exit $fail
