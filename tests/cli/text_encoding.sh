#!/usr/bin/env bash
# text_encoding.sh — the bytes of label files and file names: a UTF-8
# byte-order mark at the start of a label file is not part of the first
# label (no phantom class).
set -u
source "$(dirname "$0")/../cli_lib.sh"
cd "$T" || exit 1

"$GAPKIT" synth --out s --n 100 --d 16 --k 4 --private 2 --seed 2 >/dev/null || exit 1

# BOM: the same 10 classes and the same scores as without it
printf '\xef\xbb\xbf' >bom.txt && cat s/labels.txt >>bom.txt
"$GAPKIT" eval probe s/text.npy --labels s/labels.txt --json >plain.json || fail=1
"$GAPKIT" eval probe s/text.npy --labels bom.txt --json >bom.json || fail=1
grep -q '"classes": 10' bom.json && cmp -s plain.json bom.json ||
    { echo "FAIL: a BOM changes the labels"; diff plain.json bom.json; fail=1; }
exit $fail
