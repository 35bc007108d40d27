#!/usr/bin/env bash
# mpi_align.sh — the align fits that need more than the view means on MPI
# ranks give the model of one process byte for byte (docs/distributed.md):
# cca (two and three views, the whitening's Grams and the cross-products
# summed per block in block order), comet with three views, projdec (the
# anchor view's rows sent to every rank, duplicates across shards kept
# once), on 1, 2 and 3 ranks (oversubscribed: correctness, not speed), from
# three shard files of uneven sizes whose blocks cross the file boundaries;
# `align apply` of the cca and projdec models gives the one-process rows.
# (What stays refused is checked in mpi_moments.sh.)  Skipped (77) without
# mpirun or an MPI build.  The one-process models themselves are checked against
# numpy in test_align and cli_align.
set -u
source "$(dirname "$0")/../cli_lib.sh"
cd "$T" || exit 1
source "$(dirname "$0")/../mpi_lib.sh"

# 10000 rows = blocks of 4096, 4096, 1808; shards of 3000, 4001, 2999 rows.
# z: a third view sharing half its coordinates with x; a: an anchor whose
# rows repeat within and across shards (3 clusters of copies).
"$PY" - <<'EOF' || bad "making the data"
import numpy as np
rng = np.random.default_rng(5)
n, d = 10000, 16
s = rng.normal(size=(n, 6))
x = (s @ rng.normal(size=(6, d)) + 0.7 * rng.normal(size=(n, d))).astype(np.float32)
y = (s @ rng.normal(size=(6, d)) + 0.7 * rng.normal(size=(n, d))).astype(np.float32)
z = (np.concatenate([x[:, :8], y[:, 8:]], 1) + 0.3 * rng.normal(size=(n, d))).astype(np.float32)
a = y.copy(); a[5000:6000] = a[100:1100]; a[9000:] = a[4000:5000]; a[7000:7010] = a[0]
for name, m in (("x", x), ("y", y), ("z", z), ("a", a)):
    np.save(name + ".npy", m)
    np.save(name + "1.npy", m[:3000]); np.save(name + "2.npy", m[3000:7001])
    np.save(name + "3.npy", m[7001:])
EOF
for v in x a; do printf '%s1.npy\n%s2.npy\n%s3.npy\n' $v $v $v >$v.txt; done

# fit_same "P…" "ONE-PROCESS INPUTS" "RANK INPUTS" METHOD ARGS…
fit_same() {
    local ranks=$1 one=$2 many=$3
    shift 3
    # shellcheck disable=SC2086 # the inputs are word lists
    "$GAPKIT" align fit --method "$@" $one --out m0.npz >/dev/null || bad "align fit $* (one process)"
    for P in $ranks; do
        # shellcheck disable=SC2086
        "${MPI[@]}" -n $P "$GAPKIT" align fit --method "$@" $many --out m$P.npz >out 2>&1 ||
            { bad "align fit $* on $P ranks exited non-zero"; cat out; }
        cmp -s m0.npz m$P.npz || bad "align fit $* ($many) on $P ranks: model differs from one process"
        grep -q "on $P MPI rank" out || bad "align fit $* on $P ranks does not say so: $(cat out)"
    done
}
# apply_same MODEL VIEW "P…" : rows of x through VIEW, one process and P ranks
apply_same() {
    "$GAPKIT" align apply "$1" --modality "$2" x.npy --out r0.npy || bad "apply $1 (one process)"
    for P in $3; do
        "${MPI[@]}" -n $P "$GAPKIT" align apply "$1" --modality "$2" @x.txt --out r$P.npy \
            >out 2>&1 || { bad "align apply $1 on $P ranks exited non-zero"; cat out; }
        cmp -s r0.npy r$P.npy || bad "align apply $1 --modality $2 on $P ranks: rows differ"
    done
}

fit_same "1 2 3" "x.npy y.npy" "@x.txt y.npy" cca --k 6
cp m0.npz cca.npz
"$PY" - <<'EOF' || bad "the cca model is not a cca model"
import json, zipfile
h = json.loads(zipfile.ZipFile("cca.npz").read("header.json"))
assert h["method"] == "cca" and h["n_fit"] == 10000, h
EOF
apply_same cca.npz x "2 3"
apply_same cca.npz y "3"
fit_same "3" "x.npy y.npy z.npy" "@x.txt y.npy z.npy" cca --k 5 --ridge 0.01
fit_same "2" "y.npy z.npy x.npy" "y.npy z.npy @x.txt" comet --k 4
fit_same "2 3" "x.npy a.npy" "@x.txt @a.txt" projdec --temp 30
cp m0.npz pd.npz
"$PY" - <<'EOF' || bad "projdec memory rows"
import json, zipfile, numpy as np
h = json.loads(zipfile.ZipFile("pd.npz").read("header.json"))
a = np.load("a.npy")
assert h["memory_rows"] == len(np.unique(a, axis=0)) == 10000 - 1000 - 1000 - 10, h
EOF
apply_same pd.npz x "3"
fit_same "3" "a.npy x.npy" "@a.txt @x.txt" projdec --anchor 0 --topk 5
exit $fail
