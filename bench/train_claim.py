#!/usr/bin/python3
"""train_claim.py — does ModGap's claim hold on the shared data?  (docs/train.md)

Trains InfoNCE and ModGap heads (linear, d = 512, temperature 0.1 for both, so only
the ModGap terms differ) on the TRAIN items of a seeded split, maps every row with
`gapkit align apply`, and scores the held-out items with `gapkit compare --methods
identity` (gap, true-pair cosine, R@1, zero-shot, joint k-means V-measure/NMI, kNN
accuracy).  The raw embeddings under compare's training-free transforms, on the same
split, are the baseline.  Mean and spread (sd) over --seeds; the seed drives the
split, the initialisation and the shuffling.

  CLIP-COCO (500 image-caption pairs): --split random:0.5 (no classes: no group tasks)
  ESC-50 CLAP (2000 clips, their class prompts, --pair-by-label): --split classes:0.5

Usage: /usr/bin/python3 bench/train_claim.py --gapkit build/gapkit [--data ../shared/data]
       [--seeds 0,1,2]
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile

KEYS = ["gap", "cos_true", "R@1", "zeroshot_top1", "v_measure", "nmi", "knn_acc"]


def sh(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def metrics(row):
    g = row.get("groups") or {}
    return {k: row.get(k, g.get(k)) if k in row else g.get(k) for k in KEYS}


def compare(g, files, extra, seed, methods=None):
    cmd = [g, "compare", *files, *extra, "--seed", str(seed), "--json"]
    if methods:
        cmd += ["--methods", methods]
    return json.loads(sh(cmd))["rows"]


def heads(g, files, extra, seed, loss, train_opts, tmp):
    out = os.path.join(tmp, "%s%d.npz" % (loss, seed))
    sh([g, "train", *files, *extra, "--loss", loss, "--seed", str(seed), "--out", out,
        "--quiet", "--temperature", "0.1", *train_opts])
    mapped = []
    for v, f in enumerate(files):
        o = os.path.join(tmp, "%s%d_v%d.npy" % (loss, seed, v))
        sh([g, "align", "apply", out, "--modality", str(v), f, "--out", o])
        mapped.append(o)
    return mapped


def run(a, name, files, labels, split, train_opts):
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for seed in a.seeds:
            for r in compare(a.gapkit, files, labels + ["--split", split], seed):
                rows.setdefault(r["transform"], []).append(metrics(r))
            for loss in ("infonce", "modgap"):
                mapped = heads(a.gapkit, files, labels + ["--split", split], seed, loss,
                               train_opts, tmp)
                r = compare(a.gapkit, mapped, labels + ["--split", split], seed, "identity")[0]
                rows.setdefault("%s head" % loss, []).append(metrics(r))
    print("\n%s, split %s, seeds %s: mean ± sd over seeds (held-out items)" %
          (name, split, ",".join(map(str, a.seeds))))
    print("%-28s" % "transform" + "".join("%16s" % k for k in KEYS))
    for t, ms in rows.items():
        cells = []
        for k in KEYS:
            v = [m[k] for m in ms if m[k] is not None]
            cells.append("%16s" % ("-" if not v else "%.3f ± %.3f" % (
                statistics.mean(v), statistics.stdev(v) if len(v) > 1 else 0.0)))
        print("%-28s" % t + "".join(cells))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gapkit", default="build/gapkit")
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..",
                                                   "shared", "data"))
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--only", default="coco,esc50")
    a = ap.parse_args()
    a.seeds = [int(s) for s in a.seeds.split(",")]
    if "coco" in a.only:
        f = os.path.join(a.data, "clip-coco-liang", "features_clip.npy")
        files = [f + ":0", f + ":1"]
        run(a, "CLIP-COCO", files, [], "random:0.5",
            ["--epochs", "100", "--batch", "64", "--dim", "512"])
    if "esc50" in a.only:
        e = os.path.join(a.data, "esc50-clap")
        files = [os.path.join(e, "audio.npy"), os.path.join(e, "class_text.npy")]
        labels = ["--labels", os.path.join(e, "meta.csv") + ":class_name", "--prompt-labels",
                  os.path.join(e, "class_names.txt"), "--pair-by-label"]
        run(a, "ESC-50 CLAP", files, labels, "classes:0.5",
            ["--epochs", "40", "--batch", "128", "--dim", "512"])


if __name__ == "__main__":
    main()
