"""Every gap-closing transform side by side (eval.h gk_compare_run, `gapkit compare`),
and the whole analysis with its report (analyze.h gk_analyze_run, `gapkit analyze`)."""
import ctypes as C
import json
import os

import numpy as np

from ._arrays import MatArg
from ._common import (LabelsArg, cstr, cstr_array, int32_ptr, make_split, mat_ptr_array,
                      parse_distance, take_json)
from ._ffi import AlignOpts, AnalyzeInput, CompareInput, CompareVs, Mat, lib
from .errors import check, usage


class _Views:
    """Paired views, item classes and class prompts as the library's inputs take them."""

    def __init__(self, views, labels, prompts, prompt_labels, names, normalize):
        if not isinstance(views, (list, tuple)) or len(views) < 2:
            raise usage("expected a list of at least two paired views")
        self.mats = [MatArg(v, f"view {i}", normalize) for i, v in enumerate(views)]
        self.ptrs = mat_ptr_array(self.mats)
        self.names = cstr_array(names or [f"view{i}" for i in range(len(views))])
        self.y, self.n_classes, self.class_names, self.classes = None, 0, None, None
        self._lab = self._plab = None
        if labels is not None:
            self._lab = LabelsArg(labels, self.mats[0].rows, "labels")
            self.y, self.n_classes = self._lab.ids(), self._lab.n_classes
            self.class_names = self._lab.ptr.contents.name
        if prompts is not None:
            if labels is None or prompt_labels is None:
                raise usage("prompts need labels and prompt_labels")
            P = MatArg(prompts, "prompts", normalize)
            self._plab = LabelsArg(prompt_labels, P.rows, "prompt_labels")
            self.y = np.empty(self.mats[0].rows, np.int32)
            check(lib.zeroshot_classes(self._lab.ptr, self._plab.ptr, int32_ptr(self.y)))
            self.n_classes = self._plab.n_classes
            self.class_names = self._plab.ptr.contents.name
            self.classes = C.POINTER(Mat)()
            check(lib.zeroshot_ensemble(P.ptr, self._plab.ptr.contents.id, self.n_classes,
                                        C.byref(self.classes)))

    def __del__(self):
        if getattr(self, "classes", None):
            lib.mat_free(self.classes)
            self.classes = None


def _methods(methods):
    if methods is None:
        arr = (AlignOpts * 32)()
        n = lib.compare_default_methods(arr, 32)
        return arr, n
    if isinstance(methods, str):
        methods = [m for m in methods.replace(";", " ").split() if m]
    arr = (AlignOpts * len(methods))()
    for i, m in enumerate(methods):
        check(lib.align_parse(cstr(m), C.byref(arr[i])))
    return arr, len(methods)


def _versus(tests, o):
    """Sets o.versus/o.n_versus from tests: ["A,B", …] or [("A", "B"), …] (`--test A,B`).
    Returns the array, which must outlive the call that reads o."""
    if not tests:
        return None
    if isinstance(tests, (str, tuple)):
        tests = [tests]
    arr = (CompareVs * len(tests))()
    for i, t in enumerate(tests):
        spec = t if isinstance(t, str) else ",".join(t)
        check(lib.compare_vs_parse(cstr(spec), C.byref(arr[i])))
    o.versus, o.n_versus = C.cast(arr, C.c_void_p), len(tests)
    return arr


def _tests_opts(o, bootstrap, sign_flips):
    if bootstrap is not None:
        o.boot.B = bootstrap
    if sign_flips is not None:
        o.n_perm = sign_flips


