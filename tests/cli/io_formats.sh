#!/usr/bin/env bash
# io_formats.sh — files written by numpy in every supported variant load with
# the values numpy sees (checked through `gapkit info --json` row norms):
# float16/32/64, both byte orders, C and Fortran order, (M,N,D) views, and
# .npz from numpy.savez (stored) and numpy.savez_compressed (deflated).
set -u
source "$(dirname "$0")/../cli_lib.sh"

"$PY" - "$T" <<'PYEOF' || exit 1
import sys, numpy as np
d = sys.argv[1]
rng = np.random.default_rng(0)
base = rng.standard_normal((2, 5, 3))
for dt in ['<f2', '>f2', '<f4', '>f4', '<f8', '>f8']:
    name = dt.replace('<', 'le').replace('>', 'be')
    np.save(f"{d}/{name}_c.npy", base[0].astype(dt))
    np.save(f"{d}/{name}_f.npy", np.asfortranarray(base[0].astype(dt)))
np.save(f"{d}/three.npy", base.astype('<f4'))
np.savez(f"{d}/plain.npz", a=base[0].astype('<f4'), b=base[1])
np.savez_compressed(f"{d}/packed.npz", a=base[0].astype('<f4'), b=base[1])
# expected row-norm maxima, computed in float64 from what each file holds
import json
exp = {}
for dt in ['<f2', '>f2', '<f4', '>f4', '<f8', '>f8']:
    exp[dt] = float(np.linalg.norm(base[0].astype(dt).astype(np.float32).astype(np.float64), axis=1).max())
exp['view1'] = float(np.linalg.norm(base[1].astype('<f4').astype(np.float64), axis=1).max())
json.dump(exp, open(f"{d}/expected.json", "w"))
PYEOF

# norm_max SPEC: the max row norm reported by gapkit info --json
norm_max() {
    "$GAPKIT" info --json "$1" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["files"][0]["row_norm"]["max"])'
}
close() { "$PY" -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); sys.exit(0 if abs(a-b)<=1e-6*max(1,abs(b)) else 1)" "$1" "$2"; }
expected() { "$PY" -c "import json,sys; print(json.load(open('$T/expected.json'))[sys.argv[1]])" "$1"; }

for dt in '<f2' '>f2' '<f4' '>f4' '<f8' '>f8'; do
    name=$(echo "$dt" | sed 's/</le/; s/>/be/')
    want=$(expected "$dt")
    for order in c f; do
        got=$(norm_max "$T/${name}_${order}.npy") || { echo "FAIL: ${name}_${order}.npy"; fail=1; continue; }
        close "$got" "$want" || { echo "FAIL: ${name}_${order}.npy norm $got, numpy $want"; fail=1; }
    done
done
got=$(norm_max "$T/three.npy:1"); close "$got" "$(expected view1)" || { echo "FAIL: three.npy:1"; fail=1; }
for z in plain packed; do
    got=$(norm_max "$T/$z.npz:a"); close "$got" "$(expected '<f4')" || { echo "FAIL: $z.npz:a $got"; fail=1; }
    got=$(norm_max "$T/$z.npz:b.npy"); close "$got" "$(expected view1)" || { echo "FAIL: $z.npz:b"; fail=1; }
done
"$GAPKIT" info "$T/plain.npz" 2>"$T/err" >/dev/null
grep -q "choose one with FILE:MEMBER" "$T/err" || { echo "FAIL: npz without member"; cat "$T/err"; fail=1; }
"$GAPKIT" info "$T/bef4_c.npy" | grep -q "big-endian" || { echo "FAIL: byte order not shown"; fail=1; }
"$GAPKIT" info "$T/lef4_f.npy" | grep -q "Fortran order" || { echo "FAIL: order not shown"; fail=1; }
"$GAPKIT" info "$T/lef4_c.npy" | grep -q "memory-mapped" || { echo "FAIL: mmap not shown"; fail=1; }

[ $fail -eq 0 ] && echo "io_formats: all checks passed"
exit $fail
