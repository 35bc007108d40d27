"""Modality-gap diagnostics (gap.h gk_gap_diagnose, methods.md §2)."""
import ctypes as C

import numpy as np

from ._arrays import MatArg
from ._common import take_json
from ._ffi import lib
from .errors import check, usage

_ARRAYS = ("gap_vector", "principal_angles_deg")


def gap(x, y, *, normalize: bool = True, top_m=None, n_pc: int = 10, subspace_k: int = 10,
        separability: bool = True, folds: int = 5, sep_cap: int = 20000, seed: int = 0) -> dict:
    """Every modality-gap diagnostic of paired rows (gapkit gap X Y).

    x : (N, Dx) and y : (N, Dy) arrays, row i of x paired with row i of y;
        float32 or float64, any order.  Rows are L2-normalised first unless
        normalize=False (then pass unit rows).
    top_m : m values for the top-m concentration of ‖Δ‖² (default 1,5,10,20,50,100,200).
    n_pc : pooled principal directions for the concentration; subspace_k : principal
        angles between the top-k subspaces; separability : run the logistic-regression
        CV (folds, at most sep_cap rows per modality, seeded by seed).

    Returns the document of `gapkit gap --json` as a dict: gap (‖μX − μY‖, L2 units of
    unit rows), rmg, cone_x/y, cos_true, cos_nonpair, the mean-share terms, separability
    accuracy, concentration shares, effective ranks, principal angles (degrees), W2
    uniformity; "gap_vector" (D,) and "principal_angles_deg" are numpy arrays.
    With Dx != Dy only the per-modality measures are present (cross-modal ones None).
    Raises InputError (shapes, NaN/Inf, zero rows), UsageError (options).
    """
    X, Y = MatArg(x, "x", normalize), MatArg(y, "y", normalize)
    o = lib.gap_opts_default()
    if top_m is not None:
        top_m = list(top_m)
        if not 1 <= len(top_m) <= 16:
            raise usage("top_m: expected 1 to 16 values")
        o.n_top_m = len(top_m)
        for i, m in enumerate(top_m):
            o.top_m[i] = int(m)
    o.n_pc, o.subspace_k, o.separability = n_pc, subspace_k, int(bool(separability))
    o.cv_folds, o.sep_cap, o.seed = folds, sep_cap, seed
    res = C.c_void_p()
    check(lib.gap_diagnose(X.ptr, Y.ptr, C.byref(o), C.byref(res)))
    try:
        doc = take_json(lambda out: lib.gap_to_json(res, out))
    finally:
        lib.gap_result_free(res)
    for k in _ARRAYS:
        if isinstance(doc.get(k), list):
            doc[k] = np.array([np.nan if v is None else v for v in doc[k]], dtype=np.float64)
    return doc
