#!/bin/bash
# curation_esc50.sh — the curation walk-through of docs/curation.md on the
# shared ESC-50 CLAP embeddings: for each seed, half of the 50 classes are
# held out; the clips and prompts of the other half are the unpaired pools;
# curate pseudo-pairs; fit the training-free transforms and train InfoNCE and
# SoftCLAP heads on them; score
# zero-shot on the held-out classes (their clips against their prompts only).
# Usage: docs/examples/curation_esc50.sh [DATA_DIR] [SEEDS]   (from the project root)
set -euo pipefail
D=${1:-../shared/data/esc50-clap}
SEEDS=${2:-"0 1 2 3 4"}
G=${GAPKIT:-build/gapkit}
PY=${PY:-/usr/bin/python3}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

top1() { "$PY" -c "import json,sys; print('%.4f' % json.load(sys.stdin)['top1'])"; }

for seed in $SEEDS; do
    # held-out classes: a seeded half; pools = clips and prompts of the rest
    "$PY" - "$D" "$W" "$seed" <<'EOF_PY'
import csv, sys, numpy as np
d, w, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
A = np.load(d + "/audio.npy"); P = np.load(d + "/class_text.npy")
names = open(d + "/class_names.txt").read().split("\n")
clip = [r["class_name"] for r in csv.DictReader(open(d + "/meta.csv"))]
held = set(np.random.default_rng(seed).permutation(50)[:25].tolist())
seen = [c for c in range(50) if c not in held]; out = sorted(held)
sa = [i for i, n in enumerate(clip) if names.index(n) not in held]
ha = [i for i, n in enumerate(clip) if names.index(n) in held]
# the pools (all that curation and training see) hold no held-out class
assert not {clip[i] for i in sa} & {names[c] for c in out} and not held & set(seen)
np.save(w + "/pool_audio.npy", A[sa]); np.save(w + "/pool_text.npy", P[seen])
open(w + "/pool_labels.txt", "w").write("\n".join(clip[i] for i in sa) + "\n")
open(w + "/pool_names.txt", "w").write("\n".join(names[c] for c in seen) + "\n")
np.save(w + "/held_audio.npy", A[ha]); np.save(w + "/held_text.npy", P[out])
open(w + "/held_labels.txt", "w").write("\n".join(clip[i] for i in ha) + "\n")
open(w + "/held_names.txt", "w").write("\n".join(names[c] for c in out) + "\n")
EOF_PY
    "$G" curate "$W/pool_audio.npy" "$W/pool_text.npy" --tau 0.5 --out "$W/pairs.npy" \
        --targets "$W/pool_text.npy" --target-labels "$W/pool_names.txt" \
        --labels "$W/pool_labels.txt" --json >"$W/curate.json"
    "$PY" - "$W" <<'EOF_PY'
import json, sys, numpy as np
w = sys.argv[1]
p = np.load(w + "/pairs.npy").astype(np.int64)
np.save(w + "/pair_a.npy", np.load(w + "/pool_audio.npy")[p[:, 0]])
np.save(w + "/pair_t.npy", np.load(w + "/pool_text.npy")[p[:, 1]])
j = json.load(open(w + "/curate.json"))
print("pairs %d, audio coverage %.3f, caption of the clip's class %.3f" %
      (j["n_pairs"], j["coverage"]["audio"], j["labels"]["match"]), end="; ")
EOF_PY
    ZS=("$W/held_audio.npy" "$W/held_text.npy" --labels "$W/held_labels.txt"
        --prompt-labels "$W/held_names.txt" --json)
    line="seed $seed: raw $("$G" eval zeroshot "${ZS[@]}" | top1)"
    for m in center shift procrustes; do
        "$G" align fit --method $m "$W/pair_a.npy" "$W/pair_t.npy" --out "$W/$m.npz" >/dev/null
        line="$line $m $("$G" eval zeroshot "${ZS[@]}" --transform "$W/$m.npz" | top1)"
    done
    # trained heads on the pseudo-pairs: hard-label InfoNCE and SoftCLAP (β = 0.3,
    # the input embeddings as the teacher)
    for loss in infonce softclap; do
        "$G" train "$W/pool_audio.npy" "$W/pool_text.npy" --pairs "$W/pairs.npy" \
            --loss $loss --epochs "${EPOCHS:-20}" --seed "$seed" --quiet --out "$W/$loss.npz"
        line="$line $loss $("$G" eval zeroshot "${ZS[@]}" --transform "$W/$loss.npz" | top1)"
    done
    echo "$line"
done
