#!/usr/bin/env bash
# analyze.sh — `gapkit analyze`, the main job (without inputs: analyze_default.sh):
# on ESC-50 (clips paired with their class prompts) the numbers of report.json
# equal those of the single commands run with the same options (gap, comet fit
# --k shared, similarity, compare, leakage), and the real page passes the
# browser checks of report_chromium.sh.
set -u
source "$(dirname "$0")/../cli_lib.sh"
E="$DATA/esc50-clap"

# Under the sanitizers (GK_SANITIZE=1, set by tests/CMakeLists.txt) the run is
# on fold 1 of ESC-50 (400 clips, all 50 classes): the same code paths and the
# same report-equals-command checks in a fifth of the time; the reference
# numbers of the full data (gap, true-pair cosine, 2000 projected points) are
# checked in the plain build.
N=2000
if [ "${GK_SANITIZE:-0}" = 1 ]; then
  mkdir -p "$T/fold1"
  $PY - "$E" "$T/fold1" <<'PY' || { echo "FAIL: fold 1 of ESC-50"; exit 1; }
import csv, sys
import numpy as np
src, dst = sys.argv[1:]
rows = list(csv.reader(open(src + "/meta.csv", newline="")))
keep = [i for i, r in enumerate(rows[1:]) if r[rows[0].index("fold")] == "1"]
np.save(dst + "/audio.npy", np.load(src + "/audio.npy")[keep])
with open(dst + "/meta.csv", "w", newline="") as f:
    csv.writer(f).writerows([rows[0]] + [rows[1 + i] for i in keep])
PY
  N=400
  A="$T/fold1/audio.npy"
  META="$T/fold1/meta.csv"
else
  A="$E/audio.npy"
  META="$E/meta.csv"
fi
PAIR=(--labels "$META:class_name" --prompt-labels "$E/class_names.txt" --pair-by-label)

# --permutations 19 (default 99) as the comet fit below, to keep the test short
"$GAPKIT" analyze "$A" "$E/class_text.npy" "${PAIR[@]}" --out "$T/esc" --quiet \
  --permutations 19 >/dev/null || { echo "FAIL: analyze ESC-50"; exit 1; }
"$GAPKIT" gap "$A" "$E/class_text.npy" "${PAIR[@]}" --json >"$T/gap.json" || fail=1
"$GAPKIT" comet fit "$A" "$E/class_text.npy" "${PAIR[@]}" --k shared \
  --permutations 19 --json --out "$T/m.npz" >"$T/comet.json" || fail=1
"$GAPKIT" similarity "$A" "$E/class_text.npy" "${PAIR[@]}" --measure nngs --k-sweep \
  --json >"$T/nngs.json" || fail=1
"$GAPKIT" similarity "$A" "$E/class_text.npy" "${PAIR[@]}" --measure cka-linear \
  --json >"$T/cka.json" || fail=1
"$GAPKIT" compare "$A" "$E/class_text.npy" "${PAIR[@]}" --split classes:0.5 \
  --json >"$T/compare.json" || fail=1
"$GAPKIT" leakage "$A" "$E/class_text.npy" --labels "$META:class_name" \
  --prompt-labels "$E/class_names.txt" --json >"$T/leakage.json" || fail=1
$PY - "$T" "$N" <<'PY' || fail=1
import json, math, sys
t, n_items = sys.argv[1], int(sys.argv[2])
r = json.load(open(t + "/esc/report.json"))
load = lambda n: json.load(open("%s/%s.json" % (t, n)))
def same(what, a, b, tol=1e-9):
    if a is None or b is None or not math.isclose(a, b, rel_tol=tol, abs_tol=tol):
        sys.exit("report %s = %r, single command %r" % (what, a, b))
g = load("gap")
for k in ("gap", "cos_true", "cos_nonpair", "cone_x", "rmg"):
    same("gap." + k, r["gap"][k], g[k])
if n_items == 2000:  # the reference values of the whole set (shared/data/README.md)
    assert abs(r["gap"]["gap"] - 0.50029) < 5e-6 and abs(r["gap"]["cos_true"] - 0.53473) < 5e-6
c = load("comet")
assert r["comet"]["shared_axes"] == c["permutation_test"]["shared_axes"], (r["comet"], c)
same("comet.sigma_1", r["comet"]["sigma"][0], c["sigma_1"], 1e-6)
n = load("nngs")
pts = {p["k"]: p["normalized"] for p in n["points"]}
for k, v in zip(r["nngs"]["k"], r["nngs"]["nngs"]):
    same("nngs at k=%d" % k, v, pts[k])
# the prompt view repeats one row per class: it links no items (else 50 would be left)
assert r["nngs"]["duplicates"]["merged"] == (n.get("duplicates") or {}).get("merged", 0), r["nngs"]
assert r["nngs"]["duplicates"]["items"] == n_items - r["nngs"]["duplicates"]["merged"], r["nngs"]
same("cka_linear", r["cka_linear"], load("cka")["results"][0]["value"])
cmp = {row["transform"]: row for row in load("compare")["rows"]}
for row in r["compare"]["rows"]:
    one = cmp[row["transform"]]
    same(row["transform"] + " zero-shot", row["values"]["zeroshot_top1"], one["zeroshot_top1"])
    same(row["transform"] + " V-measure", row["values"]["v_measure"], one["groups"]["v_measure"])
    assert row["over_restarts"] == one["groups"]["over_restarts"], row["transform"]
    assert row["over_restarts"]["n_restarts"] == 10, row["over_restarts"]
# exact copies among the test rows (methods.md §11): no audio clip repeats; the
# prompt view holds one row per class, so all but one row of each test class
dup = r["compare"]["duplicates"]
assert dup == load("compare")["rows"][0]["pairs"][0]["duplicates"], dup
one = load("compare")
assert dup["merged_a"] == 0 and dup["merged_b"] == one["n_test"] - one["test_classes"], dup
assert n_items != 2000 or (one["n_test"], one["test_classes"]) == (1000, 25), one["n_test"]
lk = load("leakage")
same("leakage zero-shot", r["leakage"]["zeroshot_top1"], lk["zeroshot_top1"])
for k in ("knn_acc", "probe_acc", "ncc_acc", "silhouette", "fisher_ratio"):
    same("leakage " + k, r["leakage"]["items"][k], lk["items"][k])
same("inherited share", r["leakage"]["inherited"]["share"], lk["inherited"]["share"])
assert r["split"].startswith("classes:0.5"), r["split"]
assert len(r["projection"]["before"]["x"]) == n_items and r["comet"]["top_items"]
PY
GK_REPORT_JSON="$T/esc/report.json" bash "$(dirname "$0")/report_chromium.sh" || fail=1
exit $fail
