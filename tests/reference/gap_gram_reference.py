#!/usr/bin/python3
"""gap_gram_reference.py — float64 reference of the spectral gap diagnostics when
there are fewer rows than dimensions (tests/test_gap_gram.c): effective rank and
participation ratio of each modality's covariance, and the W2 uniformity of the
pooled covariance (methods.md §3: W2 = -sqrt(|mu|^2 + 1 + tr Cp - (2/sqrt D)
sum_i sqrt(lambda_i(Cp))), mu = (mu_x + mu_y)/2, Cp the covariance of the 2N
stacked rows about mu), for COCO CLIP (N = 500 < D = 512) and MSR-VTT VideoCLIP
(N = 100, 2N = 200 < D = 768).  Rows L2-normalised in float64, then rounded to
float32 as gapkit holds them; covariances and eigenvalues (numpy.linalg.eigvalsh)
in float64 on the D x D matrix.

Run from the project root:  /usr/bin/python3 tests/reference/gap_gram_reference.py
"""
import os

import numpy as np

DATA = os.environ.get("GK_SHARED_DATA",
                      os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))


def unit32(x):
    x = np.asarray(x, dtype=np.float64)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32).astype(np.float64)


def erank_pr(lam):
    lam = np.clip(lam, 0, None)
    p = lam / lam.sum()
    p = p[p > 0]
    return np.exp(-(p * np.log(p)).sum()), lam.sum() ** 2 / (lam ** 2).sum()


def cov(a, c):
    return (a - c).T @ (a - c) / len(a)


for name in ("features_clip.npy", "features_videoclip.npy"):
    f = np.load(os.path.join(DATA, "clip-coco-liang", name))
    x, y = unit32(f[0]), unit32(f[1])
    ex, px = erank_pr(np.linalg.eigvalsh(cov(x, x.mean(0))))
    ey, py = erank_pr(np.linalg.eigvalsh(cov(y, y.mean(0))))
    z = np.vstack([x, y])
    mu = z.mean(0)
    lam = np.clip(np.linalg.eigvalsh(cov(z, mu)), 0, None)
    w2 = -np.sqrt(mu @ mu + 1 + lam.sum() - 2 / np.sqrt(x.shape[1]) * np.sqrt(lam).sum())
    print(f"{name}: N {len(x)} D {x.shape[1]} erank_x {ex:.12g} erank_y {ey:.12g} "
          f"pr_x {px:.12g} pr_y {py:.12g} w2 {w2:.12g}")
