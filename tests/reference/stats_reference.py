#!/usr/bin/python3
"""stats_reference.py — independent reference numbers for tests/test_stats.c
(include/gapkit/stats.h: bootstrap intervals, paired tests, Holm, permutation null).

Run from the project root:  /usr/bin/python3 tests/reference/stats_reference.py
Needs numpy and scipy.  Prints the expected numbers pasted into tests/test_stats.c.

The resampling streams are regenerated here from the seed with a second,
independent implementation of gapkit's RNG (splitmix64 -> xoshiro256**, rejection
sampling for integers below n, Fisher-Yates from the last index down), so numpy
computes the statistics on the SAME resamples as the C code; scipy.stats then
checks the method itself with its own random draws (bootstrap, permutation_test
with exact enumeration), within Monte-Carlo error.
"""
import os
import sys

import numpy as np
from scipy import stats

# gapkit's RNG written again in Python (bench/benchlib.py, shared with the benchmarks)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
from benchlib import Rng  # noqa: E402

def boot_indices(n, B, seed):
    r = Rng(seed)
    return np.array([[r.below(n) for _ in range(n)] for _ in range(B)])


def sign_flips(n, P, seed):
    r = Rng(seed)
    return np.array([[-1.0 if r.next() >> 63 else 1.0 for _ in range(n)] for _ in range(P)])


def perms(n, P, seed):
    r = Rng(seed)
    out = []
    for _ in range(P):
        p = list(range(n))
        r.shuffle(p)
        out.append(p)
    return np.array(out)


def pct(vals, level):
    return np.percentile(vals, [50 * (1 - level), 50 * (1 + level)])  # numpy "linear"


def holm(p):
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p, kind="stable")
    adj = np.empty(m)
    run = 0.0
    for j, i in enumerate(order):
        run = max(run, min(1.0, (m - j) * p[i]))
        adj[i] = run
    return adj


def linear_cka(x, y):
    x = x - x.mean(0)
    y = y - y.mean(0)
    return np.linalg.norm(x.T @ y) ** 2 / (np.linalg.norm(x.T @ x) * np.linalg.norm(y.T @ y))


# Data shared with tests/test_stats.c (the same literals there).
HITS = np.array([1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1], float)
AP = np.array([1.0, 0.5, 0.25, 1.0, 0.2, 1.0, 0.333333, 0.5, 0.1, 1.0,
               0.125, 1.0, 0.5, 0.05, 1.0, 1.0, 0.25, 0.0625, 1.0, 0.5])
RANK = np.array([1, 2, 4, 1, 5, 1, 3, 2, 10, 1, 8, 1, 2, 20, 1, 1, 4, 16, 1, 2], float)
AP_B = AP * 0.8 + 0.05 * (np.arange(20) % 3)  # a second "method" on the same queries
B, SEED, LEVEL = 200, 7, 0.95


def main():
    n = len(HITS)
    idx = boot_indices(n, B, SEED)
    print("first draw:", idx[0][:8].tolist(), " draw 199:", idx[199][-4:].tolist())
    for name, v, f in (("hits mean", HITS, np.mean), ("ap mean", AP, np.mean),
                       ("rank median", RANK, np.median)):
        vals = np.array([f(v[i]) for i in idx])
        lo, hi = pct(vals, LEVEL)
        print(f"{name}: value {f(v):.12f} lo {lo:.12f} hi {hi:.12f}")
    # scipy's percentile bootstrap with its own draws agrees within Monte-Carlo error
    sc = stats.bootstrap((AP,), np.mean, n_resamples=20000, method="percentile",
                         random_state=np.random.default_rng(1)).confidence_interval
    print(f"scipy ap mean percentile CI (20000 draws): {sc.low:.4f} {sc.high:.4f}")

    # paired: bootstrap of the difference on the same draws, sign-flip p
    diffs = np.array([AP[i].mean() - AP_B[i].mean() for i in idx])
    lo, hi = pct(diffs, LEVEL)
    d = AP - AP_B
    P = 999
    s = sign_flips(n, P, SEED)
    t_obs = abs(d.mean()) * (1 - 1e-12)
    ge = int(np.sum(np.abs((s * d).mean(1)) >= t_obs))
    p = (1 + ge) / (P + 1)
    print(f"paired ap: diff {d.mean():.12f} lo {lo:.12f} hi {hi:.12f} p {p:.12f} (ge {ge})")
    # exact sign-flip test on 2^12 flips of the first 12 queries, via scipy
    d12 = d[:12]
    ex = stats.permutation_test((d12,), np.mean, permutation_type="samples",
                                alternative="two-sided", n_resamples=np.inf).pvalue
    s12 = sign_flips(12, 20000, 3)
    ge12 = int(np.sum(np.abs((s12 * d12).mean(1)) >= abs(d12.mean()) * (1 - 1e-12)))
    print(f"first 12: scipy exact p {ex:.12f}; gapkit stream 20000 flips seed 3 p "
          f"{(1 + ge12) / 20001:.12f}")

    # Holm against a hand-checkable case
    pv = [0.01, 0.04, 0.03, 0.005, 0.2]
    print("holm:", " ".join(f"{a:.12g}" for a in holm(pv)))

    # permutation null of linear CKA on deterministic data
    i = np.arange(30)[:, None]
    x = np.sin(1.3 * i + 0.7 * np.arange(4)[None, :]).astype(np.float32).astype(float)
    y = (np.cos(0.9 * i * np.arange(1, 4)[None, :] + 0.3 * i) +
         0.5 * np.sin(1.3 * i + 0.7 * np.arange(3)[None, :])).astype(np.float32).astype(float)
    obs = linear_cka(x, y)
    pp = perms(30, 50, 11)
    null = np.array([linear_cka(x, y[q]) for q in pp])
    mu, sd = null.mean(), null.std(ddof=1)
    ge = int(np.sum(null >= obs))
    print(f"null cka: obs {obs:.12f} mean {mu:.12f} sd {sd:.12f} calibrated "
          f"{(obs - mu) / (1 - mu):.12f} z {(obs - mu) / sd:.12f} p {(1 + ge) / 51:.12f}")
    print("perm 0:", pp[0][:10].tolist())


if __name__ == "__main__":
    main()
