"""COMET: the PLS-SVD concept decomposition of the gap (comet.h, methods.md §1)."""
import ctypes as C
import dataclasses
import os

import numpy as np

from ._arrays import MatArg, float_array, take_mat
from ._common import cstr, parse_weight, take_json
from ._ffi import CometDissection, lib
from .errors import check, usage


@dataclasses.dataclass
class Dissection:
    """The similarity dissection of test pairs (gk_comet_dissection): each of
    pos_all, neg_all, pos_head, neg_head is a dict of the mean terms total, mean,
    mean_coef, direct, cross, residual over the true pairs (pos) or the non-pairs
    (neg), on all kept axes or on the first `head` axes."""
    n: int
    k: int
    head: int
    pos_all: dict
    neg_all: dict
    pos_head: dict
    neg_head: dict


def _terms(t):
    return {n: getattr(t, n) for n, _ in t._fields_}


class Comet:
    """A fitted COMET model (an opaque gk_comet).  Fit with comet_fit() or
    Comet.fit(), load with Comet.load().  Arrays are numpy copies:

      sigma (R,)      singular values σ_j of the centred cross-product, descending
      align (R,)      u_j·v_j (None when D_T != D_A)
      corr (K,)       corr(t̂_j, â_j) over the fit pairs
      axes(side)      U_k (D_T, K) for side 0, V_k (D_A, K) for side 1 (column j = axis j)
      mean(side)      t̄ (D_T,) or ā (D_A,)
    R = min(D_T, D_A), K = the kept axes.
    """

    def __init__(self, handle):
        self._h = C.c_void_p(handle) if isinstance(handle, int) else handle

    def __del__(self):
        if getattr(self, "_h", None):
            lib.comet_free(self._h)
            self._h = None

    @classmethod
    def fit(cls, t, a, k=0, *, normalize: bool = True, permutations: int = 99,
            alpha: float = 0.05, seed: int = 0) -> "Comet":
        """See comet_fit()."""
        return comet_fit(t, a, k, normalize=normalize, permutations=permutations,
                         alpha=alpha, seed=seed)

    @classmethod
    def load(cls, path) -> "Comet":
        """Reads a model written by save() or `gapkit comet fit --out` (.npz)."""
        h = C.c_void_p()
        check(lib.comet_load(cstr(os.fspath(path)), C.byref(h)))
        return cls(h)

    def save(self, path) -> None:
        """Writes the model (.npz, docs/model-format.md) atomically."""
        check(lib.comet_save(self._h, cstr(os.fspath(path))))

    # --- dimensions and arrays ---
    @property
    def k(self) -> int:
        return lib.comet_k(self._h)

    @property
    def rank(self) -> int:
        """R = min(D_T, D_A): the axes with a σ (the length of sigma, align, corr)."""
        return lib.comet_rank(self._h)

    @property
    def numerical_rank(self) -> int:
        """The axes that are not noise, σ_j > 2^-23 σ_1, at most N_fit − 1 (JSON "rank")."""
        return lib.comet_numerical_rank(self._h)

    @property
    def n_fit(self) -> int:
        return lib.comet_n_fit(self._h)

    def dim(self, side: int) -> int:
        return lib.comet_dim(self._h, side)

    @property
    def sigma(self) -> np.ndarray:
        return float_array(lib.comet_sigma(self._h), (self.rank,))

    @property
    def align(self):
        return float_array(lib.comet_align(self._h), (self.rank,))

    @property
    def corr(self) -> np.ndarray:
        return float_array(lib.comet_corr(self._h), (self.k,))

    def axes(self, side: int = 0) -> np.ndarray:
        """U_k (side 0, shape (D_T, K)) or V_k (side 1, (D_A, K))."""
        self._side(side)
        return float_array(lib.comet_axes(self._h, side), (self.dim(side), self.k))

    def mean(self, side: int = 0) -> np.ndarray:
        self._side(side)
        return float_array(lib.comet_mean(self._h, side), (self.dim(side),))

    def var(self, side: int = 0):
        """(K,) centred energy of each kept axis, and the side's total energy."""
        self._side(side)
        total = C.c_double()
        v = float_array(lib.comet_var(self._h, side, C.byref(total)), (self.k,))
        return v, total.value

    @staticmethod
    def _side(side):
        if side not in (0, 1):
            raise usage(f"side {side}: expected 0 (first fit input) or 1 (second)")

    # --- use ---
    def apply(self, x, side: int, *, k: int = 0, weight: str = "none",
              normalize: bool = True) -> np.ndarray:
        """PLSHead(W) coefficients of new rows x (N, D_side) of one side (gk_comet_apply):
        side 0 → s⁰ ⊙ U_kᵀ(x − t̄), side 1 → s¹ ⊙ V_kᵀ(x − ā); k leading axes (0 = all
        kept); weight "none", "align" or "corr".  Returns (N, k) float32."""
        X = MatArg(x, "x", normalize)
        out = C.POINTER(type(X.mat))()
        check(lib.comet_apply(self._h, side, X.ptr, k, parse_weight(weight), C.byref(out)))
        return take_mat(out)

    def dissect(self, t, a, *, head: int = 0, normalize: bool = True) -> Dissection:
        """The similarity dissection of test pairs t (N, D_T) ↔ a (N, D_A) (needs
        D_T == D_A): t·a = mean + mean×coef + direct + cross + residual, averaged
        over true pairs and non-pairs, for all kept axes and the first `head` (0 = K)."""
        T, A = MatArg(t, "t", normalize), MatArg(a, "a", normalize)
        d = CometDissection()
        check(lib.comet_dissect(self._h, T.ptr, A.ptr, head, C.byref(d)))
        return Dissection(d.n, d.k, d.head, _terms(d.pos_all), _terms(d.neg_all),
                          _terms(d.pos_head), _terms(d.neg_head))

    def explain(self, t=None, a=None, *, head: int = 0, axes: int = 0,
                normalize: bool = True) -> dict:
        """`gapkit comet explain MODEL [--test T A]` as a dict: the per-axis summary
        of the first `axes` axes (0 = all) and, with test pairs, the dissection."""
        d = None
        if t is not None:
            T, A = MatArg(t, "t", normalize), MatArg(a, "a", normalize)
            d = CometDissection()
            check(lib.comet_dissect(self._h, T.ptr, A.ptr, head, C.byref(d)))
        return take_json(lambda out: lib.comet_to_json(self._h, C.byref(d) if d else None,
                                                       axes, out))

    def __repr__(self):
        return (f"<gapkit.Comet K={self.k} R={self.rank} D=({self.dim(0)}, {self.dim(1)}) "
                f"fitted on {self.n_fit} pairs>")


