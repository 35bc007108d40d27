#!/usr/bin/env bash
# bad_input_messages.sh — the wording of errors (issue 11's list): a bad
# option value names its option and range, a missing file with a selector
# says it does not exist, a pipe is refused as not a regular file, an empty
# --measure is a usage error.
set -u
source "$(dirname "$0")/../cli_lib.sh"
cd "$T" || exit 1
"$GAPKIT" synth --out s --n 60 --d 12 --k 3 --private 2 --seed 1 >/dev/null || exit 1
X=s/text.npy Y=s/audio.npy

expect 1 "--subspace-k 0 (expected a positive integer)" gap $X $Y --subspace-k 0
expect 1 "--n-pc 0 (expected a positive integer)" gap $X $Y --n-pc=0
expect 1 "--clusters 0 (expected an integer 1..2147483647)" eval cluster $X --labels s/labels.txt --clusters 0
expect 1 "--n 0 (expected an integer 2..100000000)" synth --out o --n 0
expect 1 "--gap -1 (expected a number 0..100)" synth --out o --gap=-1
expect 1 "--seed -1 (expected an integer 0..9223372036854775807)" gap $X $Y --seed -1
expect 1 "--measure '' names no measure" similarity $X $Y --measure ''
expect 2 "missing.npz:abc: cannot open: No such file or directory" info missing.npz:abc
mkfifo pipe.npy
(timeout 10 cat $X >pipe.npy 2>/dev/null &)  # the writer ends when gapkit closes the pipe
expect 2 "pipe.npy: not a regular file" info pipe.npy
exit $fail
