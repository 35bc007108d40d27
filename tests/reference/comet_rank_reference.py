#!/usr/bin/python3
"""comet_rank_reference.py — the numerical rank of COMET's cross-covariance for
tests/test_comet_rank.c: numpy.linalg.matrix_rank (float64 SVD, numpy's default
tolerance) of (T - mean T)^T (A - mean A) for COCO CLIP (rows L2-normalised, then
rounded to float32 as gapkit holds them), all 500 pairs and the first 20.
The ratio sigma_j / sigma_1 is printed around the cut: the real axes end near
1e-6, the rest is rounding (< 1e-16 here; gapkit's 2^-23 tolerance separates them).

Run from the project root:  /usr/bin/python3 tests/reference/comet_rank_reference.py
"""
import os

import numpy as np

DATA = os.environ.get("GK_SHARED_DATA",
                      os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))


def unit32(x):
    x = np.asarray(x, dtype=np.float64)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32).astype(np.float64)


f = np.load(os.path.join(DATA, "clip-coco-liang", "features_clip.npy"))
t, a = unit32(f[0]), unit32(f[1])
for n in (500, 20):
    c = (t[:n] - t[:n].mean(0)).T @ (a[:n] - a[:n].mean(0))
    s = np.linalg.svd(c, compute_uv=False)
    r = np.linalg.matrix_rank(c)
    print(f"n {n}: matrix_rank {r}; sigma_j/sigma_1 at j = r-1, r: {s[r - 1] / s[0]:.3g} "
          f"{s[r] / s[0]:.3g}")
