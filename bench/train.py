#!/usr/bin/python3
"""train.py — `gapkit train` beside the same training in PyTorch on the CPU, in one run:
time per epoch (wall and CPU), throughput (items/s), peak memory and final loss, for the linear and
the MLP (MS-CLAP block) head at batch 256, d = 512.

Both train the same head on the same data (N paired unit rows from `gapkit synth
--d 512`): symmetric InfoNCE, temperature 0.07 fixed, AdamW (lr 1e-3, weight decay
0.01 on weight matrices, 10 % warm-up then cosine decay), no dropout.  The item
order differs (each shuffles with its own generator), so the loss curves agree in
value, not bit for bit (tests/test_train_reference.c checks bit-level agreement on
identical batches).  On a shared machine wall time swings with the load, so CPU
time per epoch is printed too (gapkit: the process's CPU time less that of a 1-epoch
run, over the other epochs; PyTorch: process_time per epoch; both leave out loading
and the first epoch).  Each run is a fresh process; peak RSS is that process's
(os.wait4); PyTorch's includes the torch library itself, so its bare import is
reported too.  gapkit trains with single-threaded BLAS (its heads must not depend on
the thread count; with 2 threads the two views' heads run side by side); both run
with 1 and with 2 threads and each speed-up compares equal thread counts.

Usage: /usr/bin/python3 bench/train.py --gapkit build/gapkit [--n 8192] [--epochs 3]

--mpi P (no PyTorch): what the row blocks and P MPI ranks cost, gapkit against itself: one
process at batch 256 (one block) against --baseline (a build from before the blocks), one
process at batch 1024 in four 256-row blocks against one 1024-row block (--row-block 1024:
one GEMM), and `mpirun -n P` at batch 1024 against one process on 2 threads.  Wall and CPU
seconds per epoch (an mpirun's CPU time is that of all its ranks), the peak RSS of the
largest process, the ratios, and whether the heads that must be equal are (cmp).  The load
average is printed before and after.
  /usr/bin/python3 bench/train.py --gapkit build/gapkit --mpi 2 --baseline OLD/gapkit
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

B, D, LR, WD, WARMUP, TEMP = 256, 512, 1e-3, 0.01, 0.1, 0.07


def run_child(cmd):
    """Runs cmd, returns (stdout, peak RSS bytes, CPU seconds)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    if status != 0:
        sys.exit("failed: %s" % " ".join(cmd))
    return out, ru.ru_maxrss * 1024, ru.ru_utime + ru.ru_stime


def torch_worker(a):
    import numpy as np
    import torch
    torch.set_num_threads(a.torch_threads)
    torch.manual_seed(0)
    X = torch.from_numpy(np.load(a.x))
    Y = torch.from_numpy(np.load(a.y))
    n, din = X.shape

    def linear(i, o):
        return torch.nn.Linear(i, o)

    class Mlp(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.l1, self.l2, self.ln = linear(din, D), linear(D, D), torch.nn.LayerNorm(D)

        def forward(self, x):
            e1 = self.l1(x)
            return self.ln(e1 + self.l2(torch.nn.functional.gelu(e1)))

    heads = [Mlp() if a.head == "mlp" else linear(din, D) for _ in range(2)]
    decay = [p for h in heads for name, p in h.named_parameters() if name.endswith("weight")
             and "ln" not in name]
    rest = [p for h in heads for name, p in h.named_parameters() if not (
        name.endswith("weight") and "ln" not in name)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": WD},
                             {"params": rest, "weight_decay": 0.0}], lr=LR)
    steps = n // B
    total, w = a.epochs * steps, round(WARMUP * a.epochs * steps)
    labels = torch.arange(B)
    curve, step = [], 0
    for _ in range(a.epochs):
        t0, c0 = time.perf_counter(), time.process_time()
        perm = torch.randperm(n)
        mean = 0.0
        for k in range(steps):
            idx = perm[k * B:(k + 1) * B]
            lr = LR * (step + 1) / w if step < w else \
                LR * 0.5 * (1 + math.cos(math.pi * (step - w) / (total - w)))
            for g in opt.param_groups:
                g["lr"] = lr
            za = torch.nn.functional.normalize(heads[0](X[idx]), dim=1)
            zb = torch.nn.functional.normalize(heads[1](Y[idx]), dim=1)
            logits = za @ zb.T / TEMP
            loss = 0.5 * (torch.nn.functional.cross_entropy(logits, labels) +
                          torch.nn.functional.cross_entropy(logits.T, labels))
            opt.zero_grad()
            loss.backward()
            opt.step()
            mean += loss.item() / steps
            step += 1
        curve.append({"loss": mean, "seconds": time.perf_counter() - t0,
                      "cpu": time.process_time() - c0})
    print(json.dumps({"curve": curve}))


