# cli_atomic_lib.sh — what atomic_writes.sh and atomic_writes_signals.sh share;
# sourced, not run.  Gives: $T (the working directory, removed at exit), fail,
# bad, no_temp, same_as_before, and `interrupt SIG`; makes the previous
# results in prev/ (a small synthetic set, a model and an applied output) with
# their checksums in $T/before.md5.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# no_temp DIR: no temporary file is left in DIR
no_temp() { ls "$1" | grep -q '\.tmp\.' && { bad "temporary file left in $1: $(ls "$1")"; return 1; }; return 0; }
# same_as_before DIR: every file of DIR still has its checksum from before.md5
same_as_before() { (cd "$1" && md5sum --quiet -c "$T/before.md5") || bad "previous files of $1 changed"; }

# The previous results: a small synthetic set, a model and an applied output.
"$GAPKIT" synth --n 300 --d 32 --out prev >/dev/null || bad "synth (small)"
"$GAPKIT" comet fit prev/text.npy prev/audio.npy --k 2 --out prev/model.npz >/dev/null || bad "comet fit"
"$GAPKIT" comet apply prev/model.npz --side 0 prev/text.npy --out prev/coef.npy || bad "comet apply"
(cd prev && md5sum ./*) >"$T/before.md5"

# writing PID: what PID is writing in prev/ — a "*.tmp.*" name, or
# "nameless" for a file made with O_TMPFILE (no name until its commit).
writing() {
    local t
    t=$(ls prev | grep '\.tmp\.' | head -1)
    if [ -n "$t" ]; then echo "$t"; return; fi
    ls -l "/proc/$1/fd" 2>/dev/null | grep -q '/prev/#.*(deleted)' && echo nameless
}

# interrupt SIG: a large synth over prev/ is stopped (SIGSTOP) while one of
# its output files is being written, sent SIG, and resumed; it must die of
# SIG, leave no temporary file, and leave every file of the small set as it
# was (the outputs of a command are committed all or nothing).  SIGKILL
# cannot be handled: it leaves nothing only where the files are nameless.
interrupt() {
    local sig=$1 pid tmp="" i
    # (a background job of a script starts with SIGINT ignored: reset it to
    # the default, as in an interactive run, before starting gapkit)
    "$PY" -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' \
        "$GAPKIT" synth --n 800000 --d 64 --out prev >/dev/null 2>"$T/err" &
    pid=$!
    for i in $(seq 1 6000); do   # up to 60 s for the generator to start writing
        tmp=$(writing "$pid")
        if [ -n "$tmp" ]; then
            kill -STOP "$pid"
            [ -n "$(writing "$pid")" ] && break   # still writing: stop it here
            kill -CONT "$pid"; tmp=""
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.01
    done
    [ -n "$tmp" ] || { bad "$sig: never saw an output being written"; wait "$pid"; return; }
    kill -"$sig" "$pid"
    kill -CONT "$pid" 2>/dev/null
    wait "$pid"
    local rc=$? want=$((128 + $(kill -l "$sig")))
    [ "$rc" -eq "$want" ] || bad "$sig: synth exited $rc, expected $want"
    if [ "$sig" = KILL ] && [ "$tmp" != nameless ]; then
        echo "note: no O_TMPFILE here; SIGKILL leaves prev/$tmp (documented)"
        rm -f prev/*.tmp.*
    fi
    no_temp prev
    same_as_before prev
}
