#!/usr/bin/env bash
# python.sh — the Python package (python/, docs/python.md): installs it into a virtual
# environment in the build directory the way the README says (python3 -m venv
# --system-site-packages; pip install --no-build-isolation ./python, offline), with
# GAPKIT_LIBRARY_FILE pointing at this build's libgapkit.so so that it is not built
# twice, then runs its pytest suite (python/tests: every function against this
# build's CLI --json on the shared data, the 10^6-row memmap peak memory, 1,000 calls
# without a leak).  In the ASan+UBSan build the library needs the sanitizer runtimes
# preloaded into python; the memory tests are left out there (shadow memory).
# pytest's exit 5 (no test collected) is a failure, not a pass.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$(dirname "$GAPKIT")" && pwd)
LIB="$BUILD/libgapkit.so"
VENV="$BUILD/python-venv"
[ -f "$LIB" ] || { echo "FAIL: no $LIB (the gapkit_shared target)"; exit 1; }
"$PY" -c "import pytest, venv, numpy" 2>/dev/null ||
  { echo "FAIL: python3-pytest, python3-venv or python3-numpy missing: run scripts/install-deps"; exit 1; }

if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv --system-site-packages "$VENV" || { echo "FAIL: venv"; exit 1; }
fi
GAPKIT_LIBRARY_FILE="$LIB" "$VENV/bin/pip" install --no-build-isolation --no-index \
  --no-deps --force-reinstall --quiet "$ROOT/python" >"$T/pip.log" 2>&1 ||
  { echo "FAIL: pip install ./python"; cat "$T/pip.log"; exit 1; }

select=()
preload=""
if ldd "$LIB" | grep -q libasan; then
  preload="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
  select=(-k "not memmap and not leak and not gil")
fi
cd "$T" || exit 1
LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=0 GAPKIT="$GAPKIT" DATA="$DATA" \
  "$VENV/bin/python" -m pytest -q -p no:cacheprovider "${select[@]}" "$ROOT/python/tests"
rc=$?
[ $rc -eq 5 ] && { echo "FAIL: pytest collected no test"; exit 1; }
exit $rc
