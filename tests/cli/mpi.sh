#!/usr/bin/env bash
# mpi.sh — the distributed commands give the answer of one process: each is
# run on 1, 2 and 3 MPI ranks (oversubscribed: correctness, not speed) and its
# output compared with the plain command's, byte for byte.  Bad conditions:
# a shard that cannot be opened, shards of different widths, a command with
# no distributed form, a rank killed mid-run — a clear message, a non-zero
# exit and no output file.  Skipped (77) without mpirun or an MPI build.
set -u
source "$(dirname "$0")/../cli_lib.sh"
cd "$T" || exit 1
source "$(dirname "$0")/../mpi_lib.sh"

# 10000 rows = blocks of 4096, 4096, 1808: 3 ranks get one block each, 2 ranks 2 and 1
"$GAPKIT" synth --n 10000 --d 32 --out s >/dev/null || bad "synth"
"$PY" - <<'EOF' || bad "splitting shards"
import numpy as np
t = np.load("s/text.npy")
np.save("t1.npy", t[:3000]); np.save("t2.npy", t[3000:7001]); np.save("t3.npy", t[7001:])
np.save("narrow.npy", t[3000:7001, :16])
EOF
printf 't1.npy\nt2.npy\nt3.npy\n' >shards.txt
printf 't1.npy\nmissing.npy\nt3.npy\n' >missing.txt
printf 't1.npy\nnarrow.npy\nt3.npy\n' >narrow.txt

# comet fit: the model file is bitwise the one-process model
"$GAPKIT" comet fit s/text.npy s/audio.npy --k 6 --out m0.npz >/dev/null || bad "comet fit (one process)"
for P in 1 2 3 4; do # 4: more ranks than blocks, one rank holds no rows
    "${MPI[@]}" -n $P "$GAPKIT" comet fit s/text.npy s/audio.npy --k 6 --out m$P.npz >out$P 2>&1 ||
        { bad "comet fit on $P ranks exited non-zero"; cat out$P; }
    cmp -s m0.npz m$P.npz || bad "comet fit on $P ranks: model differs from one process"
    grep -q "on $P MPI rank" out$P || bad "comet fit on $P ranks does not say so: $(cat out$P)"
done
"${MPI[@]}" -n 3 "$GAPKIT" comet fit @shards.txt s/audio.npy --k 6 --out ms.npz --json >out.json ||
    bad "comet fit from @shards.txt"
cmp -s m0.npz ms.npz || bad "comet fit from 3 shard files on 3 ranks: model differs"
grep -q '"ranks": 3' out.json || bad "JSON lacks \"ranks\": 3: $(cat out.json)"

# similarity: linear CKA, unbiased CKA, SVCCA and Procrustes from moments
# (and, for cka-unbiased, three per-row sums) summed in block order, NNGS and mutual k-NN from the ring engine's graphs with per-row terms summed
# in row order, cycle k-NN with the X-edges sent to their rows' ranks, CKNNA
# with kernels from the ring and HSIC sums in row order; the documents must agree in every printed digit (JSON: 10
# significant).  The ranks do not merge duplicate rows (they refuse copies
# without --keep-duplicates), so the one-process reference keeps them too:
# these inputs have none (mpi_dups.sh has copies).
SIM=(--measure cka-linear,cka-unbiased,svcca,procrustes,nngs,mutual-knn,cycle-knn,cknna --k 10)
"$GAPKIT" similarity s/text.npy s/audio.npy "${SIM[@]}" --keep-duplicates --json >c0.json ||
    bad "similarity (one process)"
for P in 1 2 3; do
    "${MPI[@]}" -n $P "$GAPKIT" similarity @shards.txt s/audio.npy "${SIM[@]}" --json >c$P.json ||
        bad "similarity on $P ranks exited non-zero"
    sim_same $P c0.json c$P.json
done
# the measures' options reach the ranks: svcca keeping 5 directions per space
"$GAPKIT" similarity s/text.npy s/audio.npy --measure svcca --svcca-dims 5 --json >v0.json ||
    bad "svcca --svcca-dims 5 (one process)"
"${MPI[@]}" -n 3 "$GAPKIT" similarity @shards.txt s/audio.npy --measure svcca --svcca-dims 5 \
    --json >v3.json || bad "svcca --svcca-dims 5 on 3 ranks exited non-zero"
