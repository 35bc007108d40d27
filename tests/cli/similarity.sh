#!/usr/bin/env bash
# similarity.sh — `gapkit similarity` and `gapkit knn`: exit codes and messages
# for bad options (usage errors exit 1, input errors exit 2), and the reference
# numbers of tests/reference/nngs_reference.py on the COCO CLIP features (raw
# rows: --no-normalize) in the JSON documents and the spectrum file, parsed
# with $PY; the kNN lists against scikit-learn's brute-force search.
set -u
source "$(dirname "$0")/../cli_lib.sh"
IMG="$DATA/clip-coco-liang/features_clip.npy:0"
TXT="$DATA/clip-coco-liang/features_clip.npy:1"
ESC="$DATA/esc50-clap/audio.npy"


# check NAME PYTHON-EXPRESSION: the expression (over j = the JSON in $T/out) is true
check() {
    if ! "$PY" -c "import json,sys; j=json.load(open('$T/out')); sys.exit(0 if ($2) else 1)"; then
        echo "FAIL: $1"; cat "$T/out"; fail=1
    fi
}

expect 0 "usage: gapkit similarity" similarity --help
expect 0 "mutual-knn" help similarity
expect 1 "expected two inputs" similarity "$IMG"
expect 1 "--measure jaccard: unknown measure" similarity "$IMG" "$TXT" --measure nngs,jaccard
expect 1 "expected a positive count" similarity "$IMG" "$TXT" --k ten
expect 1 "a fraction of N−1 must be in (0, 1]" similarity "$IMG" "$TXT" --k 150%
expect 1 "expected euclidean, cosine, ip or l1" similarity "$IMG" "$TXT" --distance hamming
expect 1 "--k-sweep is for --measure nngs only" similarity "$IMG" "$TXT" --measure cknna --k-sweep
expect 2 "500 rows but" similarity "$IMG" "$ESC"
expect 2 "missing.npy" similarity "$T/missing.npy" "$TXT"
expect 2 "k = 499 is out of range: with N = 500 items k must be in 1..498" similarity "$IMG" "$TXT" --k 499
expect 2 "floor(0.001·(N−1)) = 0" similarity "$IMG" "$TXT" --k 0.001
expect 2 "cknna: distance euclidean" similarity "$IMG" "$TXT" --measure cknna --distance euclidean

# reference values (nngs_reference.py, raw float32 rows)
expect 0 '"results"' similarity "$IMG" "$TXT" --no-normalize --json \
    --measure nngs,mutual-knn,cycle-knn,cknna
check "reference values" "[r['measure'] for r in j['results']] == ['nngs','mutual-knn','cycle-knn','cknna'] \
 and abs(j['results'][0]['value'] - 0.147199783576) < 1e-9 and abs(j['results'][0]['raw'] - 0.155831364714) < 1e-9 \
 and j['results'][0]['distance'] == 'euclidean' and abs(j['results'][1]['value'] - 0.2494) < 1e-12 \
 and j['results'][1]['distance'] == 'cosine' and abs(j['results'][2]['value'] - 0.724) < 1e-12 \
 and abs(j['results'][3]['value'] - 0.258706071953) < 1e-9 and j['rows_normalized'] is False"
expect 0 '"k": 99' similarity "$IMG" "$TXT" --no-normalize --json --k 20%
check "k = 20%" "abs(j['results'][0]['value'] - 0.254150902060) < 1e-9 and j['results'][0]['k_fraction'] == 0.2"
expect 0 '"nngs-sweep"' similarity "$IMG" "$TXT" --no-normalize --json --k-sweep
check "sweep" "[p['k'] for p in j['points']] == [1,4,5,10,24,49,99,249] \
 and abs(j['points'][0]['raw'] - 0.106) < 1e-12 and abs(j['points'][6]['normalized'] - 0.254150902060) < 1e-9"
expect 0 "% of N-1" similarity "$IMG" "$TXT" --k-sweep
expect 0 "written to $T/tas.npy" similarity "$IMG" "$TXT" --no-normalize --measure tas --out "$T/tas.npy"
"$PY" -c "import numpy as np,sys; a=np.load('$T/tas.npy'); sys.exit(0 if a.shape==(498,4) and a[98,0]==99 \
 and abs(a[98,3]-0.254150902060)<1e-9 and abs(a[249,2]-0.442202025271)<1e-9 else 1)" \
    || { echo "FAIL: tas .npy"; fail=1; }
