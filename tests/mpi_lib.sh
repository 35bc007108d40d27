# mpi_lib.sh — what the MPI CLI tests (tests/cli/mpi_*.sh) share; sourced
# after cli_lib.sh, in $T.  Skips the script (exit 77) without mpirun or an
# MPI build; gives MPI (the launcher: oversubscribed, as root in CI), bad,
# and mpi_fails.  One thread per rank.
bad() { echo "FAIL: $*"; fail=1; }

command -v mpirun >/dev/null || { echo "SKIP: mpirun not installed (apt-get install openmpi-bin)"; exit 77; }
MPI=(mpirun --oversubscribe --allow-run-as-root --bind-to none)
export OMP_NUM_THREADS=1
# leak checks off for the ranks only: Open MPI's plugins keep allocations
# past MPI_Finalize (see mpi.sh)
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
"${MPI[@]}" -n 2 "$GAPKIT" info 2>"$T/err" >/dev/null
grep -q "built without MPI" "$T/err" && { echo "SKIP: gapkit was configured with GAPKIT_MPI=OFF"; exit 77; }

# mpi_fails FRAGMENT ARGS…: on 2 ranks, exits 1 or 2, says FRAGMENT, and
# leaves no out.npz and no temporary file
mpi_fails() {
    local frag=$1 rc
    shift
    rm -f out.npz
    "${MPI[@]}" -n 2 "$GAPKIT" "$@" >out 2>err
    rc=$?
    [ $rc -eq 1 ] || [ $rc -eq 2 ] || { bad "$* on 2 ranks exited $rc"; cat err; }
    grep -qF -- "$frag" err || { bad "$* on 2 ranks: message lacks '$frag':"; cat err; }
    [ ! -e out.npz ] || bad "$*: an output was written"
    ! ls | grep -q '\.tmp\.' || bad "$*: a temporary file was left"
}
