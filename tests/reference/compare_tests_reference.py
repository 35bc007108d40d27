#!/usr/bin/python3
"""compare_tests_reference.py — an independent numpy computation of the paired
tests of `gapkit compare` (src/compare/compare_significance.c) on ESC-50
(audio <-> class prompt, paired by label), split fold:fold=1, for the rows
identity, center and ablate (m = M), used by tests/cli/compare_tests.sh.

    compare_tests_reference.py DATA_DIR COMPARE_JSON B P M

Written from docs/methods.md and include/gapkit/stats.h, not from the C code:
  - rows L2-normalised; center: x' = normalize(x - mu_v), mu_v the train
    mean of view v (a float32 offset, as the transform stores it); ablate:
    x' = normalize(x with the M coordinates of largest
    g_j = sum_v (mu_vj - mean_v mu_vj)^2 set to 0; ties: lower j);
  - retrieval between the DISTINCT test rows of the two views, the true
    matches of a query being every row paired with it through an item (here:
    audio -> the prompt of its class; prompt -> every test clip of its class);
    tie rule: equal scores go to the lower gallery index;
  - per query: hit at 1 and at 5 of the best true rank, AP@10 =
    (1/min(m,10)) sum_{r_i <= 10} i / r_i over the sorted true ranks;
    zero-shot per test clip: its class ranked first among all 50 prompts;
  - paired test of two rows: the percentile bootstrap interval of
    mean(a[idx]) - mean(b[idx]) over the bootstrap stream of seed 0
    (benchlib.Rng, tests/reference/stats_reference.py), the two-sided
    sign-flip p = (1 + #{|mean(s d)| >= |mean d|(1 - 1e-12)}) / (P + 1)
    over the sign-flip stream of seed 0, Holm over every test of the JSON.
Asserts that the JSON's tests of `shift` minus `center` (the named pair) and
of both rows against identity carry these numbers; prints what it checked.
"""
import csv
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from stats_reference import boot_indices, holm, pct, sign_flips  # noqa: E402


def unit(x):
    x = x.astype(np.float64)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def load(data):
    audio = unit(np.load(f"{data}/audio.npy"))
    prompts = unit(np.load(f"{data}/class_text.npy"))
    names = open(f"{data}/class_names.txt").read().split("\n")
    row_of = {n: i for i, n in enumerate(names)}
    meta = list(csv.DictReader(open(f"{data}/meta.csv")))
    cls = np.array([row_of[m["class_name"]] for m in meta])
    test = np.array([m["fold"] == "1" for m in meta])
    return audio, prompts, cls, test


def transform(name, audio, prompts, cls, test, m):
    """(test audio rows, the 50 prompts) after the transform fitted on the train items."""
    x, y = audio.astype(np.float64), prompts[cls].astype(np.float64)
    mx, my = x[~test].mean(0), y[~test].mean(0)
    ox = oy = np.zeros(x.shape[1], np.float32)
    scale = np.ones(x.shape[1])
    if name == "center":
        ox, oy = mx.astype(np.float32), my.astype(np.float32)
    elif name == "ablate":
        bar = (mx + my) / 2
        g = (mx - bar) ** 2 + (my - bar) ** 2
        scale[np.argsort(-g, kind="stable")[:m]] = 0

    def apply(v, o):
        v = (v.astype(np.float64) - o.astype(np.float64)) * scale
        return v / np.linalg.norm(v, axis=1, keepdims=True)
    return apply(audio[test], ox), apply(prompts, oy)


def ranks_of_true(s, true):
    """Sorted 1-based ranks (tie rule) of the gallery items `true` for scores s."""
    r = [1 + np.sum(s > s[j]) + np.sum((s == s[j]) & (np.arange(len(s)) < j)) for j in true]
    return np.sort(np.array(r))


def per_query(ranks):
    best = ranks[0]
    m = len(ranks)
    ap10 = sum((i + 1) / r for i, r in enumerate(ranks) if r <= 10) / min(m, 10)
    return [float(best <= 1), float(best <= 5), ap10]


