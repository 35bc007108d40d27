#!/usr/bin/python3
"""retrieval.py — benchmark paired retrieval (`gapkit eval retrieval X Y`,
which ranks through the kNN engine's exact ranks of the true matches)
against numpy doing the same job in blocks, in one run on the same data.

Data (seeded numpy, float32 .npy written once to --data-dir, reused when the
files exist): n pairs in d dims, X = centre of one of 500 clusters + noise
(0.8 per entry), Y = X + noise (6.0 per entry: R@1 about 0.5 at n = 10,000),
both with unit rows (cosine = inner product).  Row i of X matches row i of Y;
both directions are scored.

Measured, each contender in a fresh process, peak RSS of that process:
  * gapkit eval retrieval X Y --json — the whole process, loading included;
  * numpy: for blocks of 4096 queries, S = Q·Gᵀ (float32, OpenBLAS, all
    threads), the rank of the true match by counting, 1 + #{S > s_ii} +
    #{S == s_ii before i}; then R@1/5/10, MedR, MeanR and mAP@10 (= 1/rank
    if rank <= 10) — the wall time of the scoring only, after loading.
  * floor = 2 directions · 2·n²·d flops at numpy's float32 GEMM rate.
The metrics of the two are printed side by side (equal up to float
near-ties: numpy ranks by float32 scores, gapkit by exact ones).

Usage:  /usr/bin/python3 bench/retrieval.py --gapkit build/gapkit [--n 50000]
        [--d 512] [--data-dir DIR]
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


def make_data(n, d, seed, directory):
    px, py = (os.path.join(directory, f"rt6_{s}_{n}x{d}_s{seed}.npy") for s in ("X", "Y"))
    if os.path.exists(px) and os.path.exists(py):
        return px, py
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((500, d)).astype(np.float32)
    X = np.empty((n, d), np.float32)
    Y = np.empty((n, d), np.float32)
    for s in range(0, n, 10000):
        e = min(n, s + 10000)
        x = centres[rng.integers(0, 500, e - s)] + 0.8 * rng.standard_normal((e - s, d)).astype(np.float32)
        y = x + 6.0 * rng.standard_normal((e - s, d)).astype(np.float32)
        X[s:e] = x / np.linalg.norm(x, axis=1, keepdims=True)
        Y[s:e] = y / np.linalg.norm(y, axis=1, keepdims=True)
    np.save(px, X)
    np.save(py, Y)
    return px, py


def sgemm_rate(d):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((4096, d)).astype(np.float32)
    b = rng.standard_normal((d, 4096)).astype(np.float32)
    a @ b
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - t)
    return 2 * 4096 * 4096 * d / best / 1e9


def numpy_direction(Q, G):
    n = Q.shape[0]
    ranks = np.empty(n, np.int64)
    for s in range(0, n, 4096):
        e = min(n, s + 4096)
        S = Q[s:e] @ G.T
        idx = np.arange(s, e)
        true = S[np.arange(e - s), idx][:, None]
        before = np.arange(G.shape[0])[None, :] < idx[:, None]
        ranks[s:e] = 1 + (S > true).sum(1) + ((S == true) & before).sum(1)
    return {"R@1": float(np.mean(ranks <= 1)), "R@5": float(np.mean(ranks <= 5)),
            "R@10": float(np.mean(ranks <= 10)), "MedR": float(np.median(ranks)),
            "MeanR": float(ranks.mean()),
            "mAP@10": float(np.mean(np.where(ranks <= 10, 1.0 / ranks, 0.0)))}


def numpy_child(px, py):
    X, Y = np.load(px), np.load(py)
    t = time.perf_counter()
    out = {"x_to_y": numpy_direction(X, Y), "y_to_x": numpy_direction(Y, X)}
    out["seconds"] = time.perf_counter() - t
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def run_gapkit(gapkit, px, py):
    t = time.perf_counter()
    p = subprocess.run([gapkit, "eval", "retrieval", px, py, "--json"], capture_output=True,
                       text=True, check=True)
    sec = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return json.loads(p.stdout), sec, rss


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gapkit", default="build/gapkit")
    ap.add_argument("--n", type=int, default=50000)
    ap.add_argument("--d", type=int, default=512)
    ap.add_argument("--data-dir", default=tempfile.gettempdir())
    ap.add_argument("--numpy-child", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.numpy_child:
        return numpy_child(*a.numpy_child)
    px, py = make_data(a.n, a.d, 0, a.data_dir)
    rate = sgemm_rate(a.d)
    floor = 2 * 2 * a.n * a.n * a.d / (rate * 1e9)
    g, gsec, grss = run_gapkit(a.gapkit, px, py)
    p = subprocess.run([sys.executable, __file__, "--numpy-child", px, py], capture_output=True,
                       text=True, check=True)
    npy = json.loads(p.stdout)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores")
    print(f"paired retrieval, n = {a.n}, d = {a.d}, both directions; sgemm {rate:.0f} GFLOP/s, "
          f"floor {floor:.2f} s")
    print(f"{'':8}{'seconds':>8}{'peak MB':>8}   x->y: R@1    R@10  MeanR    y->x: R@1    R@10  MeanR")
    for name, sec, rss, r in (("gapkit", gsec, grss, g), ("numpy", npy["seconds"],
                                                           npy["peak_rss_mb"], npy)):
        row = "".join(f"   {r[k]['R@1']:10.4f}{r[k]['R@10']:8.4f}{r[k]['MeanR']:7.2f}"
                      for k in ("x_to_y", "y_to_x"))
        print(f"{name:8}{sec:8.2f}{rss:8.0f}{row}")
    print(f"gapkit/numpy {gsec / npy['seconds']:.2f} (gapkit includes loading)   "
          f"gapkit/floor {gsec / floor:.2f}   peak memory gapkit/numpy "
          f"{grss / npy['peak_rss_mb']:.2f}")


if __name__ == "__main__":
    main()
