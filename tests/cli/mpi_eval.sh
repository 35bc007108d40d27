#!/usr/bin/env bash
# mpi_eval.sh — eval retrieval and zeroshot on MPI ranks give the answer of one process
# (docs/distributed.md): the ranks of the true matches come from the kNN ring
# (gallery shards passed around, rows ahead of the true match counted with
# global row ids and the tie rule of one process), so every metric and every
# bootstrap interval of the JSON document equals the one-process document
# run with --keep-duplicates: on 1, 2 and 3 ranks from three shard files of
# uneven sizes, on integer rows whose inner products tie massively (copies
# included), and through a fitted model file.  The options that would fit or
# regroup inside the evaluation are refused.  With groups (true matches on
# any rank, X and Y of different lengths) the same, on 1, 2 and 3 ranks,
# the table included.  Skipped (77) without mpirun or
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

# groups (--groups-x/y): a query's true matches are every row of the other
# side with its label, on any rank.  X (5000 rows, from three shards) and Y
# (7000) differ in length; groups of 3-5 rows, one-row groups on both sides,
# labels only in X (20 queries with no true match) or only in Y (800), the
# rows shuffled so that the matches of a query lie on every rank
"$PY" - <<'EOF2' || bad "making the grouped inputs"
import numpy as np
r = np.random.default_rng(5)
nx, ny, d = 5000, 7000, 16
gx = ["g%d" % (i % 1500) for i in range(nx - 20)] + ["solo%d" % i for i in range(20)]
gy = ["g%d" % (j % 1700) for j in range(ny)]
for k in range(30):
    gx[4000 + k] = "u%d" % k; gy[ny - 30 + k] = "u%d" % k
gx = list(np.array(gx)[r.permutation(nx)]); gy = list(np.array(gy)[r.permutation(ny)])
C = {g: r.standard_normal(d) for g in sorted(set(gx) | set(gy))}
X = np.array([C[g] + 0.8 * r.standard_normal(d) for g in gx], np.float32)
np.save("gy.npy", np.array([C[g] + 0.8 * r.standard_normal(d) for g in gy], np.float32))
np.save("gx1.npy", X[:1000]); np.save("gx2.npy", X[1000:4500]); np.save("gx3.npy", X[4500:])
np.save("gx.npy", X)
open("lx.txt", "w").write("\n".join(gx) + "\n")
with open("ly.csv", "w") as f:
    f.write("id,clip\n"); f.writelines("%d,%s\n" % (j, g) for j, g in enumerate(gy))
open("ix.txt", "w").writelines("c%d\n" % (i % 400) for i in range(6000))  # ~15 matches each
open("iy.txt", "w").writelines("c%d\n" % (j % 450) for j in range(6000))
open("sx.txt", "w").writelines("k%d\n" % (i // 4) for i in range(6000))
open("sy.txt", "w").writelines("k%d\n" % (j // 3) for j in range(6000))
open("nx.txt", "w").writelines("a%d\n" % (i % 7) for i in range(5000))
open("ny.txt", "w").writelines("b%d\n" % (j % 7) for j in range(7000))
EOF2
printf 'gx1.npy\ngx2.npy\ngx3.npy\n' >gshards.txt
GR=(--groups-x lx.txt --groups-y ly.csv:clip --keep-duplicates)
"$GAPKIT" eval retrieval gx.npy gy.npy "${GR[@]}" --bootstrap 200 --json >g0.json ||
    bad "eval retrieval with groups (one process)"
"$PY" - <<'EOF2' || bad "eval retrieval with groups: the one-process counts are not the expected ones"
import json
d = json.load(open("g0.json"))
x, y = d["x_to_y"], d["y_to_x"]  # solo rows score nothing; Y-only labels neither
assert (x["n_queries"], x["n_gallery"], x["n_scored"]) == (5000, 7000, 4980), x
assert (y["n_queries"], y["n_gallery"], y["n_scored"]) == (7000, 5000, 6200), y
EOF2
for P in 1 2 3; do
    "${MPI[@]}" -n $P "$GAPKIT" eval retrieval @gshards.txt gy.npy "${GR[@]}" --bootstrap 200 \
        --json >g$P.json || bad "eval retrieval with groups on $P ranks exited non-zero"
    same_json g0.json g$P.json $P || bad "eval retrieval with groups on $P ranks differs"
done
# the table too, every printed digit (the first line names the inputs and the ranks)
"$GAPKIT" eval retrieval gx.npy gy.npy "${GR[@]}" --bootstrap 100 >gt0.txt
"${MPI[@]}" -n 2 "$GAPKIT" eval retrieval @gshards.txt gy.npy "${GR[@]}" --bootstrap 100 >gt2.txt
grep -q "^retrieval: X = @gshards.txt (5000 rows), Y = gy.npy (7000 rows) on 2 MPI ranks" gt2.txt ||
    bad "eval retrieval with groups on 2 ranks: first line $(head -1 gt2.txt)"
cmp -s <(tail -n +2 gt0.txt) <(tail -n +2 gt2.txt) || bad "eval retrieval with groups: the table differs"
# integer rows, massive ties and copies, about 15 true matches per query
"$GAPKIT" eval retrieval ix.npy iy.npy --groups-x ix.txt --groups-y iy.txt --keep-duplicates \
    --no-normalize --bootstrap 0 --json >gi0.json || bad "grouped integer rows (one process)"
"${MPI[@]}" -n 3 "$GAPKIT" eval retrieval ix.npy iy.npy --groups-x ix.txt --groups-y iy.txt \
    --keep-duplicates --no-normalize --bootstrap 0 --json >gi3.json || bad "grouped integer rows on 3 ranks"
same_json gi0.json gi3.json 3 || bad "eval retrieval of tied grouped rows on 3 ranks differs"
# a fitted model file with groups
"$GAPKIT" eval retrieval s/text.npy s/audio.npy --groups-x sx.txt --groups-y sy.txt \
    --transform c.npz --keep-duplicates --bootstrap 0 --json >gm0.json || bad "grouped --transform (one process)"
"${MPI[@]}" -n 2 "$GAPKIT" eval retrieval s/text.npy s/audio.npy --groups-x sx.txt --groups-y sy.txt \
    --transform c.npz --keep-duplicates --bootstrap 0 --json >gm2.json || bad "grouped --transform on 2 ranks"
same_json gm0.json gm2.json 2 || bad "eval retrieval with groups through a model on 2 ranks differs"
# no query with a true match: one process fails (exit 2), so do the ranks
mpi_exits 2 "none of the 5000 queries has a true match" eval retrieval gx.npy gy.npy \
    --groups-x nx.txt --groups-y ny.txt --keep-duplicates
mpi_fails "no --split" eval retrieval gx.npy gy.npy "${GR[@]}" --split random:0.2

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
