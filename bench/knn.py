#!/usr/bin/python3
"""knn.py — benchmark the exact kNN engine (`gapkit knn`) against FAISS
IndexFlatL2 and scikit-learn's brute-force NearestNeighbors, and NNGS of two
spaces (`gapkit similarity --measure nngs`) against FAISS graphs + numpy, in
one run on the same data.

Data (seeded numpy, float32 .npy written once to --data-dir, reused when the
files exist): "real-like" clustered embeddings, X = centre of one of 500
clusters + noise in d dims, and Y = X rotated by a random orthogonal matrix
plus fresh noise (a second space of the same items, for NNGS).

Measured, each contender in a fresh process (wall time of the search itself
for the Python anchors, after loading; the whole `gapkit` process, loading
included, for gapkit; peak RSS of that process):
  * gapkit knn X --k K --no-normalize --out I.npy     (euclidean, self excluded)
  * faiss IndexFlatL2: add(X), search(X, K+1), drop each row itself
  * sklearn NearestNeighbors(K+1, algorithm="brute", n_jobs=-1).kneighbors(X)
  * the single-precision GEMM rate: numpy float32 (4096,d)·(d,4096), best of
    3 (the same OpenBLAS as gapkit and FAISS), and floor = 2·n²·d / rate, the
    time of the n×n×d products alone at that rate
  * NNGS(k=K) of X and Y: gapkit similarity vs FAISS graphs + numpy Jaccard
Targets: gapkit time < FAISS time; gapkit time / floor <= 1.5.
The neighbour lists of gapkit and FAISS are compared (share of identical rows).

Usage:  /usr/bin/python3 bench/knn.py --gapkit build/gapkit [--n 50000] [--d 512]
        [--k 10] [--data-dir DIR] [--md out.md] [--skip-sklearn]
Quick check: --n 10000.  Full size (50,000) takes a few minutes on two cores.
"""
import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import Table, make_data, timed  # noqa: E402  (the data and timer of the kNN benches)


def cpu_seconds():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def sgemm_rate(d):
    """GFLOP/s of numpy's float32 GEMM, best of 3: per wall second (all
    threads) and per CPU second (the rate of one busy core)."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((4096, d)).astype(np.float32)
    b = rng.standard_normal((d, 4096)).astype(np.float32)
    a @ b
    best, best_cpu = float("inf"), float("inf")
    for _ in range(3):
        t, c = time.perf_counter(), cpu_seconds()
        a @ b
        best = min(best, time.perf_counter() - t)
        best_cpu = min(best_cpu, cpu_seconds() - c)
    flops = 2 * 4096 * 4096 * d
    return flops / best / 1e9, flops / best_cpu / 1e9


# The Python anchors run in a child that prints "<search seconds> <peak RSS KB>".
FAISS_KNN = """
import sys, time, resource, numpy as np, faiss
cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
x = np.ascontiguousarray(np.load(sys.argv[1]))
k = int(sys.argv[2])
t, c = time.perf_counter(), cpu()
index = faiss.IndexFlatL2(x.shape[1]); index.add(x)
_, I = index.search(x, k + 1)
rows = np.arange(len(x))[:, None]
keep = I != rows                              # drop each row itself, wherever it is
I = np.array([r[m][:k] for r, m in zip(I, keep)])
w, c = time.perf_counter() - t, cpu() - c
np.save(sys.argv[3], I)
print(w, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, c)
"""

SKLEARN_KNN = """
import sys, time, resource, numpy as np
from sklearn.neighbors import NearestNeighbors
cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
x = np.load(sys.argv[1])
k = int(sys.argv[2])
t, c = time.perf_counter(), cpu()
I = NearestNeighbors(n_neighbors=k + 1, algorithm="brute", n_jobs=-1).fit(x).kneighbors(x)[1]
I = np.array([[j for j in r if j != i][:k] for i, r in enumerate(I)])
w, c = time.perf_counter() - t, cpu() - c
np.save(sys.argv[3], I)
print(w, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, c)
"""

FAISS_NNGS = """
import sys, time, resource, numpy as np, faiss
cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
k = int(sys.argv[3])
def graph(path):
    x = np.ascontiguousarray(np.load(path))
    index = faiss.IndexFlatL2(x.shape[1]); index.add(x)
    I = index.search(x, k + 1)[1]
    return np.array([r[r != i][:k] for i, r in enumerate(I)])
