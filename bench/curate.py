#!/usr/bin/python3
"""curate.py — benchmark `gapkit curate` (threshold and top-k pseudo-pairs of
an audio pool against a text pool) against a blocked numpy anchor, in one run
on the same data, with peak memory next to the size of the N×M similarity
matrix that neither builds.

Data (seeded numpy, float32 unit rows written to a temporary directory): both
pools are noisy copies of 1000 shared cluster centres in d dims, so a
threshold keeps a real share of pairs.

Measured, each contender in a fresh process (wall time and peak RSS of the
whole process, loading included, by /usr/bin/time):
  * gapkit curate A T --tau TAU --out P.npy             (threshold)
  * gapkit curate A T --mode topk --k K --out P.npy      (top-k)
  * numpy: S = A[block] @ T.T in blocks of 4096 audio rows, np.nonzero(S >= TAU)
    (threshold) or argpartition (top-k), pairs gathered — the same computation
    without the exact double-precision check at the threshold
The pair counts are compared (they may differ only at cosines within float
rounding of TAU).  Ratios: numpy / gapkit time; gapkit peak RSS / N·M·4 bytes.

Usage:  /usr/bin/python3 bench/curate.py --gapkit build/gapkit [--na 50000]
        [--nt 50000] [--d 512] [--tau 0.6] [--k 5] [--md out.md]
Quick check: --na 10000 --nt 10000.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

NUMPY = """
import sys, numpy as np
a, t = np.load(sys.argv[1]), np.load(sys.argv[2])
mode, val, out = sys.argv[3], float(sys.argv[4]), sys.argv[5]
parts = []
for s in range(0, len(a), 4096):
    S = a[s:s + 4096] @ t.T
    if mode == "threshold":
        i, j = np.nonzero(S >= val)
        parts.append(np.stack([i + s, j, S[i, j]], 1))
    else:
        k = int(val)
        j = np.argpartition(-S, k - 1, axis=1)[:, :k]
        i = np.repeat(np.arange(len(S)), k)
        parts.append(np.stack([i + s, j.ravel(), S[i, j.ravel()]], 1))
np.save(out, np.concatenate(parts).astype(np.float64))
"""


def make_pool(n, d, centres, rng, path):
    x = centres[rng.integers(0, len(centres), n)] + 0.8 * rng.standard_normal((n, d)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    np.save(path, x.astype(np.float32))


def timed(argv):
    """(wall s, peak RSS MB) of one child process, by /usr/bin/time."""
    p = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + argv, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed:\n{p.stderr}")
    wall, rss = p.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gapkit", default="build/gapkit")
    ap.add_argument("--na", type=int, default=50000)
    ap.add_argument("--nt", type=int, default=50000)
    ap.add_argument("--d", type=int, default=512)
    ap.add_argument("--tau", type=float, default=0.6)
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--md", help="also write the table as markdown to this file")
    a = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    pa, pt = os.path.join(tmp.name, "a.npy"), os.path.join(tmp.name, "t.npy")
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((1000, a.d)).astype(np.float32) / np.sqrt(a.d) * 1.5
    make_pool(a.na, a.d, centres * np.sqrt(a.d), rng, pa)
    make_pool(a.nt, a.d, centres * np.sqrt(a.d), rng, pt)
    matrix_mb = a.na * a.nt * 4 / 2**20
    rows = []
    for mode, val, extra in (("threshold", a.tau, ["--tau", str(a.tau)]),
                             ("topk", a.k, ["--mode", "topk", "--k", str(a.k)])):
        og, on = os.path.join(tmp.name, "g.npy"), os.path.join(tmp.name, "n.npy")
        g_t, g_rss = timed([a.gapkit, "curate", pa, pt, "--out", og] + extra)
        n_t, n_rss = timed([sys.executable, "-c", NUMPY, pa, pt, mode, str(val), on])
        pg, pn = len(np.load(og)), len(np.load(on))
        rows.append(f"| {mode} ({'tau' if mode == 'threshold' else 'k'} = {val}) | {pg:,} | {pn:,} "
                    f"| {g_t:.2f} s, {g_rss:.0f} MB | {n_t:.2f} s, {n_rss:.0f} MB "
                    f"| {n_t / g_t:.2f} | {g_rss / matrix_mb:.3f} |")
    lines = [f"audio pool {a.na:,} × text pool {a.nt:,}, d = {a.d}; {os.cpu_count()} cores; "
             f"load average before the run {os.getloadavg()[0]:.1f}; "
             f"the N×M float32 matrix would be {matrix_mb:,.0f} MB", "",
             "| mode | pairs gapkit | pairs numpy | gapkit (wall, peak RSS) | numpy (blocked) "
             "| numpy / gapkit time | gapkit RSS / N·M·4 |", "|---|---|---|---|---|---|---|"] + rows
    print("\n".join(lines))
    if a.md:
        with open(a.md, "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
