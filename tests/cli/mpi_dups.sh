#!/usr/bin/env bash
# mpi_dups.sh — the kNN ring engine on galleries with bit-for-bit DUPLICATE
# rows gives the answer of one process: the global duplicate table numbers
# the distinct rows as one process does and the ring passes them in its tiles
# (docs/distributed.md).  Galleries: a third of the rows are copies (of 25
# "prompts", as ESC-50's CLAP text rows), an all-equal block across the
# 4096-row rank boundary, copies across the shard files; 30 distinct rows
# repeated 12000 times (every distinct row on rank 0); an integer grid of
# massive ties with copies.  1, 2 and 3 ranks, from one file and from three
# uneven shard files: neighbour lists AND distances cmp-identical, the knn
# JSON (distinct_gallery_rows), and NNGS, mutual and cycle k-NN and CKNNA
# with every printed digit of `similarity --keep-duplicates` in one process.
set -u
source "$(dirname "$0")/../cli_lib.sh"
cd "$T" || exit 1
source "$(dirname "$0")/../mpi_lib.sh"

"$GAPKIT" synth --n 10000 --d 32 --out s >/dev/null || bad "synth"
"$PY" - <<'PYEOF' || bad "making the galleries"
import numpy as np
rng = np.random.default_rng(7)
t, a = np.load("s/text.npy"), np.load("s/audio.npy")
np.save("orig.npy", t)                        # no copies
i = rng.choice(10000, 3000, replace=False)
t[i] = t[rng.integers(0, 25, 3000)]          # 30 %: copies of 25 prompts
t[4000:4300] = t[4000]                        # all equal across the 4096 boundary
t[9990] = t[100]; t[50] = t[9000]             # first copy on another rank, both ways
j = rng.choice(10000, 1000, replace=False)
a[j] = a[rng.integers(0, 10000, 1000)]        # Y has copies elsewhere
np.save("s/text.npy", t); np.save("s/audio.npy", a)
np.save("t1.npy", t[:3000]); np.save("t2.npy", t[3000:7001]); np.save("t3.npy", t[7001:])
q = np.concatenate([t[3990:4400], a[:1600]])  # queries: copies of gallery rows and others
np.save("q.npy", q)
p = rng.standard_normal((30, 16)).astype(np.float32)
np.save("few.npy", p[rng.integers(0, 30, 12000)])
g = np.array(np.unravel_index(rng.permutation(10**4)[:6000], (10,) * 4)).T.astype(np.float32)
np.save("grid.npy", np.concatenate([g, g[rng.integers(0, 6000, 3000)]]))
PYEOF
printf 't1.npy\nt2.npy\nt3.npy\n' >shards.txt

# (each mpirun costs 1-2 s on a loaded machine: few launches, each testing much)
for P in 1 2; do knn_same $P @shards.txt --k 7; done
knn_same 3 @shards.txt --queries q.npy --k 9 --distance cosine
knn_same 3 few.npy --k 40 --distance ip
knn_same 3 grid.npy --no-normalize --k 20 --distance l1
"$GAPKIT" knn s/text.npy --k 5 --json >k0.json || bad "knn --json (one process)"
"${MPI[@]}" -n 3 "$GAPKIT" knn @shards.txt --k 5 --json >k3.json || bad "knn --json on 3 ranks"
"$PY" - <<'PYEOF' || bad "knn --json on 3 ranks differs from one process"
import json
a, b = json.load(open("k0.json")), json.load(open("k3.json"))
assert b.pop("ranks") == 3 and a == b and a["distinct_gallery_rows"] < 7500, (a, b)
PYEOF

# the neighbourhood measures on rows with copies, kept as separate items
SIM=(--measure nngs,mutual-knn,cycle-knn,cknna --k 10 --keep-duplicates --json)
"$GAPKIT" similarity s/text.npy s/audio.npy "${SIM[@]}" >c0.json || bad "similarity (one process)"
"${MPI[@]}" -n 3 "$GAPKIT" similarity @shards.txt s/audio.npy "${SIM[@]}" >c3.json ||
    bad "similarity on 3 ranks exited non-zero"
sim_same 3 c0.json c3.json
# without --keep-duplicates one process merges copied items: the ranks refuse
mpi_exits 2 "give --keep-duplicates" similarity orig.npy s/audio.npy --measure nngs --k 10
grep -qE "s/audio.npy has [0-9]+ exact copies" err || bad "the refusal does not name Y: $(cat err)"
exit $fail
