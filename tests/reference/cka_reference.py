#!/usr/bin/python3
"""Reference values for tests/test_cka.c: the CKA family on ../shared/data,
computed independently in float64 with numpy/scipy (textbook N x N Gram forms,
scipy's Procrustes, SVD + QR for SVCCA), not with gapkit's feature-space
formulas.

Run from the repository root:  /usr/bin/python3 tests/reference/cka_reference.py
Rows are L2-normalised as gapkit's loader does (norm in float64, quotient
stored as float32), then everything is float64.
"""
import numpy as np
import scipy.linalg
import scipy.spatial
from scipy.spatial.distance import pdist, squareform

D = "../shared/data"


def load(path, view=None):
    a = np.load(f"{D}/{path}")
    if view is not None:
        a = a[view]
    n = np.linalg.norm(a.astype(np.float64), axis=1, keepdims=True)
    return (a / n).astype(np.float32).astype(np.float64)


def esc_pairs():
    audio = load("esc50-clap/audio.npy")
    text = load("esc50-clap/class_text.npy")
    names = open(f"{D}/esc50-clap/class_names.txt").read().split("\n")
    import csv
    rows = list(csv.DictReader(open(f"{D}/esc50-clap/meta.csv")))
    idx = [names.index(r["class_name"]) for r in rows]
    return audio, text[idx]


def centre_gram(K):
    n = K.shape[0]
    H = np.eye(n) - 1.0 / n
    return H @ K @ H


def hsic_biased(K, L):
    n = K.shape[0]
    return np.sum(centre_gram(K) * L) / (n - 1) ** 2


def hsic_unbiased(K, L):
    # Song et al. 2012, eq. 5, as platonic-rep's hsic_unbiased
    m = K.shape[0]
    K = K.copy()
    L = L.copy()
    np.fill_diagonal(K, 0)
    np.fill_diagonal(L, 0)
    return (np.sum(K * L.T) + K.sum() * L.sum() / ((m - 1) * (m - 2))
            - 2 * np.sum(K @ L) / (m - 2)) / (m * (m - 3))


def cka(K, L, hsic):
    return hsic(K, L) / np.sqrt(hsic(K, K) * hsic(L, L))


def rbf(X, factor):
    d2 = squareform(pdist(X, "sqeuclidean"))
    sigma = factor * np.median(pdist(X))
    return np.exp(-d2 / (2 * sigma**2)), sigma


def svcca(X, Y, share=0.99, dims=None):
    def reduce(A):
        Ac = A - A.mean(0)
        _, s, vt = np.linalg.svd(Ac, full_matrices=False)
        var = s**2
        if dims:
            k = dims
        else:
            k = int(np.searchsorted(np.cumsum(var) / var.sum(), share) + 1)
        return Ac @ vt[:k].T, k
    Xr, kx = reduce(X)
    Yr, ky = reduce(Y)
    qx, _ = np.linalg.qr(Xr)
    qy, _ = np.linalg.qr(Yr)
    rho = np.linalg.svd(qx.T @ qy, compute_uv=False)
    return rho.mean(), kx, ky, rho


def procrustes(X, Y):
    Xc = X - X.mean(0)
    Yc = Y - Y.mean(0)
    Xc /= np.linalg.norm(Xc)
    Yc /= np.linalg.norm(Yc)
    w = max(X.shape[1], Y.shape[1])
    Xp = np.pad(Xc, ((0, 0), (0, w - X.shape[1])))
    Yp = np.pad(Yc, ((0, 0), (0, w - Y.shape[1])))
    R, _ = scipy.linalg.orthogonal_procrustes(Xp, Yp)
    dist = np.sum((Xp @ R - Yp) ** 2)
    sim = 1 - dist / 2
    if X.shape[1] == Y.shape[1]:  # scipy's disparity fits a scale too: 1 - sim^2
        _, _, disparity = scipy.spatial.procrustes(X, Y)
        assert abs(disparity - (1 - sim**2)) < 1e-9, (disparity, sim)
    return sim, dist


def report(name, X, Y, rbf_n=None, svcca_dims=None):
    K, L = X @ X.T, Y @ Y.T
    print(f"== {name}: N = {X.shape[0]}, Dx = {X.shape[1]}, Dy = {Y.shape[1]}")
    print(f"cka-linear          {cka(K, L, hsic_biased):.10f}")
    print(f"cka-unbiased        {cka(K, L, hsic_unbiased):.10f}")
    Kr, sx = rbf(X, 1.0)
    Lr, sy = rbf(Y, 1.0)
    print(f"cka-rbf f=1         {cka(Kr, Lr, hsic_biased):.10f}  sigma {sx:.10f} {sy:.10f}")
    print(f"cka-rbf f=1 unbiased {cka(Kr, Lr, hsic_unbiased):.10f}")
    Kr, _ = rbf(X, 0.5)
    Lr, _ = rbf(Y, 0.5)
    print(f"cka-rbf f=0.5       {cka(Kr, Lr, hsic_biased):.10f}")
    try:
        v, kx, ky, _ = svcca(X, Y)
        ok = kx + ky < X.shape[0]
        print(f"svcca 0.99          {v:.10f}  kx {kx} ky {ky}{'' if ok else ' (kx+ky >= N)'}")
    except np.linalg.LinAlgError as e:
        print("svcca failed", e)
    if svcca_dims:
        v, kx, ky, _ = svcca(X, Y, dims=svcca_dims)
        print(f"svcca dims={svcca_dims}       {v:.10f}")
    sim, dist = procrustes(X, Y)
    print(f"procrustes          {sim:.10f}  distance {dist:.10f}")


def main():
    a, t = esc_pairs()
    report("ESC-50 audio vs class prompt of each clip", a, t, svcca_dims=20)
    report("COCO image vs caption (CLIP)", load("clip-coco-liang/features_clip.npy", 0),
           load("clip-coco-liang/features_clip.npy", 1), svcca_dims=20)
    report("COCO image: CLIP vs CLIP-random", load("clip-coco-liang/features_clip.npy", 0),
           load("clip-coco-liang/features_clip_random.npy", 0), svcca_dims=20)
    report("ESC-50 class prompts: CLAP (512) vs M2D-CLAP (768)",
           load("esc50-clap/class_text.npy"), load("esc50-clap/class_text_m2d.npy"),
           svcca_dims=10)


if __name__ == "__main__":
    main()
