"""Projection heads trained on frozen embeddings (train.h, `gapkit train`, docs/train.md).

    head = gapkit.train(audio, text, loss="infonce", head="linear", dim=256, epochs=20)
    z = head.transform(audio_new, view=0)      # (R, dim) float32 unit rows
    head.save("head.npz")                      # a kind "head" model file: `gapkit align
                                               # apply`, --transform and Transform.load read it
"""
import ctypes as C
import os

import numpy as np

from ._arrays import MatArg, take_mat
from ._common import LabelsArg, cstr, int64_ptr, make_split, mat_ptr_array, take_json
from ._ffi import Mat, TrainData, TrainResult, lib
from .errors import EFORMAT, ESHAPE, InputError, check, usage

_MAX_VIEWS = 16


def _parse(fn, name):
    """The enum value of a name through the library's parser (UsageError if unknown)."""
    v = C.c_int()
    check(fn(cstr(name), C.byref(v)))
    return v.value


class Head:
    """Trained projection heads of M views (an owned gk_heads): transform(x, view)
    maps rows of view `view` (R, D_view) to unit rows (R, dim).  `history` is the
    training account of `gapkit train --json` (None for a loaded head)."""

    def __init__(self, handle, history=None):
        self._h = handle
        self.history = history

    @classmethod
    def load(cls, path):
        """Reads a kind "head" model file (gapkit train --out, Head.save)."""
        h = C.c_void_p()
        check(lib.heads_load(cstr(os.fspath(path)), C.byref(h)))
        return cls(h)

    def save(self, path):
        """Writes the heads as a kind "head" model file (docs/model-format.md), atomically."""
        check(lib.heads_save(self._handle(), cstr(os.fspath(path))))

    def transform(self, x, view=0, *, normalize=True):
        """z = normalize(head_view(x)) for every row of x (R, D_view): (R, dim) float32.
        Rows are L2-normalised first unless normalize=False, as `gapkit align apply`
        loads them.  Inference: no dropout."""
        X = MatArg(x, "x", normalize)
        out = C.POINTER(Mat)()
        check(lib.heads_apply(self._handle(), view, X.ptr, C.byref(out)))
        return take_mat(out)

    @property
    def kind(self) -> str:
        return lib.head_kind_name(lib.heads_kind(self._handle())).decode()

    @property
    def n_views(self) -> int:
        return lib.heads_n_views(self._handle())

    def in_dim(self, view=0) -> int:
        """D_view, the input dimension of view `view` (-1 out of range)."""
        return lib.heads_in_dim(self._handle(), view)

    @property
    def dim(self) -> int:
        """D, the output dimension."""
        return lib.heads_out_dim(self._handle())

    @property
    def logit_scale(self) -> float:
        """s = 1/temperature at the end of training."""
        return lib.heads_logit_scale(self._handle())

    @property
    def n_fit(self) -> int:
        """Training items recorded in the model."""
        return lib.heads_n_fit(self._handle())

    def __repr__(self):
        if not self._h:
            return "Head(freed)"
        return f"Head({self.kind}, views={self.n_views}, dim={self.dim})"

    def _handle(self):
        if not self._h:
            raise usage("this Head has been freed")
        return self._h

    def __del__(self):
        if getattr(self, "_h", None):
            lib.heads_free(self._h)
            self._h = None


def _opts(loss, head, early_stop, kw):
    o = lib.train_opts_default(_parse(lib.loss_kind_parse, loss))
    o.head = _parse(lib.head_kind_parse, head)
    o.early_stop = _parse(lib.train_metric_parse, early_stop)
    for name, value in kw.items():
        if value is not None:
            setattr(o, name, int(value) if isinstance(getattr(o, name), int) else float(value))
    return o


def _pair_rows(pairs):
    """(2, P) int64 row indices of a (P, 3) pairs array (x_row, y_row, score); the
    library checks that they name rows of the views."""
    p = np.asarray(pairs, dtype=np.float64)
    if p.ndim != 2 or p.shape[1] != 3 or p.shape[0] < 1:
        raise InputError(ESHAPE, f"pairs: shape {p.shape}; expected (P, 3): x_row, y_row, "
                         "score")
    rows = p[:, :2]
    bad = (rows != np.floor(rows)) | (rows < 0) | (rows > 16777216)
    if bad.any():
        i, c = np.argwhere(bad)[0]
        raise InputError(EFORMAT, f"pairs: row {i} column {c} is {rows[i, c]}; expected a "
                         "row index")
    return np.ascontiguousarray(rows.T, dtype=np.int64)


