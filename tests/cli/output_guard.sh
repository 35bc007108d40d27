#!/usr/bin/env bash
# output_guard.sh — an output that is an input, or two outputs on one file,
# are refused before anything is written (exit 2, the file named), for every
# command: compared by device and inode, so "./X.npy", a symbolic link and a
# hard link are caught too.  The input keeps its bytes; no output appears.
set -u
source "$(dirname "$0")/../cli_lib.sh"
cd "$T" || exit 1

"$GAPKIT" synth --out s --n 60 --d 12 --k 3 --private 2 --seed 1 >/dev/null || exit 1
cp s/text.npy X.npy && cp s/audio.npy Y.npy && cp Y.npy Y.orig
ln -s Y.npy link.npy && ln Y.npy hard.npy
"$GAPKIT" analyze X.npy Y.npy --out r >/dev/null || exit 1
cp r/report.json r.orig

same() { cmp -s "$1" "$2" || { echo "FAIL: $1 changed"; fail=1; }; }
absent() { [ ! -e "$1" ] || { echo "FAIL: $1 was written"; fail=1; }; }

expect 2 "Y.npy: is the input file Y.npy" comet fit X.npy Y.npy --out Y.npy
expect 2 "./Y.npy: is the input file Y.npy" comet fit X.npy Y.npy --out ./Y.npy
expect 2 "link.npy: is the input file Y.npy" knn Y.npy --out link.npy
expect 2 "hard.npy: is the input file Y.npy" knn Y.npy --dist-out hard.npy
expect 2 "r/report.json: is the input file" report render r/report.json --out r/report.json
same Y.npy Y.orig
same r/report.json r.orig
expect 2 "./s1.npy: is already an output of this command" knn X.npy --out s1.npy --dist-out ./s1.npy
absent s1.npy   # the first output is not kept either: all or nothing
expect 0 "distances" knn X.npy --out /dev/null --dist-out /dev/null
exit $fail
