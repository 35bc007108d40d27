#!/usr/bin/env bash
# comet_honesty.sh — what `comet fit --k shared` and `analyze` say about their
# p-values (the resolution 1/(B+1), default B = 99 so that p can fall to 0.01,
# well below alpha = 0.05) and the numerical rank of a fit with N - 1 < D.
set -u
source "$(dirname "$0")/../cli_lib.sh"

"$GAPKIT" synth --k 6 --seed 9 --out "$T/s" >/dev/null || { echo "FAIL: synth"; fail=1; }
expect 0 "p resolution 1/(B+1) = 0.05" comet fit "$T/s/text.npy" "$T/s/audio.npy" --k shared \
    --permutations 19 --out "$T/m19.npz"
"$GAPKIT" comet fit "$T/s/text.npy" "$T/s/audio.npy" --k shared --out "$T/m.npz" --json \
    >"$T/fit.json" || fail=1
$PY - "$T/fit.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
t = d["permutation_test"]
assert t["permutations"] == 99 and abs(t["p_resolution"] - 0.01) < 1e-12, t
assert min(t["p_values"][:6]) <= 0.01 + 1e-12, t
PY

# 30 pairs of 64-d rows: the cross-covariance has rank <= 29
$PY - "$T" <<'PY' || fail=1
import sys, numpy as np
r = np.random.default_rng(0)
np.save(sys.argv[1] + "/t30.npy", r.standard_normal((30, 64)).astype(np.float32))
np.save(sys.argv[1] + "/a30.npy", r.standard_normal((30, 64)).astype(np.float32))
PY
"$GAPKIT" comet fit "$T/t30.npy" "$T/a30.npy" --k 4 --out "$T/m30.npz" --json >"$T/f30.json" || fail=1
$PY -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['rank'] == 29, d" "$T/f30.json" || fail=1
expect 0 "numerical rank 29: axes 30..64" comet explain "$T/m30.npz"
"$GAPKIT" comet explain "$T/m30.npz" --axes 64 --json >"$T/e30.json" || fail=1
$PY - "$T/e30.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
assert d["rank"] == 29 and len(d["axes"]) == 64, (d["rank"], len(d["axes"]))
for a in d["axes"][29:]:
    assert a.get("noise") is True and "align" not in a and "corr" not in a, a
assert "align" in d["axes"][28] and "noise" not in d["axes"][28]
PY
exit $fail
