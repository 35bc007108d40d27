#!/usr/bin/python3
"""nngs_reference.py — independent float64 reference numbers for the
neighbourhood similarity tests (tests/test_nngs.c, tests/cli/similarity.sh).

Run from the project root:  /usr/bin/python3 tests/reference/nngs_reference.py
Data: ../shared/data (override with GK_SHARED_DATA).  Needs numpy and scikit-learn.

Everything is brute force on full N x N float64 distance matrices, written from
the definitions of include/gapkit/nngs.h (methods.md §3), independently of the C
code:
  - N_k(i): the k nearest OTHER rows of row i (diagonal set to +inf), ties by
    lower index (a stable argsort of the distances);
  - NNGS raw = mean_i |N^X ∩ N^Y| / |N^X ∪ N^Y|, chance H(k) = k/(2(N-1)-k),
    normalised (raw - H)/(1 - H);
  - mutual / cycle k-NN and CKNNA exactly as platonic-rep's metrics.py (dense
    masks, hsic_unbiased), CKNNA without platonic-rep's +1e-6 (printed too);
  - the spectrum (TAS) at every k by direct set intersection of the sorted
    orders for a few k, to check the O(N^2) histogram method of the C code.
The neighbour lists of the COCO features (no duplicate rows) are checked against
scikit-learn NearestNeighbors(algorithm="brute").
Inputs are the raw float32 arrays (no row normalisation): the C tests load them
with normalize = 0; cosine distance normalises inside.
"""
import os

import numpy as np
from scipy.stats import hypergeom
from sklearn.neighbors import NearestNeighbors

DATA = os.environ.get("GK_SHARED_DATA",
                      os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))


def dist_matrix(x, metric):
    x = np.asarray(x, dtype=np.float64)
    if metric == "euclidean":  # from the differences, in blocks of rows to bound memory
        d2 = np.empty((len(x), len(x)))
        for s in range(0, len(x), 16):
            d2[s:s + 16] = ((x[s:s + 16, None, :] - x[None, :, :]) ** 2).sum(-1)
        return np.sqrt(d2)
    if metric == "cosine":
        u = x / np.linalg.norm(x, axis=1, keepdims=True)
        return 1.0 - u @ u.T
    if metric == "ip":
        return -(x @ x.T)
    raise ValueError(metric)


def orders(x, metric):
    """(N, N-1) every row's other rows by (distance, index)."""
    d = dist_matrix(x, metric)
    np.fill_diagonal(d, np.inf)
    return np.argsort(d, axis=1, kind="stable")[:, :-1]


def nngs(ox, oy, k):
    n = len(ox)
    inter = np.array([len(np.intersect1d(ox[i, :k], oy[i, :k])) for i in range(n)])
    raw = np.mean(inter / (2 * k - inter))
    h = k / (2 * (n - 1) - k)
    return raw, h, (raw - h) / (1 - h), inter


def mutual_knn(ox, oy, k):
    n = len(ox)
    a = np.zeros((n, n))
    b = np.zeros((n, n))
    r = np.arange(n)[:, None]
    a[r, ox[:, :k]] = 1
    b[r, oy[:, :k]] = 1
    return ((a * b).sum(1) / k).mean()


def cycle_knn(ox, oy, k):
    kx, ky = ox[:, :k], oy[:, :k]
    n = len(ox)
    return np.mean([(kx[ky[i]] == i).any() for i in range(n)])


def hsic_unbiased(K, L):
    m = K.shape[0]
    Kt = K.copy()
    Lt = L.copy()
    np.fill_diagonal(Kt, 0)
    np.fill_diagonal(Lt, 0)
    v = (Kt * Lt.T).sum() + Kt.sum() * Lt.sum() / ((m - 1) * (m - 2)) - 2 * (Kt @ Lt).sum() / (m - 2)
    return v / (m * (m - 3))


def cknna(x, y, k):
    """platonic-rep cknna on unit rows (cosine kernels), topk by the kernel."""
    def unit(a):
        a = np.asarray(a, dtype=np.float64)
        return a / np.linalg.norm(a, axis=1, keepdims=True)
    K, L = unit(x) @ unit(x).T, unit(y) @ unit(y).T
    n = len(K)

    def mask(M):
        Mh = M.copy()
        np.fill_diagonal(Mh, -np.inf)
        idx = np.argsort(-Mh, axis=1, kind="stable")[:, :k]
        out = np.zeros((n, n))
        out[np.arange(n)[:, None], idx] = 1
        return out

    mk, ml = mask(K), mask(L)
    kl = hsic_unbiased(mk * ml * K, mk * ml * L)
    kk = hsic_unbiased(mk * K, mk * K)
    ll = hsic_unbiased(ml * L, ml * L)
    return kl / np.sqrt(kk * ll), kl / (np.sqrt(kk * ll) + 1e-6), (kl, kk, ll)


