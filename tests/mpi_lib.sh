# mpi_lib.sh — what the MPI CLI tests (tests/cli/mpi_*.sh) share; sourced
# after cli_lib.sh, in $T.  Skips the script (exit 77) without mpirun or an
# MPI build; gives MPI (the launcher: oversubscribed, as root in CI), bad,
# and mpi_fails.  One thread per rank.
bad() { echo "FAIL: $*"; fail=1; }

command -v mpirun >/dev/null || { echo "SKIP: mpirun not installed (apt-get install openmpi-bin)"; exit 77; }
MPI=(mpirun --oversubscribe --allow-run-as-root --bind-to none)
export OMP_NUM_THREADS=1
# Open MPI's plugins keep allocations past MPI_Finalize and are unloaded by
# then, so LeakSanitizer would report them from "<unknown module>" frames
# that no suppression can name: leak checks are off for the ranks only
# (test_dist checks the same code in one process with leak detection on).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
"${MPI[@]}" -n 2 "$GAPKIT" info 2>"$T/err" >/dev/null
grep -q "built without MPI" "$T/err" && { echo "SKIP: gapkit was configured with GAPKIT_MPI=OFF"; exit 77; }

# mpi_exits CODES FRAGMENT ARGS…: on 2 ranks, exits with one of CODES ("2", or
# "1 2"), says FRAGMENT, and leaves no out.npz and no temporary file
mpi_exits() {
    local codes=$1 frag=$2 rc
    shift 2
    rm -f out.npz
    "${MPI[@]}" -n 2 "$GAPKIT" "$@" >out 2>err
    rc=$?
    [[ " $codes " == *" $rc "* ]] || { bad "$* on 2 ranks exited $rc, expected $codes"; cat err; }
    grep -qF -- "$frag" err || { bad "$* on 2 ranks: message lacks '$frag':"; cat err; }
    [ ! -e out.npz ] || bad "$*: an output was written"
    ! ls | grep -q '\.tmp\.' || bad "$*: a temporary file was left"
}
# mpi_fails FRAGMENT ARGS…: mpi_exits with exit 1 or 2
mpi_fails() { mpi_exits "1 2" "$@"; }

# knn_same P ARGS…: `gapkit knn ARGS` on P ranks writes the neighbour lists
# and distances of one process, byte for byte (the one-process command reads
# s/text.npy where the ranks read @shards.txt)
knn_same() {
    local P=$1
    shift
    local one=("${@//@shards.txt/s\/text.npy}") # the one-process command reads the whole file
    "$GAPKIT" knn "${one[@]}" --out i0.npy --dist-out d0.npy >/dev/null || bad "knn $* (one process)"
    "${MPI[@]}" -n "$P" "$GAPKIT" knn "$@" --out iP.npy --dist-out dP.npy >out 2>&1 ||
        { bad "knn $* on $P ranks exited non-zero"; cat out; }
    cmp -s i0.npy iP.npy || bad "knn $* on $P ranks: neighbour lists differ"
    cmp -s d0.npy dP.npy || bad "knn $* on $P ranks: distances differ"
    grep -q "on $P MPI rank" out || bad "knn on $P ranks does not say so: $(cat out)"
}

# sim_same P ONE.json MANY.json: the similarity document of P ranks equals the
# one-process document in every printed digit (but "ranks" and the X spec)
sim_same() {
    "$PY" - "$2" "$3" "$1" <<'PYEOF' || bad "similarity on $1 ranks differs from one process"
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert b.pop("ranks") == int(sys.argv[3]), "ranks"
b["x"] = a["x"]
assert a == b, (a, b)
PYEOF
}
