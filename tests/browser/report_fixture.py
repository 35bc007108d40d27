#!/usr/bin/env python3
"""report_fixture.py — writes a fabricated but realistic report.json (docs/report-format.md)
for the report renderer's browser test.  Standard library only; deterministic (seeded).

usage: report_fixture.py OUT.json [--minimal]
  --minimal  only format, version and the gap section (every optional part missing)

The numbers imitate a CLAP-like audio–text pair: a clear centroid gap, 12 shared axes
out of 512, two separate clouds before the transform and overlapping ones after it.
Labels contain <, >, & and quotes so that the page's escaping is exercised, and a few
values are null (NaN) so that missing numbers are exercised too.
"""
import json
import math
import random
import sys

N_ROWS = 3000      # projected rows per modality (the renderer draws at most 2000)
R_AXES = 512
K_SHARED = 12


def spectrum(rng):
    sigma = [40 * math.exp(-j / 4) + 0.6 * math.exp(-j / 150) for j in range(R_AXES)]
    sigma[-8:] = [1e-9] * 8   # numerical zeros: must not stretch the log axis
    corr = [0.9 - 0.02 * j if j < K_SHARED else max(0.0, 0.2 - 0.004 * j) + 0.05 * rng.random()
            for j in range(R_AXES)]
    align = [0.95 - 0.01 * j if j < K_SHARED else 0.3 * (rng.random() - 0.5)
             for j in range(R_AXES)]
    net = [s * a for s, a in zip(sigma, align)]
    total, run, net_cum = sum(net), 0.0, []
    for v in net:
        run += v
        net_cum.append(run / total)
    corr[5] = None
    return sigma, corr, align, net_cum


def cloud(rng, centre, spread, n):
    """n points in 20 class blobs around centre, as [[a, b], ...]."""
    pts = []
    for i in range(n):
        c = i % 20
        cx = centre[0] + 0.25 * math.cos(2 * math.pi * c / 20)
        cy = centre[1] + 0.25 * math.sin(2 * math.pi * c / 20)
        pts.append([round(rng.gauss(cx, spread), 5), round(rng.gauss(cy, spread), 5)])
    return pts


SPLIT = "classes:0.5 seed 0: fit on 10 classes (1500 pairs), scored on 10 others (1500)"
DATA = "../shared/data/clotho/"


def compare():
    cols = [("R@1_x2y", "R@1 text→audio", "higher"), ("R@1_y2x", "R@1 audio→text", "higher"),
            ("mAP@10_x2y", "mAP@10 text→audio", "higher"),
            ("zeroshot_top1", "zero-shot acc.", "higher"), ("v_measure", "V-measure", "higher"),
            ("gap", "gap", "lower"), ("MeanR_x2y", "mean rank", "lower")]
    rows = [("identity", [0.171, 0.162, 0.270, 0.412, 0.131, 0.821, 42.4]),
            ("centre", [0.176, 0.170, 0.276, 0.430, 0.214, 0.043, 39.9]),
            ("shift λ=1", [0.173, 0.166, 0.272, 0.425, 0.236, 0.0, 41.0]),
            ("procrustes", [0.180, 0.171, 0.281, None, 0.229, 0.051, 37.1]),
            ("comet:k=12 <PLSHead>", [0.174, 0.168, 0.276, 0.433, 0.236, 0.038, 36.3])]
    return {"split": SPLIT,
            "columns": [{"key": k, "label": l, "better": b} for k, l, b in cols],
            "rows": [{"transform": t, "values": {c[0]: v for c, v in zip(cols, vals)}}
                     for t, vals in rows]}


def sweep():
    lam = [round(0.1 * i, 2) for i in range(13)]
    v_measure = [0.131 + 0.105 * min(l, 1.0) - 0.03 * max(0.0, l - 1) for l in lam]
    return {"lambda": lam, "gap": [round(abs(0.821 * (1 - l)), 4) for l in lam],
            "metrics": {"R@1_x2y": [round(0.171 + 0.004 * math.sin(3 * l), 4) for l in lam],
                        "v_measure": [round(v, 4) for v in v_measure]}}


