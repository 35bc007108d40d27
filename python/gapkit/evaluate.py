"""Evaluation (eval.h, `gapkit eval`): retrieval, zero-shot, clustering and probes,
optionally on the test part of a split and after a transform.

split : "random:F", "classes:F", "fold:COLUMN=VALUE" or "fold:COLUMN" (every value in
    turn, gk_retrieval_kfold / gk_zeroshot_kfold: the result is then {"folds": [one
    document per value], "summary": mean, sd and 95 % t interval of each metric over
    the folds, …}, as the CLI's).  A fold
    split needs folds= (the fold value of each row, e.g. a CSV column); COLUMN only names it.
transform : None, a saved model path, "comet:k=K[,weight=W]", "comet:k=auto" or any
    align method ("center", "shift:lambda=0.5", "cca:k=16", …); a fitted transform
    needs a split (fitting and scoring the same rows would leak).
Labels are any sequences (strings or numbers, compared as text); class ids follow
their first appearance, as when the CLI reads a labels file.
"""
import ctypes as C

import numpy as np

from ._arrays import MatArg
from ._common import (ClassesArg, LabelsArg, cstr, cstr_array, int32_ptr, make_split,
                      mat_ptr_array, parse_split, parse_weight, take_json)
from ._ffi import (AlignOpts, GroupResult, Joint, RetrievalResult, ScoreOpts, ZeroshotFolds,
                   ZeroshotResult, lib)
from .errors import check, usage


class _TransformArg:
    """The transform of an evaluation (gk_transform_open): align options fitted on the
    train part (fit), or a saved model applied as it is (model); weight re-weights a
    COMET model's coefficients, as --weight."""
    def __init__(self, transform, weight):
        self._opts, has_fit, self.model = AlignOpts(), C.c_int(0), C.c_void_p()
        check(lib.transform_open(cstr(transform or "none"), C.byref(self._opts),
                                 C.byref(has_fit), C.byref(self.model)))
        self.fit = C.pointer(self._opts) if has_fit.value else None
        w = parse_weight(weight) if weight is not None else 0
        if self.model and w and lib.align_get_opts(self.model).contents.method == _COMET:
            check(lib.align_set_comet(self.model, 0, w))

    def needs_fit(self):
        return self.fit is not None and self._opts.method != 0  # not identity

    def __del__(self):
        if self.model:
            lib.align_free(self.model)


_COMET = 6  # GK_ALIGN_COMET (align.h)


def _kfold(split, folds, n):
    """(column, fold values as a char * array) for "fold:COLUMN" (every value in turn),
    or None for one run."""
    if split is None:
        return None
    sp = parse_split(split)
    if sp.kind != 2 or sp.has_value:
        return None
    if folds is None:
        raise usage(f"split {split}: needs folds= (the fold value of each row)")
    if len(folds) != n:
        raise usage(f"folds has {len(folds)} values but the data has {n} rows")
    return sp.column, cstr_array([str(v) for v in folds])


def _boot(bootstrap, seed):
    """gk_boot_opts of B = bootstrap resamples seeded by seed (as --bootstrap, --seed)."""
    if bootstrap == 1 or not 0 <= bootstrap <= 1000000:
        raise usage(f"bootstrap {bootstrap}: expected 0 or an integer in [2, 1000000]")
    b = lib.boot_opts_default()
    b.B, b.seed = int(bootstrap), seed
    return b


