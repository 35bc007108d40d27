# `gapkit train` end to end on the shared CLIP-COCO features: training with a
# validation split and the JSON curve, the head as a transform (align apply,
# eval retrieval/zeroshot/cluster/probe --transform head:FILE), bit-identical heads for 1 and 2 threads,
# --pairs, --init, and every bad input of docs/train.md (each with its exit
# code and message, and no partial output).
. "$(dirname "$0")/../cli_lib.sh"
X="$DATA/clip-coco-liang/features_clip.npy:0"
Y="$DATA/clip-coco-liang/features_clip.npy:1"
bad() { echo "FAIL: $*"; fail=1; }
cd "$T" || exit 1

# training, curve, transform
"$GAPKIT" train "$X" "$Y" --out h.npz --epochs 3 --batch 64 --dim 32 --split random:0.2 \
    --json --quiet >curve.json || bad "train"
"$PY" - <<'PY' || bad "curve.json"
import json
j = json.load(open("curve.json"))
assert j["loss"] == "infonce" and j["epochs_run"] == 3 and len(j["curve"]) == 3, j
c = j["curve"]
assert c[2]["loss"] < c[0]["loss"], c            # training lowers the loss
assert 0 < c[2]["val_r1"] <= 1 and c[2]["val_loss"] > 0, c
PY
"$GAPKIT" align apply h.npz --modality y "$Y" --out y.npy || bad "align apply head"
"$PY" -c "import numpy as n; a=n.load('y.npy'); assert a.shape==(500,32), a.shape; \
assert abs(n.linalg.norm(a,axis=1)-1).max()<1e-5" || bad "applied head: shape or unit rows"
expect 0 "transform: model h.npz (head)" eval retrieval "$X" "$Y" --transform head:h.npz
expect 0 "(head)" eval retrieval "$X" "$Y" --transform h.npz

# ESC-50 clips paired with their class prompt, class-disjoint validation; zero-shot through the head
E="$DATA/esc50-clap"
EL=(--labels "$E/meta.csv:class_name" --prompt-labels "$E/class_names.txt")
"$GAPKIT" train "$E/audio.npy" "$E/class_text.npy" "${EL[@]}" --pair-by-label \
    --split classes:0.5 --early-stop loss --out e.npz --epochs 2 --batch 100 --dim 16 \
    2>e.err || bad "train --pair-by-label"
grep -q "25 train classes / 25 test classes, 1000/1000 rows" e.err || bad "class split line"
expect 0 "transform: model e.npz (head)" eval zeroshot "$E/audio.npy" "$E/class_text.npy" \
    "${EL[@]}" --transform head:e.npz
# cluster and probe through the head = the same tasks on the rows align apply wrote
"$GAPKIT" align apply e.npz --modality x "$E/audio.npy" --out ea.npy || bad "apply e.npz x"
"$GAPKIT" align apply e.npz --modality y "$E/class_text.npy" --out et.npy || bad "apply e.npz y"
for task in "cluster" "probe --split random:0.5"; do
    "$GAPKIT" eval $task "$E/audio.npy" "$E/class_text.npy" "${EL[@]}" --pair-by-label \
        --transform head:e.npz >g1.txt || bad "eval $task --transform head:"
    "$GAPKIT" eval $task ea.npy et.npy "${EL[@]}" --pair-by-label >g2.txt || bad "eval $task"
    cmp -s g1.txt g2.txt || bad "eval $task --transform head: differs from the applied rows"
done
grep -q "probe: 1050 joint rows" g1.txt ||
    bad "head-mapped prompts no longer enter the joint set once"
expect 1 "has 2 views but 3 inputs" eval cluster "$E/audio.npy" "$E/audio.npy" "$E/audio.npy" \
    --labels "$E/meta.csv:class_name" --transform head:e.npz
expect 1 "cluster and probe take a saved model" eval probe "$E/audio.npy" \
    --labels "$E/meta.csv:class_name" --transform procrustes

# the same seed gives the same bytes for any thread count; modgap mlp with dropout and mixup
for t in 1 2; do
    "$GAPKIT" train "$X" "$Y" --out m$t.npz --loss modgap --head mlp --dropout 0.2 --mixup 1 \
        --epochs 2 --batch 50 --dim 16 --seed 3 --threads $t --quiet || bad "train --threads $t"
done
cmp -s m1.npz m2.npz || bad "heads differ between 1 and 2 threads"
"$GAPKIT" train "$X" "$Y" --out m3.npz --loss modgap --head mlp --dropout 0.2 --mixup 1 \
    --epochs 2 --batch 50 --dim 16 --seed 4 --quiet || bad "train seed 4"
