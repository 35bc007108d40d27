#!/usr/bin/env bash
# report_render.sh — `gapkit report render`: writes the page beside the report by
# default or to --out, --json names both files, a report with only the required keys
# still renders (no figures), and bad input is exit 2 naming the file and the problem,
# bad usage exit 1; a failed render leaves no page behind.  (The page in a browser:
# report_chromium.sh.)
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
TESTS=$(cd "$(dirname "$0")/.." && pwd)
fail=0
expect() { # CODE WANT_IN_STDERR CMD…
  local code=$1 want=$2
  shift 2
  "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  if [ $rc -ne "$code" ] || ! grep -qF -- "$want" "$T/err"; then
    echo "FAIL: $* -> exit $rc (expected $code with \"$want\")"; cat "$T/err"; fail=1
  fi
}

$PY "$TESTS/browser/report_fixture.py" "$T/full.json" || exit 1
$PY "$TESTS/browser/report_fixture.py" "$T/min.json" --minimal || exit 1

"$GAPKIT" report render "$T/full.json" >"$T/out" || { echo "FAIL: render"; fail=1; }
grep -qx "wrote $T/full.html" "$T/out" ||
  { echo "FAIL: default output name"; cat "$T/out"; fail=1; }
[ "$(grep -o '<svg ' "$T/full.html" | wc -l)" -eq 8 ] || { echo "FAIL: 8 panels expected"; fail=1; }

"$GAPKIT" report render "$T/min.json" --out "$T/min page.html" --json >"$T/out" ||
  { echo "FAIL: render minimal"; fail=1; }
$PY - "$T/out" "$T/min.json" "$T/min page.html" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
assert d == {"report": sys.argv[2], "html": sys.argv[3]}, d
page = open(sys.argv[3], encoding="utf-8").read()
assert "<svg" not in page and "Centroid gap" in page, page[:300]
assert page.rstrip().endswith("</html>"), page[-200:]
PY

# bad input: exit 2, the file and the problem named, nothing written
printf '{"format": "gapkit-report", "version": 1,' >"$T/cut.json"
expect 2 "cut.json: not valid JSON at line 1" "$GAPKIT" report render "$T/cut.json"
printf '{"format": "gapkit-model", "version": 1}' >"$T/model.json"
expect 2 "model.json: key \"format\" must be \"gapkit-report\", got \"gapkit-model\"" \
  "$GAPKIT" report render "$T/model.json"
printf '{"format": "gapkit-report", "version": 9}' >"$T/v9.json"
expect 2 "version 9 is not readable" "$GAPKIT" report render "$T/v9.json"
expect 2 "$T/nope.json" "$GAPKIT" report render "$T/nope.json"
expect 2 "$T/no/dir/x.html" "$GAPKIT" report render "$T/full.json" --out "$T/no/dir/x.html"
# a value of the wrong type is refused, named, not drawn as "missing" (a
# string where the gap is a number; a number where the compare rows belong;
# a string inside a list of numbers); null stays "not computed"
$PY - "$T/full.json" "$T" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
def save(name, doc): json.dump(doc, open(sys.argv[2] + "/" + name, "w"))
a = json.loads(json.dumps(d)); a["gap"]["gap"] = "0.5"; save("strgap.json", a)
b = json.loads(json.dumps(d)); b["gap"] = 3; save("numgap.json", b)
c = json.loads(json.dumps(d)); c["gap"]["gap"] = None; save("nullgap.json", c)
PY
expect 2 'strgap.json: "gap" is a string, expected a number' "$GAPKIT" report render "$T/strgap.json"
expect 2 'numgap.json: "gap" is a number, expected an object' "$GAPKIT" report render "$T/numgap.json"
"$GAPKIT" report render "$T/nullgap.json" >/dev/null 2>&1 || { echo "FAIL: a null gap refused"; fail=1; }
for f in cut model v9 nope strgap numgap; do
  [ ! -e "$T/$f.html" ] || { echo "FAIL: a page was left for $f.json"; fail=1; }
done

# usage: exit 1
expect 1 "expected a subcommand" "$GAPKIT" report
expect 1 "unknown subcommand 'draw'" "$GAPKIT" report draw "$T/full.json"
expect 1 "render expects one REPORT.json" "$GAPKIT" report render "$T/full.json" "$T/min.json"
expect 1 "--bogus" "$GAPKIT" report render --bogus "$T/full.json"
"$GAPKIT" report --help | grep -q "usage: gapkit report render" || { echo "FAIL: --help"; fail=1; }
exit $fail
