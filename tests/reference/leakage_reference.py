#!/usr/bin/env python3
"""leakage_reference.py — independent values for test_leakage.c on the shared
ESC-50 CLAP audio embeddings (../shared/data/esc50-clap), rows L2-normalised
in float64, classes = meta.csv class_name in order of first appearance.

  silhouette   sklearn.metrics.silhouette_score(X, y, metric="euclidean")
  fisher       tr(S_B)/tr(S_W) = sum_c n_c |mu_c - mu|^2 / sum_i |x_i - mu_{y_i}|^2
  ncc_loo      leave-one-out nearest class centroid by cosine (own row removed
               from its class mean), ties -> lower class
  probe        sklearn LogisticRegression (lbfgs, multinomial) with
               C = 1 / (lambda * n_train), lambda = 1e-4 (gapkit's loss is mean
               log-loss + lambda/2 |W|^2), trained on folds 2-5, accuracy on fold 1
Run: /usr/bin/python3 tests/reference/leakage_reference.py [DATA_DIR]
Printed (scikit-learn 1.2.1, numpy 1.24.2): silhouette 0.2773525437, fisher
1.7616620179, ncc_loo 0.9745, probe_fold1 0.9725; pinned in
tests/test_leakage.c.
"""
import sys
import csv
import numpy as np
from sklearn.metrics import silhouette_score
from sklearn.linear_model import LogisticRegression

d = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/esc50-clap"
X = np.load(d + "/audio.npy").astype(np.float64)
X /= np.linalg.norm(X, axis=1, keepdims=True)
rows = list(csv.DictReader(open(d + "/meta.csv")))
names = []
for r in rows:
    if r["class_name"] not in names:
        names.append(r["class_name"])
y = np.array([names.index(r["class_name"]) for r in rows])
fold = np.array([int(r["fold"]) for r in rows])
C = len(names)

print("silhouette %.10f" % silhouette_score(X, y, metric="euclidean"))

mu = X.mean(0)
means = np.stack([X[y == c].mean(0) for c in range(C)])
cnt = np.bincount(y, minlength=C)
sb = (cnt[:, None] * (means - mu) ** 2).sum()
sw = ((X - means[y]) ** 2).sum()
print("fisher %.10f" % (sb / sw))

sums = means * cnt[:, None]
right = 0
for i in range(len(X)):
    m = sums.copy()
    m[y[i]] -= X[i]
    n = cnt.copy()
    n[y[i]] -= 1
    cos = (m @ X[i]) / np.linalg.norm(m, axis=1)
    cos[n == 0] = -np.inf
    right += int(np.argmax(cos) == y[i])
print("ncc_loo %.10f" % (right / len(X)))

tr, te = fold != 1, fold == 1
lam = 1e-4
clf = LogisticRegression(C=1.0 / (lam * tr.sum()), max_iter=5000, tol=1e-8)
clf.fit(X[tr], y[tr])
print("probe_fold1 %.10f" % (clf.score(X[te], y[te])))
