"""Reading embeddings as the CLI reads them (io.h gk_load_matrix)."""
import ctypes as C

from ._arrays import take_mat
from ._common import cstr
from ._ffi import LoadOpts, Mat, lib
from .errors import check


def load(spec: str, *, normalize: bool = False):
    """The (N, D) float32 array named by an input spec of the CLI ("emb.npy",
    "feats.npy:0" for view 0 of an (M, N, D) array, "arrays.npz:text", GloVe or
    word2vec vectors), converted and checked like the CLI's inputs (NaN/Inf are
    InputError); rows L2-normalised with normalize=True.  Returns a numpy copy:
    for large .npy files prefer numpy.load(path, mmap_mode="r"), which the other
    functions take without copying."""
    o = LoadOpts(int(bool(normalize)), 1, 0)
    out = C.POINTER(Mat)()
    check(lib.load_matrix(cstr(spec), C.byref(o), C.byref(out)))
    return take_mat(out)
