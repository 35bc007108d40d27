#!/usr/bin/env bash
# compare_tests.sh — `gapkit compare --test A,B` and the tests beyond R@1: on
# ESC-50 (clips paired with their class prompts, fold 1 held out) every test
# of ablate:m=450 minus center (a named pair, named by its bare method) and of
# both rows minus identity — R@1, R@5 and mAP@10 both ways, zero-shot top-1 —
# equals tests/reference/compare_tests_reference.py: numpy per-query values,
# the paired bootstrap interval on the SAME resampling indices (B = 200,
# seed 0), the sign-flip p over the same stream (999 flips) and Holm over the
# 21 tests of the family.  Then the table, and names that are not rows.
set -u
source "$(dirname "$0")/../cli_lib.sh"
E="$DATA/esc50-clap"
REF="$(dirname "$0")/../reference"
ARGS=(compare "$E/audio.npy" "$E/class_text.npy" --labels "$E/meta.csv:class_name"
      --prompt-labels "$E/class_names.txt" --pair-by-label --split fold:fold=1
      --methods "identity center ablate:m=450" --bootstrap 200 --sign-flips 999
      --no-cluster --no-knn --no-probe)

"$GAPKIT" "${ARGS[@]}" --test ablate,center --json >"$T/c.json" || { echo "FAIL: compare"; fail=1; }
"$PY" "$REF/compare_tests_reference.py" "$E" "$T/c.json" 200 999 450 || fail=1

expect 0 "ablate:m=450 minus center:" "${ARGS[@]}" --test ablate,center
grep -qE "^  ablate:m=450 +zero-shot@1 +-0.0750 " "$T/out" || { echo "FAIL: table"; cat "$T/out"; fail=1; }
grep -qF "Holm-Bonferroni over 21 tests" "$T/out" || { echo "FAIL: family size"; fail=1; }
# no tests at all with --sign-flips 0
"$GAPKIT" "${ARGS[@]}" --sign-flips 0 --json >"$T/n.json" || fail=1
"$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['significance'] is None and d['rows'][1]['pairs'][0]['vs_baseline'] is None, d['significance']" "$T/n.json" || fail=1

# names: a row name holding commas splits at the comma that starts a method
expect 1 "'nope' is not a row (rows: identity, center, ablate:m=450)" "${ARGS[@]}" \
    --test "ablate:m=450,nope"
expect 1 "--test cca:k=16,ridge=0.1,nope: 'cca:k=16,ridge=0.1' is not a row" "${ARGS[@]}" \
    --test "cca:k=16,ridge=0.1,nope"
expect 1 "expected two row names A,B" "${ARGS[@]}" --test procrustes
expect 1 "both name the row" "${ARGS[@]}" --test center,center
expect 1 "'comet:k=5' is not a row (rows: identity, center" analyze --test procrustes,comet:k=5
exit $fail
