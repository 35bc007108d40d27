#!/usr/bin/env bash
# memory_limit.sh — gapkit under an address-space limit (ulimit -v), as in
# containers and batch queues: it succeeds with the same result as without a
# limit, or stops at once with an out-of-memory error and exit 3 — never a
# hang (each run has a timeout), a signal, or another exit code.
# startup.c says what gapkit does about the limit.
set -u
source "$(dirname "$0")/../cli_lib.sh"

# limited KIB CMD…: runs gapkit under `ulimit -v KIB` with a 60 s timeout;
# stdout in $T/out, stderr in $T/err, returns gapkit's exit code (124: hang).
limited() {
    local kib=$1
    shift
    (ulimit -v "$kib" && exec timeout 60 "$GAPKIT" "$@") >"$T/out" 2>"$T/err"
}

# A sanitizer build reserves terabytes of shadow memory and cannot start
# under any such limit: nothing to test there.
if ! limited 1000000 --version; then
    echo "SKIP: gapkit does not start under ulimit -v (sanitizer build?)"; exit 77
fi

"$GAPKIT" synth --out "$T/s" --n 200 --d 16 --k 4 --private 2 --seed 3 >/dev/null || exit 1
"$GAPKIT" gap "$T/s/text.npy" "$T/s/audio.npy" --json >"$T/free.json" || exit 1

for kib in 60000 100000; do
    limited "$kib" --version
    rc=$?
    [ $rc -eq 0 ] && grep -q '^gapkit ' "$T/out" || { echo "FAIL: --version at $kib KiB exited $rc"; cat "$T/err"; fail=1; }
    limited "$kib" gap "$T/s/text.npy" "$T/s/audio.npy"
    rc=$?
    [ $rc -eq 3 ] && grep -q 'out of memory.*ulimit -v' "$T/err" || {
        echo "FAIL: gap at $kib KiB exited $rc, expected 3 and an out-of-memory message"; cat "$T/err"; fail=1; }
done

for kib in 300000 600000; do
    limited "$kib" gap "$T/s/text.npy" "$T/s/audio.npy" --json --threads 2
    rc=$?
    [ $rc -eq 0 ] && cmp -s "$T/out" "$T/free.json" || {
        echo "FAIL: gap at $kib KiB exited $rc or gave another result"; cat "$T/err"; fail=1; }
    for args in "analyze $T/s/text.npy $T/s/audio.npy --out $T/r$kib" \
                "comet fit $T/s/text.npy $T/s/audio.npy --out $T/c$kib.npz" \
                "knn $T/s/text.npy --k 5 --out $T/k$kib.npy"; do
        # shellcheck disable=SC2086
        limited "$kib" $args
        rc=$?
        [ $rc -eq 0 ] || { echo "FAIL: $args at $kib KiB exited $rc"; cat "$T/err"; fail=1; }
    done
done

# inputs larger than the limit leaves room for: exit 3 naming the file
"$PY" -c "import numpy as np; np.save('$T/big.npy', np.ones((100000, 256), '<f4'))" || exit 1
limited 300000 gap "$T/big.npy" "$T/big.npy"
rc=$?
[ $rc -eq 3 ] && grep -q 'big.npy: out of memory' "$T/err" || {
    echo "FAIL: a 100 MB input under 300 MB exited $rc"; cat "$T/err"; fail=1; }
exit $fail
