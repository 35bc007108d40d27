#!/bin/bash
# curate.sh — `gapkit curate` against a numpy brute force in float64 over the
# full similarity matrix of small random pools (clusters, so that thresholds
# keep a real share of pairs): threshold, top-k with a floor, mutual top-k,
# the domain filter and its augmented variant, the label agreement; then the
# ESC-50 pools (known counts) and bad input (each: exit code, message, no
# output file).
. "$(dirname "$0")/../cli_lib.sh"

"$PY" - "$T" <<'EOF_PY'
import numpy as np, sys
t = sys.argv[1]
rng = np.random.default_rng(13)
C, D = 6, 16
centres = rng.normal(size=(C, D))
ya = rng.integers(0, C, 300); yt = rng.integers(0, C, 120)
A = centres[ya] + 0.8 * rng.normal(size=(300, D))
T = centres[yt] + 0.8 * rng.normal(size=(120, D))
P = centres[[0, 1, 2, 3, 0]] + 0.3 * rng.normal(size=(5, D))   # class 0 has two prompts
np.save(t + "/a.npy", A.astype(np.float32)); np.save(t + "/t.npy", T.astype(np.float32))
np.save(t + "/p.npy", P.astype(np.float32))
open(t + "/pnames.txt", "w").write("c0\nc1\nc2\nc3\nc0\n")
open(t + "/alabels.txt", "w").write("\n".join("c%d" % c for c in ya) + "\n")
EOF_PY

# compare MODE-ARGS…: runs curate and checks the pairs against numpy
compare() {
    local name=$1
    shift
    "$GAPKIT" curate "$T/a.npy" "$T/t.npy" --out "$T/$name.npy" --json "$@" >"$T/$name.json" \
        || { echo "FAIL: curate $name"; fail=1; return; }
    "$PY" - "$T" "$name" "$@" <<'EOF_PY' || { echo "FAIL: curate $name vs numpy"; fail=1; }
import numpy as np, sys, json
t, name, args = sys.argv[1], sys.argv[2], sys.argv[3:]
opt = dict(zip(args[::2], args[1::2])) if "--augment" not in args else \
      dict(zip([a for a in args if a != "--augment"][::2], [a for a in args if a != "--augment"][1::2]))
unit = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True)
A = unit(np.load(t + "/a.npy").astype(np.float64)); T = unit(np.load(t + "/t.npy").astype(np.float64))
P = unit(np.load(t + "/p.npy").astype(np.float64)); pcls = np.array([0, 1, 2, 3, 0])
S = A @ T.T
mode = opt.get("--mode", "threshold"); k = int(opt.get("--k", 1))
tau = float(opt.get("--tau", 0.75 if mode == "threshold" else -1))
best = (T @ P.T).max(1); tcls = pcls[(T @ P.T).argmax(1)]
passed = np.ones(len(T), bool)
if "--tau-target" in opt: passed = best >= float(opt["--tau-target"])
cand = passed if "--augment" in args else np.ones(len(T), bool)
Sm = np.where(cand[None, :], S, -np.inf)
keep = np.zeros_like(S, bool)
if mode == "threshold":
    keep = S >= tau
else:
    top_a = np.argsort(-Sm, axis=1, kind="stable")[:, :k]
    keep[np.arange(len(A))[:, None], top_a] = True
    if mode == "mutual":
        top_t = np.argsort(-S.T, axis=1, kind="stable")[:, :k]
        kt = np.zeros_like(S, bool); kt[top_t, np.arange(len(T))[:, None]] = True
        keep &= kt
    keep &= S >= tau
keep &= passed[None, :] & cand[None, :]
want = np.argwhere(keep)
got = np.load(t + "/" + name + ".npy")
assert got.dtype == np.float64 and got.ndim == 2 and got.shape[1] == 3, got.shape
gi = got[:, :2].astype(np.int64)
assert (np.lexsort((gi[:, 1], gi[:, 0])) == np.arange(len(gi))).all(), "not sorted"
near = lambda pairs: np.abs(S[pairs[:, 0], pairs[:, 1]] - tau) < 1e-6 if len(pairs) else np.zeros(0, bool)
sw = {tuple(p) for p in want[~near(want)]}; sg = {tuple(p) for p in gi[~near(gi)]}
assert sw == sg, (name, len(sw), len(sg), sorted(sw ^ sg)[:5])
assert len(want) > 0, "test data keep no pair"
assert np.allclose(got[:, 2], S[gi[:, 0], gi[:, 1]], atol=1e-6)
j = json.load(open(t + "/" + name + ".json"))
assert j["n_pairs"] == len(gi)
assert j["coverage"]["audio_rows"] == len(set(gi[:, 0])) and j["coverage"]["text_rows"] == len(set(gi[:, 1]))
h = np.histogram(got[:, 2], bins=40, range=(-1, 1))[0]
assert j["histogram"]["counts"] == h.tolist(), (j["histogram"]["counts"], h)
if j["domain"] is not None:
    per = np.bincount(tcls[gi[:, 1]], minlength=4)
    assert [c["pairs"] for c in j["domain"]["pairs_per_class"]] == per.tolist()
    assert j["domain"]["texts_passed"] == int(passed.sum())
