"""numpy arrays as gk_mat views, and gk_mat results back as numpy arrays.

A float32 array whose rows are laid out with unit column stride and a row
stride that is a multiple of 4 bytes (C order, a row slice, a memmap) is
passed to the library as a VIEW: no copy.  Anything else (float64, float16,
Fortran order, a column slice) is converted once to a C-order float32 copy,
as the CLI converts such files.  With normalize=True (the default of every
function, as in the CLI) the rows are L2-normalised by the library's
gk_mat_normalize_rows on a float32 copy: the caller's array is never changed.
"""
import ctypes as C

import numpy as np

from ._ffi import Mat, lib
from .errors import check, usage


def _is_view_compatible(a):
    return (a.dtype == np.float32 and a.ndim == 2 and a.dtype.byteorder in "=<|"
            and a.strides[1] == 4 and a.strides[0] % 4 == 0 and a.strides[0] >= 4 * a.shape[1]
            and a.shape[0] > 0)


def as_float32_rows(x, name="x"):
    """x as a 2-D float32 array with unit column stride: x itself when it already
    is one (no copy), else one converted C-order copy."""
    a = np.asanyarray(x)
    if a.ndim != 2:
        raise usage(f"{name}: expected a 2-D array (rows = items), got shape {a.shape}")
    if a.dtype.kind != "f" and a.dtype.kind not in "iu":
        raise usage(f"{name}: expected a float array, got dtype {a.dtype}")
    if _is_view_compatible(a):
        return a
    return np.ascontiguousarray(a, dtype=np.float32)


def mat_of(a):
    """A gk_mat struct viewing the float32 rows of a (from as_float32_rows)."""
    return Mat(a.ctypes.data_as(C.POINTER(C.c_float)), a.shape[0], a.shape[1],
               a.strides[0] // 4, 1, None)


class MatArg:
    """A gk_mat view of an array, kept alive with the array it views.
    .mat is the struct, .ptr a pointer to it, .array the float32 rows."""

    def __init__(self, x, name="x", normalize=True):
        a = as_float32_rows(x, name)
        if normalize and np.may_share_memory(a, np.asanyarray(x)):
            a = a.copy(order="C")  # normalised in place below: never the caller's rows
        self.array = a
        self.mat = mat_of(a)
        if normalize:
            check(lib.mat_normalize_rows(C.byref(self.mat)))

    @property
    def ptr(self):
        return C.pointer(self.mat)

    @property
    def rows(self):
        return self.array.shape[0]


def take_mat(p):
    """Copies an owned, row-major gk_mat * result into a new numpy array and frees it."""
    try:
        m = p.contents
        out = np.empty((m.rows, m.cols), dtype=np.float32)
        if out.size:
            src = np.ctypeslib.as_array(m.data, (m.rows * m.rs,))
            out[...] = np.lib.stride_tricks.as_strided(src, (m.rows, m.cols),
                                                       (4 * m.rs, 4 * m.cs))
        return out
    finally:
        lib.mat_free(p)


def float_array(ptr, shape):
    """A copy of the floats (or doubles) at a borrowed library pointer; None for NULL."""
    if not ptr:
        return None
    n = int(np.prod(shape))
    if n == 0:
        return np.empty(shape, dtype=np.dtype(ptr._type_))
    return np.ctypeslib.as_array(ptr, (n,)).reshape(shape).copy()
