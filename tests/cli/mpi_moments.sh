#!/usr/bin/env bash
# mpi_moments.sh — gap diagnostics and align fit/apply on MPI ranks give the
# answer of one process (docs/distributed.md): the align model and the
# applied rows byte for byte, the gap JSON in every printed digit, on 1, 2
# and 3 ranks (oversubscribed: correctness, not speed), from one file and from
# three shard files of uneven sizes.  The parts that are not distributed
# refuse with a clear message and write nothing.  Skipped (77) without mpirun
# or an MPI build.
set -u
source "$(dirname "$0")/../cli_lib.sh"
source "$(dirname "$0")/../mpi_lib.sh"
cd "$T" || exit 1

# 10000 rows = blocks of 4096, 4096, 1808; shards of 3000, 4001, 2999 rows
# cut across the blocks
"$GAPKIT" synth --n 10000 --d 32 --out s >/dev/null || bad "synth"
"$PY" - <<'EOF' || bad "splitting shards"
import numpy as np
t = np.load("s/text.npy")
np.save("t1.npy", t[:3000]); np.save("t2.npy", t[3000:7001]); np.save("t3.npy", t[7001:])
np.save("small.npy", t[:20]); np.save("n16.npy", t[:, :16])
EOF
printf 't1.npy\nt2.npy\nt3.npy\n' >shards.txt

# gap: every moment and spectral diagnostic (the classifier is refused)
"$GAPKIT" gap s/text.npy s/audio.npy --no-separability --json >g0.json || bad "gap (one process)"
for P in 1 2 3; do
    "${MPI[@]}" -n $P "$GAPKIT" gap @shards.txt s/audio.npy --no-separability --json >g$P.json ||
        bad "gap on $P ranks exited non-zero"
    "$PY" - g0.json g$P.json $P <<'EOF' || bad "gap on $P ranks differs from one process"
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert b.pop("ranks") == int(sys.argv[3]), "ranks"
assert a == b, (a, b)
EOF
done
"${MPI[@]}" -n 2 "$GAPKIT" gap s/text.npy s/audio.npy --no-separability >out 2>&1
grep -q "D = 32 / 32 on 2 MPI ranks" out || bad "gap on 2 ranks does not say so: $(cat out)"

# align fit: the model file is bitwise the one-process model
fit_same() { # fit_same "P…" METHOD ARGS…
    local ranks=$1
    shift
    "$GAPKIT" align fit --method "$@" s/text.npy s/audio.npy --out a0.npz >/dev/null ||
        bad "align fit $* (one process)"
    for P in $ranks; do
        "${MPI[@]}" -n $P "$GAPKIT" align fit --method "$@" @shards.txt s/audio.npy \
            --out a$P.npz >out 2>&1 || { bad "align fit $* on $P ranks exited non-zero"; cat out; }
        cmp -s a0.npz a$P.npz || bad "align fit $* on $P ranks: model differs from one process"
        grep -q "on $P MPI rank" out || bad "align fit on $P ranks does not say so: $(cat out)"
    done
}
fit_same "1 2 3" procrustes
fit_same "2" comet --k 6 --weight corr
fit_same "3" shift --lambda 0.5
fit_same "2" ablate --m 4
"$GAPKIT" align fit --method procrustes s/text.npy s/audio.npy --json >f0.json --out a0.npz
"${MPI[@]}" -n 2 "$GAPKIT" align fit --method procrustes s/text.npy s/audio.npy --json \
    --out a2.npz >f2.json || bad "align fit --json on 2 ranks"
"$PY" - <<'EOF' || bad "align fit --json on 2 ranks differs from one process"
import json
a, b = json.load(open("f0.json")), json.load(open("f2.json"))
assert b.pop("ranks") == 2 and a == b, (a, b)
EOF

# align apply: row-local, rank 0 writes the rows gathered in row order
"$GAPKIT" align fit --method comet --k 6 s/text.npy s/audio.npy --out c.npz >/dev/null
for mod in x y; do
    "$GAPKIT" align apply c.npz --modality $mod s/text.npy --out y0.npy || bad "apply (one process)"
    for P in $([ $mod = x ] && echo 2 3 || echo 3); do
        "${MPI[@]}" -n $P "$GAPKIT" align apply c.npz --modality $mod @shards.txt --out y$P.npy \
            >out 2>&1 || { bad "align apply on $P ranks exited non-zero"; cat out; }
        cmp -s y0.npy y$P.npy || bad "align apply --modality $mod on $P ranks: rows differ"
    done
done

mpi_fails "add --no-separability under MPI" gap s/text.npy s/audio.npy
# rank 0 streams the rows as they arrive, 4096 rows a message: 20000 rows
# on 2 ranks give rank 1 7712 rows, two messages
"$GAPKIT" synth --n 20000 --d 32 --out w >/dev/null || bad "synth 20000"
"$GAPKIT" align apply c.npz --modality x w/text.npy --out w0.npy || bad "apply 20000 (one process)"
"${MPI[@]}" -n 2 "$GAPKIT" align apply c.npz --modality x w/text.npy --out w2.npy >out 2>&1 ||
    { bad "align apply of 20000 rows on 2 ranks exited non-zero"; cat out; }
cmp -s w0.npy w2.npy || bad "align apply of 20000 rows on 2 ranks: rows differ"
# an output rank 0 cannot create: every rank stops, nothing is left
mpi_fails "no/such/dir/out.npz" align apply c.npz --modality x s/text.npy --out no/such/dir/out.npz

mpi_fails "with fewer rows than dimensions" gap small.npy small.npy --no-separability --no-normalize
mpi_fails "under MPI, gap takes two inputs" gap s/text.npy s/audio.npy s/text.npy --no-separability
mpi_fails "--method comet --k auto does not run under MPI" align fit --method comet --k auto s/text.npy s/audio.npy --out out.npz
mpi_fails "not --labels" align fit --method procrustes s/text.npy s/audio.npy --transformed . --out out.npz
mpi_fails "t1.npy has 3000 rows but s/audio.npy has 10000" align fit --method center t1.npy s/audio.npy --out out.npz
"$GAPKIT" align fit --method center n16.npy n16.npy --out m16.npz >/dev/null || bad "fit m16"
mpi_fails "input has D = 32 but view 0 of the model has D = 16" \
    align apply m16.npz --modality x s/text.npy --out out.npz
exit $fail
