#!/usr/bin/env bash
# atomic_writes_signals.sh — atomic_writes.sh's interrupted run for SIGTERM and
# SIGKILL (its own test, so that ctest -j runs it beside atomic_writes.sh): the
# large synth over prev/ dies of the signal, leaves no temporary file, and
# every previous file stays byte-for-byte (see `interrupt` in cli_atomic_lib.sh).
set -u
source "$(dirname "$0")/../cli_atomic_lib.sh"

interrupt TERM
interrupt KILL
same_as_before prev

[ $fail -eq 0 ] && echo "atomic_writes_signals: all checks passed"
exit $fail
