#!/usr/bin/env bash
# report_chromium.sh — the HTML report in a real browser (Debian's chromium, headless).
# A fabricated report.json (tests/browser/report_fixture.py), or the real one named
# by GK_REPORT_JSON, is rendered with
# `gapkit report render`, then, at 1280 px and at 390 px (phone) width:
#   1. the page is loaded with console logging on: no console message at all (the
#      page has no script, so any message is an error: a failed load, a parse error);
#      a deliberately broken page first proves that this check can fail;
#   2. the page is laid out in a frame of that width inside a wrapper with a small
#      probe script (tests/browser/probe_page.py; the report itself has none): 8 <svg>
#      panels, each laid out larger than 100×50 px with child elements and a data mark
#      (line, dots or bars), 5 figure cards, 3 tables, no horizontal overflow of the
#      page, chart fonts at least 10 px on screen;
#   3. a full-page screenshot is taken and must not be blank (tests/browser/png_stats.py:
#      ≥ 16 colours, ≥ 1 % of pixels that are not background).
# Exit 77 (CTest: skipped) only when chromium is not installed AND apt has no chromium
# package to install; installable but missing is a failure (run scripts/install-deps).
# GK_REPORT_SHOTS=DIR keeps the screenshots and pages in DIR to look at.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
TESTS=$(cd "$(dirname "$0")/.." && pwd)
fail=0

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
  if apt-cache policy chromium 2>/dev/null | grep -q "Candidate: [0-9]"; then
    echo "FAIL: chromium is installable but not installed: run scripts/install-deps"
    exit 1
  fi
  echo "SKIP: chromium is not installed and apt offers no chromium package on this machine"
  exit 77
fi
# Own profile per run (parallel ctest runs), no first-run UI, no network.
chrome() {
  timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-dev-shm-usage --hide-scrollbars \
    --user-data-dir="$T/profile" "$@"
}

# GK_REPORT_JSON=FILE: a real report.json (tests/cli/analyze.sh passes ESC-50's)
if [ -n "${GK_REPORT_JSON:-}" ]; then
  cp "$GK_REPORT_JSON" "$T/report.json" || { echo "FAIL: cannot read $GK_REPORT_JSON"; exit 1; }
else
  $PY "$TESTS/browser/report_fixture.py" "$T/report.json" || { echo "FAIL: fixture"; exit 1; }
fi
"$GAPKIT" report render "$T/report.json" --out "$T/report.html" >/dev/null ||
  { echo "FAIL: gapkit report render exited $?"; exit 1; }
n_svg=$(grep -o "<svg viewBox" "$T/report.html" | wc -l) # panels; the table's error bars are svg.ebar
[ "$n_svg" -eq 8 ] || { echo "FAIL: $n_svg <svg> panels in the page, expected 8"; fail=1; }
if grep -Eq "<script|src=|href=|url\(|@import|https?:" "$T/report.html"; then
  echo "FAIL: the page refers to something outside itself or has a script"; fail=1
fi

# 1. console: prove the check can fail, then run it on the report
console_messages() { # FILE WIDTH -> the console lines chromium logged
  chrome --enable-logging=stderr --v=0 --window-size="$2,900" --dump-dom "file://$1" \
    2>&1 >/dev/null | grep -E "CONSOLE|Uncaught|Failed to load resource" || true
}
printf '<!DOCTYPE html><title>x</title><img src="missing.png"><script>nosuch();</script>' \
  >"$T/broken.html"
[ -n "$(console_messages "$T/broken.html" 800)" ] ||
  { echo "FAIL: the console check missed the errors of a broken page"; fail=1; }

for W in 1280 390; do
  msgs=$(console_messages "$T/report.html" $W)
  [ -z "$msgs" ] || { echo "FAIL: console messages at $W px:"; echo "$msgs"; fail=1; }

  # 2. the laid-out page, measured by a probe in a wrapper (the report has no script)
  $PY "$TESTS/browser/probe_page.py" "$T/report.html" $W "$T/probe_$W.html"
  chrome --window-size=1300,900 --dump-dom "file://$T/probe_$W.html" >"$T/dom_$W.html" 2>/dev/null
  probe=$(grep -o 'PROBE {[^<]*}' "$T/dom_$W.html" | sed 's/^PROBE //')
  [ -n "$probe" ] || { echo "FAIL: the probe did not run at $W px"; fail=1; continue; }
  echo "$W px: $probe"
  height=$($PY - "$probe" $W <<'PY'
import json, sys
r, w = json.loads(sys.argv[1]), int(sys.argv[2])
bad = []
if r["width"] != w: bad.append("viewport %s px, expected %d" % (r["width"], w))
if r["svg"] != 8 or r["drawn"] != 8 or r["marks"] != 8:
    bad.append("svg %(svg)d, laid out %(drawn)d, with data marks %(marks)d (expected 8 each)" % r)
if r["figures"] != 5 or r["tables"] != 3:
    bad.append("%(figures)d figure cards and %(tables)d tables (expected 5 and 3)" % r)
if r["scrollWidth"] > r["width"]:
    bad.append("page is %(scrollWidth)d px wide in a %(width)d px window" % r)
if r["minText"] < 10:
    bad.append("chart text only %.1f px on screen" % r["minText"])
for b in bad: print("FAIL at %d px: %s" % (w, b), file=sys.stderr)
print(min(int(r["height"]) + 10, 16000))
sys.exit(1 if bad else 0)
PY
) || fail=1

  # 3. full-page screenshot, not blank
  chrome --window-size="$W,${height:-3000}" --screenshot="$T/report_$W.png" \
    "file://$T/report.html" >/dev/null 2>&1
  stats=$($PY "$TESTS/browser/png_stats.py" "$T/report_$W.png") ||
    { echo "FAIL: blank screenshot at $W px: $stats"; fail=1; }
  case "$stats" in "${W}x"*) ;; *) echo "FAIL: screenshot is not $W px wide: $stats"; fail=1 ;; esac
  echo "$W px screenshot: $stats"
done

if [ -n "${GK_REPORT_SHOTS:-}" ]; then
  mkdir -p "$GK_REPORT_SHOTS" && cp "$T"/report_*.png "$T/report.html" "$GK_REPORT_SHOTS"/
fi
exit $fail