def retrieval(x, y, *, labels_x=None, labels_y=None, split=None, folds=None,
              transform=None, weight=None, seed: int = 0, normalize: bool = True,
              names=("x", "y"), bootstrap: int = 1000, keep_duplicates: bool = False) -> dict:
    """Cross-modal retrieval x (NX, D) → y (NY, D) and back (gapkit eval retrieval).
    Without labels row i of x matches row i of y (NX == NY); with labels_x (NX,) and
    labels_y (NY,) a query matches every row of the other side with its label.
    Returns {"x_to_y": {R@1, R@5, R@10, mAP@10, mAP, MedR, MeanR, …}, "y_to_x": …,
    "split", "transform"} (ranks are 1-based; ties by lower index).  bootstrap : B
    resamples of the scored queries for 95 % intervals ("ci"; 0 = none, seeded by seed);
    exact duplicate rows are merged unless keep_duplicates (as the CLI's defaults)."""
    X, Y = MatArg(x, "x", normalize), MatArg(y, "y", normalize)
    xf = _TransformArg(transform, weight)
    if xf.needs_fit() and split is None:
        raise usage(f"transform {transform} fits on the data and needs a split")
    gx = gy = None
    n_classes = 0
    if (labels_x is None) != (labels_y is None):
        raise usage("give both labels_x and labels_y, or neither")
    if labels_x is not None:
        lx, ly = LabelsArg(labels_x, X.rows, "labels_x"), LabelsArg(labels_y, Y.rows, "labels_y")
        gx, gy = np.empty(X.rows, np.int32), np.empty(Y.rows, np.int32)
        check(lib.groups_from_labels(lx.ptr, ly.ptr, int32_ptr(gx), int32_ptr(gy)))
        n_classes = lx.n_classes

    so = ScoreOpts(int(bootstrap > 0), _boot(bootstrap, seed), int(bool(keep_duplicates)))
    kf = _kfold(split, folds, X.rows)
    if kf:
        r = C.c_void_p()
        try:
            check(lib.retrieval_kfold(X.ptr, Y.ptr, int32_ptr(gx), int32_ptr(gy), kf[1], kf[0],
                                      xf.fit, xf.model, seed, C.byref(so), C.byref(r)))
            return take_json(lambda out: lib.retrieval_folds_to_json(r, cstr(names[0]),
                                                                     cstr(names[1]), out))
        finally:
            lib.retrieval_folds_free(r)
    sp = parse_split(split) if split is not None else None
    s = make_split(sp, X.rows, gx, n_classes, folds, seed) if sp is not None else None
    try:
        r = RetrievalResult()
        check(lib.retrieval_protocol_opts(X.ptr, Y.ptr, int32_ptr(gx), int32_ptr(gy), s,
                                          xf.fit, xf.model, seed, C.byref(so), C.byref(r)))
        return take_json(lambda out: lib.retrieval_to_json(C.byref(r), cstr(names[0]),
                                                           cstr(names[1]), out))
    finally:
        if s:
            lib.split_free(s)


def zeroshot(items, prompts, labels, prompt_labels, *, split=None, folds=None,
             transform=None, weight=None, seed: int = 0, normalize: bool = True,
             bootstrap: int = 1000, keep_duplicates: bool = False) -> dict:
    """Zero-shot classification (gapkit eval zeroshot): items (N, D) with labels (N,),
    prompt rows (P, D) with prompt_labels (P,) (several prompts of a class are
    ensembled: the normalised mean).  Returns {"top1", "top5", "mean_class_acc",
    "classes": [{"name", "n", "acc"}…], "split", "transform", …} plus "pred" (N or
    test items,) int32 numpy array of predicted class indices (into "classes" order
    of the scored classes) and "class_id".  bootstrap : B resamples of the items for
    95 % intervals of top-1 and top-5 ("ci"; 0 = none, seeded by seed), as the CLI.
    Test items repeating an earlier one (same row, same class) are one query unless
    keep_duplicates ("duplicates": how many were merged), as the CLI."""
    X, P = MatArg(items, "items", normalize), MatArg(prompts, "prompts", normalize)
    xf = _TransformArg(transform, weight)
    if xf.needs_fit() and split is None:
        raise usage(f"transform {transform} fits on the data and needs a split")
    k = ClassesArg(X, P, labels, prompt_labels)
    lp, y, cls = k.lp, k.y, k.cls

    so = ScoreOpts(int(bootstrap > 0), _boot(bootstrap, seed), int(bool(keep_duplicates)))
    kf = _kfold(split, folds, X.rows)
    if kf:
        r = C.POINTER(ZeroshotFolds)()
        try:
            check(lib.zeroshot_kfold(X.ptr, int32_ptr(y), cls, kf[1], kf[0], xf.fit, xf.model,
                                     seed, C.byref(so), C.byref(r)))
            doc = take_json(lambda out: lib.zeroshot_folds_to_json(r, lp.ptr.contents.name,
                                                                   out))
            for f, one in enumerate(doc["folds"]):
                _predictions(r.contents.fold[f], one)
            return doc
        finally:
            lib.zeroshot_folds_free(r)
    sp = parse_split(split) if split is not None else None
    s = make_split(sp, X.rows, y, lp.n_classes, folds, seed) if sp is not None else None
    r = C.POINTER(ZeroshotResult)()
    try:
        check(lib.zeroshot_protocol_opts(X.ptr, int32_ptr(y), cls, s, xf.fit, xf.model,
                                         seed, C.byref(so), C.byref(r)))
        doc = take_json(lambda out: lib.zeroshot_to_json(r, lp.ptr.contents.name, 0, out))
        return _predictions(r, doc)
    finally:
        lib.zeroshot_result_free(r)
        if s:
            lib.split_free(s)


def _predictions(r, doc):
    """Adds "pred" and "class_id" (numpy copies) of the zero-shot result r to doc."""
    z = r.contents
    doc["pred"] = np.ctypeslib.as_array(z.pred, (z.n,)).copy()
    doc["class_id"] = np.ctypeslib.as_array(z.class_id, (z.n_classes,)).copy()
    return doc


