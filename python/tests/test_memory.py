"""Memory: a 10^6-row memmap is not copied (peak RSS), and 1,000 calls leak nothing
(RSS stable).  Each check runs in a fresh interpreter so that the peak is its own."""
import os
import subprocess
import sys
import textwrap

import numpy as np

import gapkit

N, D = 1_000_000, 32


def run_py(code, tmp_path):
    """Runs code in a new interpreter that imports this very gapkit; its printed numbers."""
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(gapkit.__file__)),
               GAPKIT_LIBRARY=gapkit.library_path())
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                         text=True, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    return [float(v) for v in out.stdout.split()]


def test_million_row_memmap_is_not_copied(tmp_path):
    path = tmp_path / "big.npy"
    mm = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(N, D))
    rng = np.random.default_rng(0)
    for r0 in range(0, N, 100_000):
        mm[r0:r0 + 100_000] = rng.standard_normal((100_000, D), dtype=np.float32)
    mm.flush()
    del mm
    file_mb = N * D * 4 / 2**20
    base, peak_fit, peak_knn = run_py(f"""
        import resource, numpy as np, gapkit
        x = np.load({str(path)!r}, mmap_mode="r")
        q = np.array(x[:8])
        peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        base = peak()
        m = gapkit.comet_fit(x, x, k=4, normalize=False)   # both sides: the same mapping
        fit = peak()
        r = gapkit.knn(x, 5, queries=q, normalize=False)
        assert r.ids[0, 0] == 0
        print(base, fit, peak())
        """, tmp_path)
    # reading the mapping makes its pages resident once (file_mb); a float32 copy of
    # the rows would add as much again on top
    assert peak_fit - base < 1.5 * file_mb, (base, peak_fit, file_mb)
    assert peak_knn - base < 1.5 * file_mb, (base, peak_knn, file_mb)


def test_no_leak_over_1000_calls(tmp_path):
    growth_kb, = run_py("""
        import gc, numpy as np, gapkit
        gapkit.set_threads(1)  # tiny inputs: spare the thread start-ups on a busy machine
        rng = np.random.default_rng(0)
        x = rng.standard_normal((120, 16)).astype(np.float32)
        y = x + 0.5 * rng.standard_normal((120, 16)).astype(np.float32)
        labels = [str(i % 4) for i in range(120)]

        def rss_kb():
            with open("/proc/self/statm") as f:
                return int(f.read().split()[1]) * 4096 / 1024

        def calls(i):
            gapkit.gap(x, y, separability=False)
            m = gapkit.comet_fit(x, y, k=3)
            m.apply(x, 0)
            m.explain(x, y)
            gapkit.knn(x, 3)
            gapkit.similarity(x, y, "cka-linear")
            gapkit.similarity(x, y, "svcca", svcca_dims=4)
            t = gapkit.Transform("cca", k=4).fit([x, y])
            t.transform(y, view=1)
            gapkit.retrieval(x, y, split="random:0.5", transform="center")
            gapkit.zeroshot(x, y[:4], labels, ["0", "1", "2", "3"])
            try:
                gapkit.comet_fit(x, y[:-1])
            except gapkit.InputError:
                pass

        for i in range(50):
            calls(i)
        gc.collect()
        before = rss_kb()
        for i in range(1000):
            calls(i)
        gc.collect()
        print(rss_kb() - before)
        """, tmp_path)
    # one leaked 120x16 float32 matrix or JSON text per call would be >= 1.9 MB
    assert growth_kb < 1024, growth_kb
