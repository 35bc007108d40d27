#!/usr/bin/python3
"""analyze.py — time and peak memory of `gapkit analyze` on ESC-50 CLAP (2000 clips
paired with their class prompts, 512-d), the main job, beside the same numbers
computed one command at a time, in one run.

  gapkit analyze AUDIO TEXT --labels … --prompt-labels … --pair-by-label --out DIR
  vs the single commands it stands for: gap, comet fit --k shared, similarity
  (nngs --k-sweep, tas, cka-linear), compare, compare --sweep shift:6

Each is run --repeat times (default 2) in a fresh process; the best wall time and
the largest peak RSS count (RUSAGE_CHILDREN of a child that runs only gapkit).

Usage: /usr/bin/python3 bench/analyze.py --gapkit build/gapkit [--data ../shared/data]
"""
import argparse
import os
import subprocess
import sys
import tempfile

CHILD = ("import resource,subprocess,sys,time;t=time.perf_counter();"
         "r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL);w=time.perf_counter()-t;"
         "print(w,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);sys.exit(r.returncode)")


def timed(cmd):
    out = subprocess.run([sys.executable, "-c", CHILD, *cmd], check=True, capture_output=True,
                         text=True)
    wall, rss_kb = out.stdout.split()
    return float(wall), int(rss_kb) * 1024


def best(cmd, repeat):
    runs = [timed(cmd) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gapkit", default="build/gapkit")
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
    ap.add_argument("--repeat", type=int, default=2)
    a = ap.parse_args()
    e = os.path.join(a.data, "esc50-clap")
    pair = [os.path.join(e, "audio.npy"), os.path.join(e, "class_text.npy"), "--labels",
            os.path.join(e, "meta.csv") + ":class_name", "--prompt-labels",
            os.path.join(e, "class_names.txt"), "--pair-by-label"]
    g = a.gapkit
    with tempfile.TemporaryDirectory() as tmp:
        steps = [
            ("gap", [g, "gap", *pair]),
            ("comet fit --k shared (B = 19)", [g, "comet", "fit", *pair, "--k", "shared",
                                               "--permutations", "19", "--out", tmp + "/m.npz"]),
            ("similarity nngs --k-sweep", [g, "similarity", *pair, "--measure", "nngs", "--k-sweep"]),
            ("similarity tas", [g, "similarity", *pair, "--measure", "tas"]),
            ("similarity cka-linear", [g, "similarity", *pair, "--measure", "cka-linear"]),
            ("compare --split classes:0.5", [g, "compare", *pair, "--split", "classes:0.5"]),
            ("compare --sweep shift:6", [g, "compare", *pair, "--split", "classes:0.5",
                                         "--sweep", "shift:6"]),
        ]
        total, peak = 0.0, 0
        rows = []
        for name, cmd in steps:
            t, m = best(cmd, a.repeat)
            total, peak = total + t, max(peak, m)
            rows.append((name, t, m))
        at, am = best([g, "analyze", *pair, "--out", tmp + "/report", "--quiet"], a.repeat)
    print("| run | wall | peak RSS |\n|---|---|---|")
    for name, t, m in rows:
        print("| %s | %.2f s | %.0f MB |" % (name, t, m / 2**20))
    print("| the single commands, summed | %.2f s | %.0f MB (largest) |" % (total, peak / 2**20))
    print("| **gapkit analyze** (all of the above + projection + report) | %.2f s | %.0f MB |"
          % (at, am / 2**20))
    print("\nanalyze / sum of the single commands: %.2f" % (at / total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
