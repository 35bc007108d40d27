#!/usr/bin/env bash
# mpi_train.sh — `gapkit train` on 1, 2 and 3 MPI ranks writes the heads of
# one process with the same options, byte for byte (docs/distributed.md,
# "train on ranks"): a rank runs the heads on its --row-block blocks of each
# batch, the unit outputs are all-gathered and the block gradients added in
# block order along the ranks.  Blocks of 64 rows at batch 192 (and a short
# last block at 200), the default 256-row block at batch 768; linear and MLP
# heads; InfoNCE, SoftCLAP and ModGap (dropout, mixup, learnt temperature,
# three views, a validation split with early stopping).  The JSON curve
# equals the one-process curve but for "ranks" and the timings.  A batch
# with fewer blocks than ranks is refused, on 2 and on 3 ranks; an input
# error ends every rank.  Skipped (77) without mpirun or an MPI build.
set -u
source "$(dirname "$0")/../cli_lib.sh"
source "$(dirname "$0")/../mpi_lib.sh"
cd "$T" || exit 1

"$PY" - <<'EOF2' || bad "making the data"
import numpy as np
r = np.random.default_rng(1)
z = r.normal(size=(800, 12))  # a shared latent: the views are paired
for name, d in (("x", 40), ("y", 24), ("w", 32)):
    v = z @ r.normal(size=(12, d)) + 0.3 * r.normal(size=(800, d))
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
for P in 1 2 3; do
    same $P x.npy y.npy --dim 16 --epochs 2 --batch 192 --row-block 64
    same $P x.npy y.npy --head mlp --loss softclap --dim 16 --epochs 2 --batch 768 --mixup 0.4
done
same 2 x.npy y.npy --head mlp --loss modgap --dim 16 --epochs 2 --batch 192 --row-block 64 \
    --dropout 0.1 --learn-temperature
# blocks of 64, 64, 64, 8 (on 3 ranks 2, 1 and 1); three views; a split
# whose validation batches have fewer blocks than ranks, early stopping
same 3 x.npy y.npy w.npy --head mlp --dim 16 --epochs 2 --batch 200 --row-block 64 --anchor 0
same 3 x.npy y.npy --loss modgap --dim 8 --epochs 4 --batch 130 --row-block 32 \
    --split random:0.2 --early-stop r1 --patience 1

# the blocks, not the ranks, fix the bits: other blocks, other heads
"$GAPKIT" train x.npy y.npy --dim 16 --epochs 2 --batch 192 --out a.npz --quiet &&
    "$GAPKIT" train x.npy y.npy --dim 16 --epochs 2 --batch 192 --row-block 64 --out b.npz \
        --quiet || bad "train with and without --row-block"
! cmp -s a.npz b.npz || bad "--row-block 64 gave the heads of one block"

"${MPI[@]}" -n 2 "$GAPKIT" train x.npy y.npy --out h2.npz --dim 8 --epochs 1 --batch 512 \
    >out 2>err || bad "train on 2 ranks (progress)"
[ "$(grep -c '^epoch' err)" -eq 1 ] || bad "progress lines not printed once: $(cat err)"
grep -qx "train: wrote h2.npz on 2 MPI ranks" out || bad "no rank count: $(cat out)"

mpi_fails "a batch of 256 items has 1 block of 256 rows" train x.npy y.npy --out out.npz \
    --batch 256 --epochs 1
mpi_fails "train: the initial heads" train x.npy y.npy --out out.npz --batch 512 --epochs 1 \
    --dim 4 --init h0.npz
rm -f out.npz
"${MPI[@]}" -n 3 "$GAPKIT" train x.npy y.npy --out out.npz --batch 128 --row-block 64 \
    --epochs 1 >out 2>err && bad "3 ranks on 2 blocks: exit 0"
grep -qF "3 MPI ranks but a batch of 128 items has 2 blocks of 64 rows" err ||
    bad "3 ranks on 2 blocks: $(cat err)"
[ ! -e out.npz ] || bad "3 ranks on 2 blocks: an output was written"
exit $fail