def gapkit_run(a, x, y, head, tmp, threads, batch=B, binary=None, prefix=(), extra=(),
               heads="h.npz"):
    def cmd(epochs):
        return list(prefix) + [
            binary or a.gapkit, "train", x, y, "--out", os.path.join(tmp, heads), "--head", head,
            "--epochs", str(epochs), "--batch", str(batch), "--dim", str(D), "--lr", str(LR),
            "--wd", str(WD), "--warmup", str(WARMUP), "--temperature", str(TEMP),
            "--threads", str(threads), "--no-normalize", "--json", "--quiet"] + list(extra)
    out, rss, cpu = run_child(cmd(a.epochs))
    curve = json.loads(out)["curve"]
    # CPU time per epoch after the first, as PyTorch's rows: the process's CPU
    # time minus that of a 1-epoch run of the same command (loading the data,
    # the first epoch's warm-up), over the remaining epochs
    keep = os.path.join(tmp, "kept-" + heads)
    os.replace(os.path.join(tmp, heads), keep)  # the E-epoch heads, for mpi_main's cmp
    _, _, cpu1 = run_child(cmd(1)) if a.epochs > 1 else (None, None, 0.0)
    os.replace(keep, os.path.join(tmp, heads))
    for c in curve:
        c["cpu"] = (cpu - cpu1) / max(a.epochs - 1, 1)
    return curve, rss


def torch_run(a, x, y, head, threads):
    cmd = [sys.executable, __file__, "--torch-worker", "--x", x, "--y", y, "--head", head,
           "--epochs", str(a.epochs), "--torch-threads", str(threads)]
    out, rss, _ = run_child(cmd)
    return json.loads(out)["curve"], rss


GEMM_FLOOR = r"""
import os, sys, time
import numpy as np
B, D, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(0)
a = rng.standard_normal((B, D), dtype=np.float32)
w = rng.standard_normal((D, D), dtype=np.float32)
g = rng.standard_normal((B, D), dtype=np.float32)
best = 1e9
for _ in range(5):   # forward y = x W, input gradient dx = dy Wᵀ, weight gradient dW = xᵀ dy
    t = time.process_time()
    for _ in range(n):
        a @ w; g @ w.T; a.T @ g
    best = min(best, time.process_time() - t)
print(3 * n * 2.0 * B * D * D / best / 1e9)
"""