def train(*views, loss="infonce", head="linear", dim=None, epochs=None, batch=None, lr=None,
          warmup=None, weight_decay=None, dropout=None, temperature=None,
          learn_temperature=None, soft_beta=None, teacher=None, alpha=None, cu_beta=None,
          schedule=None, mixup=None, anchor=None, pairs=None, split=None, labels=None,
          folds=None, early_stop="none", patience=None, init=None, seed=0,
          normalize=True, row_block=None) -> Head:
    """Trains projection heads on paired views (gapkit train X Y [Z …] --out HEAD).

    views : M = 2..16 arrays (N, D_v), row i of every view the same item (or, with
        pairs, any row counts); rows L2-normalised first unless normalize=False.
    loss : "infonce" | "softclap" (2 views) | "modgap"; head : "linear" | "mlp".
    dim : D, output dimension (512); epochs (20); batch : B items per step (256);
    lr : peak AdamW rate (1e-3); warmup : share of the steps (0.1); weight_decay (0.01);
    dropout : mlp only (0); temperature : τ, logit scale 1/τ (0.07; modgap 0.1);
    learn_temperature : train the logit scale; soft_beta : softclap β (0.3);
    teacher : softclap (TX, TY) teacher rows like the views; alpha, cu_beta : modgap
    constant weights (giving one selects schedule="constant"; default "reference");
    mixup : FuseMix Beta(a, a) (0 = off); anchor : pair view `anchor` with every other
    (None = all pairs); pairs : (P, 3) x_row, y_row, score (gapkit curate's output) to
    train on; split : validation split "random:F", "classes:F" (labels=) or
    "fold:COL=V" (folds=); early_stop : "none" | "loss" | "r1" with patience epochs (5);
    init : a Head to start from; seed : every random choice; row_block : rows per
    block of a batch (256; the blocks' gradients are added in order, which fixes the
    bits for any number of MPI ranks; a batch of one block is a single pass).
    None takes the library's default for the loss.  Same seed → the same head bytes as
    `gapkit train`.  Returns a Head; Head.history holds the per-epoch curve.  A
    non-finite loss keeps the last good heads (history["stop"] == "nonfinite").
    Raises UsageError (options, B > training items…), InputError (shapes, NaN/Inf).
    """
    if not 2 <= len(views) <= _MAX_VIEWS:
        raise usage(f"train expects 2..{_MAX_VIEWS} views, got {len(views)}")
    if schedule not in (None, "reference", "constant"):
        raise usage(f"schedule {schedule!r}: expected 'reference' or 'constant'")
    if schedule is None and (alpha is not None or cu_beta is not None):
        schedule = "constant"  # as the CLI: constant weights given, constant schedule
    o = _opts(loss, head, early_stop, dict(
        dim=dim, epochs=epochs, batch=batch, lr=lr, warmup=warmup, weight_decay=weight_decay,
        dropout=dropout, temperature=temperature, learn_temperature=learn_temperature,
        soft_beta=soft_beta, alpha=alpha, beta=cu_beta, mixup=mixup, anchor=anchor,
        patience=patience, seed=seed, row_block=row_block,
        schedule=None if schedule is None else int(schedule == "reference")))
    mats = [MatArg(v, f"view {i}", normalize) for i, v in enumerate(views)]
    d = TrainData()
    d.views, d.n_views = mat_ptr_array(mats), len(mats)
    rows = None
    if pairs is not None:
        if len(mats) != 2:
            raise usage("pairs pair rows of two views")
        rows = _pair_rows(pairs)
        d.rows, d.n_items = int64_ptr(rows), rows.shape[1]
    else:
        d.n_items = mats[0].rows  # the library checks that every view has these rows
    if teacher is not None:
        if len(teacher) != 2:
            raise usage("teacher: expected two arrays (TX, TY)")
        tmats = [MatArg(t, f"teacher {i}", normalize) for i, t in enumerate(teacher)]
        d.teacher = mat_ptr_array(tmats)
    sp = None
    if split is not None:
        lab = LabelsArg(labels, d.n_items) if labels is not None else None
        sp = make_split(split, d.n_items, lab.ids() if lab else None,
                        lab.n_classes if lab else 0, folds, seed)
        s = sp.contents
        d.train, d.n_train, d.val, d.n_val = s.train, s.n_train, s.test, s.n_test
    d.init = init._handle() if init is not None else None
    res = C.POINTER(TrainResult)()
    try:
        check(lib.train(C.byref(o), C.byref(d), None, None, C.byref(res)))
        history = take_json(lambda out: lib.train_result_to_json(C.byref(o), res, out))
        h, res.contents.heads = res.contents.heads, None  # the Head owns them now
        return Head(C.c_void_p(h), history)
    finally:
        if res:
            lib.train_result_free(res)
        if sp:
            lib.split_free(sp)
