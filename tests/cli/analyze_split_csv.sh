#!/usr/bin/env bash
# analyze_split_csv.sh — `gapkit analyze --split fold:COL=V` takes the fold
# column from --split-csv FILE (or from the CSV of --labels FILE.csv:COL): the
# report's split is exactly the rows whose column holds V (here the first 30
# of 200 synthetic items); without a CSV, with a CSV of the wrong length, or
# with a fold loop it refuses with a clear message.
set -u
source "$(dirname "$0")/../cli_lib.sh"
"$GAPKIT" synth --out "$T/s" --n 200 --d 32 --classes 5 >/dev/null || { echo "FAIL: synth"; exit 1; }
"$PY" - "$T/s" <<'PYEOF' || { echo "FAIL: csv"; exit 1; }
import sys
d = sys.argv[1]
labels = open(f"{d}/labels.txt").read().split()
with open(f"{d}/meta.csv", "w") as f:
    f.write("id,label,part\n")
    for i, l in enumerate(labels):
        f.write(f"{i},{l},{'b' if i < 30 else 'a'}\n")
with open(f"{d}/short.csv", "w") as f:
    f.write("part\n" + "b\n" * 199)
PYEOF
IN=("$T/s/text.npy" "$T/s/audio.npy")
RUN=(analyze "${IN[@]}" --permutations 9 --quiet --out "$T/r")

expect 0 "wrote" "${RUN[@]}" --labels "$T/s/labels.txt" --split fold:part=b --split-csv "$T/s/meta.csv"
grep -qF '"split": "fold:part=b: 170 train / 30 test rows"' "$T/r/report.json" ||
    { echo "FAIL: --split-csv split"; grep '"split"' "$T/r/report.json"; fail=1; }
rm -rf "$T/r"
# the column comes from the labels' CSV when no --split-csv is given
expect 0 "wrote" "${RUN[@]}" --labels "$T/s/meta.csv:label" --split fold:part=a
grep -qF '"split": "fold:part=a: 30 train / 170 test rows"' "$T/r/report.json" ||
    { echo "FAIL: split from the labels' CSV"; grep '"split"' "$T/r/report.json"; fail=1; }

expect 1 "--split-csv" "${RUN[@]}" --labels "$T/s/labels.txt" --split fold:part=b
expect 2 "has 199 rows but the inputs have 200" "${RUN[@]}" --split fold:part=b \
    --split-csv "$T/s/short.csv"
expect 1 "analyze takes one fold" "${RUN[@]}" --split fold:part --split-csv "$T/s/meta.csv"
expect 1 "needs inputs with a fold column" analyze --split fold:part=b --out "$T/r"
exit $fail
