# cli_lib.sh — what the CLI tests (tests/cli/*.sh) share; sourced, not run.
# Gives: $T, a scratch directory removed at exit; fail, set to 1 by a failed
# check (the script ends with `exit $fail`); and `expect`.
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0

# expect CODE FRAGMENT ARGS…: `gapkit ARGS…` exits CODE and its output
# (stdout or stderr) holds FRAGMENT; otherwise prints why and sets fail.
expect() {
    local code=$1 frag=$2 rc
    shift 2
    "$GAPKIT" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" -ne "$code" ]; then
        echo "FAIL: gapkit $* exited $rc, expected $code"; cat "$T/err"; fail=1; return
    fi
    grep -qF -- "$frag" "$T/err" "$T/out" || {
        echo "FAIL: gapkit $* output lacks '$frag':"; cat "$T/err" "$T/out"; fail=1; }
}