def _group_opts(n_clusters, restarts, spherical, knn_k, probe_folds, seed):
    o = lib.group_opts_default()
    if n_clusters is not None:
        o.n_clusters = n_clusters
    if restarts is not None:
        o.kmeans.n_init = restarts
    o.kmeans.spherical = int(bool(spherical))
    o.knn_k = knn_k
    o.probe_folds = probe_folds
    o.seed = o.kmeans.seed = seed
    return o


def _joint(mats, y, idx=None):
    """gk_joint_build of the views (row i of every view = item i); owned pointer."""
    J = C.POINTER(Joint)()
    ip = idx.ctypes.data_as(C.POINTER(C.c_int64)) if idx is not None else None
    check(lib.joint_build(mat_ptr_array(mats), None, len(mats), int32_ptr(y), ip,
                          0 if idx is None else len(idx), C.byref(J)))
    return J


def _views_and_labels(views, labels, normalize):
    if not isinstance(views, (list, tuple)):
        views = [views]
    mats = [MatArg(v, f"view {i}", normalize) for i, v in enumerate(views)]
    for i, m in enumerate(mats[1:], 1):
        if m.rows != mats[0].rows:
            raise usage(f"view {i} has {m.rows} rows but view 0 has {mats[0].rows}")
    lab = LabelsArg(labels, mats[0].rows, "labels")
    return mats, lab


def cluster(views, labels, *, n_clusters=None, restarts=None, spherical: bool = False,
            seed: int = 0, normalize: bool = True) -> dict:
    """k-means of the rows of one view, or of the JOINT rows of several paired views
    (duplicate rows of a view enter once), scored against the item classes
    (gapkit eval cluster): {"v_measure", "nmi", "ari", "homogeneity", "completeness",
    "purity", "inertia", "clusters", …}.  n_clusters default: the number of classes."""
    mats, lab = _views_and_labels(views, labels, normalize)
    y = lab.ids()
    o = _group_opts(n_clusters, restarts, spherical, 5, 5, seed)
    o.do_knn = o.do_probe = 0
    return _group_eval(mats, y, o, joint=len(mats) > 1)


def probe(views, labels, *, split=None, folds=None, knn_k: int = 5, probe_folds: int = 5,
          knn: bool = True, probe: bool = True, seed: int = 0,
          normalize: bool = True) -> dict:
    """kNN classifier (knn_k neighbours, leave-one-out) and multinomial logistic probe
    (probe_folds-fold CV) on the rows of one view or the joint rows of several
    (gapkit eval probe); with split ("random:F", "fold:COLUMN=VALUE" and folds=),
    trained on the train items and scored on the test items."""
    mats, lab = _views_and_labels(views, labels, normalize)
    y = lab.ids()
    o = _group_opts(None, None, False, knn_k, probe_folds, seed)
    o.do_cluster, o.do_knn, o.do_probe = 0, int(bool(knn)), int(bool(probe))
    if split is None:
        return _group_eval(mats, y, o, joint=True)
    sp = parse_split(split)
    if sp.kind == 3:
        raise usage("split classes:… leaves no training rows for the test classes; use "
                    "random:F or fold:COLUMN=VALUE")
    if sp.kind == 2 and not sp.has_value:
        raise usage(f"split fold:{sp.column.decode()} needs a value (fold:COLUMN=VALUE)")
    s = make_split(sp, mats[0].rows, None, 0, folds, seed)
    tr = te = None
    try:
        sc = s.contents
        tr = _joint(mats, y, np.ctypeslib.as_array(sc.train, (sc.n_train,)))
        te = _joint(mats, y, np.ctypeslib.as_array(sc.test, (sc.n_test,)))
        r = GroupResult()
        check(lib.group_eval_split(tr.contents.rows, tr.contents.label, te.contents.rows,
                                   te.contents.label, C.byref(o), C.byref(r)))
        return take_json(lambda out: lib.group_to_json(C.byref(r), C.byref(o), sc.desc, None,
                                                       out))
    finally:
        lib.joint_free(tr)
        lib.joint_free(te)
        lib.split_free(s)


def _group_eval(mats, y, o, joint):
    J = _joint(mats, y) if joint else None
    try:
        rows = J.contents.rows if J else mats[0].ptr
        lab = J.contents.label if J else int32_ptr(y)
        r = GroupResult()
        check(lib.group_eval(rows, lab, C.byref(o), C.byref(r)))
        return take_json(lambda out: lib.group_to_json(C.byref(r), C.byref(o), None, None, out))
    finally:
        if J:
            lib.joint_free(J)
