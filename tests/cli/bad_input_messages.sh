#!/usr/bin/env bash
# bad_input_messages.sh — the wording of errors (issue 11's list): a bad
# option value names its option and range, a missing file with a selector
# says it does not exist, a pipe is refused as not a regular file, an empty
# --measure is a usage error.
set -u
source "$(dirname "$0")/../cli_lib.sh"
cd "$T" || exit 1
"$GAPKIT" synth --out s --n 60 --d 12 --k 3 --private 2 --seed 1 >/dev/null || exit 1
X=s/text.npy Y=s/audio.npy

expect 1 "--subspace-k 0 (expected a positive integer)" gap $X $Y --subspace-k 0
expect 1 "--n-pc 0 (expected a positive integer)" gap $X $Y --n-pc=0
expect 1 "--clusters 0 (expected an integer 1..2147483647)" eval cluster $X --labels s/labels.txt --clusters 0
expect 1 "--n 0 (expected an integer 2..100000000)" synth --out o --n 0
expect 1 "--gap -1 (expected a number 0..100)" synth --out o --gap=-1
expect 1 "--seed -1 (expected an integer 0..9223372036854775807)" gap $X $Y --seed -1
expect 1 "--measure '' names no measure" similarity $X $Y --measure ''
expect 2 "missing.npz:abc: cannot open: No such file or directory" info missing.npz:abc
mkfifo pipe.npy
(timeout 10 cat $X >pipe.npy 2>/dev/null &)  # the writer ends when gapkit closes the pipe
expect 2 "pipe.npy: not a regular file" info pipe.npy
# a CSV header naming the selected column twice; a vocabulary word twice; NUL
{ echo "id,class,class"; for i in $(seq 60); do echo "$i,a$((i % 3)),b"; done; } >dup.csv
expect 2 "dup.csv: the header has column 'class' twice (fields 2 and 3)" eval probe $X --labels dup.csv:class
{ for i in $(seq 59); do echo "w$i"; done; echo w7; } >vocab.txt
printf ': s\nw1 w2 w3 w4\n' >q.txt
expect 2 "vocab.txt: the word 'w7' is on line 7 and again on line 60" eval analogy $X --vocab vocab.txt --questions q.txt
printf 'a\nb\000c\n' >nul.txt
expect 2 "nul.txt: line 2 holds a NUL byte" eval probe $X --labels nul.txt

# one class: the probe says why it did not run
for i in $(seq 60); do echo same; done >one.txt
expect 0 "probe not run: it needs at least 2 classes, the labels have 1" eval probe $X --labels one.txt

# labels in tables: an escape sequence and a trailing space made visible
"$PY" - s/labels.txt <<'PY'
import sys
labs = open(sys.argv[1]).read().split()
fix = {"class01": "class01\x1b[31m", "class02": "class02 "}
open("ctl.txt", "w").write("".join(fix.get(l, l) + "\n" for l in labs))
PY
expect 0 'class01\x1b[31m' eval zeroshot $X $Y --labels ctl.txt --prompt-labels ctl.txt
grep -q $'\x1b' "$T/out" && { echo "FAIL: an escape sequence reached the terminal"; fail=1; }
# models: another kind given to comet apply; a NaN in a member is named by member
"$GAPKIT" align fit $X $Y --method procrustes --out al.npz >/dev/null || fail=1
expect 2 'al.npz: is a model of kind "align", not a COMET model' comet apply al.npz --side 0 $X --out c.npy
"$GAPKIT" comet fit $X $Y --k 2 --out cm.npz >/dev/null || fail=1
"$PY" - <<'PY'
import io, zipfile, numpy as np
zin, zout = zipfile.ZipFile("cm.npz"), zipfile.ZipFile("nan.npz", "w")
for n in zin.namelist():
    d = zin.read(n)
    if n == "U.npy":
        a = np.load(io.BytesIO(d)); a[3, 1] = np.nan
        b = io.BytesIO(); np.save(b, a); d = b.getvalue()
    zout.writestr(n, d)
zout.close()
x = np.load("s/text.npy").astype("<f8"); x[3, 2] = 1e300; np.save("f64.npy", x)
PY
expect 2 "nan.npz: U: row 3, column 1 is NaN" comet apply nan.npz --side 0 $X --out c.npy
# a float64 beyond the float32 range is called what it is, not Inf
expect 2 "f64.npy: row 3, column 2 is 1e+300, beyond the float32 range" gap f64.npy $Y --no-normalize
# no partial table before an error: stdout stays empty
nothing_printed() { [ ! -s "$T/out" ] || { echo "FAIL: $1 printed before failing:"; head -3 "$T/out"; fail=1; }; }
expect 2 "k = 99 is out of range" similarity $X $Y --k 99 && nothing_printed "similarity --k 99"
"$PY" -c "import numpy as np; np.save('x9.npy', np.random.default_rng(0).standard_normal((60, 9)).astype('<f4'))"
"$GAPKIT" comet fit $X x9.npy --k 2 --out m9.npz >/dev/null || fail=1
expect 2 "needs D_T == D_A" comet explain m9.npz --test $X x9.npy && nothing_printed "comet explain --test"
for j in "" --json; do
    # shellcheck disable=SC2086
    expect 2 "nodir/c.npy: cannot write in directory nodir" eval zeroshot $X $Y --labels s/labels.txt \
        --prompt-labels s/labels.txt --confusion nodir/c.npy $j && nothing_printed "eval zeroshot --confusion $j"
done
exit $fail
