#!/usr/bin/env bash
# mpi_eval.sh — eval retrieval and zeroshot on MPI ranks give the answer of one process
# (docs/distributed.md): the ranks of the true matches come from the kNN ring
# (gallery shards passed around, rows ahead of the true match counted with
# global row ids and the tie rule of one process), so every metric and every
# bootstrap interval of the JSON document equals the one-process document
# run with --keep-duplicates: on 1, 2 and 3 ranks from three shard files of
# uneven sizes, on integer rows whose inner products tie massively (copies
# included), and through a fitted model file.  The options that would fit or
# regroup inside the evaluation are refused.  Skipped (77) without mpirun or
# an MPI build.
set -u
source "$(dirname "$0")/../cli_lib.sh"
source "$(dirname "$0")/../mpi_lib.sh"
cd "$T" || exit 1

N=6000 # blocks of 4096 and 1904: on 3 ranks one rank holds no rows
"$GAPKIT" synth --n $N --d 32 --out s >/dev/null || bad "synth"
"$PY" - <<'EOF2' || bad "making the inputs"
import numpy as np
t = np.load("s/text.npy")
np.save("t1.npy", t[:2000]); np.save("t2.npy", t[2000:4001]); np.save("t3.npy", t[4001:])
a = np.load("s/audio.npy")
np.save("a1.npy", a[:2500]); np.save("a2.npy", a[2500:]) # zero-shot items, cut mid-block
lab = open("s/labels.txt").read().split()  # prompts: 3 noisy copies of each class's text mean
r = np.random.default_rng(0)
P, L = [], []
for c in sorted(set(lab)):
    m = t[[i for i, l in enumerate(lab) if l == c]].mean(0)
    for _ in range(3):
        P.append(m + 0.05 * r.standard_normal(m.shape)); L.append(c)
np.save("prompts.npy", np.array(P, np.float32)); open("plabels.txt", "w").write("\n".join(L) + "\n")
r = np.random.default_rng(2)  # {0,1,2}^4: inner products tie everywhere, rows repeat
np.save("ix.npy", r.integers(0, 3, (6000, 4)).astype(np.float32))
np.save("iy.npy", r.integers(0, 3, (6000, 4)).astype(np.float32))
EOF2
printf 't1.npy\nt2.npy\nt3.npy\n' >shards.txt
printf 'a1.npy\na2.npy\n' >items.txt

# same_json ONE MANY P: the documents agree except "ranks" (and the name of X)
same_json() {
    "$PY" - "$@" <<'EOF2'
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert b.pop("ranks") == int(sys.argv[3]), "ranks"
b["x"] = a["x"]
assert a == b, (a, b)
EOF2
}
"$GAPKIT" eval retrieval s/text.npy s/audio.npy --keep-duplicates --bootstrap 200 --json >r0.json ||
    bad "eval retrieval (one process)"
for P in 1 2 3; do
    "${MPI[@]}" -n $P "$GAPKIT" eval retrieval @shards.txt s/audio.npy --keep-duplicates \
        --bootstrap 200 --json >r$P.json || bad "eval retrieval on $P ranks exited non-zero"
    same_json r0.json r$P.json $P || bad "eval retrieval on $P ranks differs from one process"
done
"${MPI[@]}" -n 2 "$GAPKIT" eval retrieval s/text.npy s/audio.npy --keep-duplicates --bootstrap 0 >out 2>&1
grep -q "rows) on 2 MPI ranks" out || bad "eval retrieval on 2 ranks does not say so: $(cat out)"

# ties and copies: the order is (inner product, lower global row), as in one process
"$GAPKIT" eval retrieval ix.npy iy.npy --keep-duplicates --no-normalize --bootstrap 0 --json \
    >i0.json || bad "eval retrieval of the integer rows (one process)"
"${MPI[@]}" -n 3 "$GAPKIT" eval retrieval ix.npy iy.npy --keep-duplicates --no-normalize \
    --bootstrap 0 --json >i3.json || bad "eval retrieval of the integer rows on 3 ranks"
same_json i0.json i3.json 3 || bad "eval retrieval of tied rows on 3 ranks differs"

# a fitted model file, applied row by row on each rank
"$GAPKIT" align fit --method comet --k 6 s/text.npy s/audio.npy --out c.npz >/dev/null
"$GAPKIT" eval retrieval s/text.npy s/audio.npy --transform c.npz --keep-duplicates \
    --bootstrap 0 --json >m0.json || bad "eval retrieval --transform (one process)"
"${MPI[@]}" -n 2 "$GAPKIT" eval retrieval s/text.npy s/audio.npy --transform c.npz \
    --keep-duplicates --bootstrap 0 --json >m2.json || bad "eval retrieval --transform on 2 ranks"
same_json m0.json m2.json 2 || bad "eval retrieval through a model on 2 ranks differs"

# eval zeroshot: items sharded, every rank holds the classes; the document
# (accuracies, per-class counts, intervals) and the confusion counts agree
ZS=(--labels s/labels.txt --prompt-labels plabels.txt --keep-duplicates --bootstrap 200)
"$GAPKIT" eval zeroshot s/audio.npy prompts.npy "${ZS[@]}" --json --confusion cf0.npy >z0.json ||
    bad "eval zeroshot (one process)"
for P in 2 3; do
    "${MPI[@]}" -n $P "$GAPKIT" eval zeroshot @items.txt prompts.npy "${ZS[@]}" --json \
        --confusion cf$P.npy >z$P.json || bad "eval zeroshot on $P ranks exited non-zero"
    "$PY" - z0.json z$P.json $P <<'EOF2' || bad "eval zeroshot on $P ranks differs from one process"
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert b.pop("ranks") == int(sys.argv[3]) and a == b, (a, b)
EOF2
    cmp -s cf0.npy cf$P.npy || bad "eval zeroshot --confusion on $P ranks differs"
done

# refused under MPI: fitting inside the evaluation, splits, merging copies
mpi_fails "give --keep-duplicates" eval retrieval s/text.npy s/audio.npy
mpi_fails "no transform to fit" eval retrieval s/text.npy s/audio.npy --keep-duplicates \
    --transform comet:k=4 --split random:0.2
mpi_fails "zeroshot keeps exact copies: give --keep-duplicates" eval zeroshot s/audio.npy \
    prompts.npy --labels s/labels.txt --prompt-labels plabels.txt
mpi_fails "cannot run on 2 MPI ranks" eval probe s/text.npy --labels s/labels.txt
exit $fail
