#!/usr/bin/python3
"""distributed.py — `gapkit comet fit`, `gapkit similarity --measure cka-linear`
(and cka-unbiased, svcca),
`gapkit knn` (the ring engine), `gapkit similarity --measure nngs`,
`gapkit eval cluster` (k-means, K = 20, 2 restarts, labels i mod 10),
`gapkit similarity --measure cknna`, `gapkit gap --no-separability`,
`gapkit align fit --method procrustes`, `gapkit align apply` (a comet model),
`gapkit eval retrieval --keep-duplicates`, `gapkit eval zeroshot
--keep-duplicates` (50 classes, one prompt each) and `gapkit align fit` (cca;
projdec on the first --knn-n rows) in one process and on MPI ranks (docs/distributed.md), in one run on the same data.

Generates n paired rows (T, A) of dimension d (seeded numpy, float32 .npy in a
temporary directory), then for each command measures the best of --repeat
wall times and the peak RSS of the largest process (RUSAGE_CHILDREN of a
fresh child, which covers mpirun's ranks) of
  * one process, OMP_NUM_THREADS=1 and =2
  * mpirun -n 1 and -n 2, OMP_NUM_THREADS=1 per rank
and checks that every model (comet, align) and kNN list file is byte-identical to the
one-process one.  The kNN commands (O(N²·D)) run on the first --knn-n rows.  On a machine of C cores, P ranks of one thread are the
fair comparison to one process of P threads.

Usage:  /usr/bin/python3 bench/distributed.py --gapkit build/gapkit [--n 200000]
        [--d 512] [--repeat 3] [--ranks 2] [--knn-n 20000] [--only comet,cka,unbiased,svcca,knn,nngs,cluster,cknna,
        gap,procrustes,apply,retrieval,zeroshot,cca,projdec]
"""
import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

MPI = ["mpirun", "--oversubscribe", "--allow-run-as-root", "--bind-to", "none"]


def make_pairs(n, d, seed, directory):
    """T = Z P + noise, A = Z Q + offset + noise, written block by block."""
    rng = np.random.default_rng(seed)
    P = rng.standard_normal((32, d)).astype(np.float32)
    Q = rng.standard_normal((32, d)).astype(np.float32)
    paths = []
    for name, W, off in (("T", P, 0.0), ("A", Q, 0.5)):
        out = np.lib.format.open_memmap(os.path.join(directory, name + ".npy"), mode="w+",
                                        dtype=np.float32, shape=(n, d))
        r2 = np.random.default_rng(seed + 1)
        r3 = np.random.default_rng(seed + (2 if off else 3))
        for s in range(0, n, 50000):
            m = min(n, s + 50000) - s
            z = r2.standard_normal((m, 32)).astype(np.float32)
            out[s:s + m] = z @ W + off + 0.3 * r3.standard_normal((m, d)).astype(np.float32)
        out.flush()
        del out
        paths.append(os.path.join(directory, name + ".npy"))
    return paths