cmp -s m1.npz m3.npz && bad "another seed gave the same heads"

# --init continues from saved heads; mismatched heads are refused
"$GAPKIT" train "$X" "$Y" --out i.npz --init h.npz --epochs 1 --batch 64 --dim 32 --quiet ||
    bad "train --init"
cmp -s h.npz i.npz && bad "--init: one more epoch changed nothing"
expect 2 "do not fit" train "$X" "$Y" --out i2.npz --init h.npz --epochs 1 --batch 64 --dim 16
[ -e i2.npz ] && bad "mismatched --init left an output"

# --pairs: float64 (P,3) x_row, y_row, score
"$PY" -c "import numpy as n; n.save('p.npy', n.array([[i, i, 1.0] for i in range(200)] + \
[[i, (i*7)%500, 0.5] for i in range(100)], dtype=n.float64)); \
n.save('p2.npy', n.zeros((5,2))); n.save('p3.npy', n.array([[0, 900, 1.0]]*80))"
"$GAPKIT" train "$X" "$Y" --pairs p.npy --out pp.npz --epochs 1 --batch 100 --dim 8 --quiet ||
    bad "train --pairs"
expect 2 "batch 400 is larger than the 300 training items" train "$X" "$Y" --pairs p.npy \
    --out bad.npz --batch 400
expect 2 "expected (P, 3)" train "$X" "$Y" --pairs p2.npy --out bad.npz --batch 2
expect 2 "names row 900" train "$X" "$Y" --pairs p3.npy --out bad.npz --batch 8

# SoftCLAP with a teacher: the teacher's rows must match the views'
"$GAPKIT" train "$X" "$Y" --loss softclap --teacher "$Y,$X" --out s.npz --epochs 1 --batch 100 \
    --dim 8 --quiet || bad "softclap --teacher"
expect 2 "teacher $DATA/esc50-clap/class_text.npy has 50 rows but view 0 has 500" train "$X" "$Y" \
    --loss softclap --teacher "$DATA/esc50-clap/class_text.npy,$X" --out bad.npz --batch 100

# bad input
expect 2 "batch 600 is larger than the 500 training items" train "$X" "$Y" --out bad.npz \
    --batch 600
expect 2 "validation set has 1 items" train "$X" "$Y" --out bad.npz --split random:0.001 \
    --batch 64
printf 'f\n' >one.csv; for i in $(seq 499); do echo a; done >>one.csv; echo a >>one.csv
expect 2 "every row" train "$X" "$Y" --out bad.npz --split fold:f=a --split-csv one.csv \
    --batch 64
expect 2 "needs a validation set" train "$X" "$Y" --out bad.npz --early-stop r1 --batch 64
expect 2 "softclap takes exactly 2 views" train "$X" "$Y" "$X" --loss softclap --out bad.npz \
    --batch 64
expect 1 "expected infonce, softclap or modgap" train "$X" "$Y" --loss nce --out bad.npz
expect 2 "rows are paired by index" train "$X" "$DATA/esc50-clap/class_text.npy" \
    --out bad.npz --batch 2
[ -e bad.npz ] && bad "a failed run left bad.npz"
# a head given rows of the wrong dimension
expect 2 "input has D = 768 but view 0 of the model has D = 512" align apply h.npz \
    --modality x "$DATA/esc50-clap/class_text_m2d.npy" --out bad.npy
[ -e bad.npy ] && bad "a failed apply left bad.npy"
# a loss that becomes NaN/Inf: stop naming epoch and step, keep the last good heads
expect 2 "epoch 1 step" train "$X" "$Y" --out nan.npz --lr 1e38 --warmup 0 --epochs 3 \
    --batch 50 --dim 8 --quiet
grep -q "not finite" err || bad "NaN message"
grep -q "keeping the heads of epoch 0 in nan.npz" err || bad "NaN: which heads are kept"
ls | grep -q 'nan\.npz\.tmp' && bad "NaN stop left a temporary file"
"$GAPKIT" align apply nan.npz --modality x "$X" --out nanx.npy || bad "kept heads unusable"
"$PY" -c "import numpy as n; assert n.isfinite(n.load('nanx.npy')).all()" || bad "kept heads not finite"

# SIGINT during training writes nothing
"$PY" -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' \
    "$GAPKIT" train "$X" "$Y" --out int.npz --epochs 100000 --batch 50 --dim 8 --quiet &
pid=$!
sleep 1
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] || bad "SIGINT: exit $rc, expected 130"
[ -e int.npz ] && bad "SIGINT left int.npz"
ls | grep -q '\.tmp\.' && bad "SIGINT left a temporary file"
exit $fail