if j["labels"] is not None:
    ya = np.array([int(l[1:]) for l in open(t + "/alabels.txt").read().split()])
    lab = ya[gi[:, 0]] < 4                       # classes 4 and 5 have no prompt
    assert j["labels"]["n_labelled"] == int(lab.sum())
    assert j["labels"]["n_match"] == int((ya[gi[:, 0]] == tcls[gi[:, 1]])[lab].sum())
EOF_PY
}

compare thr --tau 0.6
compare thr_neg --tau -0.2
compare topk --mode topk --k 3
compare topk_floor --mode topk --k 4 --tau 0.5
compare mutual --mode mutual --k 5
compare mutual_floor --mode mutual --k 8 --tau 0.3
TGT=(--targets "$T/p.npy" --target-labels "$T/pnames.txt")
compare dom "${TGT[@]}" --tau-target 0.6 --tau 0.5 --labels "$T/alabels.txt"
compare dom_topk "${TGT[@]}" --tau-target 0.6 --mode topk --k 2
compare aug_topk "${TGT[@]}" --tau-target 0.6 --mode topk --k 2 --augment
compare aug_mutual "${TGT[@]}" --tau-target 0.5 --mode mutual --k 3 --augment --labels "$T/alabels.txt"
compare names_only "${TGT[@]}" --tau 0.55

# ESC-50: clips against the 50 class prompts at tau 0.5 (numbers of docs/curation.md)
E="$DATA/esc50-clap"
expect 0 '"n_pairs": 1581' curate "$E/audio.npy" "$E/class_text.npy" --out "$T/esc.npy" --tau 0.5 \
    --targets "$E/class_text.npy" --target-labels "$E/class_names.txt" \
    --labels "$E/meta.csv:class_name" --json
expect 0 '"n_match": 1397' curate "$E/audio.npy" "$E/class_text.npy" --out "$T/esc.npy" --tau 0.5 \
    --targets "$E/class_text.npy" --target-labels "$E/class_names.txt" \
    --labels "$E/meta.csv:class_name" --json

# bad input: usage (1) or input (2) errors, never an output file
"$PY" -c "import numpy as np; np.save('$T/d8.npy', np.ones((5, 8), np.float32)); \
np.save('$T/empty.npy', np.zeros((0, 16), np.float32))"
bad() {
    local code=$1 frag=$2
    shift 2
    rm -f "$T/bad.npy"
    expect "$code" "$frag" curate "$@" --out "$T/bad.npy"
    [ ! -e "$T/bad.npy" ] || { echo "FAIL: output left behind by curate $*"; fail=1; }
}
bad 2 "dimensions" "$T/a.npy" "$T/d8.npy"
bad 2 "zero rows" "$T/a.npy" "$T/empty.npy"
bad 1 "--tau 1.5" "$T/a.npy" "$T/t.npy" --tau 1.5
bad 1 "--tau-target 2" "$T/a.npy" "$T/t.npy" "${TGT[@]}" --tau-target 2
bad 1 "--mode best" "$T/a.npy" "$T/t.npy" --mode best
bad 2 "k = 500" "$T/a.npy" "$T/t.npy" --mode topk --k 500
bad 1 "go together" "$T/a.npy" "$T/t.npy" --targets "$T/p.npy"
bad 1 "need --targets" "$T/a.npy" "$T/t.npy" --augment
bad 2 "labels but" "$T/a.npy" "$T/t.npy" "${TGT[@]}" --labels "$T/pnames.txt"
bad 2 "no text row passes" "$T/a.npy" "$T/t.npy" "${TGT[@]}" --tau-target 0.999 --augment
bad 2 "missing.txt" "$T/a.npy" "$T/t.npy" "${TGT[@]}" --labels "$T/missing.txt"
bad 2 "dimensions" "$T/a.npy" "$T/t.npy" --targets "$T/d8.npy" --target-labels "$T/pnames.txt"
expect 1 "--out PAIRS.npy is required" curate "$T/a.npy" "$T/t.npy"
exit $fail
