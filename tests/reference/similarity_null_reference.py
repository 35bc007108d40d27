#!/usr/bin/python3
"""similarity_null_reference.py — reference numbers for tests/cli/similarity_null.sh:
`gapkit similarity --null 19 --seed 3` on COCO CLIP (features_clip.npy, rows
L2-normalised), for linear CKA and mutual k-NN (k = 10, cosine, self excluded,
ties by lower index).

Run from the project root:  /usr/bin/python3 tests/reference/similarity_null_reference.py
The 19 shuffled pairings are regenerated from the seed by stats_reference.py's
independent copy of gapkit's RNG (Fisher-Yates from the last index down); the
measures are numpy float64 (linear CKA as Kornblith et al. 2019; mutual k-NN as
platonic-rep's mutual_knn).
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from stats_reference import linear_cka, perms  # noqa: E402

DATA = os.environ.get("GK_SHARED_DATA",
                      os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))


def knn(x, k):
    s = x @ x.T
    n = len(x)
    np.fill_diagonal(s, -np.inf)
    return [set(np.lexsort((np.arange(n), -s[i]))[:k]) for i in range(n)]


def mutual_knn(x, y, k=10):
    a, b = knn(x, k), knn(y, k)
    return np.mean([len(a[i] & b[i]) / k for i in range(len(x))])


def report(name, f, x, y, pp):
    obs = f(x, y)
    null = np.array([f(x, y[p]) for p in pp])
    mu, sd = null.mean(), null.std(ddof=1)
    p = (1 + np.sum(null >= obs)) / (len(pp) + 1)
    print(f"{name}: observed {obs:.10f} null_mean {mu:.10f} null_sd {sd:.10f} "
          f"calibrated {(obs - mu) / (1 - mu):.10f} z {(obs - mu) / sd:.6f} p_value {p:.10f}")


def main():
    f = np.load(os.path.join(DATA, "clip-coco-liang", "features_clip.npy")).astype(np.float64)
    x = f[0] / np.linalg.norm(f[0], axis=1, keepdims=True)
    y = f[1] / np.linalg.norm(f[1], axis=1, keepdims=True)
    pp = perms(len(x), 19, 3)
    report("cka-linear", linear_cka, x, y, pp)
    report("mutual-knn", mutual_knn, x, y, pp)


if __name__ == "__main__":
    main()
