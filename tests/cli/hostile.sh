#!/usr/bin/env bash
# hostile.sh — numerically hostile inputs through `gapkit gap`, `gapkit comet
# fit` and `gapkit eval retrieval`: denormal, tiny (1e-30) and huge (1e30)
# magnitudes, duplicate rows, fewer rows than dimensions, a constant column.
# Each gives the correct result (checked against numpy, computed here from
# the same files, or against an invariance: normalised results do not depend
# on the scale of the rows) or a clear error with exit 2 — never a NaN,
# Infinity or null in the output, and never an internal error (exit 3).
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=1; }

"$PY" - <<'PYEOF' || exit 1
import json, numpy as np
rng = np.random.default_rng(7)
n, d = 60, 8
X = rng.standard_normal((n, d)).astype('<f4')
Y = (X + 0.3 * rng.standard_normal((n, d))).astype('<f4')
sets = {'base': (X, Y)}
for name, s in [('huge', 1e30), ('tiny', 1e-30), ('denormal', 1e-40)]:
    sets[name] = ((X * s).astype('<f4'), (Y * s).astype('<f4'))
sets['dup'] = (np.repeat(X[:1], n, 0), np.repeat(Y[:1], n, 0))
sets['twice'] = (np.vstack([X[:30], X[:30]]), np.vstack([Y[:30], Y[:30]]))
W = rng.standard_normal((5, 64)).astype('<f4')
sets['few'] = (W, (W + 0.5 * rng.standard_normal((5, 64))).astype('<f4'))
C, Cy = X.copy(), Y.copy(); C[:, 3] = 0.7; Cy[:, 5] = -0.2
sets['const'] = (C, Cy)
assert np.all(np.abs(sets['denormal'][0][sets['denormal'][0] != 0]) < 1.2e-38)  # really denormal

def unit(a):
    a = a.astype(np.float64)
    return a / np.linalg.norm(a, axis=1, keepdims=True)

def spectrum(a):
    c = a - a.mean(0)
    lam = np.clip(np.linalg.eigvalsh(c.T @ c / len(a)), 0, None)
    s = lam.sum()
    if s < 1e-20:  # all rows equal: zero covariance up to the rounding of the mean
        return 0.0, 0.0
    p = lam[lam > 0] / s
    return float(np.exp(-(p * np.log(p)).sum())), float(s * s / (lam ** 2).sum())

def ranks(q, g):  # rank of the true match, ties to the lower gallery index
    S = q @ g.T
    r = []
    for i in range(len(q)):
        t = S[i, i]
        r.append(1 + int((S[i] > t).sum()) + int((S[i, :i] == t).sum()))
    return np.array(r)

ref = {}
for name, (a, b) in sets.items():
    np.save(f'x_{name}.npy', a)
    np.save(f'y_{name}.npy', b)
    xa, yb = unit(a), unit(b)
    ex, px = spectrum(xa)
    ey, py = spectrum(yb)
    M = (xa - xa.mean(0)).T @ (yb - yb.mean(0))
    r = ranks(xa, yb)
    ref[name] = {'gap': float(np.linalg.norm(xa.mean(0) - yb.mean(0))),
                 'erank_x': ex, 'erank_y': ey, 'pr_x': px, 'pr_y': py,
                 'sigma': np.linalg.svd(M, compute_uv=False).tolist(),
                 'R@1': float((r == 1).mean()), 'MeanR': float(r.mean())}
json.dump(ref, open('ref.json', 'w'))
PYEOF

# json_ok FILE: parses, and holds no NaN, Infinity or null — except principal
# angles past a covariance's rank, which are undefined (null, with a warning)
json_ok() {
    "$PY" -c '
import json, sys
def walk(v):
    if v is None: sys.exit("null in output")
    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))): sys.exit("non-finite")
    if isinstance(v, dict) and isinstance(v.get("principal_angles_deg"), list):
        v = dict(v, principal_angles_deg=[a for a in v["principal_angles_deg"] if a is not None])
    for w in (v.values() if isinstance(v, dict) else v if isinstance(v, list) else []): walk(w)
walk(json.load(open(sys.argv[1]), parse_constant=lambda c: float(c)))' "$1" || bad "$1: not clean JSON"
}
# check NAME FILE EXPR TOL: |value of EXPR in FILE's JSON - ref[NAME][key]| <= TOL
check() {
    "$PY" - "$@" <<'PYEOF' || fail=1
import json, sys
name, out, expr, tol = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
o, ref = json.load(open(out)), json.load(open('ref.json'))[name]
got, want = eval(expr.split('=')[0], {}, {'o': o}), eval(expr.split('=')[1], {}, {'ref': ref})
seq = lambda v: list(v) if isinstance(v, (list, tuple)) else [v]
for g, w in zip(seq(got), seq(want)):
    if abs(g - w) > tol * max(1.0, abs(w)):
        print(f"FAIL: {name}: {expr.split('=')[0]} = {g}, expected {w}")
        sys.exit(1)
PYEOF
}
# run NAME CMD...: gapkit CMD on x_NAME.npy y_NAME.npy, JSON to NAME.CMDWORD.json
run() {
    local name=$1 word=$2; shift 2
    "$GAPKIT" "$@" --json >"$name.$word.json" 2>"$name.$word.err"
    local rc=$?
    [ $rc -eq 0 ] || { bad "$name $word exited $rc: $(cat "$name.$word.err")"; return 1; }
    json_ok "$name.$word.json"
}
model_sigma() { "$PY" -c "import numpy as np, json; print(json.dumps({'s': np.load('$1')['sigma'].ravel().tolist()}))" >"$2"; }

