"""benchlib.py — what the benchmarks (bench/*.py) and the reference scripts
share: the seeded clustered data of the kNN benchmarks, the timer of one
`gapkit` process, gapkit's random generator written again in Python (to
reproduce its draws), and the table that is printed as it grows and may be
saved as markdown.  Imported, not run.
"""
import os
import subprocess
import sys
import time

MASK = (1 << 64) - 1


def make_data(n, d, seed, directory):
    """X: clustered rows (centre of one of 500 clusters + noise); Y: X rotated
    by a random orthogonal matrix plus fresh noise (a second space of the same
    items).  Float32 .npy files written once to `directory`, reused when they
    exist.  Returns the two paths."""
    import numpy as np  # here, so that the RNG alone needs no numpy
    px, py = (os.path.join(directory, f"knn_{s}_{n}x{d}_s{seed}.npy") for s in ("X", "Y"))
    if os.path.exists(px) and os.path.exists(py):
        return px, py
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((500, d)).astype(np.float32)
    rot, _ = np.linalg.qr(rng.standard_normal((d, d)))
    rot = rot.astype(np.float32)
    X = np.lib.format.open_memmap(px + ".tmp", mode="w+", dtype=np.float32, shape=(n, d))
    Y = np.lib.format.open_memmap(py + ".tmp", mode="w+", dtype=np.float32, shape=(n, d))
    for s in range(0, n, 10000):
        e = min(n, s + 10000)
        x = centres[rng.integers(0, 500, e - s)] + 0.7 * rng.standard_normal((e - s, d)).astype(np.float32)
        X[s:e] = x
        Y[s:e] = x @ rot + 0.3 * rng.standard_normal((e - s, d)).astype(np.float32)
    X.flush()
    Y.flush()
    del X, Y
    os.replace(px + ".tmp", px)
    os.replace(py + ".tmp", py)
    return px, py


def timed(argv):
    """Wall time, peak RSS (MB) and CPU seconds (user + system) of one child,
    measured by /usr/bin/time, and its stdout."""
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M %U %S"] + argv, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed:\n{p.stderr}")
    rss, user, system = p.stderr.strip().splitlines()[-1].split()
    return wall, int(rss) / 1024, float(user) + float(system), p.stdout


class Rng:
    """gapkit's gk_rng (src/core/rng.c), written again from the published
    algorithms: xoshiro256** seeded by splitmix64, rejection sampling for the
    integers below n (gk_rng_below), Fisher-Yates from the last index down."""

    def __init__(self, seed):
        x = seed & MASK
        self.s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & MASK
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            self.s.append(z ^ (z >> 31))

    @staticmethod
    def rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & MASK

    def next(self):
        s = self.s
        result = (self.rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = self.rotl(s[3], 45)
        return result

    def below(self, n):
        limit = MASK - MASK % n  # UINT64_MAX - UINT64_MAX % n
        while True:
            x = self.next()
            if x < limit:
                return x % n

    def shuffle(self, idx):
        for i in range(len(idx) - 1, 0, -1):
            j = self.below(i + 1)
            idx[i], idx[j] = idx[j], idx[i]


class Table(list):
    """Lines printed as they come (a long run keeps what it measured), and
    saved as markdown at the end."""

    def add(self, *lines):
        for line in lines:
            print(line, flush=True)
            self.append(line)

    def save(self, md):
        """Writes the lines to the file md (nothing when md is None)."""
        if md:
            with open(md, "w") as f:
                f.write("\n".join(self) + "\n")
