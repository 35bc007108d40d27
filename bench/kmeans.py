#!/usr/bin/python3
"""kmeans.py — benchmark gapkit's k-means against scikit-learn KMeans and
faiss.Kmeans, and gapkit's transform application against numpy, in one run
on the same data.

k-means: n seeded unit rows of dimension d drawn around k_true centres
(float32 .npy in a temporary directory) and one fixed set of k initial
centroids (k rows drawn with a seed), so every contender starts from the
same point and runs the same number of Lloyd iterations (n_init = 1, tol = 0):
  * gapkit eval cluster X --labels L --clusters k --init C0 --max-iter I --tol 0
    --no-normalize --json   (wall time of the whole process: loading, k-means,
    scoring; inertia as gapkit reports it: Σ‖x − c‖² after a final assignment)
  * sklearn KMeans(k, init=C0, n_init=1, max_iter=I, tol=0, algorithm="lloyd")
    .fit(X) (fit time only, data already in memory; inertia_)
  * faiss.Kmeans(d, k, niter=I, max_points_per_centroid=n) .train(X,
    init_centroids=C0) (train time only; inertia of its final centroids by an
    exact search, the same definition as the others')
Each contender runs in its own process; peak RSS comes from that process
(os.wait4).  Targets: gapkit time <= the faster of sklearn and faiss, at an
inertia <= theirs (+0.1 % for float rounding).

Transforms: a 512×512 Procrustes model fitted by `gapkit align fit` on 20,000
rows, applied by `gapkit align apply` to R rows (default 1,000,000) from a
.npy to a .npy, against numpy doing the same arithmetic with the model's
arrays: load, (X − μ) W, normalise rows, save and fsync (gapkit writes its
output atomically: temporary file, fsync, rename).  Rows per second both ways.

Usage:  /usr/bin/python3 bench/kmeans.py --gapkit build/gapkit [--n 200000]
        [--d 512] [--k 100] [--iters 20] [--rows 1000000] [--md out.md]
Quick check: --n 20000 --rows 100000.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np


def unit(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def make_data(n, d, k_true, seed, directory):
    """Unit rows around k_true random centres; labels = the centre of each row."""
    rng = np.random.default_rng(seed)
    centres = unit(rng.standard_normal((k_true, d)).astype(np.float32))
    X = np.lib.format.open_memmap(os.path.join(directory, "X.npy"), mode="w+",
                                  dtype=np.float32, shape=(n, d))
    labels = rng.integers(0, k_true, n)
    for s in range(0, n, 50000):
        e = min(n, s + 50000)
        block = centres[labels[s:e]] + 0.08 * rng.standard_normal((e - s, d)).astype(np.float32)
        X[s:e] = unit(block)
    X.flush()
    with open(os.path.join(directory, "labels.txt"), "w") as f:
        f.write("\n".join(str(v) for v in labels))
    return os.path.join(directory, "X.npy"), os.path.join(directory, "labels.txt")


def child_rss(cmd):
    """Runs cmd in a fresh process with wait4: (wall s, peak RSS MB, stdout)."""
    r, w = os.pipe()
    t = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.dup2(w, 1)
        os.execv(cmd[0], cmd)
    os.close(w)
    chunks = []
    while True:
        b = os.read(r, 65536)
        if not b:
            break
        chunks.append(b)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t
    os.close(r)
    if status != 0:
        sys.exit(f"{' '.join(cmd[:3])}… failed with status {status}")
    return wall, ru.ru_maxrss / 1024.0, b"".join(chunks).decode()


# ---- workers (run in their own process by child_rss) ----

def worker_sklearn(x_path, c0_path, iters):
    from sklearn.cluster import KMeans
    X, C0 = np.load(x_path), np.load(c0_path)
    t = time.perf_counter()
    km = KMeans(n_clusters=C0.shape[0], init=C0, n_init=1, max_iter=iters, tol=0,
                algorithm="lloyd").fit(X)
    print(json.dumps({"seconds": time.perf_counter() - t, "inertia": float(km.inertia_),
                      "iterations": int(km.n_iter_)}))


def worker_faiss(x_path, c0_path, iters):
    import faiss
    X, C0 = np.load(x_path), np.load(c0_path)
    n, d = X.shape
    t = time.perf_counter()
    km = faiss.Kmeans(d, C0.shape[0], niter=iters, nredo=1, verbose=False,
                      max_points_per_centroid=n, seed=1)
    km.train(X, init_centroids=C0)
    sec = time.perf_counter() - t
    index = faiss.IndexFlatL2(d)
    index.add(km.centroids)
    D, _ = index.search(X, 1)
    print(json.dumps({"seconds": sec, "inertia": float(D.astype(np.float64).sum()),
                      "iterations": iters}))


def worker_numpy_apply(model_path, x_path, out_path):
    t = time.perf_counter()
    m = np.load(model_path)
    X = np.load(x_path, mmap_mode="r")
    mu, W = m["offset_0"][0], m["proj_0"]
    out = np.lib.format.open_memmap(out_path, mode="w+", dtype=np.float32, shape=X.shape)
    for s in range(0, X.shape[0], 65536):
        Y = (X[s:s + 65536] - mu) @ W
        Y /= np.linalg.norm(Y, axis=1, keepdims=True)
        out[s:s + 65536] = Y
    out.flush()
    del out
    with open(out_path, "rb+") as f:  # gapkit's writer fsyncs before renaming: same durability
        os.fsync(f.fileno())
    print(json.dumps({"seconds": time.perf_counter() - t}))


def py(args):
    return [sys.executable, os.path.abspath(__file__), "--worker"] + args


def bench_kmeans(a, tmp):
    x_path, l_path = make_data(a.n, a.d, a.k, a.seed, tmp)
    X = np.load(x_path, mmap_mode="r")
    rng = np.random.default_rng(a.seed + 1)
    C0 = np.ascontiguousarray(X[np.sort(rng.choice(a.n, a.k, replace=False))])
    c0_path = os.path.join(tmp, "C0.npy")
    np.save(c0_path, C0)
    res = {}
    wall, rss, out = child_rss([a.gapkit, "eval", "cluster", x_path, "--labels", l_path,
                                "--clusters", str(a.k), "--init", c0_path, "--max-iter",
                                str(a.iters), "--tol", "0", "--no-normalize", "--json"])
    j = json.loads(out)
    res["gapkit"] = {"seconds": wall, "inertia": j["inertia"], "rss": rss}
    for name in ("sklearn", "faiss"):
        wall, rss, out = child_rss(py([name, x_path, c0_path, str(a.iters)]))
        res[name] = dict(json.loads(out), rss=rss, wall=wall)
    return res


def bench_apply(a, tmp):
    rng = np.random.default_rng(a.seed + 2)
    d = a.d
    P = np.linalg.qr(rng.standard_normal((d, d)))[0].astype(np.float32)
    fit_x = unit(rng.standard_normal((20000, d)).astype(np.float32))
    fit_y = unit(fit_x @ P + 0.1 * rng.standard_normal((20000, d)).astype(np.float32))
    np.save(os.path.join(tmp, "fx.npy"), fit_x)
    np.save(os.path.join(tmp, "fy.npy"), fit_y)
    model = os.path.join(tmp, "proc.npz")
    subprocess.run([a.gapkit, "align", "fit", "--method", "procrustes", os.path.join(tmp, "fx.npy"),
                    os.path.join(tmp, "fy.npy"), "--out", model], check=True,
                   stdout=subprocess.DEVNULL)
    big = np.lib.format.open_memmap(os.path.join(tmp, "big.npy"), mode="w+", dtype=np.float32,
                                    shape=(a.rows, d))
    for s in range(0, a.rows, 100000):
        e = min(a.rows, s + 100000)
        big[s:e] = unit(rng.standard_normal((e - s, d)).astype(np.float32))
    big.flush()
    del big
    big_path = os.path.join(tmp, "big.npy")
    res = {}
    wall, rss, _ = child_rss([a.gapkit, "align", "apply", model, "--modality", "x", big_path,
                              "--out", os.path.join(tmp, "g.npy"), "--no-normalize"])
    res["gapkit"] = {"seconds": wall, "rss": rss}
    wall, rss, out = child_rss(py(["numpy_apply", model, big_path, os.path.join(tmp, "n.npy")]))
    res["numpy"] = dict(json.loads(out), rss=rss, wall=wall)
    g = np.load(os.path.join(tmp, "g.npy"), mmap_mode="r")
    n = np.load(os.path.join(tmp, "n.npy"), mmap_mode="r")
    res["maxdiff"] = float(max(np.abs(g[s:s + 100000] - n[s:s + 100000]).max()
                               for s in range(0, a.rows, 100000)))
    return res


def report(a, km, ap):
    lines = []
    best = min(km["sklearn"]["seconds"], km["faiss"]["seconds"])
    best_inertia = min(km["sklearn"]["inertia"], km["faiss"]["inertia"])
    lines.append(f"k-means n = {a.n:,}, d = {a.d}, k = {a.k}, {a.iters} Lloyd iterations, "
                 f"one fixed initialisation\n")
    lines.append("| contender | time (s) | inertia | peak RSS (MB) | note |")
    lines.append("|---|---|---|---|---|")
    g = km["gapkit"]
    lines.append(f"| gapkit eval cluster | {g['seconds']:.2f} | {g['inertia']:.2f} | "
                 f"{g['rss']:.0f} | whole process (load, k-means, scores) |")
    for name in ("sklearn", "faiss"):
        r = km[name]
        lines.append(f"| {name} | {r['seconds']:.2f} | {r['inertia']:.2f} | {r['rss']:.0f} | "
                     f"fit only (process {r['wall']:.2f} s) |")
    ok_t = g["seconds"] <= best
    ok_i = g["inertia"] <= best_inertia * 1.001
    lines.append("")
    lines.append("| ratio | value | target | ok |")
    lines.append("|---|---|---|---|")
    lines.append(f"| faster of sklearn/faiss time / gapkit time | {best / g['seconds']:.2f} | "
                 f">= 1 | {'yes' if ok_t else 'NO'} |")
    lines.append(f"| gapkit inertia / best other inertia | {g['inertia'] / best_inertia:.5f} | "
                 f"<= 1.001 | {'yes' if ok_i else 'NO'} |")
    gs, ns = ap["gapkit"]["seconds"], ap["numpy"]["seconds"]
    lines.append("")
    lines.append(f"Transform application: {a.rows:,} rows × {a.d}, Procrustes {a.d}×{a.d}, "
                 f".npy → .npy (max |gapkit − numpy| = {ap['maxdiff']:.2g})\n")
    lines.append("| contender | time (s) | rows/s | peak RSS (MB) |")
    lines.append("|---|---|---|---|")
    lines.append(f"| gapkit align apply | {gs:.2f} | {a.rows / gs:,.0f} | {ap['gapkit']['rss']:.0f} |")
    lines.append(f"| numpy (load, (X−μ)W, normalise, save, fsync) | {ns:.2f} | {a.rows / ns:,.0f} | "
                 f"{ap['numpy']['rss']:.0f} |")
    lines.append(f"\nnumpy time / gapkit time = {ns / gs:.2f}")
    return "\n".join(lines)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        w, args = sys.argv[2], sys.argv[3:]
        if w == "sklearn":
            return worker_sklearn(args[0], args[1], int(args[2]))
        if w == "faiss":
            return worker_faiss(args[0], args[1], int(args[2]))
        return worker_numpy_apply(*args)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gapkit", required=True)
    ap.add_argument("--n", type=int, default=200000)
    ap.add_argument("--d", type=int, default=512)
    ap.add_argument("--k", type=int, default=100)
    ap.add_argument("--iters", type=int, default=20)
    ap.add_argument("--rows", type=int, default=1000000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--md")
    a = ap.parse_args()
    a.gapkit = os.path.abspath(a.gapkit)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cpus, "
          f"numpy {np.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        km = bench_kmeans(a, tmp)
        ap_res = bench_apply(a, tmp)
    text = report(a, km, ap_res)
    print(text)
    if a.md:
        with open(a.md, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
