#!/usr/bin/env bash
# symbols.sh LIB INCLUDE_DIR — the public API of libgapkit.so is exactly what
# the installed headers declare: every dynamic symbol the library defines
# starts with gk_ (internal helpers stay hidden, -fvisibility=hidden), and
# every function a header declares (static inline ones aside) is exported.
set -u
lib=$1 inc=$2
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0

nm -D --defined-only "$lib" | awk '{print $NF}' | sort -u >"$T/exported"
[ -s "$T/exported" ] || { echo "FAIL: no dynamic symbols read from $lib"; exit 1; }
if grep -v '^gk_' "$T/exported" >"$T/foreign"; then
    echo "FAIL: $lib exports names outside gk_:"; sed 's/^/  /' "$T/foreign"; fail=1
fi

# A declaration starts at column 0 with its return type; comments do not.
grep -hE '^[A-Za-z_][A-Za-z0-9_ ]*[ *]gk_[a-z0-9_]+\(' "$inc"/*.h | grep -v '^static ' |
    sed -E 's/.*[ *](gk_[a-z0-9_]+)\(.*/\1/' | sort -u >"$T/declared"
[ "$(wc -l <"$T/declared")" -gt 100 ] || { echo "FAIL: too few declarations read from $inc"; exit 1; }
if comm -23 "$T/declared" "$T/exported" | grep . >"$T/missing"; then
    echo "FAIL: declared in $inc but not exported (outside GK_API_BEGIN/GK_API_END?):"
    sed 's/^/  /' "$T/missing"; fail=1
fi
if comm -13 "$T/declared" "$T/exported" | grep . >"$T/extra"; then
    echo "FAIL: exported but declared in no public header:"; sed 's/^/  /' "$T/extra"; fail=1
fi
[ $fail -eq 0 ] && echo "ok: $(wc -l <"$T/exported") exported symbols, all declared in $inc"
exit $fail