def gemm_floor(n_items):
    """The MLP epoch's GEMM work and the time OpenBLAS sgemm (through numpy, one thread)
    needs for it: no training step can be faster than its GEMMs (docs/train.md).  Per
    step and view: 5 GEMMs of B×D×D (the frozen input needs no input gradient), plus 3
    of B×B×D for the loss; an epoch has N/B steps."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", GEMM_FLOOR, str(B), str(D), "40"], env=env,
                         capture_output=True, text=True, check=True).stdout
    rate = float(out)
    steps = n_items // B
    flop = steps * (2 * 5 * 2.0 * B * D * D + 3 * 2.0 * B * B * D)
    print("GEMM floor (MLP, N = %d): %.1f GFLOP an epoch; sgemm of %d×%d×%d at %.1f GFLOP "
          "per CPU-second (numpy, 1 thread) -> %.3f CPU-s an epoch at the least"
          % (n_items, flop / 1e9, B, D, D, rate, flop / 1e9 / rate))


def row(name, head, curve, rss, n):
    # the first epoch includes warming caches and page faults: report the others
    rest = curve[1:] or curve
    s = sum(c["seconds"] for c in rest) / len(rest)
    cpu = sum(c["cpu"] for c in rest) / len(rest)
    print("%-6s %-16s %9.3f %9.3f %10.0f %9.0f %10.4f" % (head, name, s, cpu, n / s,
                                                         rss / 2**20, curve[-1]["loss"]))
    return s, cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gapkit", default="build/gapkit")
    ap.add_argument("--n", type=int, default=8192)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--heads", default="linear,mlp")
    ap.add_argument("--torch-threads", type=int, default=1, help="(worker) torch threads")
    ap.add_argument("--torch-worker", action="store_true")
    ap.add_argument("--mpi", type=int, default=0, help="P: the blocks and P ranks, no PyTorch")
    ap.add_argument("--baseline", help="with --mpi: a gapkit from before the row blocks")
    ap.add_argument("--x"), ap.add_argument("--y"), ap.add_argument("--head")
    a = ap.parse_args()
    if a.torch_worker:
        return torch_worker(a)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([a.gapkit, "synth", "--n", str(a.n), "--d", str(D), "--out", tmp],
                       check=True, stdout=subprocess.DEVNULL)
        x, y = os.path.join(tmp, "text.npy"), os.path.join(tmp, "audio.npy")
        if a.mpi:
            return mpi_main(a, x, y, tmp)
        _, torch_import_rss, _ = run_child([sys.executable, "-c", "import torch"])
        print("N = %d pairs, d = %d, batch %d, %d epochs; items/s = N / (s/epoch); ratio = "
              "PyTorch s/epoch over gapkit's" % (a.n, D, B, a.epochs))
        print("PyTorch's bare `import torch` peaks at %.0f MB" % (torch_import_rss / 2**20))
        if "mlp" in a.heads.split(","):
            gemm_floor(a.n)
        print("%-6s %-16s %9s %9s %10s %9s %10s" % ("head", "run", "s/epoch", "cpu s/ep",
                                                   "items/s", "peak MB", "final loss"))
        for head in a.heads.split(","):
            g = {th: gapkit_run(a, x, y, head, tmp, th) for th in (1, 2)}
            gs = {th: row("gapkit %d thr" % th, head, *g[th], a.n) for th in (1, 2)}
            for th in (1, 2):
                tc, trss = torch_run(a, x, y, head, th)
                ts = row("pytorch %d thr" % th, head, tc, trss, a.n)
                print("%-6s %-16s %8.2fx %8.2fx   (PyTorch / gapkit at %d thread%s)" % (
                    "", "  speed-up", ts[0] / gs[th][0], ts[1] / gs[th][1], th,
                    "s" if th > 1 else ""))

def same_file(p, q):
    with open(p, "rb") as f, open(q, "rb") as g:
        return f.read() == g.read()


def mpi_main(a, x, y, tmp):
    """--mpi P: the blocks' and the ranks' cost, gapkit against itself."""
    mpirun = ["mpirun", "--oversubscribe", "--allow-run-as-root", "--bind-to", "none", "-n",
              str(a.mpi)]
    print("load average before: %.2f %.2f %.2f" % os.getloadavg())
    print("%-6s %-34s %9s %9s %9s %10s" % ("head", "run", "s/epoch", "cpu s/ep", "peak MB",
                                           "final loss"))

    def line(head, name, curve, rss):
        rest = curve[1:] or curve
        s = sum(c["seconds"] for c in rest) / len(rest)
        cpu = sum(c["cpu"] for c in rest) / len(rest)
        print("%-6s %-34s %9.3f %9.3f %9.0f %10.4f" % (head, name, s, cpu, rss / 2**20,
                                                       curve[-1]["loss"]), flush=True)
        return s, cpu

    def ratio(head, what, num, den):
        print("%-6s %-34s %8.3fx %8.3fx" % (head, "  " + what, num[0] / den[0], num[1] / den[1]))

    for head in a.heads.split(","):
        def go(name, heads, **kw):
            return line(head, name, *gapkit_run(a, x, y, head, tmp, kw.pop("threads", 1),
                                                heads=heads, **kw))
        old = go("baseline, batch 256", "old.npz", binary=a.baseline) if a.baseline else None
        one = go("1 proc, batch 256 (1 block)", "one.npz")
        if old:
            ratio(head, "this / baseline", one, old)
            print("%-6s   heads identical: %s" % (head, same_file(
                os.path.join(tmp, "old.npz"), os.path.join(tmp, "one.npz"))))
        gemm = go("1 proc, batch 1024, --row-block 1024", "gemm.npz", batch=1024,
                  extra=["--row-block", "1024"])
        blk = go("1 proc, batch 1024 (4 blocks)", "blk.npz", batch=1024)
        ratio(head, "4 blocks / 1 block", blk, gemm)
        thr = go("1 proc 2 thr, batch 1024", "thr.npz", batch=1024, threads=2)
        mpi = go("mpirun -n %d, batch 1024" % a.mpi, "mpi.npz", batch=1024, prefix=mpirun)
        ratio(head, "mpirun -n %d / 1 proc 2 thr" % a.mpi, mpi, thr)
        print("%-6s   heads identical (4 blocks, 2 threads, %d ranks): %s" % (
            head, a.mpi, same_file(os.path.join(tmp, "blk.npz"), os.path.join(tmp, "thr.npz"))
            and same_file(os.path.join(tmp, "blk.npz"), os.path.join(tmp, "mpi.npz"))))
    print("load average after: %.2f %.2f %.2f" % os.getloadavg())


if __name__ == "__main__":
    main()
