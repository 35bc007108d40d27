#!/usr/bin/env bash
# install.sh BUILD_DIR SOURCE_DIR — installed use: `cmake --install` into a
# scratch prefix, then docs/examples/gap_and_comet.c is built against that
# copy through pkg-config and through find_package(gapkit) (gapkit::gapkit),
# and both programs give the numbers of docs/library.md on CLIP COCO.  The
# prefix is moved after installing: every installed path must be relative.
set -u
build=$1 src=$2
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0
cmake --install "$build" --prefix "$T/first" >"$T/install.log" 2>&1 ||
    { cat "$T/install.log"; echo "FAIL: cmake --install"; exit 1; }
mv "$T/first" "$T/prefix" # relocated: nothing may point at the old place
P=$T/prefix
libdir=$(dirname "$(find "$P" -name libgapkit.so -print -quit)")
[ -f "$P/include/gapkit/gapkit.h" ] || { echo "FAIL: headers not installed"; fail=1; }
grep -rq "$T/first" "$P" && { echo "FAIL: an installed file names the install-time prefix"; fail=1; }

F=${DATA:-$src/../shared/data}/clip-coco-liang/features_clip.npy
check_run() { # program, how it was built
    local out
    out=$(LD_LIBRARY_PATH="$libdir" "$1" "$F:1" "$F:0" 2>&1) ||
        { echo "FAIL: $2 program failed: $out"; fail=1; return; }
    grep -q "centroid gap       0.85135" <<<"$out" || { echo "FAIL: $2: gap not 0.85135: $out"; fail=1; }
    grep -q "COMET: 16 of 512 axes kept" <<<"$out" || { echo "FAIL: $2: COMET line: $out"; fail=1; }
}

export PKG_CONFIG_PATH="$libdir/pkgconfig"
if cc -std=c11 -O2 "$src/docs/examples/gap_and_comet.c" $(pkg-config --cflags --libs gapkit) \
      -o "$T/by_pkgconfig" 2>"$T/cc.log"; then
    check_run "$T/by_pkgconfig" pkg-config
else
    cat "$T/cc.log"; echo "FAIL: build through pkg-config"; fail=1
fi

mkdir -p "$T/proj"
cp "$src/docs/examples/gap_and_comet.c" "$T/proj/"
cat >"$T/proj/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.18)
project(uses_gapkit C)
find_package(gapkit 0.1 REQUIRED)
add_executable(gap_and_comet gap_and_comet.c)
target_link_libraries(gap_and_comet PRIVATE gapkit::gapkit)
CM
if cmake -S "$T/proj" -B "$T/proj/build" -DCMAKE_PREFIX_PATH="$P" >"$T/cm.log" 2>&1 &&
   cmake --build "$T/proj/build" >>"$T/cm.log" 2>&1; then
    check_run "$T/proj/build/gap_and_comet" find_package
else
    cat "$T/cm.log"; echo "FAIL: build through find_package(gapkit)"; fail=1
fi
[ $fail -eq 0 ] && echo "ok: installed, relocated, built and ran through pkg-config and find_package"
exit $fail
