"""Pseudo-pairs from unpaired audio and text pools (curate.h, `gapkit curate`,
docs/curation.md): a teacher's cosines decide which (audio row, text row) pairs
become training pairs; gapkit.train(audio, text, pairs=pairs) trains on them."""
import ctypes as C
import math

import numpy as np

from ._arrays import MatArg
from ._common import LabelsArg, cstr_array, int32_ptr, take_json
from ._ffi import CurateResult, lib
from .errors import check, usage

_MODES = {"threshold": 1, "topk": 2, "mutual": 3}


def _pairs_array(r):
    """(P, 3) float64: audio row, text row, cosine (the file gk_curate_write writes)."""
    n = r.n_pairs
    out = np.empty((n, 3), dtype=np.float64)
    if n:
        out[:, 0] = np.ctypeslib.as_array(r.audio, (n,))
        out[:, 1] = np.ctypeslib.as_array(r.text, (n,))
        out[:, 2] = np.ctypeslib.as_array(r.score, (n,))
    return out


def curate(audio_pool, text_pool, *, mode="threshold", tau=None, k=1, targets=None,
           target_labels=None, tau_target=None, augment=False, labels=None):
    """Pseudo-pairs of an audio pool (N, D) and a text pool (M, D) by cosine similarity
    (gapkit curate AUDIO TEXT --out PAIRS.npy --json).

    mode : "threshold" (every pair with cos >= tau, default 0.75), "topk" (the k most
        similar texts of each audio row) or "mutual" (mutual k nearest); for topk and
        mutual, tau is an optional floor (None: none).
    targets : (C_t, D) target prompt rows with target_labels (C_t,) the class name of
        each; tau_target : domain filter (keep texts whose best prompt cosine >= it);
        augment : curate against the passing texts only.
    labels : (N,) class name of each audio row (names not among target_labels count as
        unknown): the summary then reports how many pairs' texts match the audio's class.

    Returns (pairs, summary): pairs (P, 3) float64 = audio row, text row (exact
    integers) and cosine, sorted by (audio, text), as the --out file; summary the
    --json document as a dict (mode, tau, k, n_pairs, coverage, histogram, domain,
    labels).  Raises UsageError (mode, tau or k out of range, labels without targets),
    InputError (dimensions, NaN/Inf, zero rows).
    """
    if mode not in _MODES:
        raise usage(f"mode {mode!r}: expected threshold, topk or mutual")
    if (targets is None) != (target_labels is None):
        raise usage("targets and target_labels go together")
    if targets is None and (tau_target is not None or augment or labels is not None):
        raise usage("tau_target, augment and labels need targets and target_labels")
    A, T = MatArg(audio_pool, "audio_pool"), MatArg(text_pool, "text_pool")
    o = lib.curate_opts_default()
    o.mode, o.k, o.augment = _MODES[mode], int(k), int(bool(augment))
    if tau is not None:
        o.tau = float(tau)
    elif mode != "threshold":
        o.tau = -1.0  # no floor
    o.tau_target = math.nan if tau_target is None else float(tau_target)
    names = None
    if targets is not None:
        P = MatArg(targets, "targets")
        tl = LabelsArg(target_labels, P.rows, "target_labels")
        names = tl.names()
        tid = tl.ids()
        o.targets, o.target_class, o.n_target_classes = P.ptr, int32_ptr(tid), tl.n_classes
    if labels is not None:
        seq = [str(v) for v in (labels.tolist() if isinstance(labels, np.ndarray) else labels)]
        if len(seq) != A.rows:
            raise usage(f"labels has {len(seq)} labels but audio_pool has {A.rows} rows")
        index = {c: i for i, c in enumerate(names)}
        aid = np.array([index.get(s, -1) for s in seq], dtype=np.int32)
        o.audio_class = int32_ptr(aid)
    res = C.POINTER(CurateResult)()
    try:
        check(lib.curate(A.ptr, T.ptr, C.byref(o), C.byref(res)))
        cn = cstr_array(names) if names is not None else None
        summary = take_json(lambda out: lib.curate_to_json(res, C.byref(o), cn, out))
        return _pairs_array(res.contents), summary
    finally:
        lib.curate_result_free(res)
