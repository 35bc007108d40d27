#!/usr/bin/env bash
# eval_folds.sh — `gapkit eval … --split fold:COLUMN` on ESC-50's five folds:
# the summary over folds equals numpy/scipy's (mean, std ddof=1, mean ±
# scipy.stats.t.ppf(0.975, F-1)·sd/√F) computed here from the per-fold values
# of the same document; the summed confusion (--confusion and the JSON) equals
# the sum of the five single-fold runs' confusions; the expected top-1 numbers
# are committed below (from tests/test_eval_kfold.c's numpy snippet).  A fold
# split of `gapkit analyze` takes its column from --split-csv.
set -u
source "$(dirname "$0")/../cli_lib.sh"
ESC="$DATA/esc50-clap"
ZS=(eval zeroshot "$ESC/audio.npy" "$ESC/class_text.npy" --labels "$ESC/meta.csv:class_name"
    --prompt-labels "$ESC/class_names.txt" --bootstrap 0)
RT=(eval retrieval "$ESC/audio.npy" "$ESC/class_text.npy" --groups-x "$ESC/meta.csv:class_name"
    --groups-y "$ESC/class_names.txt" --bootstrap 0)

expect 0 "over the 5 folds: mean, sample sd, 95% Student t interval" "${ZS[@]}" --split fold:fold
grep -qF "top-1      0.9150    0.0047  [0.9092, 0.9208]" "$T/out" ||
    { echo "FAIL: zero-shot summary row"; cat "$T/out"; fail=1; }
expect 0 "MeanR      1.1635" "${RT[@]}" --split fold:fold
"$GAPKIT" "${ZS[@]}" --split fold:fold --json --confusion "$T/sum.npy" >"$T/zs.json" ||
    { echo "FAIL: zero-shot folds json"; fail=1; }
"$GAPKIT" "${RT[@]}" --split fold:fold --json >"$T/rt.json" || { echo "FAIL: retrieval folds json"; fail=1; }
for f in 1 2 3 4 5; do
    "$GAPKIT" "${ZS[@]}" --split fold:fold=$f --json --confusion "$T/c$f.npy" >/dev/null ||
        { echo "FAIL: fold $f"; fail=1; }
done
"$PY" - "$T" <<'PYEOF' || fail=1
import json, sys
import numpy as np
from scipy import stats
d = sys.argv[1]

def check(summary, values, what):
    v = np.asarray(values, float)
    F = len(v); m = v.mean(); sd = v.std(ddof=1); h = stats.t.ppf(0.975, F - 1) * sd / np.sqrt(F)
    s = summary
    assert s["n_folds"] == F == 5, (what, s)
    for key, want in (("mean", m), ("sd", sd), ("ci_lo", m - h), ("ci_hi", m + h)):
        assert abs(s[key] - want) <= 1e-9 + 1e-9 * abs(want), (what, key, s[key], want)

z = json.load(open(f"{d}/zs.json"))
folds = z["folds"]
assert [f["split"].split(":")[1] for f in folds] == [f"fold={k}" for k in range(1, 6)]
for key in ("top1", "top5", "mean_class_acc"):
    check(z["summary"][key], [f[key] for f in folds], key)
# committed: top-1 per fold 0.9175 0.915 0.92 0.9075 0.915 (numpy, test_eval_kfold.c)
assert np.allclose([f["top1"] for f in folds], [0.9175, 0.915, 0.92, 0.9075, 0.915], atol=1e-12)
assert abs(z["summary"]["top1"]["ci_lo"] - 0.909192648411537) < 1e-9, z["summary"]
conf = np.load(f"{d}/sum.npy")
per = sum(np.load(f"{d}/c{k}.npy") for k in range(1, 6))
assert (conf == per).all() and (np.array(z["confusion"]) == per).all()
assert conf.sum() == 2000 and np.trace(conf) == 1830

r = json.load(open(f"{d}/rt.json"))
assert len(r["folds"]) == 5
for side in ("x_to_y", "y_to_x"):
    for key in ("R@1", "R@5", "R@10", "mAP@10", "mAP", "MedR", "MeanR"):
        check(r["summary"][side][key], [f[side][key] for f in r["folds"]], f"{side} {key}")
PYEOF
exit $fail