def run_once(argv, threads):
    """(wall seconds, peak RSS MB of the largest process) of argv in a fresh child."""
    code = ("import resource, subprocess, sys, time\n"
            "t = time.perf_counter(); r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
            "w = time.perf_counter() - t\n"
            "print(w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)\n")
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    out = subprocess.run([sys.executable, "-c", code] + argv, env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    if out[2] != "0":
        sys.exit("failed: " + " ".join(argv))
    return float(out[0]), int(out[1]) / 1024.0


def best(argv, threads, repeat):
    runs = [run_once(argv, threads) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gapkit", required=True)
    ap.add_argument("--n", type=int, default=200000)
    ap.add_argument("--d", type=int, default=512)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--ranks", type=int, default=2)
    ap.add_argument("--knn-n", type=int, default=20000)
    ap.add_argument("--only", default="comet,cka,knn,nngs")
    a = ap.parse_args()
    only = a.only.split(",")
    g = os.path.abspath(a.gapkit)
    tmp = tempfile.mkdtemp(prefix="gapkit-dist-")
    try:
        t, x = make_pairs(a.n, a.d, 0, tmp)
        tk, xk = os.path.join(tmp, "Tk.npy"), os.path.join(tmp, "Ak.npy")
        np.save(tk, np.load(t, mmap_mode="r")[:a.knn_n])
        np.save(xk, np.load(x, mmap_mode="r")[:a.knn_n])
        lab = os.path.join(tmp, "labels.txt")
        np.savetxt(lab, np.arange(a.n) % 10, fmt="%d")
        model = os.path.join(tmp, "model.npz")
        if "apply" in only:
            subprocess.run([g, "comet", "fit", t, x, "--k", "100", "--out", model], check=True,
                           stdout=subprocess.DEVNULL)
        prompts, plab = os.path.join(tmp, "P.npy"), os.path.join(tmp, "plabels.txt")
        ilab = os.path.join(tmp, "ilabels.txt")
        np.save(prompts, np.load(x, mmap_mode="r")[:50])
        np.savetxt(plab, np.arange(50), fmt="%d")
        np.savetxt(ilab, np.arange(a.knn_n) % 50, fmt="%d")
        gb = 2 * a.n * a.d * 4 / 1e9
        print(f"n = {a.n}, d = {a.d}: inputs {gb:.2f} GB (T + A), {os.cpu_count()} cores")
        print(f"{'command':<24} {'run':<26} {'wall s':>8} {'peak RSS MB':>12}")
        ref = os.path.join(tmp, "m_ref")
        commands = (("comet", "comet fit --k 100", ["comet", "fit", t, x, "--k", "100", "--out"]),
                    ("cka", "similarity cka-linear", ["similarity", t, x, "--measure",
                                                      "cka-linear"]),
                    ("unbiased", "similarity cka-unbiased", ["similarity", t, x, "--measure",
                                                             "cka-unbiased"]),
                    ("svcca", "similarity svcca", ["similarity", t, x, "--measure", "svcca"]),
                    ("knn", f"knn --k 10 ({a.knn_n} rows)", ["knn", tk, "--k", "10", "--out"]),
                    ("nngs", f"similarity nngs ({a.knn_n})", ["similarity", tk, xk, "--measure",
                                                              "nngs", "--k", "10"]),
                    ("cluster", "eval cluster K=20 R=2", ["eval", "cluster", t, "--labels", lab,
                                                          "--clusters", "20", "--restarts", "2"]),
                    ("cknna", f"similarity cknna ({a.knn_n})", ["similarity", tk, xk,
                                                                "--measure", "cknna", "--k",
                                                                "10"]),
                    ("gap", "gap --no-separability", ["gap", t, x, "--no-separability"]),
                    ("procrustes", "align fit procrustes", ["align", "fit", "--method",
                                                            "procrustes", t, x, "--out"]),
                    ("apply", "align apply (comet)", ["align", "apply", model, "--modality",
                                                      "x", t, "--out"]),
                    ("retrieval", f"eval retrieval ({a.knn_n})", ["eval", "retrieval", tk, xk,
                                                                  "--keep-duplicates",
                                                                  "--bootstrap", "0"]),
                    ("zeroshot", f"eval zeroshot ({a.knn_n})", ["eval", "zeroshot", tk, prompts,
                                                                "--labels", ilab,
                                                                "--prompt-labels", plab,
                                                                "--keep-duplicates",
                                                                "--bootstrap", "0"]),
                    ("cca", "align fit cca --k 64", ["align", "fit", "--method", "cca", "--k",
                                                     "64", t, x, "--out"]),
                    ("projdec", f"align fit projdec ({a.knn_n})", ["align", "fit", "--method",
                                                                   "projdec", tk, xk, "--out"]))
        for key, label, args in commands:
            if key not in only:
                continue
            ext = ".npy" if key in ("knn", "apply") else ".npz"
            runs = [("1 process, 1 thread", [], 1), ("1 process, 2 threads", [], 2)]
            runs += [(f"mpirun -n {p}, 1 thread each", MPI + ["-n", str(p)], 1)
                     for p in range(1, a.ranks + 1)]
            for i, (name, pre, threads) in enumerate(runs):
                out = [os.path.join(tmp, f"m{i}{ext}")] if args[-1] == "--out" else []
                w, rss = best(pre + [g] + args + out, threads, a.repeat)
                print(f"{label:<24} {name:<26} {w:8.2f} {rss:12.0f}")
                if out and i == 0:
                    shutil.copy(out[0], ref + ext)
                elif out:
                    with open(out[0], "rb") as f1, open(ref + ext, "rb") as f2:
                        if f1.read() != f2.read():
                            sys.exit(f"FAIL: the output of '{label}, {name}' differs from "
                                     "one process")
        print("every output file (comet and align models, kNN lists, transformed rows) is "
              "byte-identical to the one-process one")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