def report(name, x, y, ks, spectrum_ks):
    print(f"== {name}: N = {len(x)}, dims {x.shape[1]} / {y.shape[1]}")
    for metric in ("euclidean", "cosine"):
        ox, oy = orders(x, metric), orders(y, metric)
        for k in ks:
            raw, h, norm, _ = nngs(ox, oy, k)
            print(f"nngs {metric:9s} k={k:4d}: raw {raw:.12f}  H {h:.12f}  normalised {norm:.12f}")
        for k in spectrum_ks:
            raw, h, norm, _ = nngs(ox, oy, k)
            print(f"spectrum {metric:9s} k={k:4d}: raw {raw:.12f}  normalised {norm:.12f}")
    ox, oy = orders(x, "cosine"), orders(y, "cosine")
    print(f"mutual-knn cosine k=10: {mutual_knn(ox, oy, 10):.12f}")
    print(f"cycle-knn  cosine k=10: {cycle_knn(ox, oy, 10):.12f}")
    v, v_eps, terms = cknna(x, y, 10)
    print(f"cknna      cosine k=10: {v:.12f}  (platonic-rep with +1e-6: {v_eps:.12f}; "
          f"hsic xy {terms[0]:.6e} xx {terms[1]:.6e} yy {terms[2]:.6e})")


def sklearn_check(x, k, metric):
    """Our reference lists equal scikit-learn's brute search (data without ties)."""
    nn = NearestNeighbors(n_neighbors=k + 1, algorithm="brute", metric=metric).fit(x)
    _, ind = nn.kneighbors(x)
    ours = orders(x, metric)[:, :k]
    sk = np.array([[j for j in row if j != i][:k] for i, row in enumerate(ind)])
    return np.array_equal(np.sort(ours, 1), np.sort(sk, 1))


def blobs(rng, noise, mu2):
    """The synthetic blobs of the NNGS paper (20-d, 4 blobs of 100, sigma 0.1)."""
    x1, x2 = [], []
    for i, (m1, m2) in enumerate(zip([0, 1, 2, 3], mu2)):
        z = rng.normal(0, 1, (100, 20))
        x1.append(z * 0.1 + m1)
        x2.append(z * 0.1 + m2 + rng.standard_normal((100, 20)) * noise)
    return np.vstack(x1), np.vstack(x2)


def linear_cka(x, y):
    x = x - x.mean(0)
    y = y - y.mean(0)
    return np.linalg.norm(y.T @ x) ** 2 / (np.linalg.norm(x.T @ x) * np.linalg.norm(y.T @ y))


def synthetic():
    rng = np.random.default_rng(0)
    for name, noise, mu2 in (("noise within blobs", 0.5, [0, 1, 2, 3]),
                             ("shuffled blobs", 0.0, [2, 1, 3, 0])):
        r5, r300, c = [], [], []
        for _ in range(10):
            x, y = blobs(rng, noise, mu2)
            ox, oy = orders(x, "euclidean"), orders(y, "euclidean")
            r5.append(nngs(ox, oy, 5)[0])
            r300.append(nngs(ox, oy, 300)[0])
            c.append(linear_cka(x, y))
        print(f"synthetic {name}: NNGS raw k=5 {np.mean(r5):.4f}, k=300 {np.mean(r300):.4f}, "
              f"linear CKA {np.mean(c):.4f}  (paper: 0.03/0.99/0.99 and 1.00/0.63/0.16)")


def chance_monte_carlo(n, k, draws=20000, seed=1):
    rng = np.random.default_rng(seed)
    m = n - 1
    j = []
    for _ in range(draws):
        a = rng.choice(m, k, replace=False)
        b = rng.choice(m, k, replace=False)
        i = len(np.intersect1d(a, b))
        j.append(i / (2 * k - i))
    i = np.arange(0, k + 1)
    exact = (hypergeom(m, k, k).pmf(i) * i / (2 * k - i)).sum()
    return np.mean(j), k / (2 * m - k), exact


def main():
    coco = np.load(os.path.join(DATA, "clip-coco-liang", "features_clip.npy"))
    img, txt = coco[0], coco[1]
    for metric in ("euclidean", "cosine"):
        print(f"sklearn brute agrees on COCO images, {metric}, k=10:",
              sklearn_check(img, 10, metric))
    report("COCO image vs text", img, txt, [1, 5, 10, 99], [1, 99, 250, 498])
    audio = np.load(os.path.join(DATA, "esc50-clap", "audio.npy"))
    text = np.load(os.path.join(DATA, "esc50-clap", "class_text.npy"))
    names = open(os.path.join(DATA, "esc50-clap", "class_names.txt")).read().split("\n")
    import csv
    with open(os.path.join(DATA, "esc50-clap", "meta.csv")) as f:
        cls = [names.index(r["class_name"]) for r in csv.DictReader(f)]
    report("ESC-50 audio vs class text", audio, text[cls], [10, 39, 40, 399], [1, 39, 40, 1998])
    synthetic()
    for n, k in ((100, 1), (100, 10), (1000, 10), (1000, 300)):
        mc, h, exact = chance_monte_carlo(n, k)
        print(f"chance N={n} k={k}: Monte-Carlo E[J] {mc:.5f}, exact E[J] {exact:.8f}, "
              f"H(k) {h:.8f}")


if __name__ == "__main__":
    main()
