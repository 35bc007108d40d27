"""Array layouts and views, exceptions, the GIL and progress."""
import threading
import time

import numpy as np
import pytest

import gapkit
from gapkit._arrays import MatArg


def rows(n=300, d=16, seed=0):
    return np.random.default_rng(seed).standard_normal((n, d)).astype(np.float32)


def test_views_are_not_copied():
    x = rows()
    for a in (x, x[10:200], x[::3], np.lib.stride_tricks.as_strided(x, (100, 8), (128, 4))):
        m = MatArg(a, normalize=False)
        assert m.array.ctypes.data == a.ctypes.data
        assert m.mat.rs * 4 == a.strides[0] and m.mat.cs == 1


def test_memmap_is_a_view(tmp_path):
    np.save(tmp_path / "x.npy", rows())
    mm = np.load(tmp_path / "x.npy", mmap_mode="r")
    m = MatArg(mm, normalize=False)
    assert m.array.ctypes.data == mm.ctypes.data


@pytest.mark.parametrize("make", [lambda x: x.astype(np.float64), np.asfortranarray,
                                  lambda x: np.repeat(x, 2, axis=1)[:, ::2],
                                  lambda x: x.astype(">f4")])
def test_other_layouts_are_converted_and_give_the_same_result(make):
    x, y = rows(seed=1), rows(seed=2)
    a = make(x)
    m = MatArg(a, normalize=False)
    assert m.array.ctypes.data != np.asarray(a).ctypes.data  # one converted copy
    assert m.array.flags.c_contiguous and m.array.dtype == np.float32
    ref = gapkit.gap(x, y, separability=False)
    got = gapkit.gap(a, y, separability=False)
    assert got["gap"] == ref["gap"] and got["rmg"] == ref["rmg"]
    np.testing.assert_array_equal(got["gap_vector"], ref["gap_vector"])


def test_normalize_leaves_the_input_untouched():
    x = rows()
    before = x.copy()
    gapkit.knn(x, 3)
    np.testing.assert_array_equal(x, before)


def test_errors_carry_code_and_message():
    x, y = rows(), rows(seed=3)
    bad = x.copy()
    bad[17, 3] = np.nan
    with pytest.raises(gapkit.InputError) as e:
        gapkit.comet_fit(bad, y, normalize=False)
    assert e.value.code == 7 and "17" in e.value.message  # GK_ENUMERIC names the row
    with pytest.raises(gapkit.InputError) as e:
        gapkit.comet_fit(x, y[:-1])
    assert e.value.code == 4  # GK_ESHAPE
    with pytest.raises(gapkit.UsageError) as e:
        gapkit.similarity(x, y, "nngs", k=10_000)
    assert e.value.code == 5 and isinstance(e.value, ValueError)
    with pytest.raises(gapkit.UsageError):
        gapkit.similarity(x, y, "no-such-measure")
    with pytest.raises(gapkit.InputError) as e:
        gapkit.Comet.load("/nonexistent/model.npz")
    assert e.value.code == 2 and "/nonexistent/model.npz" in e.value.message
    assert issubclass(gapkit.InternalError, gapkit.GapkitError)


def test_the_gil_is_released_during_library_calls():
    """A Python thread keeps counting while a long kNN search runs in the library."""
    x = np.random.default_rng(0).standard_normal((8000, 64)).astype(np.float32)
    count = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            count[0] += 1

    gapkit.set_threads(1)
    try:
        t = threading.Thread(target=spin)
        t.start()
        time.sleep(0.2)
        c0, t0 = count[0], time.perf_counter()
        time.sleep(0.5)
        idle_rate = (count[0] - c0) / (time.perf_counter() - t0)
        c0, t0 = count[0], time.perf_counter()
        gapkit.knn(x, 10, normalize=False)
        busy_rate = (count[0] - c0) / (time.perf_counter() - t0)
        stop.set()
        t.join()
    finally:
        gapkit.set_threads(0)
    # with the GIL held the counter could not move during the one foreign call
    assert busy_rate > 0.1 * idle_rate


def test_progress_callback_sees_every_stage():
    seen = []
    gapkit.set_progress(lambda stage, done, total: seen.append((stage, done, total)))
    try:
        gapkit.comet_permutation_test(rows(200, 8), rows(200, 8, 5), permutations=9)
    finally:
        gapkit.set_progress(None)
    stages = {s for s, _, _ in seen}
    assert "permutation test: shuffled cross-products" in stages
    done = [d for s, d, t in seen if s == "permutation test: shuffled cross-products"]
    assert done[-1] == 9
    n = len(seen)
    gapkit.knn(rows(), 3)  # removed: no more calls
    assert len(seen) == n


def test_tqdm_progress():
    pytest.importorskip("tqdm")
    bar = gapkit.set_progress("tqdm")
    try:
        gapkit.comet_permutation_test(rows(200, 8), rows(200, 8, 5), permutations=9)
    finally:
        gapkit.set_progress(None)
    assert bar._bar is None  # every stage's bar closed at done == total
