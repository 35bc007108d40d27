"""Small helpers shared by the modules: JSON results, labels, splits, names."""
import ctypes as C
import json

import numpy as np

from . import _ffi as F
from ._ffi import lib
from .errors import check, usage


def take_json(fill):
    """Calls fill(ctypes.byref(char_p)) (a *_to_json writer), returns the parsed
    document and frees the text with gk_free."""
    out = C.c_char_p()
    try:
        check(fill(C.byref(out)))
        return json.loads(out.value.decode("utf-8"))
    finally:
        lib.free(C.cast(out, C.c_void_p))


def cstr(s):
    return None if s is None else str(s).encode("utf-8")


def cstr_array(strings):
    """A (char *)[n] array of UTF-8 copies, kept alive by the returned object."""
    enc = [cstr(s) for s in strings]
    arr = (C.c_char_p * len(enc))(*enc)
    return arr


class LabelsArg:
    """A gk_labels built by gk_labels_from_strings from any sequence of labels
    (strings or numbers, compared as text): class ids in order of first
    appearance, as the CLI reads a labels file."""

    def __init__(self, labels, n=None, name="labels"):
        seq = [str(v) for v in (labels.tolist() if isinstance(labels, np.ndarray) else labels)]
        if n is not None and len(seq) != n:
            raise usage(f"{name} has {len(seq)} labels but the data has {n} rows")
        self._strings = cstr_array(seq)
        self.ptr = C.POINTER(F.Labels)()
        check(lib.labels_from_strings(self._strings, len(seq), C.byref(self.ptr)))

    def __del__(self):
        if getattr(self, "ptr", None):
            lib.labels_free(self.ptr)
            self.ptr = None

    @property
    def n(self):
        return self.ptr.contents.n

    @property
    def n_classes(self):
        return self.ptr.contents.n_classes

    def ids(self):
        """(N,) int32 class ids, in order of first appearance."""
        l = self.ptr.contents
        return np.ctypeslib.as_array(l.id, (l.n,)).copy()

    def names(self):
        l = self.ptr.contents
        return [l.name[c].decode("utf-8") for c in range(l.n_classes)]


def int32_ptr(a):
    return None if a is None else a.ctypes.data_as(C.POINTER(C.c_int32))


def int64_ptr(a):
    return None if a is None else a.ctypes.data_as(C.POINTER(C.c_int64))


def parse_distance(name):
    d = C.c_int()
    check(lib.distance_parse(cstr(name), C.byref(d)))
    return d.value


def parse_weight(name):
    w = C.c_int()
    check(lib.comet_weight_parse(cstr(name), C.byref(w)))
    return w.value


def parse_split(spec):
    """A gk_split_spec from "random:F", "classes:F", "fold:COLUMN=VALUE" or "fold:COLUMN"."""
    sp = F.SplitSpec()
    check(lib.split_parse(cstr(spec), C.byref(sp)))
    return sp


def make_split(spec, n, classes=None, n_classes=0, folds=None, seed=0):
    """An owned gk_split * (free with lib.split_free) over n rows; classes (n,)
    int32 for a class split, folds (n,) strings for a fold split."""
    sp = parse_split(spec) if isinstance(spec, str) else spec
    if sp.kind == 2 and folds is None:
        raise usage(f"split fold:{sp.column.decode()} needs folds= (the fold value of each row)")
    if sp.kind == 3 and classes is None:
        raise usage("split classes:… needs the class of each row (labels)")
    vals = cstr_array([str(v) for v in folds]) if folds is not None else None
    if folds is not None and len(folds) != n:
        raise usage(f"folds has {len(folds)} values but the data has {n} rows")
    out = C.POINTER(F.Split)()
    check(lib.split_make(C.byref(sp), n, int32_ptr(classes), n_classes, vals, seed,
                         C.byref(out)))
    return out


def mat_ptr_array(mats):
    """A (gk_mat *)[M] array of pointers to the structs of MatArg objects."""
    return (C.POINTER(F.Mat) * len(mats))(*[m.ptr for m in mats])


class ClassesArg:
    """The zero-shot classes of items and prompt rows, as the CLI resolves them:
    .li, .lp the labels, .y (N,) int32 class of each item (an index into the prompt
    labels' classes) and .cls the owned (C, D) gk_mat * of ensembled class rows
    (the normalised mean of each class's prompt rows)."""

    def __init__(self, X, P, labels, prompt_labels):
        self.li = LabelsArg(labels, X.rows, "labels")
        self.lp = LabelsArg(prompt_labels, P.rows, "prompt_labels")
        self.y = np.empty(X.rows, np.int32)
        check(lib.zeroshot_classes(self.li.ptr, self.lp.ptr, int32_ptr(self.y)))
        self.cls = C.POINTER(F.Mat)()
        check(lib.zeroshot_ensemble(P.ptr, self.lp.ptr.contents.id, self.lp.n_classes,
                                    C.byref(self.cls)))

    def __del__(self):
        if getattr(self, "cls", None):
            lib.mat_free(self.cls)
            self.cls = None
