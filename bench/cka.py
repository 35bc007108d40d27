#!/usr/bin/python3
"""cka.py — benchmark `gapkit similarity --measure cka-linear` against numpy, in
one run on the same data.

Generates X and Y, (n, d) float32 with a fixed seed (Y = X R / 2 + noise, so
the spaces are related), saved as .npy in a temporary directory under --tmp
(2 GB each at n = 1,000,000, d = 512; deleted at the end), then measures, each
in a fresh child process (wall time and the child's peak RSS):
  * gapkit similarity X Y --measure cka-linear --no-normalize --json
    (memory-mapped input, blocked centred cross-products, O(n d^2))
  * numpy, feature space: load both arrays, centre in place (float32),
    ||Yc^T Xc||_F^2 / (||Xc^T Xc||_F ||Yc^T Yc||_F) with float32 matmuls
  * numpy, the textbook n x n Gram (HSIC) form on the first --gram-n rows
    (float64 K = X X^T and L = Y Y^T, K centred in place, tr(KHLH)/sqrt(...):
    2 n^2 doubles, 6.4 GB at n = 20,000), and gapkit
    on the same rows; the Gram form's cost at the full n is extrapolated as
    n^2 (time) and 2 n^2 floats (memory).
Checks that every contender gives the same CKA (to 1e-5).  Prints the numbers
and, with --md FILE, a markdown table.

Usage:  /usr/bin/python3 bench/cka.py --gapkit build/gapkit [--n 1000000] [--d 512]
        [--gram-n 20000] [--tmp /tmp] [--md out.md]
Quick check: --n 50000 --gram-n 5000.
"""
import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

CHUNK = 50000


def make_data(n, d, seed, directory):
    """X ~ N(0,1) + a per-column offset; Y = X R / 2 + N(0,1): related spaces."""
    rng = np.random.default_rng(seed)
    R = rng.standard_normal((d, d)).astype(np.float32) / np.sqrt(d)
    offset = rng.standard_normal(d).astype(np.float32)
    paths = [os.path.join(directory, f) for f in ("X.npy", "Y.npy")]
    X = np.lib.format.open_memmap(paths[0], mode="w+", dtype=np.float32, shape=(n, d))
    Y = np.lib.format.open_memmap(paths[1], mode="w+", dtype=np.float32, shape=(n, d))
    for s in range(0, n, CHUNK):
        e = min(n, s + CHUNK)
        x = rng.standard_normal((e - s, d), dtype=np.float32) + offset
        X[s:e] = x
        Y[s:e] = x @ R / 2 + rng.standard_normal((e - s, d), dtype=np.float32)
    X.flush(), Y.flush()
    del X, Y
    return paths


def head_rows(paths, m, directory):
    out = []
    for p in paths:
        q = os.path.join(directory, "head_" + os.path.basename(p))
        np.save(q, np.load(p, mmap_mode="r")[:m])
        out.append(q)
    return out


def child(cmd):
    """Runs cmd in a fresh wrapper process: (wall s, peak RSS MB of cmd, stdout)."""
    wrapper = ("import resource,subprocess,sys,time,json;t=time.perf_counter();"
               "r=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
               "w=time.perf_counter()-t;"
               "print(json.dumps([w,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
               "r.stdout,r.stderr,r.returncode]))")
    out = subprocess.run([sys.executable, "-c", wrapper] + cmd, capture_output=True, text=True,
                         check=True)
    wall, rss_kb, stdout, stderr, rc = json.loads(out.stdout)
    if rc != 0:
        raise RuntimeError(f"{cmd[0]} failed ({rc}): {stderr}")
    return wall, rss_kb / 1024, stdout


def worker_feature(x, y):
    t0 = time.perf_counter()
    X, Y = np.load(x), np.load(y)
    t1 = time.perf_counter()
    X -= X.mean(0)
    Y -= Y.mean(0)
    v = np.linalg.norm(Y.T @ X) ** 2 / (np.linalg.norm(X.T @ X) * np.linalg.norm(Y.T @ Y))
    t2 = time.perf_counter()
    print(json.dumps({"value": float(v), "load": t1 - t0, "compute": t2 - t1}))


def centre_gram(K):
    """H K H in place: subtract row means, then column means."""
    K -= K.mean(1, keepdims=True)
    K -= K.mean(0, keepdims=True)
    return K