def nngs_spectrum():
    ks = sorted({int(round(10 ** (i / 12))) for i in range(0, 42)})
    return {"k": ks, "nngs": [round(0.15 + 0.25 * math.log10(k) / 3.5 - 0.1 * (k / 3000), 4)
                              for k in ks]}


def gap_section():
    sep = {"accuracy": 0.998, "accuracy_sd": 0.001, "folds": 5, "rows_per_modality": 3000,
           "subsampled": False, "classifier": "L2 logistic regression, L-BFGS"}
    return {"n": N_ROWS, "dims": [512, 512], "same_dim": True, "gap": 0.8213,
            "norm_mean_x": 0.61, "norm_mean_y": 0.58, "rmg": 0.74, "cone_x": 0.37,
            "cone_y": 0.34, "cos_true": 0.312, "cos_nonpair": 0.041, "separability": sep,
            "w2_uniformity": None}


def report(minimal):
    doc = {"format": "gapkit-report", "version": 1, "gapkit_version": "0.1.0",
           "gap": gap_section()}
    if minimal:
        return doc
    rng = random.Random(7)
    sigma, corr, align, net_cum = spectrum(rng)
    top = [{"axis": j + 1, "side": s,
            "top": ["dog <barking> & \"howling\"", "wolf", "siren", "baby crying", "alarm"],
            "bottom": ["rain on a roof", "waves", "wind", "stream", "applause"]}
           for j in range(4) for s in (0, 1)]
    views = [{"name": "text <captions>", "path": DATA + "text.npy", "rows": N_ROWS, "dim": 512},
             {"name": "audio & \"clips\"", "path": DATA + "audio.npy", "rows": N_ROWS,
              "dim": 512}]
    doc.update({
        "inputs": {"views": views,
                   "labels": {"path": DATA + "labels.txt", "classes": 20},
                   "prompts": {"path": DATA + "prompts.npy", "rows": 20}},
        "split": SPLIT,
        "comet": {"k": K_SHARED, "k_rule": "permutation test, alpha 0.05, 199 permutations",
                  "sigma": sigma, "corr": corr, "align": align, "net_cum": net_cum,
                  "top_items": top},
        "projection": {"method": "PCA of the joint rows (fit split)",
                       "before": {"x": cloud(rng, (-0.45, 0.05), 0.07, N_ROWS),
                                  "y": cloud(rng, (0.40, -0.05), 0.06, N_ROWS)},
                       "after": {"x": cloud(rng, (0.0, 0.0), 0.08, N_ROWS),
                                 "y": cloud(rng, (0.02, 0.0), 0.08, N_ROWS)},
                       "after_transform": "comet:k=12"},
        "nngs": {"distance": "cosine", "k": [10, 100], "nngs": [0.214, 0.352],
                 "nngs_raw": [0.219, 0.371]},
        "nngs_spectrum": nngs_spectrum(),
        "cka_linear": 0.731,
        "compare": compare(),
        "shift_sweep": sweep(),
        "leakage": {"n": N_ROWS, "n_classes": 20, "zeroshot_top1": 0.915,
                    "items": {"knn_acc": 0.978, "probe_acc": 0.9825, "probe_sd": 0.0042,
                              "ncc_acc": 0.9745, "silhouette": 0.2774, "fisher_ratio": 1.7617},
                    "prompts": {"cos_mean": 0.2002, "cos_max": 0.8959,
                                "cos_max_pair": ["crickets", "insects <&>"],
                                "nearest_other_cos_mean": 0.5476, "margin_mean": 0.186,
                                "margin_median": 0.1991},
                    "inherited": {"share": 0.9962, "zeroshot_only": 0.0035,
                                  "statement": "zero-shot top-1 0.915; <the item space> alone"},
                    "transform": None, "bootstrap": 1000, "seed": 0,
                    "item_split_gain": None, "class_disjoint_gain": None, "backbone": None}})
    return doc


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    with open(sys.argv[1], "w") as f:
        json.dump(report("--minimal" in sys.argv[2:]), f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
