#!/usr/bin/python3
"""eval_ci_reference.py — reference bootstrap intervals for tests/test_eval_ci.c:
retrieval metrics (COCO CLIP, ESC-50 grouped) and zero-shot accuracy (ESC-50).

Run from the project root:  /usr/bin/python3 tests/reference/eval_ci_reference.py
Data: ../shared/data (override with GK_SHARED_DATA).  Needs numpy.

Per-query values in float64 from numpy (ranks by "similarity descending, ties by
ascending index", AP with sorted ranks, as eval_reference.py); the resampling
indices are regenerated from the seed by stats_reference.py's independent copy
of gapkit's RNG, and the percentiles are numpy's (linear interpolation).
"""
import csv
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from stats_reference import boot_indices, pct  # noqa: E402

DATA = os.environ.get("GK_SHARED_DATA",
                      os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))
B, SEED = 200, 5


def unit(x):
    x = np.asarray(x, dtype=np.float64)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def per_query(q, g, qgroup=None, ggroup=None):
    s = q @ g.T
    n = g.shape[0]
    rows = []
    for i in range(q.shape[0]):
        order = np.lexsort((np.arange(n), -s[i]))
        truth = (ggroup == qgroup[i]) if qgroup is not None else (np.arange(n) == i)
        ranks = np.sort(np.nonzero(truth[order])[0] + 1)
        m = len(ranks)
        if m == 0:
            continue
        prec = np.arange(1, m + 1) / ranks
        rows.append((ranks[0], prec[ranks <= 10].sum() / min(m, 10), prec.mean()))
    return np.array(rows)


def intervals(name, pq):
    idx = boot_indices(len(pq), B, SEED)
    best, ap10, ap = pq[:, 0], pq[:, 1], pq[:, 2]
    cols = [("R@1", (best <= 1) * 1.0, np.mean), ("R@5", (best <= 5) * 1.0, np.mean),
            ("R@10", (best <= 10) * 1.0, np.mean), ("mAP@10", ap10, np.mean),
            ("mAP", ap, np.mean), ("MedR", best, np.median), ("MeanR", best, np.mean)]
    for metric, v, f in cols:
        lo, hi = pct(np.array([f(v[i]) for i in idx]), 0.95)
        print(f"{name} {metric}: {f(v):.12f} [{lo:.12f}, {hi:.12f}]")


def main():
    f = np.load(os.path.join(DATA, "clip-coco-liang", "features_clip.npy"))
    intervals("coco image->text", per_query(unit(f[0]), unit(f[1])))
    d = os.path.join(DATA, "esc50-clap")
    audio = unit(np.load(os.path.join(d, "audio.npy")))
    text = unit(np.load(os.path.join(d, "class_text.npy")))
    names = [x for x in open(os.path.join(d, "class_names.txt")).read().split("\n") if x]
    with open(os.path.join(d, "meta.csv")) as fh:
        ga = np.array([names.index(r["class_name"]) for r in csv.DictReader(fh)])
    gt = np.arange(len(names))
    intervals("esc50 prompt->audio", per_query(text, audio, gt, ga))
    s = audio @ text.T
    rank = (s > s[np.arange(len(ga)), ga][:, None]).sum(1) + 1
    idx = boot_indices(len(ga), B, SEED)
    for k in (1, 5):
        hit = (rank <= k) * 1.0
        lo, hi = pct(np.array([hit[i].mean() for i in idx]), 0.95)
        print(f"esc50 zeroshot top{k}: {hit.mean():.12f} [{lo:.12f}, {hi:.12f}]")


if __name__ == "__main__":
    main()
