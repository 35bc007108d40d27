# compare_heads.sh — `gapkit compare --train` and `gapkit analyze --train`:
# heads trained on the split's train items only are rows like the
# training-free transforms.  The row of a trained head equals `gapkit train`
# on the same split and seed followed by `gapkit eval --transform head:FILE`
# on the split's test items (retrieval on CLIP-COCO, class-disjoint
# zero-shot on ESC-50); the heads' rows are tested against identity; analyze
# puts them in report.json and the page; bad specs are refused.
. "$(dirname "$0")/../cli_lib.sh"
X="$DATA/clip-coco-liang/features_clip.npy:0"
Y="$DATA/clip-coco-liang/features_clip.npy:1"
E="$DATA/esc50-clap"
EL=(--labels "$E/meta.csv:class_name" --prompt-labels "$E/class_names.txt")
bad() { echo "FAIL: $*"; fail=1; }
cd "$T" || exit 1

# CLIP-COCO, random split, seed 3: two heads beside identity
"$GAPKIT" compare "$X" "$Y" --methods identity --seed 3 --json \
    --train "infonce:epochs=3,batch=64,dim=32,lr=0.01;modgap:head=mlp,epochs=2,batch=50,dim=16" \
    >c.json || bad "compare --train"
"$GAPKIT" train "$X" "$Y" --split random:0.5 --seed 3 --epochs 3 --batch 64 --dim 32 --lr 0.01 \
    --out h1.npz --quiet || bad "train infonce"
"$GAPKIT" train "$X" "$Y" --split random:0.5 --seed 3 --loss modgap --head mlp --epochs 2 \
    --batch 50 --dim 16 --out h2.npz --quiet || bad "train modgap"
for h in 1 2; do
    "$GAPKIT" eval retrieval "$X" "$Y" --split random:0.5 --seed 3 --transform head:h$h.npz \
        --bootstrap 0 --json >e$h.json || bad "eval retrieval head $h"
done
"$PY" - <<'PY' || bad "compare rows differ from train + eval"
import json
c = json.load(open("c.json"))
rows = c["rows"]
assert [r["transform"] for r in rows] == ["identity",
    "head:infonce:head=linear,dim=32,epochs=3,batch=64,lr=0.01",
    "head:modgap:head=mlp,dim=16,epochs=2,batch=50"], [r["transform"] for r in rows]
assert "trained 3 epochs on 250 train items" in rows[1]["description"], rows[1]["description"]
for i in (1, 2):
    e = json.load(open(f"e{i}.json"))
    p = rows[i]["pairs"][0]
    for k in ("R@1", "R@5", "R@10", "mAP@10"):
        assert abs(p["a_to_b"][k] - e["x_to_y"][k]) < 1e-9, (i, k, p["a_to_b"], e["x_to_y"])
        assert abs(p["b_to_a"][k] - e["y_to_x"][k]) < 1e-9, (i, k, p["b_to_a"], e["y_to_x"])
    # each head row is tested against identity like the transforms
    assert p["a_to_b_vs_baseline"] is not None and p["b_to_a_vs_baseline"] is not None, p
assert 0 < rows[1]["R@1"] <= 1 and 0 < rows[2]["gap"], rows[1]
assert c["significance"]["n_tests"] == 12, c["significance"]  # 2 heads x 2 directions x (R@1, R@5, mAP@10)
PY
"$GAPKIT" compare "$X" "$Y" --methods identity --train "infonce:epochs=1,batch=64,dim=8" \
    >c.txt || bad "compare --train table"
grep -q "^head:infonce:head=linear,dim=8,epochs=1,batch=64 " c.txt || bad "table row of the head"

# ESC-50, class-disjoint: zero-shot on the test classes through the heads trained on the others
"$GAPKIT" compare "$E/audio.npy" "$E/class_text.npy" "${EL[@]}" --pair-by-label \
    --split classes:0.5 --seed 2 --methods identity --train "infonce:epochs=2,batch=100,dim=16" \
    --no-cluster --no-knn --no-probe --json >z.json || bad "compare --train ESC-50"
"$GAPKIT" train "$E/audio.npy" "$E/class_text.npy" "${EL[@]}" --pair-by-label \
    --split classes:0.5 --seed 2 --epochs 2 --batch 100 --dim 16 --out z.npz --quiet ||
    bad "train ESC-50"
"$GAPKIT" eval zeroshot "$E/audio.npy" "$E/class_text.npy" "${EL[@]}" --split classes:0.5 \
    --seed 2 --transform head:z.npz --bootstrap 0 --json >ze.json || bad "eval zeroshot head"
"$PY" - <<'PY' || bad "compare zero-shot differs from train + eval zeroshot"
import json
r = json.load(open("z.json"))["rows"][1]
e = json.load(open("ze.json"))
assert e["n_classes"] == 25, e["n_classes"]
assert abs(r["zeroshot_top1"] - e["top1"]) < 1e-9 and abs(r["zeroshot_top5"] - e["top5"]) < 1e-9, \
    (r["zeroshot_top1"], r["zeroshot_top5"], e["top1"], e["top5"])
PY

# analyze --train: the head's row in report.json's comparison and on the page
"$GAPKIT" analyze "$X" "$Y" --train "infonce:epochs=1,batch=64,dim=8" --out rep --quiet \
    --permutations 19 >/dev/null || bad "analyze --train"
"$PY" - <<'PY' || bad "analyze: head row"
import json
j = json.load(open("rep/report.json"))
names = [r["transform"] for r in j["compare"]["rows"]]
assert names[-1] == "head:infonce:head=linear,dim=8,epochs=1,batch=64", names
assert j["compare"]["rows"][-1]["values"]["R@1_x2y"] is not None, j["compare"]["rows"][-1]
assert "head" not in json.dumps(j["shift_sweep"]), "the λ sweep has no head rows"
PY
grep -q "head:infonce:head=linear,dim=8,epochs=1,batch=64" rep/report.html ||
    bad "report.html lacks the head row"

# bad specs and a head that cannot train (its row fails, the others run)
expect 1 "unknown key 'depth'" compare "$X" "$Y" --train "infonce:depth=3"
expect 1 "expected infonce, softclap or modgap" compare "$X" "$Y" --train "nce"
expect 1 "epochs=0; expected an integer" analyze "$X" "$Y" --train "infonce:epochs=0"
expect 0 "failed: train: batch 300 is larger than the 250 training items" compare "$X" "$Y" \
    --methods identity --train "infonce:batch=300"
exit $fail
