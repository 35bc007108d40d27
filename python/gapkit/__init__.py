"""gapkit: measure, explain and close the modality gap of paired embeddings.

A Python binding (ctypes) of libgapkit: every function takes numpy arrays
(float32 or float64, C or Fortran order, memmaps; one embedding per row) and
returns dicts, dataclasses and numpy arrays.  A float32 array with unit column
stride is passed to the library without a copy when normalize=False; otherwise one
float32 copy is made (see docs/python.md).  The GIL is released during library
calls; failures raise GapkitError subclasses carrying the library's message.

    import gapkit
    g = gapkit.gap(audio, text)                 # dict: gap, rmg, cos_true, …
    m = gapkit.comet_fit(text, audio, k="shared")
    m.sigma, m.axes(0), m.corr                   # numpy arrays
    h = gapkit.train(audio, text, dim=256)       # Head: h.transform(x, view), h.save(path)
"""
from ._ffi import lib as _lib
from .comet import Comet, Dissection, comet_fit, comet_permutation_test
from .compare import analyze, compare
from .curate import curate
from .errors import GapkitError, InputError, InternalError, UsageError
from .evaluate import cluster, probe, retrieval, zeroshot
from .gap import gap
from .io import load
from .knn import KnnResult, knn
from .leakage import leakage
from .progress import set_progress
from .similarity import nngs_spectrum, nngs_sweep, similarity
from .train import Head, train
from .transforms import Transform

__version__ = _lib.version_string().decode()


def set_threads(n: int) -> None:
    """Threads for gapkit's loops and BLAS (0 = all cores); results do not depend on it."""
    _lib.set_threads(n)


def get_threads() -> int:
    return _lib.get_threads()


def library_path() -> str:
    """The libgapkit.so this package loaded."""
    return _lib.path


__all__ = ["Comet", "Dissection", "GapkitError", "Head", "InputError", "InternalError",
           "KnnResult", "Transform", "UsageError", "analyze", "cluster", "comet_fit",
           "comet_permutation_test", "compare", "curate", "gap", "get_threads", "knn",
           "leakage", "library_path", "load", "nngs_spectrum", "nngs_sweep", "probe",
           "retrieval", "set_progress", "set_threads", "similarity", "train", "zeroshot"]
