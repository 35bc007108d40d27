#!/usr/bin/python3
"""plssvd_reference.py — reference numbers for tests/test_comet_ref.c and
tests/test_gap_ref.c, computed independently with numpy/scikit-learn/scipy in
float64.

Data: ../shared/data/clip-coco-liang/features_clip.npy (2, 500, 512), CLIP
ViT-B/16 on 500 COCO image-caption pairs.  X = image side [0], Y = text side
[1], every row L2-normalised.

COMET = PLS-SVD without scaling: sklearn PLSSVD(n_components=10, scale=False)
gives x_weights_ (U) and y_weights_ (V), sign-fixed by svd_flip (u-based).
PLSSVD does not expose the singular values; they are the singular values of
the centred cross-product M = Xcᵀ Yc (no 1/n), computed here with
scipy.linalg.svd and checked to belong to the same vectors (u_jᵀ M v_j = σ_j).

Gap references (unit rows, float64): cone = mean off-diagonal cosine within a
modality; non-pair cosine = mean over i≠j of x_i·y_j; effective rank =
exp(entropy of the normalised eigenvalues of the 1/n covariance);
participation ratio = (Σλ)²/Σλ².

Run:  /usr/bin/python3 tests/reference/plssvd_reference.py
"""
import os
import sys

import numpy as np
import scipy.linalg
from sklearn.cross_decomposition import PLSSVD

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "shared", "data")


def unit(a):
    a = a.astype(np.float64)
    return a / np.linalg.norm(a, axis=1, keepdims=True)


def plssvd(X, Y, k=10):
    pls = PLSSVD(n_components=k, scale=False).fit(X, Y)
    U, V = pls.x_weights_, pls.y_weights_
    Xc, Yc = X - X.mean(0), Y - Y.mean(0)
    M = Xc.T @ Yc
    s = scipy.linalg.svd(M, compute_uv=False)[:k]
    assert np.allclose(np.einsum("ij,ij->j", U, M @ V), s, rtol=1e-9), "vectors/values differ"
    return U, V, s


def spectrum_stats(A):
    Ac = A - A.mean(0)
    lam = np.clip(np.linalg.eigvalsh(Ac.T @ Ac / len(A)), 0, None)
    p = lam / lam.sum()
    p = p[p > 0]
    return np.exp(-(p * np.log(p)).sum()), lam.sum() ** 2 / (lam ** 2).sum()


def gap_refs(X, Y):
    n = len(X)
    G = X @ Y.T
    cone = lambda A: ((A @ A.T).sum() - np.trace(A @ A.T)) / (n * (n - 1))
    return {
        "gap": np.linalg.norm(X.mean(0) - Y.mean(0)),
        "cos_true": np.trace(G) / n,
        "cos_nonpair": (G.sum() - np.trace(G)) / (n * (n - 1)),
        "cone_x": cone(X), "cone_y": cone(Y),
        "erank_pr_x": spectrum_stats(X), "erank_pr_y": spectrum_stats(Y),
    }


def main():
    f = np.load(os.path.join(DATA, "clip-coco-liang", "features_clip.npy"))
    X, Y = unit(f[0]), unit(f[1])
    U, V, s = plssvd(X, Y)
    np.set_printoptions(precision=10, suppress=False)
    print("sigma[0:10] =", ", ".join("%.8g" % v for v in s))
    for j in (0, 1, 9):
        print("U[:5, %d] =" % j, ", ".join("%.8g" % v for v in U[:5, j]))
        print("V[:5, %d] =" % j, ", ".join("%.8g" % v for v in V[:5, j]))
        i = np.argmax(np.abs(U[:, j]))
        print("  largest |U[:, %d]| at row %d = %.8g" % (j, i, U[i, j]))
    for key, v in gap_refs(X, Y).items():
        print(key, "=", v)
    return 0


if __name__ == "__main__":
    sys.exit(main())
