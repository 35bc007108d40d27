#!/usr/bin/env bash
# compare.sh — `gapkit compare` on ../shared/data/esc50-clap (audio ↔ class
# prompt, paired by label) with a random item split and with a class-disjoint
# split: the table and the JSON name the split, hold one row per transform
# and sane values; the shift sweep, three views, and bad input.
set -u
source "$(dirname "$0")/../cli_lib.sh"
ESC="$DATA/esc50-clap"
COCO="$DATA/clip-coco-liang"
ARGS=(compare "$ESC/audio.npy" "$ESC/class_text.npy" --labels "$ESC/meta.csv:class_name"
      --prompt-labels "$ESC/class_names.txt" --pair-by-label --restarts 3)


expect 0 "split: random:0.5 seed 0: 1000 train / 1000 test rows" "${ARGS[@]}" --no-probe \
    --methods "identity procrustes"
grep -q "^procrustes " "$T/out" && grep -q "transform *gap *cosTP *R@1" "$T/out" \
    || { echo "FAIL: table rows"; cat "$T/out"; fail=1; }
"$GAPKIT" "${ARGS[@]}" --no-probe --split random:0.5 --json >"$T/random.json" || { echo "FAIL: random"; fail=1; }
"$GAPKIT" "${ARGS[@]}" --no-probe --split classes:0.5 --json >"$T/classes.json" || { echo "FAIL: classes"; fail=1; }
"$GAPKIT" "${ARGS[@]}" --methods identity --probe-folds 2 --split random:0.2 --json >"$T/probe.json" \
    || { echo "FAIL: probe"; fail=1; }
"$GAPKIT" "${ARGS[@]}" --no-probe --no-knn --sweep shift:3 --json >"$T/sweep.json" \
    || { echo "FAIL: sweep"; fail=1; }
"$GAPKIT" compare "$COCO/features_clip.npy:0" "$COCO/features_clip.npy:1" \
    "$COCO/features_clip_random.npy:1" --methods "identity center cca:k=16" --json \
    >"$T/three.json" || { echo "FAIL: three views"; fail=1; }

"$PY" - "$T" <<'PYEOF' || fail=1
import json, sys
d = sys.argv[1]
names = ["identity", "center", "shift:lambda=1", "ablate:m=10", "procrustes",
         "cca:k=32,ridge=0.1", "comet:k=auto,weight=none", "comet:k=auto,weight=align",
         "projdec:temp=100,topk=0"]
for split in ("random", "classes"):
    j = json.load(open(f"{d}/{split}.json"))
    assert j["split"].startswith(split + ":0.5 seed 0"), j["split"]
    assert j["n_train"] == 1000 and j["n_test"] == 1000, j
    rows = {r["transform"]: r for r in j["rows"]}
    assert list(rows) == names, list(rows)
    for r in j["rows"]:
        assert r["ok"], r
        for key in ("gap", "cos_true", "R@1", "R@5", "mAP@10", "zeroshot_top1"):
            assert 0 <= r[key] <= 1, (split, r["transform"], key, r[key])
        g = r["groups"]
        assert 0 <= g["v_measure"] <= 1 and -1 <= g["ari"] <= 1 and 0 <= g["knn_acc"] <= 1, g
        assert g["probe_acc"] is None and g["rows"] > 1000, g
    ident = rows["identity"]
    # the reference numbers of ../shared/data/README.md on half the clips
    assert 0.45 < ident["gap"] < 0.55 and 0.50 < ident["cos_true"] < 0.57, ident
    assert ident["zeroshot_top1"] > 0.85 and ident["groups"]["v_measure"] > 0.85, ident
    assert rows["center"]["gap"] < ident["gap"] and rows["procrustes"]["gap"] < ident["gap"]
    assert rows["identity"]["pairs"][0]["views"] == [0, 1]
    if split == "random":
        assert j["zeroshot_candidates"] == 50 and j["test_classes"] == 50, j
        assert rows["center"]["gap"] < 0.1 and rows["procrustes"]["zeroshot_top1"] > 0.9
    else:
        assert j["zeroshot_candidates"] == 25 and j["test_classes"] == 25, j
        # fitted on the other 25 classes: the learned maps do not transfer
        assert rows["cca:k=32,ridge=0.1"]["zeroshot_top1"] < ident["zeroshot_top1"]
p = json.load(open(f"{d}/probe.json"))
assert [r["transform"] for r in p["rows"]] == ["identity"] and p["n_test"] == 400
assert all(0.8 < r["groups"]["probe_acc"] <= 1 for r in p["rows"]), p
s = json.load(open(f"{d}/sweep.json"))
gaps = [r["gap"] for r in s["rows"]]
assert [r["transform"] for r in s["rows"]] == ["shift:lambda=0", "shift:lambda=0.5",
                                                 "shift:lambda=1"], s["rows"]
assert gaps[0] > gaps[1] > gaps[2], gaps
assert s["rows"][0]["groups"]["knn_acc"] is None
t = json.load(open(f"{d}/three.json"))
assert len(t["views"]) == 3 and all(len(r["pairs"]) == 3 for r in t["rows"]), t["views"]
assert t["rows"][0]["zeroshot_top1"] is None and t["rows"][0]["groups"]["v_measure"] is None
assert abs(t["rows"][0]["pairs"][0]["gap"] - 0.85135) < 0.05  # the README's COCO gap
PYEOF

expect 0 "split: fold:fold=1: 1600 train / 400 test rows" "${ARGS[@]}" --split fold:fold=1 \
    --methods identity --no-probe

# bad input
expect 1 "compare expects 2..16 inputs" compare "$ESC/audio.npy"
expect 1 "unknown method 'rotate'" "${ARGS[@]}" --methods "identity rotate"
expect 1 "--sweep lambda" "${ARGS[@]}" --sweep lambda
expect 1 "give --methods or --sweep" "${ARGS[@]}" --sweep shift --methods center
expect 1 "0 < FRACTION < 1" "${ARGS[@]}" --split random:1.5
expect 1 "--probe-folds 1 (expected an integer 2..64)" "${ARGS[@]}" --probe-folds 1
expect 1 "--prompts needs --labels and --prompt-labels" compare "$COCO/features_clip.npy:0" \
    "$COCO/features_clip.npy:1" --prompts "$ESC/class_text.npy"
expect 1 "--split classes:… needs the class of each item" compare "$COCO/features_clip.npy:0" "$COCO/features_clip.npy:1" --split classes:0.5
expect 2 "has 2000 labels but" compare "$COCO/features_clip.npy:0" "$COCO/features_clip.npy:1" \
    --labels "$ESC/meta.csv:class_name"
expect 2 "500 rows but" compare "$COCO/features_clip.npy:0" "$ESC/audio.npy"
exit $fail
