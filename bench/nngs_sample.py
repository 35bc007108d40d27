#!/usr/bin/python3
"""nngs_sample.py — benchmark the sampled NNGS estimate (`gapkit similarity
--measure nngs --sample M`) on two large spaces, and check it against an
exact search of the same sample rows (FAISS IndexFlatL2, or numpy blocks when
FAISS is missing) in one run.

Data: bench/knn.py's clustered X and rotated-plus-noise Y (seeded numpy,
float32 .npy in --data-dir, reused when present).

Measured:
  * a pilot `--sample 1000` run (seed + 1) gives the half-width h of the 95 %
    interval; M = 1000·(h / 0.0045)² (rounded up to a hundred) aims at a
    half-width below the target 0.005 (skip the pilot with --sample M);
  * the timed run: `gapkit similarity X Y --measure nngs --k K --no-normalize
    --json --sample M --seed S` (the whole process, loading included; peak
    RSS);
  * the anchor: the same M rows (drawn here with gapkit's generator:
    xoshiro256** seeded by splitmix64, a partial Fisher–Yates shuffle), their
    K+1 nearest rows in each space by FAISS / numpy, the row itself removed,
    the mean Jaccard and the NNGS normalisation: it must equal gapkit's
    estimate (the same lists give the same mean) — the share of identical
    lists is printed.
Targets: wall < 120 s and half-width < 0.005.

Usage:  /usr/bin/python3 bench/nngs_sample.py --gapkit build/gapkit [--n 1000000]
        [--d 512] [--k 10] [--sample M] [--data-dir DIR] [--md out.md]
Quick check: --n 100000.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import Rng, Table, make_data, timed  # noqa: E402  (the data and timer of bench/knn.py)


def sample_rows(n, m, seed):
    """The rows gk_nbr_measure_sampled draws (nbr_sample.c, draw_rows)."""
    rng, perm = Rng(seed), np.arange(n, dtype=np.int64)
    for i in range(m):
        j = i + rng.below(n - i)
        perm[i], perm[j] = perm[j], perm[i]
    return np.sort(perm[:m])


def exact_neighbours(path, rows, k):
    """(m, k) nearest other rows of `rows` by exact euclidean search."""
    x = np.load(path, mmap_mode="r")
    q = np.ascontiguousarray(x[rows])
    try:
        import faiss
        index = faiss.IndexFlatL2(x.shape[1])
        for s in range(0, len(x), 100000):
            index.add(np.ascontiguousarray(x[s:s + 100000]))
        ids = index.search(q, k + 1)[1]
        how = "FAISS IndexFlatL2"
    except ImportError:
        best = np.full((len(q), k + 1), np.inf), np.zeros((len(q), k + 1), np.int64)
        qn = (q.astype(np.float64) ** 2).sum(1)[:, None]
        for s in range(0, len(x), 50000):
            g = np.asarray(x[s:s + 50000])
            d2 = qn + (g.astype(np.float64) ** 2).sum(1)[None, :] - 2.0 * (q @ g.T)
            dd = np.concatenate([best[0], d2], 1)
            ii = np.concatenate([best[1], np.arange(s, s + len(g))[None, :].repeat(len(q), 0)], 1)
            o = np.argsort(dd, 1, kind="stable")[:, :k + 1]
            best = np.take_along_axis(dd, o, 1), np.take_along_axis(ii, o, 1)
        ids = best[1]
        how = "numpy float32 GEMM blocks"
    return np.array([r[r != i][:k] for i, r in zip(rows, ids)]), how


def run_gapkit(gapkit, px, py, k, m, seed):
    wall, rss, cpu, out = timed([gapkit, "similarity", px, py, "--measure", "nngs", "--k", str(k),
                                 "--no-normalize", "--json", "--sample", str(m), "--seed",
                                 str(seed)])
    return wall, rss, cpu, json.loads(out)["results"][0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gapkit", default="build/gapkit")
    ap.add_argument("--n", type=int, default=1000000)
    ap.add_argument("--d", type=int, default=512)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sample", type=int, help="rows to sample (default: from a pilot run)")
    ap.add_argument("--data-dir", default=os.path.join(tempfile.gettempdir(), "gapkit_bench"))
    ap.add_argument("--md", help="also write the table as markdown to this file")
    a = ap.parse_args()
    os.makedirs(a.data_dir, exist_ok=True)
    px, py = make_data(a.n, a.d, 0, a.data_dir)
    lines = Table()
    lines.add(f"n = {a.n:,} rows per space, d = {a.d}, k = {a.k}, euclidean, "
              f"{os.cpu_count()} cores; load average before the run {os.getloadavg()[0]:.1f}", "",
              "| run | wall | CPU (user+sys) | peak RSS | result |", "|---|---|---|---|---|")
    m = a.sample
    if m is None:
        pw, prss, pcpu, pr = run_gapkit(a.gapkit, px, py, a.k, 1000, a.seed + 1)
        h = (pr["ci_hi"] - pr["ci_lo"]) / 2
        m = min(a.n, int(math.ceil(1000 * (h / 0.0045) ** 2 / 100) * 100))
        lines.add(f"| pilot --sample 1000 | {pw:.1f} s | {pcpu:.1f} s | {prss:.0f} MB | "
                     f"half-width {h:.4f} → M = {m} |")
    w, rss, cpu, r = run_gapkit(a.gapkit, px, py, a.k, m, a.seed)
    half = (r["ci_hi"] - r["ci_lo"]) / 2
    lines.add(f"| gapkit --sample {m} | {w:.1f} s | {cpu:.1f} s | {rss:.0f} MB | "
                 f"NNGS_n = {r['value']:.5f} ± {half:.5f} (95 %) |")
    rows = sample_rows(a.n, m, a.seed)
    t = time.perf_counter()
    gx, how = exact_neighbours(px, rows, a.k)
    gy, _ = exact_neighbours(py, rows, a.k)
    tw = time.perf_counter() - t
    inter = np.array([len(np.intersect1d(p, q)) for p, q in zip(gx, gy)])
    raw = float(np.mean(inter / (2 * a.k - inter)))
    hk = a.k / (2 * (a.n - 1) - a.k)
    value = (raw - hk) / (1 - hk)
    lines.add(f"| {how}, the same {m} rows | {tw:.1f} s | | | NNGS_n = {value:.5f} "
                 f"(gapkit − anchor = {r['value'] - value:.1e}) |")
    lines.add("", f"targets: wall < 120 s: {'yes' if w < 120 else 'NO'} ({w:.1f} s); "
              f"half-width < 0.005: {'yes' if half < 0.005 else 'NO'} ({half:.5f}); "
              f"estimate equals the anchor on the same rows: "
              f"{'yes' if abs(r['value'] - value) < 1e-9 else 'NO'}")
    lines.save(a.md)


if __name__ == "__main__":
    main()
