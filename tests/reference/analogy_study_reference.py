#!/usr/bin/python3
"""Reference for `gapkit study analogy-nngs` (tests/cli/analogy_study.sh,
tests/test_analogy_study.c) and docs/similarity-study.md: the NNGS paper's
GloVe case study (Tavares et al., arXiv 2411.08687) on ../shared/data.

Per section of the Google analogy questions: the distinct word pairs (a, b)
and (c, d) whose two words are in the vocabulary, in order of first
appearance; X = vectors of the first words, Y = of the second words (raw GloVe
vectors, not normalised).  NNGS with euclidean distance and k = floor(0.2 (N-1)):
the mean Jaccard index of the two kNN graphs (raw) and its chance-normalised
form; linear CKA (float64, centred Gram form).  Then Pearson and Spearman
(scipy.stats, two-sided p) of each measure against the section's 3CosAdd
accuracy (numpy, as tests/reference/analogy_reference.py) across the 14
sections.  Also the correlations of the 3CosMul accuracy.

Run from the repository root:  /usr/bin/python3 tests/reference/analogy_study_reference.py
"""
import numpy as np
import scipy.stats
from scipy.spatial.distance import cdist

D = "../shared/data"
FRAC = 0.2


def knn_sets(A, k):
    d = cdist(A, A)  # float64 euclidean
    n = len(A)
    out = []
    for i in range(n):
        order = sorted((d[i, j], j) for j in range(n) if j != i)  # ties: lower index
        out.append({j for _, j in order[:k]})
    return out


def nngs(X, Y, k):
    gx, gy = knn_sets(X, k), knn_sets(Y, k)
    raw = np.mean([len(a & b) / len(a | b) for a, b in zip(gx, gy)])
    h = k / (2 * (len(X) - 1) - k)
    return raw, (raw - h) / (1 - h)


def linear_cka(X, Y):
    Xc, Yc = X - X.mean(0), Y - Y.mean(0)
    K, L = Xc @ Xc.T, Yc @ Yc.T
    return np.sum(K * L) / np.sqrt(np.sum(K * K) * np.sum(L * L))


def main():
    W = np.load(f"{D}/glove-6b-100d/vectors.npy").astype(np.float64)
    vocab = open(f"{D}/glove-6b-100d/vocab.txt", encoding="utf-8").read().split("\n")[: len(W)]
    row = {}
    for i, w in enumerate(vocab):
        row.setdefault(w, i)
    Wn = W / np.linalg.norm(W, axis=1, keepdims=True)
    sections, qs = [], []
    for line in open(f"{D}/analogy/questions-words.txt", encoding="utf-8"):
        if line.startswith(":"):
            sections.append(line[1:].strip())
            qs.append([])
        elif line.strip():
            qs[-1].append(line.lower().split())
    rows = []
    for name, questions in zip(sections, qs):
        pairs = []
        for q in questions:
            for a, b in ((q[0], q[1]), (q[2], q[3])):
                if a in row and b in row and (row[a], row[b]) not in pairs:
                    pairs.append((row[a], row[b]))
        cov = np.array([[row[w] for w in q] for q in questions if all(w in row for w in q)])
        sa, sb, sc = Wn[cov[:, 0]] @ Wn.T, Wn[cov[:, 1]] @ Wn.T, Wn[cov[:, 2]] @ Wn.T
        add = sb - sa + sc
        mul = ((sb + 1) / 2) * ((sc + 1) / 2) / ((sa + 1) / 2 + 0.001)
        r = np.arange(len(cov))
        for j in range(3):
            add[r, cov[:, j]] = -np.inf
            mul[r, cov[:, j]] = -np.inf
        acc_add = np.mean(add.argmax(1) == cov[:, 3])
        acc_mul = np.mean(mul.argmax(1) == cov[:, 3])
        P = np.array(pairs)
        X, Y = W[P[:, 0]], W[P[:, 1]]
        k = int(np.floor(FRAC * (len(P) - 1)))
        raw, norm = nngs(X, Y, k)
        c = linear_cka(X, Y)
        rows.append((name, len(P), k, acc_add, acc_mul, raw, norm, c))
        print(f"{name:28s} pairs {len(P):3d} k {k:3d} 3CosAdd {acc_add:.10f} "
              f"3CosMul {acc_mul:.10f} nngs_raw {raw:.10f} nngs {norm:.10f} cka {c:.10f}")
    acc = np.array([r[3] for r in rows])
    accm = np.array([r[4] for r in rows])
    for j, name in ((5, "nngs_raw"), (6, "nngs"), (7, "cka-linear")):
        v = np.array([r[j] for r in rows])
        for label, a in (("3CosAdd", acc), ("3CosMul", accm)):
            pr = scipy.stats.pearsonr(v, a)
            sr = scipy.stats.spearmanr(v, a)
            print(f"{name:10s} vs {label}: pearson {pr[0]:.10f} p {pr[1]:.10g}  "
                  f"spearman {sr.correlation:.10f} p {sr.pvalue:.10g}")


if __name__ == "__main__":
    main()
