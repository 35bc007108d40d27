#!/usr/bin/env bash
# mpi_cluster.sh — `gapkit eval cluster` on 1, 2 and 3 MPI ranks gives the
# answer of one process: the same inertia, iterations and scores (every
# printed digit), from one file and from shard files of uneven sizes whose
# blocks cross the file boundaries; euclidean and spherical; an --init whose
# far centroid empties a cluster (the farthest row over all ranks refills
# it).  Skipped (77) without mpirun or an MPI build.
set -u
source "$(dirname "$0")/../cli_lib.sh"
cd "$T" || exit 1
source "$(dirname "$0")/../mpi_lib.sh"

# 10000 rows = blocks of 4096, 4096, 1808; shards of 3000, 4001, 2999 rows
"$PY" - <<'EOF' || bad "making the data"
import numpy as np
rng = np.random.default_rng(3)
c = rng.normal(size=(6, 24)).astype(np.float32)
y = rng.integers(0, 6, 10000)
x = (c[y] + 0.8 * rng.normal(size=(10000, 24))).astype(np.float32)
np.save("x.npy", x)
np.save("x1.npy", x[:3000]); np.save("x2.npy", x[3000:7001]); np.save("x3.npy", x[7001:])
np.savetxt("y.txt", y, fmt="%d")
init = c.copy(); init[5] = 100.0 # nothing is near centroid 5: it empties at once
np.save("init.npy", init)
EOF
printf 'x1.npy\nx2.npy\nx3.npy\n' >shards.txt

# same P ARGS…: the P-rank document equals the one-process one but for "ranks"
same() {
    local P=$1
    shift
    "$GAPKIT" eval cluster x.npy --labels y.txt --json "$@" >c0.json || bad "cluster $* (one process)"
    "${MPI[@]}" -n "$P" "$GAPKIT" eval cluster @shards.txt --labels y.txt --json "$@" >cP.json ||
        bad "cluster $* on $P ranks exited non-zero"
    "$PY" - "$P" <<'EOF' || bad "cluster $* on $P ranks differs from one process"
import json, sys
a, b = json.load(open("c0.json")), json.load(open("cP.json"))
assert b.pop("ranks") == int(sys.argv[1]), "ranks"
assert a == b, (a, b)
assert a["v_measure"] > 0.5, a   # the classes are clusters
EOF
}
for P in 1 2 3; do same $P --restarts 2 --seed 7; done
same 2 --spherical --clusters 4 --restarts 1
same 3 --init init.npy --no-normalize --max-iter 20
same 3 --clusters 9 --restarts 1 --tol 0

"${MPI[@]}" -n 2 "$GAPKIT" eval cluster x.npy --labels y.txt --restarts 2 >out 2>&1 ||
    bad "cluster on 2 ranks (table)"
grep -q "on 2 MPI ranks" out || bad "cluster on 2 ranks does not say so: $(cat out)"
"${MPI[@]}" -n 2 "$GAPKIT" eval cluster x.npy x.npy --labels y.txt >out 2>err
[ $? -eq 1 ] && grep -q "under MPI, cluster takes one input" err ||
    bad "two views on 2 ranks: $(cat err)"
head -n 9999 y.txt >short.txt
"${MPI[@]}" -n 2 "$GAPKIT" eval cluster @shards.txt --labels short.txt --json >out 2>err
[ $? -eq 2 ] && grep -q "short.txt has 9999 labels but @shards.txt has 10000 rows" err &&
    [ ! -s out ] || bad "labels of the wrong length on 2 ranks: $(cat err out)"
"${MPI[@]}" -n 2 "$GAPKIT" eval probe x.npy --labels y.txt >out 2>err
[ $? -eq 1 ] && grep -q "cannot run on 2 MPI ranks" err || bad "probe on 2 ranks: $(cat err)"
exit $fail
