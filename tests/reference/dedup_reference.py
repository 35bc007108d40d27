#!/usr/bin/python3
"""dedup_reference.py — reference numbers for tests/cli/dedup_rank.sh: exact
duplicate rows in zero-shot and in the neighbourhood measures of `gapkit
similarity` (methods.md §11).

Run from the project root:  /usr/bin/python3 tests/reference/dedup_reference.py
Data: ../shared/data (override with GK_SHARED_DATA).  Needs numpy.
`python3 dedup_reference.py DIR` also writes the test inputs into DIR (the
shell test builds them this way, so both sides see the same rows).

Zero-shot: ESC-50 CLAP audio rows 0..299 (labels: class_name), then copies of
rows 0..39 with their own class (merged: 40) and copies of rows 40..49 with the
next class (a different query: kept).  Reference: numpy float64, argmax over
the ensembled class embeddings (ties to the lower class), on the rows kept by
"drop an item whose (row bytes, class) equals an earlier item's".
Neighbourhood measures: COCO CLIP pairs 0..299, then 20 exact copies of pairs
0..19 and 10 copies of X rows 20..29 paired with new Y rows 400..409: items
linked by an X or Y copy are one item, so the measures run on pairs 0..299.
Measures from nngs_reference.py (numpy float64, self excluded, ties by index).
Compare: COCO pairs 0..199 then X rows 100..119 again with Y rows 100..119 + 0.2 x
rows 300..319 (not copies); fold "a" = rows 0..99 (train), "b" = the rest (test).
Merged test rows: view 0: 20, view 1: 0; identity's retrieval ranks the 100
distinct X rows against the 120 Y rows, item t >= 100 in the group of t − 100
(eval_reference.retrieval, numpy float64).
"""
import csv
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from eval_reference import retrieval  # noqa: E402
from nngs_reference import cknna, mutual_knn, nngs, orders  # noqa: E402

DATA = os.environ.get("GK_SHARED_DATA",
                      os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))


def unit(x):
    x = np.asarray(x, dtype=np.float64)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def zeroshot_inputs():
    esc = os.path.join(DATA, "esc50-clap")
    a = np.load(os.path.join(esc, "audio.npy")).astype(np.float32)
    names = [line.strip() for line in open(os.path.join(esc, "class_names.txt"))]
    with open(os.path.join(esc, "meta.csv")) as f:
        lab = [r["class_name"] for r in csv.DictReader(f)]
    nxt = {c: names[(names.index(c) + 1) % len(names)] for c in names}
    x = np.concatenate([a[:300], a[:40], a[40:50]])
    y = lab[:300] + lab[:40] + [nxt[c] for c in lab[40:50]]
    return x, y, names


def pair_inputs():
    f = np.load(os.path.join(DATA, "clip-coco-liang", "features_clip.npy")).astype(np.float32)
    x = np.concatenate([f[0][:300], f[0][:20], f[0][20:30]])
    y = np.concatenate([f[1][:300], f[1][:20], f[1][400:410]])
    return x, y


def compare_inputs():
    f = np.load(os.path.join(DATA, "clip-coco-liang", "features_clip.npy")).astype(np.float32)
    x = np.concatenate([f[0][:200], f[0][100:120]])
    y = np.concatenate([f[1][:200], f[1][100:120] + 0.2 * f[1][300:320]]).astype(np.float32)
    return x, y, ["a"] * 100 + ["b"] * 120


def top1(x, y, names):
    esc = os.path.join(DATA, "esc50-clap")
    p = unit(np.load(os.path.join(esc, "class_text.npy")))  # one prompt per class here
    cls = np.array([names.index(c) for c in y])
    s = unit(x) @ p.T
    return float(np.mean(np.argmax(s, axis=1) == cls))


def main():
    x, y, names = zeroshot_inputs()
    keys, keep = set(), []
    for i in range(len(x)):
        k = (x[i].tobytes(), y[i])
        if k not in keys:
            keys.add(k)
            keep.append(i)
    print(f"zeroshot: merged {len(x) - len(keep)} top1 {top1(x[keep], [y[i] for i in keep], names):.10f}"
          f" keep-duplicates top1 {top1(x, y, names):.10f}")
    px, py = pair_inputs()
    px, py = unit(px), unit(py)  # the CLI L2-normalises rows on load
    for name, (a, b) in {"merged": (px[:300], py[:300]), "kept": (px, py)}.items():
        ox, oy = orders(a, "cosine"), orders(b, "cosine")
        ex, ey = orders(a, "euclidean"), orders(b, "euclidean")
        print(f"pairs {name}: n {len(a)} mutual-knn {mutual_knn(ox, oy, 10):.10f} "
              f"nngs {nngs(ex, ey, 10)[2]:.10f} cknna {cknna(a, b, 10)[0]:.10f}")


    cx, cy, fold = compare_inputs()
    test = [i for i, v in enumerate(fold) if v == "b"]
    tx, ty = unit(cx[test]), unit(cy[test])
    merged = [len(test) - len(np.unique(m[test], axis=0)) for m in (cx, cy)]
    g = np.array([t if t < 100 else t - 100 for t in range(len(test))])
    a2b, b2a = retrieval(tx[:100], ty, g[:100], g), retrieval(ty, tx[:100], g, g[:100])
    print(f"compare: merged {merged} identity a_to_b R@1 {a2b['R@1']:.10f} "
          f"b_to_a R@1 {b2a['R@1']:.10f}")


def write(d):
    x, y, _ = zeroshot_inputs()
    np.save(os.path.join(d, "zs_x.npy"), x)
    with open(os.path.join(d, "zs_labels.txt"), "w") as f:
        f.write("\n".join(y) + "\n")
    px, py = pair_inputs()
    np.save(os.path.join(d, "px.npy"), px)
    np.save(os.path.join(d, "py.npy"), py)
    cx, cy, fold = compare_inputs()
    np.save(os.path.join(d, "cx.npy"), cx)
    np.save(os.path.join(d, "cy.npy"), cy)
    with open(os.path.join(d, "folds.csv"), "w") as f:
        f.write("fold\n" + "\n".join(fold) + "\n")


if __name__ == "__main__":
    write(sys.argv[1]) if len(sys.argv) > 1 else main()