def compare(views, *, labels=None, prompts=None, prompt_labels=None, split="random:0.5",
            folds=None, methods=None, anchor=None, prompt_view: int = 1, n_clusters=None,
            restarts=None, spherical=False, knn_k=None, probe_folds=None, cluster=True,
            knn=True, probe=True, seed: int = 0, names=None, normalize: bool = True,
            tests=None, bootstrap: int = None, sign_flips: int = None) -> dict:
    """Fits every transform (methods: a list such as ["center", "cca:k=32"], or None for
    the defaults: identity, center, shift, ablate, procrustes, cca, comet k=auto, comet
    weight=align, projdec) on the TRAIN items of `split` over M >= 2 paired views, and
    measures each on the TEST items: gap, true-pair cosine, retrieval (R@1, R@5,
    mAP@10), zero-shot against prompts (P, D) labelled prompt_labels in view
    prompt_view's space, and the group tasks with labels (N,).
    Returns the `gapkit compare --json` document: {"rows": [{"transform", "gap",
    "cos_true", "R@1", …, "pairs": […]}…], "split", …}.
    tests: named pairs of rows also tested against each other (`--test A,B`), e.g.
    [("comet", "procrustes")] or ["cca:k=16,center"]; bootstrap, sign_flips: the
    paired bootstrap draws and sign-flip permutations of every test (0 flips: none)."""
    v = _Views(views, labels, prompts, prompt_labels, names, normalize)
    arr, n = _methods(methods)
    for i in range(n):
        if anchor is not None:
            arr[i].anchor = anchor
    s = make_split(split, v.mats[0].rows, v.y, v.n_classes, folds, seed)
    res = C.c_void_p()
    try:
        ci = CompareInput(len(v.mats), v.ptrs, v.names, int32_ptr(v.y), v.n_classes,
                          v.class_names, v.classes, prompt_view)
        o = lib.compare_opts_default()
        o.split = s
        g = o.groups
        if n_clusters is not None:
            g.n_clusters = n_clusters
        if restarts is not None:
            g.kmeans.n_init = restarts
        if knn_k is not None:
            g.knn_k = knn_k
        if probe_folds is not None:
            g.probe_folds = probe_folds
        g.kmeans.spherical = int(bool(spherical))
        g.do_cluster, g.do_knn, g.do_probe = int(cluster), int(knn), int(probe)
        o.seed = g.seed = g.kmeans.seed = seed
        o.groups = g
        _tests_opts(o, bootstrap, sign_flips)
        keep = _versus(tests, o)  # noqa: F841 (read by compare_run)
        check(lib.compare_run(C.byref(ci), arr, n, C.byref(o), C.byref(res)))
        return take_json(lambda out: lib.compare_to_json(res, C.byref(ci), out))
    finally:
        lib.compare_result_free(res)
        lib.split_free(s)


def analyze(views, *, labels=None, prompts=None, prompt_labels=None, out=None,
            split=None, seed: int = 0, permutations: int = None, alpha: float = None,
            distance: str = None, names=None, paths=None, prompt_view: int = 1,
            normalize: bool = True, tests=None) -> dict:
    """The main job (gapkit analyze): gap diagnostics, COMET with the shared axes,
    NNGS and its spectrum, linear CKA, every transform compared on held-out items and
    the 2-D projections, in one report document returned as a dict
    (docs/report-format.md).  With out=DIR also writes DIR/report.json and the
    self-contained page DIR/report.html (docs/report.md), atomically.  tests: named
    pairs of rows of the comparison also tested against each other (`--test A,B`)."""
    v = _Views(views, labels, prompts, prompt_labels, names, normalize)
    o = lib.analyze_opts_default()
    if split is not None:
        check(lib.split_parse(cstr(split), C.byref(o.split)))
    o.seed = seed
    if permutations is not None:
        o.n_perm = permutations
    if alpha is not None:
        o.alpha = alpha
    if distance is not None:
        o.distance = parse_distance(distance)
    keep = _versus(tests, o)  # noqa: F841 (read by analyze_run)
    vpaths = cstr_array(paths) if paths else None
    ai = AnalyzeInput(len(v.mats), v.ptrs, v.names, vpaths, int32_ptr(v.y), v.n_classes,
                      v.class_names, None, v.classes, prompt_view, None)
    text = C.c_char_p()
    check(lib.analyze_run(C.byref(ai), C.byref(o), C.byref(text)))
    try:
        doc = json.loads(text.value.decode("utf-8"))
        if out is not None:
            _write_report(os.fspath(out), text.value)
        return doc
    finally:
        lib.free(C.cast(text, C.c_void_p))


def _write_report(dirname, json_text):
    os.makedirs(dirname, exist_ok=True)
    html = C.c_char_p()
    check(lib.report_render_html(json_text, C.byref(html)))
    try:
        check(lib.write_text_atomic(cstr(os.path.join(dirname, "report.json")), json_text))
        check(lib.write_text_atomic(cstr(os.path.join(dirname, "report.html")), html.value))
    finally:
        lib.free(C.cast(html, C.c_void_p))