# 1. every set that is not degenerate: gap and retrieval against numpy, comet σ against numpy
for name in base huge tiny denormal twice few const; do
    run "$name" gap gap "x_$name.npy" "y_$name.npy" || continue
    check "$name" "$name.gap.json" "o['gap']=ref['gap']" 1e-5
    for k in erank_x erank_y pr_x pr_y; do check "$name" "$name.gap.json" "o['$k']=ref['$k']" 1e-4; done
    # the numpy reference ranks copies apart (ties by index): --keep-duplicates
    run "$name" ret eval retrieval "x_$name.npy" "y_$name.npy" --keep-duplicates || continue
    check "$name" "$name.ret.json" "o['x_to_y']['R@1']=ref['R@1']" 1e-9
    check "$name" "$name.ret.json" "o['x_to_y']['MeanR']=ref['MeanR']" 1e-9
    "$GAPKIT" comet fit "x_$name.npy" "y_$name.npy" --k 2 --out "m_$name.npz" >/dev/null 2>"$name.fit.err" ||
        { bad "$name comet fit: $(cat "$name.fit.err")"; continue; }
    model_sigma "m_$name.npz" "$name.sigma.json"
    check "$name" "$name.sigma.json" "o['s'][:4]=ref['sigma'][:4]" 1e-4
done
# scale does not matter once rows are normalised: the same numbers as the base set
for name in huge tiny denormal; do
    "$PY" - "$name" <<'PYEOF' || fail=1
import json, sys
n = sys.argv[1]
a, b = json.load(open('base.gap.json')), json.load(open(f'{n}.gap.json'))
for k in ['gap', 'rmg', 'cone_x', 'cos_true', 'erank_x', 'pr_y', 'w2_uniformity']:
    if abs(a[k] - b[k]) > 1e-4 * max(1, abs(a[k])):
        sys.exit(f"FAIL: {n}: {k} = {b[k]} but {a[k]} for the unscaled rows")
a, b = json.load(open('base.ret.json')), json.load(open(f'{n}.ret.json'))
if a['x_to_y'] != b['x_to_y'] or a['y_to_x'] != b['y_to_x']:
    sys.exit(f"FAIL: {n}: retrieval differs from the unscaled rows")
PYEOF
done

# 2. the same magnitudes kept as they are (--no-normalize): a clear error, exit 2
for name in huge tiny denormal; do
    for cmd in gap "comet fit" "eval retrieval"; do
        extra=""; [ "$cmd" = "comet fit" ] && extra="--k 2 --out m_nn.npz"
        # shellcheck disable=SC2086
        "$GAPKIT" $cmd "x_$name.npy" "y_$name.npy" $extra --no-normalize >/dev/null 2>err
        rc=$?
        [ $rc -eq 2 ] || bad "$name --no-normalize $cmd exited $rc, expected 2"
        grep -q "row 0 has norm .*outside \[1e-15, 1e+15\] where float32 products neither overflow nor underflow" err ||
            { bad "$name --no-normalize $cmd message:"; cat err; }
    done
done
[ -e m_nn.npz ] && bad "a refused comet fit wrote its model"
# a moderate scale without normalisation is fine: the ranks of dot products do not change
"$PY" -c "import numpy as np; [np.save(f'{s}_scaled.npy', (np.load(f'{s}_base.npy') * 1e6).astype('<f4')) for s in 'xy']"
"$GAPKIT" eval retrieval x_scaled.npy y_scaled.npy --no-normalize --json >scaled.json || bad "scaled retrieval"
"$GAPKIT" eval retrieval x_base.npy y_base.npy --no-normalize --json >unscaled.json
"$PY" -c "import json,sys; a,b=json.load(open('scaled.json')),json.load(open('unscaled.json')); sys.exit(a['x_to_y']!=b['x_to_y'])" ||
    bad "retrieval ranks changed with the scale of the rows"

# 3. every row the same: gap says rank 0 (not exp(0) = 1), comet fit has nothing to fit,
#    retrieval ties everything (documented: ties go to the lower gallery index)
run dup gap gap x_dup.npy y_dup.npy &&
    for k in erank_x erank_y pr_x pr_y gap; do check dup dup.gap.json "o['$k']=ref['$k']" 1e-6; done
# rank 0: every principal angle undefined (null), and a warning says why
"$PY" -c 'import json, sys; a = json.load(open("dup.gap.json"))["principal_angles_deg"]; sys.exit(any(v is not None for v in a))' ||
    bad "dup: principal angles of a rank-0 view are not all null"
grep -q "warning: only 0 of the .* principal angles are defined" dup.gap.err || bad "dup: no warning on the angles"
"$GAPKIT" comet fit x_dup.npy y_dup.npy --k 2 --out m_dup.npz >/dev/null 2>err
[ $? -eq 2 ] && grep -q "cross-covariance of T and A is zero (every row of T is the same)" err ||
    { bad "comet fit on identical rows:"; cat err; }
[ -e m_dup.npz ] && bad "comet fit on identical rows wrote a model"
run dup ret eval retrieval x_dup.npy y_dup.npy --keep-duplicates &&
    check dup dup.ret.json "o['x_to_y']['R@1'],o['x_to_y']['MeanR']=[1/60, 30.5]" 1e-9
# by default the 60 copies are one item: found first, 59 rows merged on each side
run dup merged eval retrieval x_dup.npy y_dup.npy &&
    check dup dup.merged.json "o['x_to_y']['R@1'],o['duplicates']['merged_x'],o['duplicates']['merged_y']=[1, 59, 59]" 0

[ $fail -eq 0 ] && echo "hostile: all checks passed"
exit $fail
