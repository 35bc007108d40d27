#!/usr/bin/env bash
# dedup_rank.sh — exact duplicate rows in zero-shot and in the neighbourhood
# measures of `gapkit similarity` (methods.md §11): merged by default, counted
# in the table and the JSON, kept apart by --keep-duplicates; the values are
# tests/reference/dedup_reference.py's (numpy float64), which also writes the
# inputs (ESC-50 items with 40 repeated items and 10 copies under another
# class; COCO pairs with 30 items linked by copies, for similarity and analyze's NNGS;
# for compare, COCO pairs whose
# test fold repeats 20 X rows).
set -u
source "$(dirname "$0")/../cli_lib.sh"
ESC="$DATA/esc50-clap"
GK_SHARED_DATA="$DATA" "$PY" "$(dirname "$0")/../reference/dedup_reference.py" "$T" || fail=1
ZS=(eval zeroshot "$T/zs_x.npy" "$ESC/class_text.npy" --labels "$T/zs_labels.txt"
    --prompt-labels "$ESC/class_names.txt" --bootstrap 0)

expect 0 "duplicates: 40 items repeat an earlier item (same row, same class)" "${ZS[@]}"
expect 0 "duplicates: 30 items repeat an earlier item's exact row" \
    similarity "$T/px.npy" "$T/py.npy" --measure mutual-knn
expect 0 "duplicates: none" similarity "$DATA/clip-coco-liang/features_clip.npy:0" \
    "$DATA/clip-coco-liang/features_clip.npy:1" --measure nngs
"$GAPKIT" "${ZS[@]}" --json >"$T/z.json" || fail=1
"$GAPKIT" "${ZS[@]}" --json --keep-duplicates >"$T/zk.json" || fail=1
"$GAPKIT" similarity "$T/px.npy" "$T/py.npy" --measure mutual-knn,nngs,cknna,cka-linear --json \
    >"$T/s.json" || fail=1
"$GAPKIT" similarity "$T/px.npy" "$T/py.npy" --measure mutual-knn,nngs,cknna,cka-linear --json \
    --keep-duplicates >"$T/sk.json" || fail=1
CMP=(compare "$T/cx.npy" "$T/cy.npy" --split fold:fold=b --split-csv "$T/folds.csv"
     --methods identity)
expect 0 "duplicates: test rows equal to an earlier test row of their view, ranked once: 20, 0" \
    "${CMP[@]}"
"$GAPKIT" "${CMP[@]}" --json >"$T/c.json" || fail=1
# analyze's own NNGS section merges the same 30 items as similarity does
"$GAPKIT" analyze "$T/px.npy" "$T/py.npy" --out "$T/rep" --quiet --permutations 19 >/dev/null ||
    { echo "FAIL: analyze on the pairs with copies"; fail=1; }
"$PY" - "$T" <<'PYEOF' || fail=1
import json, sys
d = sys.argv[1]
z, zk, s, sk = (json.load(open(f"{d}/{n}.json")) for n in ("z", "zk", "s", "sk"))
# dedup_reference.py
assert z["duplicates"]["merged"] == 40 and z["n"] == 310, z.get("duplicates")
assert abs(z["top1"] - 0.8838709677) < 1e-9 and "duplicates" not in zk, z["top1"]
assert zk["n"] == 350 and abs(zk["top1"] - 0.8942857143) < 1e-9, zk["top1"]
assert s["duplicates"]["merged"] == 30 and s["duplicates"]["items"] == 300, s["duplicates"]
assert sk["duplicates"] is None
ref = {"mutual-knn": (0.2986666667, 0.2903030303), "nngs": (0.1749811012, 0.1712745178),
       "cknna": (0.3051403718, 0.3270337865)}
val = lambda doc: {r["measure"]: r["value"] for r in doc["results"]}
vs, vk = val(s), val(sk)
for m, (merged, kept) in ref.items():
    assert abs(vs[m] - merged) < 1e-6 and abs(vk[m] - kept) < 1e-6, (m, vs[m], vk[m])
assert vs["cka-linear"] == vk["cka-linear"]  # not a ranking measure: every row
p = json.load(open(f"{d}/c.json"))["rows"][0]["pairs"][0]
assert p["duplicates"]["merged_a"] == 20 and p["duplicates"]["merged_b"] == 0, p["duplicates"]
assert p["a_to_b"]["n_queries"] == 100 and p["b_to_a"]["n_gallery"] == 100, p
nn = json.load(open(f"{d}/rep/report.json"))["nngs"]
assert nn["duplicates"] == {"merged": 30, "items": 300}, nn["duplicates"]
at10 = nn["nngs"][nn["k"].index(10)]
assert abs(at10 - ref["nngs"][0]) < 1e-6, at10  # the same numpy reference as similarity's
assert abs(p["a_to_b"]["R@1"] - 0.76) < 1e-12 and abs(p["b_to_a"]["R@1"] - 0.7) < 1e-12, p
PYEOF
exit $fail
