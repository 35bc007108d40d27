#!/usr/bin/env bash
# demo.sh — the README's main job: `gapkit demo` runs with no arguments, finds
# the number of shared axes the generator was given, and COMET improves the
# held-out retrieval; `comet fit --k shared` on `gapkit synth` files does the
# same from files.  Numbers are read from the JSON documents with $PY.
set -u
source "$(dirname "$0")/../cli_lib.sh"

"$GAPKIT" demo >"$T/out" 2>"$T/err" || { echo "FAIL: demo exited $?"; cat "$T/err"; exit 1; }
grep -q "8 axes share more than chance (truth: 8)" "$T/out" ||
  { echo "FAIL: demo did not recover 8 shared axes"; cat "$T/out"; fail=1; }

for k in 5 12; do
  "$GAPKIT" demo --k $k --seed 3 --json >"$T/demo.json" || { echo "FAIL: demo --k $k"; fail=1; }
  $PY - "$T/demo.json" $k <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1])); k = int(sys.argv[2])
assert d["permutation_test"]["shared_axes"] == k, d["permutation_test"]
sub = [r["in_subspace"] for r in d["recovery"]]
assert len(sub) == k and min(sub) > 0.9, sub
raw, com = d["retrieval_raw"]["x_to_y"]["mAP@10"], d["retrieval_comet"]["x_to_y"]["mAP@10"]
assert com > raw, (raw, com)
PY
done

"$GAPKIT" synth --k 6 --seed 9 --out "$T/s" >/dev/null || { echo "FAIL: synth"; fail=1; }
"$GAPKIT" comet fit "$T/s/text.npy" "$T/s/audio.npy" --k shared --permutations 49 \
  --out "$T/m.npz" --json >"$T/fit.json" || { echo "FAIL: comet fit --k shared"; fail=1; }
$PY -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['k'] == 6 and d['permutation_test']['shared_axes'] == 6, d" "$T/fit.json" || fail=1

# usage errors exit 1 and say what was expected
"$GAPKIT" demo --permutations 0 >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 1 ] && grep -q "expected 1..100000" "$T/err" || { echo "FAIL: --permutations 0 -> $rc"; fail=1; }
"$GAPKIT" comet fit "$T/s/text.npy" "$T/s/audio.npy" --k shared --alpha 2 --out "$T/x.npz" 2>"$T/err" >/dev/null; rc=$?
[ $rc -eq 1 ] && grep -q "alpha" "$T/err" && [ ! -e "$T/x.npz" ] || { echo "FAIL: --alpha 2 -> $rc"; fail=1; }
exit $fail