"$PY" - v0.json v3.json <<'EOF' || bad "svcca --svcca-dims 5 on 3 ranks differs from one process"
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert b.pop("ranks") == 3 and a["results"][0]["kept"] == [5, 5], (a, b)
b["x"] = a["x"]
assert a == b, (a, b)
EOF
"${MPI[@]}" -n 2 "$GAPKIT" similarity s/text.npy s/audio.npy --measure cka-linear >out 2>&1
grep -q "computed on 2 MPI ranks" out || bad "similarity on 2 ranks does not say so: $(cat out)"

# knn: the ring engine (gallery shards passed around, heaps merged by (key,
# global row)) gives the neighbour lists and distances of one process, byte
# for byte: the graph, queries from @LIST shards (5000 queries: a rank with
# none), every distance, and an integer grid whose distances tie massively
# (ties by lower row index).
"$PY" - <<'EOF' || bad "making the grid"
import numpy as np
rng = np.random.default_rng(1)
g = np.array(np.unravel_index(rng.permutation(10**4)[:9000], (10,) * 4)).T.astype(np.float32)
np.save("grid.npy", g)
np.save("dup.npy", np.concatenate([g[:5000], g[7000:7001], g[5000:]]))
np.save("q.npy", np.load("s/audio.npy")[:5000])
EOF
for P in 1 2 3; do knn_same $P s/text.npy --k 7; done
knn_same 3 grid.npy --no-normalize --k 20
knn_same 2 dup.npy --no-normalize --k 20 # one copy: more in mpi_dups.sh
knn_same 3 @shards.txt --queries q.npy --k 5
knn_same 2 @shards.txt --queries q.npy --k 5 --distance l1
knn_same 2 s/text.npy --queries @shards.txt --k 4 --distance ip
"$GAPKIT" knn s/text.npy --k 3 --json >k0.json || bad "knn --json (one process)"
"${MPI[@]}" -n 2 "$GAPKIT" knn s/text.npy --k 3 --json >k2.json || bad "knn --json on 2 ranks"
"$PY" - <<'EOF' || bad "knn --json on 2 ranks differs from one process"
import json
a, b = json.load(open("k0.json")), json.load(open("k2.json"))
assert b.pop("ranks") == 2 and a == b, (a, b)
EOF

mpi_exits 2 "missing.txt: shard 1: missing.npy" comet fit @missing.txt s/audio.npy --out out.npz
mpi_exits 2 "(rank " comet fit @missing.txt s/audio.npy --out out.npz
mpi_exits 2 "shard 1 (narrow.npy) has 16 columns but shard 0 (t1.npy) has 32" \
    comet fit @narrow.txt s/audio.npy --out out.npz
mpi_exits 2 "t1.npy has 3000 rows but s/audio.npy has 10000" comet fit t1.npy s/audio.npy --out out.npz
mpi_exits 2 "q.npy has 32 columns but the gallery grid.npy has 4" knn grid.npy --no-normalize --queries q.npy --out out.npz
mpi_exits 2 "k = 9001 is out of range 1..8999" knn grid.npy --no-normalize --k 9001 --out out.npz
mpi_exits 1 "cannot run on 2 MPI ranks" compare s/text.npy s/audio.npy
mpi_exits 1 "--measure cka-rbf does not run under MPI" similarity s/text.npy s/audio.npy --measure cka-rbf
mpi_exits 1 "under MPI, fit takes --k K" comet fit s/text.npy s/audio.npy --k auto --out out.npz

# A rank killed mid-run: every shard list names a FIFO, on whose open() both
# ranks wait; one rank is killed; the job must end non-zero with no output.
mkfifo stall.npy
printf 't1.npy\nstall.npy\n' >stall.txt
"${MPI[@]}" -n 2 "$GAPKIT" comet fit @stall.txt s/audio.npy --out out.npz >out 2>err &
job=$!
ranks=""
for _ in $(seq 50); do
    ranks=$(pgrep -P $job) && [ "$(echo "$ranks" | wc -l)" -ge 2 ] && break
    sleep 0.1
done
[ -n "$ranks" ] || bad "the 2-rank job did not start"
sleep 0.5
kill -9 $(echo "$ranks" | head -1) 2>/dev/null
for _ in $(seq 100); do kill -0 $job 2>/dev/null || break; sleep 0.1; done
if kill -0 $job 2>/dev/null; then
    bad "the job still runs 10 s after one rank was killed"
    kill -9 $(pgrep -P $job) $job 2>/dev/null
fi
wait $job && bad "the job with a killed rank exited 0"
[ ! -e out.npz ] || bad "the job with a killed rank wrote out.npz"
! ls | grep -q '\.tmp\.' || bad "the job with a killed rank left a temporary file"
exit $fail
