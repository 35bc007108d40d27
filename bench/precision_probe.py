#!/usr/bin/python3
"""precision_probe.py — does a reduced-precision candidate pass (the first half
of a certified bf16/int8 exact kNN, methods.md §13) pay off on this CPU?
Compiles bench/precision_probe.c (cc -O2 -mavx2 -mfma, OpenBLAS, and oneDNN
when its header is installed: Debian libdnnl-dev) and runs it on one core.

Prints, in multiply-accumulates per CPU second: the fp32 FMA peak, the AVX2
int16 (vpmaddwd) and int8 (vpmaddubsw) peaks, OpenBLAS sgemm and oneDNN's
u8·s8 → s32 GEMM at (2048, 2048, 512), and each against OpenBLAS sgemm — the
fp32 floor that gapkit's kNN engine runs at.  A candidate pass must beat the
floor by the target (1.8×) plus the re-ranking; the ratio of its peak to
sgemm bounds what any kernel could reach.  The CPU flags (avx512_bf16,
avx512_vnni, avx_vnni, amx) are listed: without them there is no bf16 or VNNI
instruction to use.

Usage:  /usr/bin/python3 bench/precision_probe.py [--md out.md]
"""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from benchlib import Table  # noqa: E402


def build(tmp):
    exe = os.path.join(tmp, "probe")
    cmd = ["cc", "-O2", "-mavx2", "-mfma", "-I/usr/include/x86_64-linux-gnu/openblas-pthread",
           os.path.join(HERE, "precision_probe.c"), "-o", exe, "-lopenblas"]
    if os.path.exists("/usr/include/oneapi/dnnl/dnnl.h"):
        cmd[1:1] = ["-DHAVE_DNNL"]
        cmd.append("-ldnnl")
    subprocess.run(cmd, check=True)
    return exe


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--md")
    a = ap.parse_args()
    flags = set()
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("flags"):
                flags = set(line.split(":")[1].split())
                break
    wanted = ["avx2", "fma", "f16c", "avx512f", "avx512_bf16", "avx512_vnni", "avx_vnni",
              "amx_bf16", "amx_int8"]
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        out = subprocess.run([build(tmp)], capture_output=True, text=True, env=env, check=True)
    r = {line.split()[0]: float(line.split()[1]) for line in out.stdout.splitlines()}
    sg = r["sgemm"]
    names = {"peak_fp32": "fp32 FMA peak (vfmadd231ps)",
             "peak_int16": "int16 peak (vpmaddwd + vpaddd)",
             "peak_int8": "int8 peak (vpmaddubsw + vpmaddwd + vpaddd)",
             "sgemm": "OpenBLAS sgemm (2048, 2048, 512)",
             "dnnl_u8s8": "oneDNN gemm u8s8s32 (2048, 2048, 512)"}
    lines = ["CPU flags: " + ", ".join(f"{w} {'yes' if w in flags else 'no'}" for w in wanted),
             f"load average before the run {os.getloadavg()[0]:.1f}; one core, CPU time", "",
             "| kernel | GMAC per CPU-s | / OpenBLAS sgemm |", "|---|---|---|"]
    for key, label in names.items():
        if key in r:
            lines.append(f"| {label} | {r[key]:.1f} | {r[key] / sg:.2f} |")
    table = Table()
    table.add(*lines)
    table.save(a.md)


if __name__ == "__main__":
    sys.exit(main())
