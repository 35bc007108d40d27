"""Gap-closing transforms with fit / transform / save / load (align.h, `gapkit align`),
in scikit-learn style: Transform(method="cca", k=16).fit([X, Y]).transform(X_new, view=0).

Parameters map to the method's keys of gk_align_parse (docs/compare.md):
lambda_ (shift), m (ablate), k (cca, comet; "auto" for COMET's cross-validated k),
ridge (cca), weight (comet), temp and topk (projdec), anchor (procrustes, projdec).
A parameter left None takes the method's default.

Inside a scikit-learn Pipeline a transform sees one array: fit(X) then takes the
views side by side as the columns of X split by `dims` (e.g. dims=(512, 512) for
np.hstack([x, y])), and transform(X) maps the rows of view `view` (default 0).
"""
import ctypes as C
import os

import numpy as np

from ._arrays import MatArg, take_mat
from ._common import cstr, mat_ptr_array, take_json
from ._ffi import AlignOpts, Mat, lib
from .errors import check, usage

METHODS = ("identity", "center", "shift", "ablate", "procrustes", "cca", "comet", "projdec")
_PARAMS = ("method", "lambda_", "m", "k", "ridge", "weight", "temp", "topk", "anchor",
           "normalize", "view", "dims", "seed")
_KEYS = {"lambda_": "lambda", "m": "m", "k": "k", "ridge": "ridge", "weight": "weight",
         "temp": "temp", "topk": "topk", "anchor": "anchor"}


class Transform:
    """A gap-closing transform (gk_align): fit on paired views, apply to any view."""

    def __init__(self, method="center", *, lambda_=None, m=None, k=None, ridge=None,
                 weight=None, temp=None, topk=None, anchor=None, normalize=True, view=0,
                 dims=None, seed=0):
        self.method, self.lambda_, self.m, self.k, self.ridge = method, lambda_, m, k, ridge
        self.weight, self.temp, self.topk, self.anchor = weight, temp, topk, anchor
        self.normalize, self.view, self.dims, self.seed = normalize, view, dims, seed
        self._h = None

    # --- scikit-learn's estimator protocol ---
    def get_params(self, deep=True):
        return {p: getattr(self, p) for p in _PARAMS}

    def set_params(self, **params):
        for p, v in params.items():
            if p not in _PARAMS:
                raise usage(f"Transform has no parameter {p!r}")
            setattr(self, p, v)
        return self

    def __repr__(self):
        return f"Transform({self.spec()!r})"

    def spec(self) -> str:
        """The method's text, e.g. "cca:k=16,ridge=0.1" (gk_align_parse form)."""
        keys = [f"{_KEYS[p]}={getattr(self, p)}" for p in _KEYS if getattr(self, p) is not None]
        return self.method + (":" + ",".join(keys) if keys else "")

    def _opts(self):
        o = AlignOpts()
        check(lib.align_parse(cstr(self.spec()), C.byref(o)))
        return o

    # --- fit / transform ---
    def fit(self, views, y=None):
        """Fits on M >= 2 paired views (a list of (N, D_v) arrays, row i of every view
        the same item), or on one array whose columns hold the views (see dims)."""
        views = self._split_columns(views)
        if len(views) < 2:
            raise usage("fit needs at least two paired views")
        mats = [MatArg(v, f"view {i}", self.normalize) for i, v in enumerate(views)]
        o = self._opts()
        if o.method == 6 and o.k == 0:  # comet:k=auto → 5-fold CV, as `gapkit align fit`
            if len(mats) != 2:
                raise usage("comet with k=auto needs exactly two views")
            best = C.c_int64()
            check(lib.comet_select_k(mats[0].ptr, mats[1].ptr, None, None, 0, 5, self.seed,
                                     o.weight, C.byref(best), None))
            o.k = best.value
        h = C.c_void_p()
        check(lib.align_fit(C.byref(o), mat_ptr_array(mats), len(mats), C.byref(h)))
        self._free()
        self._h = h
        return self

    def transform(self, x, view=None):
        """The transform of view `view` (default self.view) applied to every row of
        x (R, D_view): (R, out_dim) float32 unit rows."""
        self._check_fitted()
        v = self.view if view is None else view
        if self.dims is not None and view is None and np.asarray(x).shape[1] == sum(self.dims):
            x = self._split_columns(x)[v]
        X = MatArg(x, "x", self.normalize)
        out = C.POINTER(Mat)()
        check(lib.align_apply(self._h, v, X.ptr, C.byref(out)))
        return take_mat(out)

    def fit_transform(self, views, y=None, view=None):
        return self.fit(views).transform(self._split_columns(views)[self.view if view is None
                                                                    else view], view)

    def _split_columns(self, views):
        if isinstance(views, (list, tuple)):
            return list(views)
        a = np.asarray(views)
        if self.dims is None:
            raise usage("one array given: set dims=(D_0, D_1, …) to split its columns "
                        "into views, or pass a list of views")
        if a.shape[1] != sum(self.dims):
            raise usage(f"array has {a.shape[1]} columns but dims add up to {sum(self.dims)}")
        cut = np.cumsum([0] + list(self.dims))
        return [a[:, cut[i]:cut[i + 1]] for i in range(len(self.dims))]

    # --- persistence and inspection ---
    def save(self, path):
        """Writes the fitted model (docs/model-format.md) atomically."""
        self._check_fitted()
        check(lib.align_save(self._h, cstr(os.fspath(path))))

    @classmethod
    def load(cls, path):
        """Reads a model of kind "align" or "comet" (gapkit align fit / comet fit --out)."""
        h = C.c_void_p()
        check(lib.align_load(cstr(os.fspath(path)), C.byref(h)))
        t = cls()
        t._h = h
        info = t.info()
        t.method = info["method"]
        return t

    def info(self) -> dict:
        """The model's summary (gk_align_to_json): method, spec, n_fit, dims,
        out_dims, anchor, diagnostic."""
        self._check_fitted()
        return take_json(lambda out: lib.align_to_json(self._h, out))

    @property
    def n_views(self) -> int:
        self._check_fitted()
        return lib.align_n_views(self._h)

    def out_dim(self, view=0) -> int:
        self._check_fitted()
        return lib.align_out_dim(self._h, view)

    def _check_fitted(self):
        if not self._h:
            raise usage("this Transform is not fitted: call fit() or Transform.load()")

    def _free(self):
        if getattr(self, "_h", None):
            lib.align_free(self._h)
            self._h = None

    def __del__(self):
        self._free()

    def __getstate__(self):  # sklearn.clone() and pickling copy the parameters only
        return self.get_params()

    def __setstate__(self, state):
        self.__init__(**state)