def worker_gram(x, y):
    t0 = time.perf_counter()
    X, Y = np.load(x).astype(np.float64), np.load(y).astype(np.float64)
    t1 = time.perf_counter()
    K = centre_gram(X @ X.T)
    L = Y @ Y.T
    v = np.vdot(K, L) / np.sqrt(np.vdot(K, K) * np.vdot(centre_gram(L), L))
    t2 = time.perf_counter()
    print(json.dumps({"value": float(v), "load": t1 - t0, "compute": t2 - t1}))


def run_gapkit(gapkit, x, y):
    wall, rss, out = child([gapkit, "similarity", x, y, "--measure", "cka-linear",
                            "--no-normalize", "--json"])
    return wall, rss, json.loads(out)["results"][0]["value"]


def run_numpy(kind, x, y):
    wall, rss, out = child([sys.executable, os.path.abspath(__file__), "--worker", kind, x, y])
    return wall, rss, json.loads(out)


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GB RAM, numpy {np.__version__}, " \
           f"Python {platform.python_version()}"


def bench(a, tmp):
    t = time.perf_counter()
    x, y = make_data(a.n, a.d, a.seed, tmp)
    gen = time.perf_counter() - t
    gb = 2 * a.n * a.d * 4 / 2**30
    rows = []
    g_wall, g_rss, g_val = run_gapkit(a.gapkit, x, y)
    rows.append(("gapkit cka-linear", a.n, g_wall, None, g_rss, g_val))
    n_wall, n_rss, n = run_numpy("feature", x, y)
    rows.append(("numpy feature space", a.n, n_wall, n["compute"], n_rss, n["value"]))
    m = min(a.gram_n, a.n)
    hx, hy = head_rows((x, y), m, tmp)
    gm_wall, gm_rss, gm_val = run_gapkit(a.gapkit, hx, hy)
    rows.append(("gapkit cka-linear", m, gm_wall, None, gm_rss, gm_val))
    k_wall, k_rss, k = run_numpy("gram", hx, hy)
    rows.append(("numpy n x n Gram form", m, k_wall, k["compute"], k_rss, k["value"]))
    return gen, gb, rows, m


def duration(s):
    return f"{s / 3600:.1f} h" if s > 3600 else f"{s:.1f} s"


def report(a, gen, gb, rows, m):
    lines = [f"Machine: {machine()}.",
             f"Data: X, Y = ({a.n}, {a.d}) float32, {gb:.2f} GB together, seed {a.seed} "
             f"(generated in {gen:.1f} s).", "",
             "| contender | n | wall (s) | compute only (s) | peak RSS (MB) | CKA |",
             "|---|---|---|---|---|---|"]
    for name, n, wall, comp, rss, val in rows:
        c = f"{comp:.2f}" if comp is not None else "-"
        lines.append(f"| {name} | {n} | {wall:.2f} | {c} | {rss:.0f} | {val:.7f} |")
    g, f, gm, k = rows
    scale = (a.n / m) ** 2
    lines += ["", "| ratio | value |", "|---|---|",
              f"| numpy feature space / gapkit, wall, n = {a.n} | {f[2] / g[2]:.2f} |",
              f"| numpy feature space peak RSS / gapkit peak RSS | {f[4] / g[4]:.2f} |",
              f"| numpy Gram form / gapkit, wall, n = {m} | {k[2] / gm[2]:.2f} |",
              f"| numpy Gram form at n = {a.n}, extrapolated (x (n/{m})^2) | "
              f"{duration(k[3] * scale)}, {2 * a.n**2 * 8 / 2**30:.0f} GB for K and L |",
              f"| \\|CKA gapkit − numpy feature\\| | {abs(g[5] - f[5]):.2e} |",
              f"| \\|CKA gapkit − numpy Gram\\| (n = {m}) | {abs(gm[5] - k[5]):.2e} |"]
    text = "\n".join(lines)
    print(text)
    if a.md:
        with open(a.md, "w") as fh:
            fh.write(text + "\n")
    ok = abs(g[5] - f[5]) < 1e-5 and abs(gm[5] - k[5]) < 1e-5
    print("values agree" if ok else "VALUES DISAGREE")
    return 0 if ok else 1


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        {"feature": worker_feature, "gram": worker_gram}[sys.argv[2]](sys.argv[3], sys.argv[4])
        return 0
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--gapkit", required=True)
    p.add_argument("--n", type=int, default=1000000)
    p.add_argument("--d", type=int, default=512)
    p.add_argument("--gram-n", type=int, default=20000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--tmp", default="/tmp")
    p.add_argument("--md")
    a = p.parse_args()
    a.gapkit = os.path.abspath(a.gapkit)
    tmp = tempfile.mkdtemp(prefix="gapkit-cka-bench-", dir=a.tmp)
    try:
        return report(a, *bench(a, tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
