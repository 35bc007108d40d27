#!/usr/bin/env bash
# cluster_restarts.sh — clustering scores as mean ± sd over the k-means
# restarts (methods.md §11): `gapkit eval cluster --restarts 5` on ESC-50 audio
# (k = 50) against scikit-learn's scores of every restart's clusters, read from
# libgapkit's gk_kmeans (restart_assign, same options: seed 0) through ctypes,
# with numpy's mean and sd (ddof = 1); the winning restart is the table's value.
set -u
source "$(dirname "$0")/../cli_lib.sh"
ESC="$DATA/esc50-clap"
LIB="$(cd "$(dirname "$GAPKIT")" && pwd)/libgapkit.so"
[ -f "$LIB" ] || { echo "FAIL: no $LIB"; exit 1; }
CL=(eval cluster "$ESC/audio.npy" --labels "$ESC/meta.csv:class_name" --restarts 5 --no-knn
    --no-probe)
expect 0 "over 5 restarts (mean ± sd): V-measure 0.9502 ± 0.0062" "${CL[@]}"
"$GAPKIT" "${CL[@]}" --json >"$T/c.json" || fail=1
preload="" # the ASan+UBSan build: python needs the sanitizer runtimes first (python.sh)
ldd "$LIB" | grep -q libasan &&
  preload="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=0 "$PY" - "$T/c.json" "$LIB" "$ESC" <<'PYEOF' || fail=1
import csv, ctypes as C, json, sys
import numpy as np
from sklearn import metrics
d = json.load(open(sys.argv[1]))
lib = C.CDLL(sys.argv[2])
i64, P = C.c_int64, C.POINTER
class Mat(C.Structure):
    _fields_ = [("data", P(C.c_float)), ("rows", i64), ("cols", i64), ("rs", i64), ("cs", i64),
                ("store", C.c_void_p)]
class Opts(C.Structure):
    _fields_ = [("k", i64), ("n_init", C.c_int), ("max_iter", C.c_int), ("tol", C.c_double),
                ("spherical", C.c_int), ("seed", C.c_uint64), ("init_sample", i64),
                ("init", P(Mat))]
class Res(C.Structure):
    _fields_ = [("n", i64), ("d", i64), ("k", i64), ("assign", P(C.c_int32)),
                ("centroids", P(C.c_float)), ("inertia", C.c_double), ("n_iter", C.c_int),
                ("best_init", C.c_int), ("n_restarts", C.c_int),
                ("restart_assign", P(C.c_int32))]
lib.gk_kmeans_opts_default.restype = Opts
lib.gk_kmeans.argtypes = [P(Mat), P(Opts), P(P(Res))]
a = np.load(sys.argv[3] + "/audio.npy").astype(np.float32)
a = np.ascontiguousarray(a / np.linalg.norm(a, axis=1, keepdims=True), dtype=np.float32)
with open(sys.argv[3] + "/meta.csv") as f:
    y = [r["class_name"] for r in csv.DictReader(f)]
m = Mat(a.ctypes.data_as(P(C.c_float)), a.shape[0], a.shape[1], a.shape[1], 1, None)
o = lib.gk_kmeans_opts_default()
o.k, o.n_init, o.seed = 50, 5, 0
r = P(Res)()
assert lib.gk_kmeans(C.byref(m), C.byref(o), C.byref(r)) == 0
lib.gk_kmeans_result_free.argtypes = [P(Res)]
R, n = r.contents.n_restarts, r.contents.n
lab = np.ctypeslib.as_array(r.contents.restart_assign, (R * n,)).reshape(R, n).copy()
best = r.contents.best_init
lib.gk_kmeans_result_free(r)
score = {"v_measure": metrics.v_measure_score, "nmi": metrics.normalized_mutual_info_score,
         "ari": metrics.adjusted_rand_score, "homogeneity": metrics.homogeneity_score,
         "completeness": metrics.completeness_score}
got = d["over_restarts"]
assert got["n_restarts"] == 5 == R, got
for k, f in score.items():
    v = np.array([f(y, lab[t]) for t in range(R)])
    assert abs(got[k]["mean"] - v.mean()) < 1e-9 and abs(got[k]["sd"] - v.std(ddof=1)) < 1e-9, (k, got[k], v)
    assert abs(d[k] - v[best]) < 1e-9, (k, d[k], v[best])
# the numbers of this run (scikit-learn 1.2, numpy), kept against drift
assert abs(got["v_measure"]["mean"] - 0.9501727073) < 1e-8, got
assert abs(got["v_measure"]["sd"] - 0.006213332514) < 1e-8, got
PYEOF
"$GAPKIT" eval cluster "$ESC/audio.npy" --labels "$ESC/meta.csv:class_name" --restarts 1 \
    --no-knn --no-probe --json >"$T/one.json" || fail=1
"$PY" -c "import json,sys; d=json.load(open(sys.argv[1]))['over_restarts']; assert d['n_restarts'] == 1 and d['v_measure']['sd'] is None, d" "$T/one.json" || fail=1
exit $fail
