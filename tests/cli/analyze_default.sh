#!/usr/bin/env bash
# analyze_default.sh — `gapkit analyze` with no inputs writes a report of the
# built-in data in ./gapkit-report and says so (its own test, apart from
# analyze.sh's ESC-50 run, so that ctest -j runs the two side by side).
set -u
source "$(dirname "$0")/../cli_lib.sh"

(cd "$T" && "$GAPKIT" analyze --quiet >out) || { echo "FAIL: analyze without inputs"; fail=1; }
for f in report.json report.html; do
  [ -s "$T/gapkit-report/$f" ] || { echo "FAIL: no gapkit-report/$f"; fail=1; }
done
grep -q "wrote gapkit-report/report.json" "$T/out" || { echo "FAIL: says nothing of the report"; fail=1; }
exit $fail
