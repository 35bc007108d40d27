#!/usr/bin/env bash
# mpi_train.sh — `gapkit train` on 1, 2 and 3 MPI ranks writes the heads of
# one process byte for byte (docs/distributed.md): a rank runs the heads on
# its 64-row blocks of each batch, the unit outputs are all-gathered and the
# block gradients added in block order along the ranks.  Linear and MLP
# heads, InfoNCE and ModGap (dropout, learnt temperature, three views, a
# batch whose last block is short, a validation split with early stopping);
# the JSON curve equals the one-process curve but for "ranks" and the
# timings.  More ranks than blocks in a batch are refused.  Skipped (77)
# without mpirun or an MPI build.
set -u
source "$(dirname "$0")/../cli_lib.sh"
source "$(dirname "$0")/../mpi_lib.sh"
cd "$T" || exit 1

"$PY" - <<'EOF2' || bad "making the data"
import numpy as np
r = np.random.default_rng(1)
z = r.normal(size=(600, 12))  # a shared latent: the views are paired
for name, d in (("x", 40), ("y", 24), ("w", 32)):
    v = z @ r.normal(size=(12, d)) + 0.3 * r.normal(size=(600, d))
    np.save(name + ".npy", v.astype(np.float32))
EOF2

# same P ARGS…: heads and curve of P ranks equal those of one process
same() {
    local P=$1
    shift
    "$GAPKIT" train "$@" --out h0.npz --json --quiet >j0.json || bad "train $* (one process)"
    "${MPI[@]}" -n "$P" "$GAPKIT" train "$@" --out hP.npz --json --quiet >jP.json ||
        bad "train $* on $P ranks exited non-zero"
    cmp -s h0.npz hP.npz || bad "train $* on $P ranks: heads differ from one process"
    "$PY" - "$P" <<'EOF2' || bad "train $* on $P ranks: the curve differs"
import json, sys
a, b = json.load(open("j0.json")), json.load(open("jP.json"))
assert b.pop("ranks") == int(sys.argv[1]), "ranks"
for d in (a, b):
    for e in d["curve"]:
        e.pop("seconds", None)
assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True), (a, b)
EOF2
}
# batch 200 = blocks of 64, 64, 64, 8: on 3 ranks 2, 1 and 1 blocks
for P in 1 2 3; do
    same $P x.npy y.npy --dim 16 --epochs 3 --batch 200
    same $P x.npy y.npy --head mlp --loss modgap --dim 16 --epochs 2 --batch 200 \
        --dropout 0.1 --learn-temperature
done
same 2 x.npy y.npy w.npy --head mlp --dim 16 --epochs 2 --batch 150 --anchor 0
same 3 x.npy y.npy --loss modgap --dim 8 --epochs 4 --batch 130 --split random:0.2 \
    --early-stop r1 --patience 1

"${MPI[@]}" -n 2 "$GAPKIT" train x.npy y.npy --out h2.npz --dim 8 --epochs 1 --batch 200 \
    >out 2>&1 || bad "train on 2 ranks (progress)"
[ "$(grep -c '^epoch' out)" -eq 1 ] || bad "progress lines not printed once: $(cat out)"
mpi_fails "a batch of 64 items has 1 block of 64 rows" train x.npy y.npy --out out.npz \
    --batch 64 --epochs 1
exit $fail
