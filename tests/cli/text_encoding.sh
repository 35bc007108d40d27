#!/usr/bin/env bash
# text_encoding.sh — the bytes of label files and file names: a UTF-8
# byte-order mark at the start of a label file is not part of the first
# label (no phantom class); bytes that are not UTF-8 in a file name or a
# label reach JSON and HTML as \xNN (docs/commands.md), never fail a run
# nor drop a view.
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
# a file name with the Latin-1 byte E9: --json works and shows caf\xe9
B=$(printf 'caf\xe9.npy')
cp s/text.npy "$B"
for args in "info" "eval retrieval"; do
    # shellcheck disable=SC2086
    "$GAPKIT" $args "$B" s/audio.npy --json >o.json 2>err || { echo "FAIL: $args --json"; cat err; fail=1; }
    "$PY" -c 'import json,sys; d=open(sys.argv[1],"rb").read(); d.decode("utf-8"); json.loads(d); assert b"caf\\\\xe9.npy" in d, d' o.json ||
        { echo "FAIL: $args: JSON not UTF-8 or name not escaped"; fail=1; }
done

# analyze keeps all three views, the odd name escaped in report.json and the page
"$GAPKIT" analyze "$B" s/audio.npy s/text.npy --out r --quiet >/dev/null || { echo "FAIL: analyze"; fail=1; }
"$PY" - r <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1] + "/report.json", encoding="utf-8"))
names = [v["name"] for v in d["inputs"]["views"]]
assert names == ["caf\\xe9.npy", "audio.npy", "text.npy"], names
html = open(sys.argv[1] + "/report.html", encoding="utf-8").read()
assert "caf\\xe9.npy" in html
PY

# labels with invalid bytes: classes kept apart, names escaped in the JSON
"$PY" - s/labels.txt <<'PY' || fail=1
import sys
labs = open(sys.argv[1]).read().split()
open("bad.txt", "wb").write(b"".join(l.encode() + (b"\xe9" if l.endswith("1") else b"") + b"\n" for l in labs))
PY
"$GAPKIT" eval zeroshot s/text.npy s/audio.npy --labels bad.txt --prompt-labels bad.txt --json >z.json ||
    { echo "FAIL: zeroshot with non-UTF-8 labels"; fail=1; }
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1], encoding="utf-8")); n=[c["name"] for c in d["classes"]]; assert "class01\\xe9" in n and len(n) == 10, n' z.json ||
    { echo "FAIL: zeroshot class names"; fail=1; }
exit $fail
