#!/bin/bash
# leakage.sh — `gapkit leakage` end to end: ESC-50 (the zero-shot reference
# 0.915 and the separability values of tests/reference/leakage_reference.py),
# a synthetic memorising transform (prompts unrelated to the audio classes:
# procrustes learns the training classes, so a large item-split gain and
# none on the class-disjoint split), a backbone, and bad input.
. "$(dirname "$0")/../cli_lib.sh"
E="$DATA/esc50-clap"
ESC=("$E/audio.npy" "$E/class_text.npy" --labels "$E/meta.csv:class_name"
     --prompt-labels "$E/class_names.txt")

# check NAME PYTHON-EXPRESSION over j = the JSON in $T/out
check() {
    "$PY" -c "import json,sys; j=json.load(open('$T/out')); sys.exit(0 if ($2) else 1)" \
        || { echo "FAIL: $1"; head -c 3000 "$T/out"; fail=1; }
}

# ESC-50 with the official fold 1 as the item split; the audio itself as the
# "backbone" (NNGS of a space with itself is 1)
expect 0 '"zeroshot_top1": 0.915' leakage "${ESC[@]}" --transform center \
    --split fold:fold=1 --bootstrap 200 --backbone "$E/audio.npy" --json
check "esc50 values" 'abs(j["items"]["silhouette"] - 0.2773525437) < 2e-5 and
 abs(j["items"]["fisher_ratio"] - 1.7616620179) < 1e-5 and j["items"]["ncc_acc"] == 0.9745 and
 0.99 < j["inherited"]["share"] <= 1 and "zero-shot top-1 0.915" in j["inherited"]["statement"]'
check "esc50 fold split" 'j["item_split_gain"]["n_test"] == 400 and
 j["class_disjoint_gain"]["n_classes"] == 25 and abs(j["backbone"]["nngs"]["value"] - 1) < 1e-9 and
 j["item_split_gain"]["interval"][0] <= j["item_split_gain"]["gain"] <= j["item_split_gain"]["interval"][1]'

"$PY" - "$T" <<'EOF_PY'
import numpy as np, sys
t = sys.argv[1]
rng = np.random.default_rng(5)
C, D, n = 20, 32, 1200
y = np.arange(n) % C
X = 2.0 * rng.normal(size=(C, D))[y] + rng.normal(size=(n, D))
P = rng.normal(size=(C, D))
np.save(t + "/x.npy", X.astype(np.float32)); np.save(t + "/p.npy", P.astype(np.float32))
open(t + "/y.txt", "w").write("\n".join("k%d" % c for c in y) + "\n")
open(t + "/py.txt", "w").write("\n".join("k%d" % c for c in range(C)) + "\n")
np.save(t + "/d8.npy", np.ones((C, 8), np.float32))
EOF_PY
SYN=("$T/x.npy" "$T/p.npy" --labels "$T/y.txt" --prompt-labels "$T/py.txt")
expect 0 '"item_split_gain"' leakage "${SYN[@]}" --transform procrustes --bootstrap 300 --json
check "memorising transform" 'j["item_split_gain"]["gain"] > 0.5 and
 j["item_split_gain"]["interval"][0] > 0.4 and abs(j["class_disjoint_gain"]["gain"]) < 0.15 and
 j["zeroshot_top1"] < 0.25 and j["items"]["ncc_acc"] > 0.95'
expect 0 "class-disjoint" leakage "${SYN[@]}" --transform procrustes --bootstrap 50

# bad input
expect 1 "--labels and --prompt-labels are required" leakage "$T/x.npy" "$T/p.npy"
expect 2 "dimension" leakage "$T/x.npy" "$T/d8.npy" --labels "$T/y.txt" --prompt-labels "$T/py.txt"
expect 2 "labels but" leakage "$T/x.npy" "$T/p.npy" --labels "$T/py.txt" --prompt-labels "$T/py.txt"
expect 2 "missing.txt" leakage "$T/x.npy" "$T/p.npy" --labels "$T/missing.txt" --prompt-labels "$T/py.txt"
expect 1 "--bootstrap 5" leakage "${SYN[@]}" --transform procrustes --bootstrap 5
expect 1 "--class-fraction 1.5" leakage "${SYN[@]}" --transform procrustes --class-fraction 1.5
expect 1 "--split needs --transform" leakage "${SYN[@]}" --split random:0.3
expect 1 "the item split is" leakage "${SYN[@]}" --transform procrustes --split classes:0.5
expect 2 "rows" leakage "${SYN[@]}" --backbone "$T/d8.npy"
head -n 19 "$T/py.txt" >"$T/py19.txt"
echo k0 >>"$T/py19.txt" # class k19 has no prompt
expect 2 "k19" leakage "$T/x.npy" "$T/p.npy" --labels "$T/y.txt" --prompt-labels "$T/py19.txt"
exit $fail
