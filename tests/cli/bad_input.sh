#!/usr/bin/env bash
# bad_input.sh — `gapkit info` on broken files exits 2 and names the file and
# the problem on stderr; a good file exits 0.  Files are made in a temp dir.
set -u
source "$(dirname "$0")/../cli_lib.sh"

"$PY" - "$T" <<'PYEOF'
import sys, numpy as np
d = sys.argv[1]
good = np.arange(12, dtype='<f4').reshape(3, 4) + 1
np.save(f"{d}/good.npy", good)
x = good.copy(); x[1, 2] = np.nan; np.save(f"{d}/nan.npy", x)
x = good.copy(); x[2, 0] = np.inf; np.save(f"{d}/inf.npy", x)
np.save(f"{d}/zero_rows.npy", np.zeros((0, 4), dtype='<f4'))
raw = open(f"{d}/good.npy", "rb").read()
open(f"{d}/truncated.npy", "wb").write(raw[:-7])
open(f"{d}/malformed.npy", "wb").write(raw.replace(b"'shape'", b"'shapf'"))
open(f"{d}/empty.npy", "wb").close()
# hostile headers: sizes that overflow, or that the file cannot hold
hdr = lambda t: (b"\x93NUMPY\x01\x00" + bytes([118, 0]) + t.encode().ljust(117) + b"\n")
open(f"{d}/overflow.npy", "wb").write(hdr("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }"))
open(f"{d}/absurd.npy", "wb").write(hdr("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 1000), }") + bytes(64))
open(f"{d}/absurd.txt", "w").write("1000000000 300\nthe 1 2 3\n")
open(f"{d}/absurd.bin", "wb").write(b"1000000000 300\nthe \xff\xfe\xfd\xfc")
PYEOF

# expect CODE FILE FRAGMENT: runs `gapkit info FILE`, checks exit code and stderr
expect() {
    local code=$1 file=$2 frag=$3 rc
    "$GAPKIT" info "$T/$file" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" -ne "$code" ]; then
        echo "FAIL: info $file exited $rc, expected $code"; cat "$T/err"; fail=1; return
    fi
    if [ "$code" -ne 0 ] && ! grep -q "$file" "$T/err"; then
        echo "FAIL: stderr for $file does not name the file:"; cat "$T/err"; fail=1
    fi
    if ! grep -qF -- "$frag" "$T/err" "$T/out"; then
        echo "FAIL: output for $file lacks '$frag':"; cat "$T/err" "$T/out"; fail=1
    fi
}

expect 2 malformed.npy "unexpected key 'shapf'"
expect 2 truncated.npy "header says shape (3, 4) of float32 = 48 bytes but the file holds 41"
expect 2 nan.npy "1 NaN and 0 Inf values (first at row 1, column 2)"
expect 2 inf.npy "0 NaN and 1 Inf values (first at row 2, column 0)"
expect 2 zero_rows.npy "has zero rows"
expect 2 empty.npy "file is empty"
expect 0 good.npy "shape        3 x 4"
# absurd declared sizes are refused from the header, before any allocation
expect 2 overflow.npy "overflows the addressable size"
expect 2 absurd.npy "header says shape (1000000000, 1000) of float32 = 4000000000000 bytes but the file holds 64"
expect 2 absurd.txt "header says 1000000000 words but 1 lines follow it"
expect 2 absurd.bin "more than the 8 bytes of the file can hold"

# NaN files are still described on stdout
"$GAPKIT" info "$T/nan.npy" 2>/dev/null | grep -q "NaN / Inf    1 / 0" || { echo "FAIL: nan.npy not described"; fail=1; }
# one bad file among good ones: the good ones are reported, exit 2
"$GAPKIT" info "$T/good.npy" "$T/empty.npy" >"$T/out" 2>"$T/err"
[ $? -eq 2 ] && grep -q good.npy "$T/out" || { echo "FAIL: mixed good/bad files"; fail=1; }
# usage errors exit 1, --help exits 0 on stdout
"$GAPKIT" info >/dev/null 2>&1; [ $? -eq 1 ] || { echo "FAIL: no FILE should exit 1"; fail=1; }
"$GAPKIT" info --bogus "$T/good.npy" >/dev/null 2>&1; [ $? -eq 1 ] || { echo "FAIL: bad option"; fail=1; }
"$GAPKIT" info --help | grep -q "usage: gapkit info" || { echo "FAIL: --help"; fail=1; }

# Out of memory is an error message (exit 3), not a crash: a data set larger
# than the address-space limit.  Skipped where the binary cannot start under
# a limit at all (sanitizer builds reserve terabytes of shadow memory).
starts=$( ( (ulimit -v 400000; exec "$GAPKIT" --version) >/dev/null 2>&1; echo $? ) 2>/dev/null)
if [ "$starts" = 0 ]; then
    (ulimit -v 400000; exec "$GAPKIT" synth --n 3000000 --d 64 --out "$T/oom") >/dev/null 2>"$T/err"
    rc=$?
    [ $rc -eq 3 ] || { echo "FAIL: synth under ulimit -v exited $rc, expected 3"; fail=1; }
    grep -q "gapkit synth: out of memory allocating 768000000 bytes" "$T/err" ||
        { echo "FAIL: out-of-memory message:"; cat "$T/err"; fail=1; }
    [ -z "$(ls "$T/oom")" ] || { echo "FAIL: synth out of memory wrote $(ls "$T/oom")"; fail=1; }
else
    echo "note: gapkit does not start under ulimit -v (sanitizer build): memory-limit check skipped"
fi

[ $fail -eq 0 ] && echo "bad_input: all checks passed"
exit $fail
