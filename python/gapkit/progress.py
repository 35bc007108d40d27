"""Progress of long library calls (core.h gk_set_progress).

The library reports (stage, done, total) from the thread that runs the
operation.  set_progress(fn) installs fn(stage: str, done: int, total: int)
for every later call; set_progress("tqdm") shows a tqdm bar per stage (tqdm
must be installed); set_progress(None) removes it (the default).  The
callback runs with the GIL held; exceptions raised in it are printed and
ignored (the library cannot stop midway).
"""
from ._ffi import PROGRESS_FN, lib

_installed = None  # keeps the ctypes callback alive while the library holds it


class TqdmProgress:
    """A tqdm bar per stage: a new stage closes the previous bar."""

    def __init__(self):
        import tqdm  # noqa: F401  (raises ImportError early when missing)
        self._tqdm = tqdm.tqdm
        self._bar = None
        self._stage = None

    def __call__(self, stage, done, total):
        if stage != self._stage:
            self.close()
            self._stage = stage
            self._bar = self._tqdm(total=total if total > 0 else None, desc=stage, leave=False)
        self._bar.n = done
        self._bar.refresh()
        if total > 0 and done >= total:
            self.close()

    def close(self):
        if self._bar is not None:
            self._bar.close()
        self._bar = None
        self._stage = None


def set_progress(fn):
    """Installs fn(stage, done, total) as the progress callback, "tqdm" for a
    tqdm bar, or None for none.  Returns the callable installed."""
    global _installed
    if fn is None:
        lib.set_progress(PROGRESS_FN(), None)
        _installed = None
        return None
    if fn == "tqdm":
        fn = TqdmProgress()

    def trampoline(_ud, stage, done, total):
        fn(stage.decode("utf-8", "replace") if stage else "", done, total)

    cb = PROGRESS_FN(trampoline)
    lib.set_progress(cb, None)
    _installed = (cb, fn)
    return fn
