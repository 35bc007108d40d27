"""How much zero-shot accuracy is inherited from the item space (leakage.h,
`gapkit leakage`, docs/curation.md)."""
import ctypes as C

from ._arrays import MatArg
from ._common import ClassesArg, int32_ptr, make_split, parse_split, take_json
from ._ffi import LeakageResult, lib
from .errors import check, usage
from .evaluate import _TransformArg


def leakage(items, prompts, labels, prompt_labels, *, transform=None, split=None,
            folds=None, class_fraction=0.5, n_boot=1000, backbone=None, nngs_k=10,
            seed=0, normalize=True) -> dict:
    """The leakage analysis (gapkit leakage ITEMS PROMPTS --json): items (N, D) with
    labels (N,), prompt rows (P, D) with prompt_labels (P,) (a class's prompts are
    ensembled, as in zeroshot); N >= 10 and at least 2 items per class.

    transform : a transform eval accepts ("procrustes", "comet:k=16", a model path…):
        its zero-shot gain on an item split and on a class-disjoint split
        (class_fraction of the classes held out), with 95 % paired bootstrap
        intervals over n_boot resamples.
    split : the item split, "random:F" (default random:0.5) or "fold:COLUMN=VALUE"
        with folds= (the fold value of each item); needs transform.
    backbone : (N, Db) the same items before the projection: its separability and
        NNGS (nngs_k neighbours) against the items.
    seed : splits, probe folds and bootstrap.  Rows are L2-normalised first unless
    normalize=False.

    Returns the --json document as a dict: n, n_classes, zeroshot_top1, items
    (separability: knn, probe, ncc accuracies, silhouette, fisher), prompts (cosines
    between class rows, margins), inherited (share, zeroshot_only, statement),
    transform, item_split_gain, class_disjoint_gain (dicts or None), backbone.
    Raises UsageError (options, too few items per class), InputError (shapes, NaN/Inf).
    """
    X, P = MatArg(items, "items", normalize), MatArg(prompts, "prompts", normalize)
    k = ClassesArg(X, P, labels, prompt_labels)
    o = lib.leakage_opts_default()
    o.seed, o.n_boot, o.class_fraction, o.nngs_k.k = seed, n_boot, class_fraction, nngs_k
    xf = _TransformArg(transform, None) if transform is not None else None
    if xf:
        o.fit, o.model = xf.fit, xf.model.value
    if backbone is not None:
        B = MatArg(backbone, "backbone", normalize)
        o.backbone = B.ptr
    sp = None
    if split is not None:
        spec = parse_split(split)
        if spec.kind == 3 or (spec.kind == 2 and not spec.has_value):
            raise usage(f"split {split}: the item split is random:F or fold:COLUMN=VALUE (the "
                        "class-disjoint split is always made, see class_fraction)")
        if xf is None:
            raise usage("split needs transform")
        sp = make_split(spec, X.rows, k.y, k.lp.n_classes, folds, seed)
        o.item_split = sp
    try:
        r = LeakageResult()
        check(lib.leakage_run(X.ptr, int32_ptr(k.y), k.cls,
                              C.byref(o), C.byref(r)))
        return take_json(lambda out: lib.leakage_to_json(C.byref(r), C.byref(o),
                                                         k.lp.ptr.contents.name, out))
    finally:
        if sp:
            lib.split_free(sp)
