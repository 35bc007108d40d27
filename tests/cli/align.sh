#!/usr/bin/env bash
# align.sh — `gapkit align fit|apply` and the group tasks of `gapkit eval`:
# save → load → apply in a new process gives the bytes the fitting process
# produced (every method, two thread counts), a saved transform is accepted
# by `eval --transform`, `eval cluster|probe` report their scores, and bad
# input gives the documented exit codes and messages.
set -u
source "$(dirname "$0")/../cli_lib.sh"
ESC="$DATA/esc50-clap"
COCO="$DATA/clip-coco-liang/features_clip.npy"
PAIR=(--labels "$ESC/meta.csv:class_name" --prompt-labels "$ESC/class_names.txt" --pair-by-label)


# save -> load -> apply in a new process: identical bytes (cmp), any thread count
for m in identity center shift:lambda=0.5 ablate:m=20 procrustes cca:k=16 comet:k=24,weight=align \
         projdec projdec:topk=5; do
    mkdir -p "$T/fit"
    if ! "$GAPKIT" align fit --method "$m" "$ESC/audio.npy" "$ESC/class_text.npy" "${PAIR[@]}" \
            --out "$T/m.npz" --transformed "$T/fit" --threads 2 >"$T/out" 2>"$T/err"; then
        echo "FAIL: align fit $m"; cat "$T/err"; fail=1; continue
    fi
    for th in 1 2; do
        "$GAPKIT" align apply "$T/m.npz" --modality x "$ESC/audio.npy" --out "$T/a.npy" --threads $th \
            || { echo "FAIL: align apply $m"; fail=1; }
        cmp -s "$T/a.npy" "$T/fit/view0.npy" || { echo "FAIL: $m: apply after load differs (threads $th)"; fail=1; }
    done
done

# three views (the third: M2D text of the same prompts, another space) and the anchor
expect 0 "fitted on 50 rows of 3 views" align fit --method cca:k=8 "$ESC/class_text.npy" \
    "$ESC/class_text_m2d.npy" "$ESC/class_text.npy" --out "$T/m3.npz"
expect 0 "view 1 768 -> 8" align fit --method cca:k=8 "$ESC/class_text.npy" \
    "$ESC/class_text_m2d.npy" "$ESC/class_text.npy" --out "$T/m3.npz"
"$GAPKIT" align apply "$T/m3.npz" --modality 1 "$ESC/class_text_m2d.npy" --out "$T/z.npy" || { echo "FAIL: apply view 1"; fail=1; }
expect 0 "anchor" align fit --method procrustes --anchor 0 "$COCO:0" "$COCO:1" --out "$T/p.npz" --json
"$PY" - "$T" <<'PYEOF' || fail=1
import json, sys
import numpy as np
d = sys.argv[1]
z = np.load(f"{d}/z.npy")
assert z.shape == (50, 8) and np.allclose(np.linalg.norm(z, axis=1), 1, atol=1e-5), z.shape
j = json.load(open(f"{d}/out"))
assert j["method"] == "procrustes" and j["anchor"] == 0 and j["out_dims"] == [512, 512], j
PYEOF

# a saved transform (kind align) and a COMET auto-k model in eval --transform
"$GAPKIT" align fit --method center "$ESC/audio.npy" "$ESC/class_text.npy" "${PAIR[@]}" --out "$T/c.npz" >/dev/null
expect 0 "transform: model $T/c.npz (center)" eval zeroshot "$ESC/audio.npy" "$ESC/class_text.npy" \
    --labels "$ESC/meta.csv:class_name" --prompt-labels "$ESC/class_names.txt" --transform "$T/c.npz"
expect 0 "transform: procrustes, fitted on 1000 train pairs" eval zeroshot "$ESC/audio.npy" \
    "$ESC/class_text.npy" --labels "$ESC/meta.csv:class_name" --prompt-labels "$ESC/class_names.txt" \
    --split random:0.5 --transform procrustes
expect 0 "weight=none fitted on 2000 rows of 2 views" align fit --method comet --k auto \
    "$ESC/audio.npy" "$ESC/class_text.npy" "${PAIR[@]}" --out "$T/k.npz"
expect 0 "of 512 axes kept" comet explain "$T/k.npz"

# eval cluster / probe
expect 0 "V-measure 0.9565  NMI 0.9565  ARI 0.8926" eval cluster "$ESC/audio.npy" \
    --labels "$ESC/meta.csv:class_name" --threads 1
expect 0 "cluster: 2050 joint rows, 50 classes" eval cluster "$ESC/audio.npy" "$ESC/class_text.npy" "${PAIR[@]}"
expect 0 "kNN (k = 5) accuracy" eval probe "$ESC/audio.npy" --labels "$ESC/meta.csv:class_name" \
    --split fold:fold=1 --no-probe
"$GAPKIT" eval cluster "$COCO:0" --labels "$ESC/meta.csv:fold" --json >"$T/c.json" 2>"$T/err"
[ $? -eq 2 ] && grep -q "has 2000 labels but" "$T/err" || { echo "FAIL: label count"; cat "$T/err"; fail=1; }

# bad input
expect 0 "usage: gapkit align fit" align --help
expect 1 "usage: gapkit align fit" align
expect 1 "unknown align subcommand 'rotate'" align rotate
expect 1 "fit needs --method" align fit "$COCO:0" "$COCO:1" --out "$T/x.npz"
expect 1 "unknown method 'rotation'" align fit --method rotation "$COCO:0" "$COCO:1" --out "$T/x.npz"
expect 1 "cca takes no 'lambda'" align fit --method cca:lambda=2 "$COCO:0" "$COCO:1" --out "$T/x.npz"
expect 1 "fit needs --out" align fit --method center "$COCO:0" "$COCO:1"
expect 1 "fit expects 2..16 inputs" align fit --method center "$COCO:0" --out "$T/x.npz"
expect 1 "k=auto; expected an integer >= 1" align fit --method cca --k auto "$COCO:0" "$COCO:1" --out "$T/x.npz"
expect 1 "center takes no 'lambda'" align fit --method center --lambda 0.5 "$COCO:0" "$COCO:1" --out "$T/x.npz"
expect 1 "apply needs --modality" align apply "$T/c.npz" "$ESC/audio.npy" --out "$T/x.npy"
expect 1 "the model has 2 views" align apply "$T/c.npz" --modality z "$ESC/audio.npy" --out "$T/x.npy"
expect 2 "500 rows but" align fit --method center "$COCO:0" "$ESC/class_text.npy" --out "$T/x.npz"
expect 2 "shift needs one shared space" align fit --method shift "$ESC/class_text.npy" \
    "$ESC/class_text_m2d.npy" --out "$T/x.npz"
expect 2 "audio.npy: align apply: input has D = 512 but view 1" align apply "$T/m3.npz" \
    --modality y "$ESC/audio.npy" --out "$T/x.npy"
expect 2 "missing.npz: cannot open" align apply "$T/missing.npz" --modality x "$ESC/audio.npy" --out "$T/x.npy"
expect 2 "audio.npy: not an .npz" align apply "$ESC/audio.npy" --modality x "$ESC/audio.npy" --out "$T/x.npy"
expect 1 "unknown eval task 'groups'" eval groups "$COCO:0"
expect 1 "needs --labels" eval cluster "$COCO:0"
expect 1 "leaves no training rows" eval probe "$ESC/audio.npy" --labels "$ESC/meta.csv:class_name" --split classes:0.5
[ -e "$T/x.npz" ] && { echo "FAIL: a failed fit left a model behind"; fail=1; }
exit $fail
