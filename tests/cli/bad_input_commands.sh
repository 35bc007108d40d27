#!/usr/bin/env bash
# bad_input_commands.sh — the analysis commands (gap, comet fit/apply/explain,
# eval retrieval/zeroshot) on broken or mismatched inputs: exit code 2, a
# message naming the file and the problem, and no output file left behind.
# (`gapkit info` on broken files is bad_input.sh.)
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
fail=0
$PY - <<'PY'
import numpy as np
a = np.random.default_rng(0).standard_normal((20, 8)).astype(np.float32)
np.save("a.npy", a); np.save("short.npy", a[:10]); np.save("wide.npy", np.hstack([a, a]))
n = a.copy(); n[3, 5] = np.nan; np.save("nan.npy", n)
i = a.copy(); i[7, 1] = np.inf; np.save("inf.npy", i)
z = a.copy(); z[4] = 0; np.save("zero.npy", z)
np.save("norows.npy", np.zeros((0, 8), np.float32))
open("empty.npy", "wb").close()
d = open("a.npy", "rb").read(); open("trunc.npy", "wb").write(d[:-7])
open("header.npy", "wb").write(d.replace(b"'shape'", b"'shapf'"))
open("labels.txt", "w").write("x\n" * 19)
PY

# expect CODE FRAGMENT ARGS…: `gapkit ARGS…` exits CODE and stderr holds FRAGMENT
expect() {
    local code=$1 frag=$2 rc
    shift 2
    "$GAPKIT" "$@" >out 2>err
    rc=$?
    if [ "$rc" -ne "$code" ]; then
        echo "FAIL: gapkit $* exited $rc, expected $code"; cat err; fail=1; return
    fi
    grep -qF -- "$frag" err || { echo "FAIL: gapkit $* stderr lacks '$frag':"; cat err; fail=1; }
}

for cmd in "gap" "eval retrieval"; do
    expect 2 "nan.npy: row 3, column 5 is NaN" $cmd a.npy nan.npy
    expect 2 "inf.npy: row 7, column 1 is Inf" $cmd inf.npy a.npy
    expect 2 "zero.npy: row 4 is all zeros and cannot be normalised" $cmd a.npy zero.npy
    expect 2 "empty.npy: file is empty" $cmd empty.npy a.npy
    expect 2 "trunc.npy: header says shape (20, 8) of float32 = 640 bytes but the file holds 633" $cmd a.npy trunc.npy
    expect 2 "header.npy: " $cmd header.npy a.npy
    expect 2 "norows.npy: " $cmd a.npy norows.npy
    expect 2 "missing.npy: cannot open" $cmd a.npy missing.npy
    expect 2 "a.npy has 20 rows but short.npy has 10" $cmd a.npy short.npy
    expect 2 "labels.txt has 19 labels but a.npy has 20 rows" $cmd a.npy a.npy --labels labels.txt --prompt-labels labels.txt --pair-by-label
done
expect 2 "a.npy has dimension 8 but wide.npy has 16" eval retrieval a.npy wide.npy
expect 2 "a.npy has dimension 8 but wide.npy has 16" eval zeroshot a.npy wide.npy --labels labels.txt --prompt-labels labels.txt

# comet: no model and no projection file are left behind by a failed run
expect 2 "nan.npy: row 3, column 5 is NaN" comet fit a.npy nan.npy --k 2 --out m.npz
expect 2 "a.npy has 20 rows but short.npy has 10" comet fit a.npy short.npy --k 2 --out m.npz
[ -e m.npz ] && { echo "FAIL: a failed comet fit left m.npz"; fail=1; }
"$GAPKIT" comet fit a.npy a.npy --k 2 --out good.npz >/dev/null || { echo "FAIL: comet fit"; fail=1; }
expect 2 "wide.npy: comet apply: input has D = 16 but side 0 of the model has D = 8" comet apply good.npz --side 0 wide.npy --out o.npy
expect 2 "trunc.npy: " comet apply good.npz --side 0 trunc.npy --out o.npy
[ -e o.npy ] && { echo "FAIL: a failed comet apply left o.npy"; fail=1; }
expect 2 "a.npy: " comet apply a.npy --side 0 a.npy --out o.npy   # an .npy is not a model
expect 2 "a.npy has 20 rows but short.npy has 10" comet explain good.npz --test a.npy short.npy

# usage errors name the option, for every command's option loop (cli_getopt)
for cmd in "gap a.npy a.npy" "knn a.npy" "similarity a.npy a.npy" "comet fit a.npy a.npy" \
           "eval retrieval a.npy a.npy" "align fit a.npy a.npy" "compare a.npy a.npy" \
           "info a.npy" "report render x.json" "synth" "demo" "analyze"; do
    expect 1 "unknown option '--bogus'" $cmd --bogus
done
expect 1 "--k needs a value" knn a.npy --k
expect 1 "--out needs a value" report render x.json --out
expect 1 "unknown option '-x'" demo -xy
ls -a | grep -q '\.tmp' && { echo "FAIL: temporary files left: $(ls -a)"; fail=1; }
exit $fail