def values(name, audio, prompts, cls, test, m):
    """{column key: per-query values}, zero-shot: per test clip."""
    xa, p = transform(name, audio, prompts, cls, test, m)
    c = cls[test]
    gal = list(dict.fromkeys(c.tolist()))   # distinct prompt rows, in first-test-item order
    g = p[gal]
    out = {}
    a2b = np.array([per_query(ranks_of_true(g @ xa[i], [gal.index(c[i])]))
                    for i in range(len(xa))])
    b2a = np.array([per_query(ranks_of_true(xa @ g[k], np.flatnonzero(c == gal[k])))
                    for k in range(len(gal))])
    for j, m in enumerate(("R@1", "R@5", "mAP@10")):
        out[m + "_x2y"], out[m + "_y2x"] = a2b[:, j], b2a[:, j]
    s = xa @ p.T
    out["zeroshot_top1"] = (np.argmax(s, axis=1) == c).astype(float)  # argmax: lower index on ties
    return out


def paired(a, b, B, P, streams):
    n = len(a)
    if n not in streams:
        streams[n] = (boot_indices(n, B, 0), sign_flips(n, P, 0))
    idx, flips = streams[n]
    lo, hi = pct(np.array([a[i].mean() - b[i].mean() for i in idx]), 0.95)
    d = a - b
    ge = int(np.sum(np.abs((flips * d).mean(1)) >= abs(d.mean()) * (1 - 1e-12)))
    return a.mean() - b.mean(), lo, hi, (1 + ge) / (P + 1)


def check(test, ref, what):
    diff, lo, hi, p = ref
    assert abs(test["diff"] - diff) < 1e-9, (what, test, ref)
    assert abs(test["ci_lo"] - lo) < 1e-9 and abs(test["ci_hi"] - hi) < 1e-9, (what, test, ref)
    assert abs(test["p_value"] - p) < 1e-12, (what, test, ref)


def main():
    data, doc = sys.argv[1], json.load(open(sys.argv[2]))
    B, P, M = (int(a) for a in sys.argv[3:6])
    audio, prompts, cls, test = load(data)
    v = {n: values(n, audio, prompts, cls, test, M) for n in ("identity", "center", "ablate")}
    rows = {r["transform"]: r for r in doc["rows"]}
    streams, n_checked = {}, 0
    named = doc["versus"]
    ablate = f"ablate:m={M}"
    assert len(named) == 1 and named[0]["a"] == ablate and named[0]["b"] == "center", named
    pairs = [(named[0]["pairs"][0]["tests"], "ablate", "center")]
    for name, short in (("center", "center"), (ablate, "ablate")):
        pairs.append((rows[name]["pairs"][0]["vs_baseline"], short, "identity"))
    for tests, a, b in pairs:
        assert sorted(tests) == sorted(v[a]), (a, b, sorted(tests))
        for key in tests:
            check(tests[key], paired(v[a][key], v[b][key], B, P, streams), (a, b, key))
            n_checked += 1
    # the family: every p-value of the document, Holm-adjusted together
    every = [t for tests, _, _ in pairs for t in tests.values()]
    assert doc["significance"]["n_tests"] == len(every) == 21, doc["significance"]
    for t, adj in zip(every, holm([t["p_value"] for t in every])):
        assert abs(t["p_holm"] - adj) < 1e-12 and t["significant"] == (adj <= 0.05), (t, adj)
    t = pairs[0][0]
    print(f"checked {n_checked} tests; {ablate} - center: R@5 x2y {t['R@5_x2y']['diff']:+.4f} "
          f"[{t['R@5_x2y']['ci_lo']:+.4f}, {t['R@5_x2y']['ci_hi']:+.4f}] p "
          f"{t['R@5_x2y']['p_value']:.4g}; mAP@10 y2x {t['mAP@10_y2x']['diff']:+.4f} p "
          f"{t['mAP@10_y2x']['p_value']:.4g}; zero-shot {t['zeroshot_top1']['diff']:+.4f} p "
          f"{t['zeroshot_top1']['p_value']:.4g}")


if __name__ == "__main__":
    main()