def comet_permutation_test(t, a, *, permutations: int = 99, alpha: float = 0.05,
                           seed: int = 0, normalize: bool = True):
    """How many leading COMET axes of t (N, D_T) ↔ a (N, D_A) share more than chance:
    the step-down permutation test of gk_comet_permutation_test.  Returns
    (n_shared, p_values (R,), NaN for axes not tested)."""
    T, A = MatArg(t, "t", normalize), MatArg(a, "a", normalize)
    return _perm_test(T, A, permutations, alpha, seed)


def _perm_test(T, A, permutations, alpha, seed):
    full = C.c_void_p()
    check(lib.comet_fit(T.ptr, A.ptr, 0, C.byref(full)))
    try:
        r = lib.comet_rank(full)
        p = np.full(r, np.nan)
        n_shared = C.c_int64()
        check(lib.comet_permutation_test(full, T.ptr, A.ptr, permutations, alpha, seed,
                                         p.ctypes.data_as(C.POINTER(C.c_double)),
                                         C.byref(n_shared)))
        return n_shared.value, p
    finally:
        lib.comet_free(full)


def comet_fit(t, a, k=0, *, normalize: bool = True, permutations: int = 99,
              alpha: float = 0.05, seed: int = 0, weight: str = "none") -> Comet:
    """Fits COMET on paired rows (gapkit comet fit T A --k K).

    t : (N, D_T) text side ("side 0"), a : (N, D_A) audio/image side ("side 1"),
        row i paired; float32/float64, any order; N >= 2.  Rows are L2-normalised first
        unless normalize=False (a float32 C-order or row-strided array is then used
        in place, without a copy).
    k : axes kept — an int 1..R (R = min(D_T, D_A); 0 or > R keeps all R), "shared"
        (the axes that beat chance in a step-down permutation test with `permutations`
        shuffles at family-wise level alpha, seed; at least 1) or "auto" (5-fold
        cross-validated held-out retrieval mAP@10, weight as given).
    Centring means t̄, ā; M = (T − 1t̄ᵀ)ᵀ(A − 1āᵀ) (no 1/N), M = U Σ Vᵀ.  The model
    gives sigma (R,), align (R,), corr (K,), axes(side) (D, K), save()/load().
    For k="shared" the test's result is in .n_shared and .p_values (R,).
    Raises InputError (row counts, NaN/Inf, zero cross-covariance), UsageError.
    """
    T, A = MatArg(t, "t", normalize), MatArg(a, "a", normalize)
    n_shared, p = None, None
    if k == "shared":
        n_shared, p = _perm_test(T, A, permutations, alpha, seed)
        kk = max(n_shared, 1)
    elif k == "auto":
        best = C.c_int64()
        check(lib.comet_select_k(T.ptr, A.ptr, None, None, 0, 5, seed, parse_weight(weight),
                                 C.byref(best), None))
        kk = best.value
    elif isinstance(k, (int, np.integer)):
        kk = int(k)
    else:
        raise usage(f"k {k!r}: expected an integer, 'shared' or 'auto'")
    h = C.c_void_p()
    check(lib.comet_fit(T.ptr, A.ptr, kk, C.byref(h)))
    m = Comet(h)
    m.n_shared, m.p_values = n_shared, p
    return m
