#!/usr/bin/python3
"""knn_graph_scale.py — how long the EXACT kNN graph of a large space takes
with gapkit's fastest exact path (the fp32 GEMM engine), measured two ways in
one run:

  1. the whole graph (`gapkit knn X --k K --no-normalize --out I.npy`) at the
     sizes --graph-n (default 50,000 and 100,000): the time should grow as
     n² (2·n²·d flops), which the table checks;
  2. the target size itself: Q query rows (default 20,000) against the full
     --n gallery (default 1,000,000) with `gapkit knn X --queries Q`: every
     query row meets every gallery tile exactly as a row of the full graph
     does, so the full graph costs n/Q times this run (minus nothing but the
     one-off loading and index build, which are reported separately).

Each run is one `gapkit` process timed by /usr/bin/time: wall time, CPU time
(user + system) and peak RSS.  On a shared machine the wall time depends on
the other load, the CPU time much less: the table gives both, and the
idle-machine estimate CPU / cores (the engine splits query tiles over the
threads without waiting).

Data: bench/knn.py's clustered rows (seeded numpy .npy in --data-dir).
Usage:  /usr/bin/python3 bench/knn_graph_scale.py --gapkit build/gapkit
        [--n 1000000] [--queries 20000] [--graph-n 50000 100000] [--d 512] [--k 10]
        [--data-dir DIR] [--md out.md]
"""
import argparse
import os
import tempfile

import numpy as np

import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import Table, make_data, timed  # noqa: E402  (the data and timer of bench/knn.py)


def row(what, n_rows, n_gallery, d, wall, cpu, rss):
    gflop = 2.0 * n_rows * n_gallery * d / 1e9
    return (f"| {what} | {n_rows:,} × {n_gallery:,} | {gflop:,.0f} | {wall:.1f} s | {cpu:.1f} s | "
            f"{gflop / cpu:.1f} | {rss:.0f} MB |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gapkit", default="build/gapkit")
    ap.add_argument("--n", type=int, default=1000000)
    ap.add_argument("--queries", type=int, default=20000)
    ap.add_argument("--graph-n", type=int, nargs="*", default=[50000, 100000])
    ap.add_argument("--d", type=int, default=512)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--data-dir", default=os.path.join(tempfile.gettempdir(), "gapkit_bench"))
    ap.add_argument("--md", help="also write the table as markdown to this file")
    a = ap.parse_args()
    os.makedirs(a.data_dir, exist_ok=True)
    tmp = tempfile.TemporaryDirectory()
    out = os.path.join(tmp.name, "I.npy")
    cores = os.cpu_count()
    lines = Table()
    lines.add(f"d = {a.d}, k = {a.k}, euclidean, fp32 engine; {cores} cores; load average "
              f"before the run {os.getloadavg()[0]:.1f}", "",
              "| run | queries × gallery | GFLOP | wall | CPU | GFLOP per CPU-s | peak RSS |",
              "|---|---|---|---|---|---|---|")
    per_flop = []
    for n in a.graph_n:
        px, _ = make_data(n, a.d, 0, a.data_dir)
        w, rss, cpu, _ = timed([a.gapkit, "knn", px, "--k", str(a.k), "--no-normalize", "--out",
                                out])
        lines.add(row("whole graph", n, n, a.d, w, cpu, rss))
        per_flop.append(cpu / (2.0 * n * n * a.d))
    px, _ = make_data(a.n, a.d, 0, a.data_dir)
    pq = os.path.join(tmp.name, "Q.npy")
    np.save(pq, np.load(px, mmap_mode="r")[:a.queries])
    # the one-off part: loading and the index (column mean, duplicate scan) with 1 query row
    np.save(os.path.join(tmp.name, "Q1.npy"), np.load(px, mmap_mode="r")[:1])
    w1, rss1, cpu1, _ = timed([a.gapkit, "knn", px, "--queries", os.path.join(tmp.name, "Q1.npy"),
                               "--k", str(a.k), "--no-normalize", "--out", out])
    lines.add(row("load + index, 1 query", 1, a.n, a.d, w1, cpu1, rss1))
    wq, rssq, cpuq, _ = timed([a.gapkit, "knn", px, "--queries", pq, "--k", str(a.k),
                               "--no-normalize", "--out", out])
    lines.add(row("queries vs the full gallery", a.queries, a.n, a.d, wq, cpuq, rssq))
    search_cpu = cpuq - cpu1
    full_cpu = search_cpu * a.n / a.queries + cpu1
    lines.add("", f"full graph of {a.n:,} rows, from the query run (search CPU "
              f"{search_cpu:.1f} s × {a.n // a.queries} + {cpu1:.1f} s loading): "
              f"{full_cpu:,.0f} CPU-s = {full_cpu / 3600:.2f} CPU-hours, "
              f"{full_cpu / cores / 3600:.2f} h on {cores} idle cores")
    if per_flop:
        lines.add(f"from the largest whole graph (CPU per flop × 2·n²·d): "
                     f"{per_flop[-1] * 2.0 * a.n * a.n * a.d / cores / 3600:.2f} h on {cores} idle "
                     f"cores")
    lines.save(a.md)


if __name__ == "__main__":
    main()
