#!/usr/bin/python3
"""eval_reference.py — independent float64 reference numbers for the retrieval
and zero-shot tests (tests/test_eval_retrieval.c, tests/test_eval_zeroshot.c).

Run from the project root:  /usr/bin/python3 tests/reference/eval_reference.py
Data: ../shared/data (override with GK_SHARED_DATA).  Needs numpy and scikit-learn.

Conventions (include/gapkit/retrieval.h): ranks are 1-based positions in the order
"similarity descending, ties by ascending gallery index"; with m true matches at
sorted ranks r_1 < ... < r_m, AP@10 = (1/min(m,10)) * sum_{r_i <= 10} i / r_i and
AP = (1/m) * sum_i i / r_i.  The full AP is cross-checked with scikit-learn's
average_precision_score (identical when there are no ties).
"""
import csv
import os
import sys

import numpy as np
from sklearn.metrics import average_precision_score

DATA = os.environ.get("GK_SHARED_DATA",
                      os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))


def unit(x):
    x = np.asarray(x, dtype=np.float64)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def retrieval(q, g, qgroup=None, ggroup=None):
    s = q @ g.T
    n = g.shape[0]
    best, ap10, ap, sk_ap = [], [], [], []
    for i in range(q.shape[0]):
        order = np.lexsort((np.arange(n), -s[i]))  # primary: -s, secondary: index
        truth = (ggroup == qgroup[i]) if qgroup is not None else (np.arange(n) == i)
        ranks = np.sort(np.nonzero(truth[order])[0] + 1)  # sorted ranks of the true items
        m = len(ranks)
        if m == 0:
            continue
        prec = np.arange(1, m + 1) / ranks
        best.append(ranks[0])
        ap10.append(prec[ranks <= 10].sum() / min(m, 10))
        ap.append(prec.mean())
        sk_ap.append(average_precision_score(truth.astype(int), s[i]))
    best = np.array(best)
    return {"R@1": np.mean(best <= 1), "R@5": np.mean(best <= 5), "R@10": np.mean(best <= 10),
            "mAP@10": np.mean(ap10), "mAP": np.mean(ap), "sklearn_mAP": np.mean(sk_ap),
            "MedR": np.median(best), "MeanR": best.mean()}


def show(name, d):
    print(name + ": " + ", ".join("%s %.10f" % (k, v) for k, v in d.items()))


def esc50():
    d = os.path.join(DATA, "esc50-clap")
    audio = unit(np.load(os.path.join(d, "audio.npy")))
    text = unit(np.load(os.path.join(d, "class_text.npy")))
    names = open(os.path.join(d, "class_names.txt")).read().split("\n")
    names = [x for x in names if x]
    with open(os.path.join(d, "meta.csv")) as f:
        labels = [r["class_name"] for r in csv.DictReader(f)]
    ga = np.array([names.index(x) for x in labels])
    gt = np.arange(len(names))
    show("esc50 audio->prompt", retrieval(audio, text, ga, gt))
    show("esc50 prompt->audio", retrieval(text, audio, gt, ga))
    s = audio @ text.T
    pred = np.argmax(s, axis=1)  # first maximum = lower index on ties
    rank = (s > s[np.arange(len(ga)), ga][:, None]).sum(1) + 1
    acc = [np.mean(pred[ga == c] == c) for c in range(len(names))]
    print("esc50 zeroshot: top1 %.10f (%d), top5 %.10f, mean class acc %.10f"
          % (np.mean(pred == ga), np.sum(pred == ga), np.mean(rank <= 5), np.mean(acc)))


def coco():
    f = np.load(os.path.join(DATA, "clip-coco-liang", "features_clip.npy"))
    img, txt = unit(f[0]), unit(f[1])
    show("coco image->text", retrieval(img, txt))
    show("coco text->image", retrieval(txt, img))


if __name__ == "__main__":
    np.set_printoptions(precision=10)
    esc50()
    coco()
    sys.exit(0)