expect 0 "written to $T/tas.tsv" similarity "$IMG" "$TXT" --no-normalize --measure tas --out "$T/tas.tsv"
if [ "$(head -1 "$T/tas.tsv")" != "$(printf 'k\tchance\traw\tnormalized')" ] || [ "$(wc -l <"$T/tas.tsv")" -ne 499 ]; then
    echo "FAIL: tas text table"; head -3 "$T/tas.tsv"; fail=1
fi

# gapkit knn: bad input, then the lists against scikit-learn brute force
expect 0 "usage: gapkit knn" knn --help
expect 1 "expected one input X" knn
expect 1 "--k 0" knn "$IMG" --k 0
expect 2 "k = 500 is out of range" knn "$IMG" --k 500
expect 2 "has dimension 512" knn "$IMG" --queries "$DATA/glove-6b-100d/vectors.npy"
expect 0 '"self_excluded": true' knn "$IMG" --no-normalize --k 10 --out "$T/I.npy" --dist-out "$T/D.npy" --json
"$PY" - "$DATA" "$T" <<'EOF' || { echo "FAIL: knn vs sklearn"; fail=1; }
import sys, numpy as np
from sklearn.neighbors import NearestNeighbors
x = np.load(sys.argv[1] + "/clip-coco-liang/features_clip.npy")[0].astype(np.float64)
ind = NearestNeighbors(n_neighbors=11, algorithm="brute").fit(x).kneighbors(x)[1]
sk = np.array([[j for j in row if j != i][:10] for i, row in enumerate(ind)])
ids, d = np.load(sys.argv[2] + "/I.npy"), np.load(sys.argv[2] + "/D.npy")
ref = np.sqrt(((x[:, None, :] - x[sk][:, :, :]) ** 2).sum(-1))
sys.exit(0 if ids.shape == (500, 10) and (ids == sk).all() and np.abs(d - ref).max() < 1e-5 else 1)
EOF
expect 0 "row 0:" knn "$TXT" --queries "$IMG" --k 3 --distance cosine

# a file name with a quote and a backslash still gives one valid JSON document
# naming it (similarity), and the three-view gap document parses too
odd="$T/we\"ird\\name.npy"
cp "$DATA/clip-coco-liang/features_clip.npy" "$odd"
"$GAPKIT" similarity "$odd:0" "$odd:1" --measure nngs,cka-linear --json >"$T/odd1.json" ||
    { echo "FAIL: similarity with an odd file name"; fail=1; }
"$GAPKIT" gap "$odd:0" "$odd:1" "$odd:1" --no-separability --json >"$T/odd2.json" ||
    { echo "FAIL: gap with an odd file name"; fail=1; }
"$PY" - "$T" "$odd" <<'PYEOF' || { echo "FAIL: JSON with an odd file name"; fail=1; }
import json, sys
t, odd = sys.argv[1], sys.argv[2]
d = json.load(open(f"{t}/odd1.json"))
assert d["x"] == odd + ":0" and len(d["results"]) == 2, d["x"]
g = json.load(open(f"{t}/odd2.json"))
assert g["views"] == [odd + ":0", odd + ":1", odd + ":1"], g["views"]
PYEOF

# --sample: all 500 rows give the exact reference values with an empty interval
expect 1 "--sample 10 (expected an integer >= 20)" similarity "$IMG" "$TXT" --sample 10
expect 1 "--sample is for nngs, mutual-knn, cycle-knn and cknna, not cka-linear" \
    similarity "$IMG" "$TXT" --measure nngs,cka-linear --sample 50
expect 1 "--sample does not combine with --k-sweep" similarity "$IMG" "$TXT" --k-sweep --sample 50
expect 2 "a sample of 501 rows is out of range" similarity "$IMG" "$TXT" --sample 501
expect 0 '"sampled_rows": 500' similarity "$IMG" "$TXT" --no-normalize --json --sample 500 \
    --measure nngs,mutual-knn
check "sample of every row" "abs(j['results'][0]['value'] - 0.147199783576) < 1e-9 \
 and abs(j['results'][0]['ci_lo'] - 0.147199783576) < 1e-9 and abs(j['results'][1]['value'] - 0.2494) < 1e-12 \
 and abs(j['results'][1]['ci_hi'] - 0.2494) < 1e-12"
expect 0 '"ci_hi"' similarity "$IMG" "$TXT" --json --sample 100 --seed 3 --measure cknna
check "sampled interval" "j['results'][0]['sampled_rows'] == 100 \
 and j['results'][0]['ci_lo'] < j['results'][0]['value'] < j['results'][0]['ci_hi']"
expect 0 "sampled: 100 of 500 rows, 95% interval" similarity "$IMG" "$TXT" --sample 100

exit $fail
