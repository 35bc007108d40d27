#!/usr/bin/env bash
# cka.sh — `gapkit similarity --measure cka-linear|cka-rbf|cka-unbiased|svcca|
# procrustes`: bad options (exit 1), bad inputs (exit 2, message naming the file
# or the problem), and the values on ../shared/data in the JSON document against
# tests/reference/cka_reference.py (numpy/scipy, float64).
set -u
source "$(dirname "$0")/../cli_lib.sh"
C="$DATA/clip-coco-liang"
E="$DATA/esc50-clap"
ALL=cka-linear,cka-unbiased,cka-rbf,svcca,procrustes

# sim CODE FRAGMENT ARGS…: cli_lib.sh's expect for `gapkit similarity ARGS…`
sim() { local c=$1 f=$2; shift 2; expect "$c" "$f" similarity "$@"; }

"$PY" - "$T" <<'PYEOF'
import sys
import numpy as np
t = sys.argv[1]
a = np.random.default_rng(0).standard_normal((40, 6)).astype(np.float32)
np.save(f"{t}/a.npy", a)
n = a.copy(); n[5, 2] = np.nan; np.save(f"{t}/nan.npy", n)
np.save(f"{t}/same.npy", np.tile(a[:1], (40, 1)))
np.save(f"{t}/three.npy", a[:3])
PYEOF
sim 0 "cka-rbf" --help
sim 1 "--sigma-factor 0" "$C/features_clip.npy:0" "$C/features_clip.npy:1" --measure cka-rbf --sigma-factor 0
sim 1 "--max-n 1" "$C/features_clip.npy:0" "$C/features_clip.npy:1" --measure cka-rbf --max-n 1
sim 1 "--svcca-variance 1.5" "$C/features_clip.npy:0" "$C/features_clip.npy:1" --measure svcca --svcca-variance 1.5
sim 1 "--svcca-dims -2" "$C/features_clip.npy:0" "$C/features_clip.npy:1" --measure svcca --svcca-dims -2
sim 1 "--measure cka-cosine" "$C/features_clip.npy:0" "$C/features_clip.npy:1" --measure cka-cosine
sim 2 "has 500 rows but" "$C/features_clip.npy:0" "$E/class_text.npy" --measure cka-linear
sim 2 "nan.npy: row 5, column 2 is NaN" "$T/a.npy" "$T/nan.npy" --measure cka-linear
sim 2 "every row of Y is the same vector (zero variance)" "$T/a.npy" "$T/same.npy" --measure cka-linear --no-normalize
sim 2 "N = 500 items is above the limit of 100" "$C/features_clip.npy:0" "$C/features_clip.npy:1" --measure cka-rbf --max-n 100
sim 2 "kx + ky <= N - 1" "$C/features_clip.npy:0" "$C/features_clip.npy:1" --measure svcca
sim 2 "cka-unbiased: needs at least 4 items, got 3" "$T/three.npy" "$T/three.npy" --measure cka-unbiased
sim 0 "procrustes     0.700488" "$C/features_clip.npy:0" "$C/features_clip.npy:1" --measure procrustes

"$GAPKIT" similarity "$C/features_clip.npy:0" "$C/features_clip_random.npy:0" --measure $ALL --json \
    >"$T/r.json" || { echo "FAIL: json clip vs random"; fail=1; }
"$GAPKIT" similarity "$E/class_text.npy" "$E/class_text_m2d.npy" --measure $ALL --svcca-dims 10 \
    --json >"$T/m.json" || { echo "FAIL: json m2d"; fail=1; }
"$GAPKIT" similarity "$E/class_text.npy" "$E/class_text_m2d.npy" --measure cka-rbf --sigma-factor 0.5 \
    --rbf-unbiased --json >"$T/u.json" || { echo "FAIL: json rbf options"; fail=1; }
"$PY" - "$T" <<'PYEOF' || fail=1
import json, sys
t = sys.argv[1]
def values(name):
    return {r["measure"]: r for r in json.load(open(f"{t}/{name}.json"))["results"]}
# tests/reference/cka_reference.py, "COCO image: CLIP vs CLIP-random"
r = values("r")
for m, v in (("cka-linear", 0.1198986645), ("cka-unbiased", 0.1057254201),
             ("cka-rbf", 0.1287113143), ("svcca", 0.8090488764), ("procrustes", 0.2623359151)):
    assert abs(r[m]["value"] - v) < 2e-5, (m, r[m]["value"], v)
assert r["svcca"]["kept"] == [296, 25] and len(r["svcca"]["rho"]) == 25, r["svcca"]
assert abs(r["cka-rbf"]["sigma"][1] - 0.7112030609) < 1e-5, r["cka-rbf"]
# "ESC-50 class prompts: CLAP (512) vs M2D-CLAP (768)": different dimensions
m = values("m")
assert m["cka-linear"]["dims"] == [512, 768]
for k, v in (("cka-linear", 0.8057540319), ("cka-unbiased", 0.6229948840),
             ("cka-rbf", 0.8557934201), ("svcca", 0.7175843483), ("procrustes", 0.9209553627)):
    assert abs(m[k]["value"] - v) < 2e-5, (k, m[k]["value"], v)
assert abs(m["procrustes"]["distance"] - 0.1580892747) < 4e-6
# the Gaussian kernel with sigma = 0.5 x median is a different estimator than f = 1
u = values("u")["cka-rbf"]
assert "unbiased" in u["estimator"] and u["sigma_factor"] == 0.5, u
PYEOF
exit $fail
