#!/usr/bin/env bash
# atomic_writes.sh — no half-written results: every file gapkit writes goes
# through a nameless file (O_TMPFILE) or a temporary name beside it and is
# put in place when complete, all of a command's files together, so an interrupted run
# (SIGINT, SIGTERM, the file-size limit) or a full disk (/dev/full, a tiny
# tmpfs, `ulimit -f`) leaves the previous file byte-for-byte intact and no
# "*.tmp.*" file behind, and the error names the file and the cause.
set -u
source "$(dirname "$0")/../cli_atomic_lib.sh"

# SIGINT here; SIGTERM and SIGKILL in atomic_writes_signals.sh (run beside it).
interrupt INT
same_as_before prev

# /dev/full as the output: ENOSPC is an error naming the file; the device stays.
expect_full() {
    local what=$1; shift
    "$@" >/dev/null 2>"$T/err"
    local rc=$?
    [ "$rc" -eq 2 ] || bad "$what to /dev/full exited $rc, expected 2"
    grep -q "/dev/full: write failed: No space left on device" "$T/err" ||
        { bad "$what to /dev/full: message"; cat "$T/err"; }
}
expect_full "comet apply" "$GAPKIT" comet apply prev/model.npz --side 0 prev/text.npy --out /dev/full
expect_full "comet fit" "$GAPKIT" comet fit prev/text.npy prev/audio.npy --k 2 --out /dev/full
[ -c /dev/full ] || bad "/dev/full is no longer a character device"
# a device that accepts the bytes is written directly (no rename over it)
"$GAPKIT" comet apply prev/model.npz --side 0 prev/text.npy --out /dev/null || bad "--out /dev/null"
[ -c /dev/null ] || bad "/dev/null is no longer a character device"

# A symbolic link as the output: the link stays, the file it names is replaced.
cp prev/coef.npy real.npy
ln -s real.npy link.npy
"$GAPKIT" comet apply prev/model.npz --side 1 prev/audio.npy --out link.npy || bad "--out link.npy"
[ -L link.npy ] || bad "the symbolic link was replaced by a file"
cmp -s real.npy prev/coef.npy && bad "the file behind the link was not rewritten"
no_temp .

# The file-size limit: with SIGXFSZ ignored the write fails with EFBIG (an
# error, exit 2); with it at its default the process dies of SIGXFSZ.  Either
# way the previous files stay and no temporary file is left.
(trap '' XFSZ; ulimit -f 64; exec "$GAPKIT" synth --n 4000 --d 64 --out prev) >/dev/null 2>"$T/err"
rc=$?
[ $rc -eq 2 ] || bad "ulimit -f with SIGXFSZ ignored: exit $rc, expected 2"
grep -q "prev/text.npy: write failed: File too large" "$T/err" || { bad "EFBIG message"; cat "$T/err"; }
no_temp prev
# (the outer subshell, silenced, is the one that reports the death)
rc=$( ( (ulimit -f 64; exec "$GAPKIT" synth --n 4000 --d 64 --out prev) >/dev/null 2>&1; echo $? ) 2>/dev/null)
[ $rc -eq $((128 + $(kill -l XFSZ))) ] || bad "ulimit -f: exit $rc, expected death by SIGXFSZ"
no_temp prev
same_as_before prev

# A full filesystem: a 256 KiB tmpfs in a private mount namespace (needs root
# and unshare; skipped with a note where mounting is not allowed).
if unshare -m --propagation private true 2>/dev/null; then
    mkdir -p small
    unshare -m --propagation private bash -c '
        mount -t tmpfs -o size=256k tmpfs small || exit 99
        "$0" synth --n 300 --d 32 --out small >/dev/null || exit 98
        (cd small && md5sum ./*) > small.md5
        "$0" synth --n 3000 --d 64 --out small >/dev/null 2>err; rc=$?
        ls small | grep -q "\.tmp\." && exit 97
        (cd small && md5sum --quiet -c ../small.md5) || exit 96
        grep -q "small/text.npy: write failed: No space left on device" err || { cat err; exit 95; }
        exit $rc' "$GAPKIT"
    rc=$?
    case $rc in
        2) ;;
        99) echo "note: tmpfs mount not permitted here; full disk covered by /dev/full and ulimit -f" ;;
        *) bad "full tmpfs: check $rc (2 expected: clean error, old files kept, no temp)" ;;
    esac
else
    echo "note: unshare -m not permitted here; full disk covered by /dev/full and ulimit -f"
fi

[ $fail -eq 0 ] && echo "atomic_writes: all checks passed"
exit $fail