t, c = time.perf_counter(), cpu()
gx, gy = graph(sys.argv[1]), graph(sys.argv[2])
inter = np.array([len(np.intersect1d(a, b)) for a, b in zip(gx, gy)])
raw = np.mean(inter / (2 * k - inter)); n = len(gx); h = k / (2 * (n - 1) - k)
w, c = time.perf_counter() - t, cpu() - c
print(w, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, c, (raw - h) / (1 - h))
"""


def python_anchor(code, args):
    """(search wall s, peak RSS MB, search CPU s, rest) printed by an anchor child."""
    out = subprocess.run([sys.executable, "-c", code] + args, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"anchor failed:\n{out.stderr}")
    f = out.stdout.split()
    return float(f[0]), int(f[1]) / 1024, float(f[2]), f[3:]


def agreement(a, b):
    a, b = np.load(a).astype(np.int64), np.load(b).astype(np.int64)
    same_rows = np.mean((a == b).all(1))
    same_sets = np.mean([len(np.intersect1d(x, y)) for x, y in zip(a, b)]) / a.shape[1]
    return same_rows, same_sets


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gapkit", default="build/gapkit")
    ap.add_argument("--n", type=int, default=50000)
    ap.add_argument("--d", type=int, default=512)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data-dir", default=os.path.join(tempfile.gettempdir(), "gapkit_bench"))
    ap.add_argument("--md", help="also write the tables as markdown to this file")
    ap.add_argument("--skip-sklearn", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.data_dir, exist_ok=True)
    px, py = make_data(a.n, a.d, a.seed, a.data_dir)
    tmp = tempfile.TemporaryDirectory()
    out = tmp.name
    gi, fi, si = (os.path.join(out, f) for f in ("gapkit_I.npy", "faiss_I.npy", "sklearn_I.npy"))

    rate, core_rate = sgemm_rate(a.d)
    flops = 2.0 * a.n * a.n * a.d
    floor, floor_cpu = flops / (rate * 1e9), flops / (core_rate * 1e9)
    g_t, g_rss, g_cpu, _ = timed([a.gapkit, "knn", px, "--k", str(a.k), "--no-normalize",
                                  "--out", gi])
    f_t, f_rss, f_cpu, _ = python_anchor(FAISS_KNN, [px, str(a.k), fi])
    rows_f, sets_f = agreement(gi, fi)
    s_t = None
    if not a.skip_sklearn:
        s_t, s_rss, s_cpu, _ = python_anchor(SKLEARN_KNN, [px, str(a.k), si])
    gn_t, gn_rss, gn_cpu, gn_out = timed([a.gapkit, "similarity", px, py, "--measure", "nngs",
                                          "--k", str(a.k), "--no-normalize", "--json"])
    g_nngs = json.loads(gn_out)["results"][0]["value"]
    fn_t, fn_rss, fn_cpu, fn_rest = python_anchor(FAISS_NNGS, [px, py, str(a.k)])

    lines = [f"n = {a.n:,}, d = {a.d}, k = {a.k}, euclidean, input {a.n * a.d * 4 / 2**20:.0f} MB "
             f"per space; {os.cpu_count()} cores; load average before the run "
             f"{os.getloadavg()[0]:.1f}",
             "", "| measurement | wall | CPU (user+sys) | peak RSS | note |",
             "|---|---|---|---|---|",
             f"| sgemm rate, numpy float32 (4096,{a.d})·({a.d},4096) | {rate:.1f} GFLOP/s | "
             f"{core_rate:.1f} GFLOP/s per CPU-s | | best of 3 |",
             f"| floor 2·n²·d / rate | {floor:.2f} s | {floor_cpu:.2f} s | | the products alone |",
             f"| gapkit knn (whole process) | {g_t:.2f} s | {g_cpu:.2f} s | {g_rss:.0f} MB | |",
             f"| FAISS IndexFlatL2 add + search | {f_t:.2f} s | {f_cpu:.2f} s | {f_rss:.0f} MB | "
             f"lists equal to gapkit's: {100 * rows_f:.2f} % of rows, {100 * sets_f:.3f} % of "
             f"neighbours |"]
    if s_t is not None:
        rows_s, _ = agreement(gi, si)
        lines.append(f"| sklearn brute NearestNeighbors | {s_t:.2f} s | {s_cpu:.2f} s | "
                     f"{s_rss:.0f} MB | equal to gapkit's: {100 * rows_s:.2f} % of rows |")
    lines += [f"| gapkit similarity --measure nngs X Y | {gn_t:.2f} s | {gn_cpu:.2f} s | "
              f"{gn_rss:.0f} MB | NNGS_n = {g_nngs:.6f} |",
              f"| FAISS graphs + numpy Jaccard | {fn_t:.2f} s | {fn_cpu:.2f} s | {fn_rss:.0f} MB | "
              f"NNGS_n = {float(fn_rest[0]):.6f} |",
              "", "| ratio | wall | CPU | target | ok (wall) |", "|---|---|---|---|---|",
              f"| gapkit / FAISS (knn) | {g_t / f_t:.2f} | {g_cpu / f_cpu:.2f} | < 1 | "
              f"{'yes' if g_t < f_t else 'NO'} |",
              f"| gapkit / floor (knn) | {g_t / floor:.2f} | {g_cpu / floor_cpu:.2f} | <= 1.5 | "
              f"{'yes' if g_t <= 1.5 * floor else 'NO'} |",
              f"| gapkit / FAISS (nngs) | {gn_t / fn_t:.2f} | {gn_cpu / fn_cpu:.2f} | | |"]
    if s_t is not None:
        lines.append(f"| sklearn / gapkit (knn) | {s_t / g_t:.2f} | {s_cpu / g_cpu:.2f} | | |")
    table = Table()
    table.add(*lines)
    table.save(a.md)


if __name__ == "__main__":
    main()
