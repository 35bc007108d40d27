"""How alike two spaces holding the same items are (nngs.h, cka.h; `gapkit similarity`)."""
import ctypes as C

from ._arrays import MatArg, float_array
from ._common import cstr, parse_distance, take_json
from ._ffi import KSpec, NbrResult, CkaResult, Tas, lib
from .errors import check, usage

NEIGHBOUR_MEASURES = ("nngs", "mutual-knn", "cycle-knn", "cknna")
CKA_MEASURES = ("cka-linear", "cka-rbf", "cka-unbiased", "svcca", "procrustes")
MEASURES = NEIGHBOUR_MEASURES + CKA_MEASURES + ("tas",)
_DEFAULT_DISTANCE = {"nngs": "euclidean", "tas": "euclidean"}


def _kspec(k):
    ks = KSpec()
    check(lib.kspec_parse(cstr(k), C.byref(ks)))
    return ks


def similarity(x, y, measure: str = "nngs", *, k=10, distance: str = None,
               normalize: bool = True, sigma_factor: float = 1.0, rbf_unbiased: bool = False,
               svcca_variance: float = 0.99, svcca_dims: int = 0) -> dict:
    """One similarity measure of x (N, Dx) and y (N, Dy), row i the same item in both
    (gapkit similarity X Y --measure M --json).  Dx and Dy may differ.

    measure : "nngs", "mutual-knn", "cycle-knn", "cknna" (neighbourhoods, at scale k:
        a count "10" / 10 or a fraction "0.2" / "20%" of N−1; distance "euclidean"
        (nngs default), "cosine" (the others' default), "ip", "l1"); "cka-linear",
        "cka-rbf" (σ = sigma_factor × median distance), "cka-unbiased", "svcca"
        (svcca_variance share or svcca_dims directions), "procrustes"; or "tas", the
        NNGS spectrum over every k (then the dict also holds "raw" and "normalized",
        (N−2,) arrays for k = 1..N−2).
    Returns the library's result document as a dict; "value" is the similarity
    (1 = same up to the measure's invariances).
    """
    X, Y = MatArg(x, "x", normalize), MatArg(y, "y", normalize)
    if measure in NEIGHBOUR_MEASURES:
        r = NbrResult()
        d = parse_distance(distance or _DEFAULT_DISTANCE.get(measure, "cosine"))
        check(lib.nbr_measure(cstr(measure), X.ptr, Y.ptr, _kspec(k), d, C.byref(r)))
        return take_json(lambda out: lib.nbr_to_json(C.byref(r), out))
    if measure in CKA_MEASURES:
        o = lib.cka_opts_default()
        o.sigma_factor, o.rbf_unbiased = sigma_factor, int(rbf_unbiased)
        o.svcca_variance, o.svcca_dims = svcca_variance, svcca_dims
        r = CkaResult()
        check(lib.cka_measure(cstr(measure), X.ptr, Y.ptr, C.byref(o), C.byref(r)))
        try:
            return take_json(lambda out: lib.cka_to_json(C.byref(r), out))
        finally:
            lib.cka_result_free(C.byref(r))
    if measure == "tas":
        return nngs_spectrum(X.array, Y.array, distance=distance or "euclidean",
                             normalize=False)
    raise usage(f"measure {measure!r}: expected one of {', '.join(MEASURES)}")


def nngs_sweep(x, y, ks=None, *, distance: str = "euclidean", normalize: bool = True) -> dict:
    """NNGS at several scales (gapkit similarity --measure nngs --k-sweep): ks a list of
    counts or fractions (None: k = 1, 5, 10 and 1 %, 5 %, 10 %, 20 %, 50 % of N−1).
    Returns {"measure": "nngs-sweep", "points": [{"k", "k_fraction", "raw", "chance",
    "normalized"}, …]}."""
    X, Y = MatArg(x, "x", normalize), MatArg(y, "y", normalize)
    nk = 8
    arr = None
    if ks is not None:
        ks = list(ks)
        nk = len(ks)
        arr = (KSpec * nk)(*[_kspec(k) for k in ks])
    res = (NbrResult * nk)()
    n_out = C.c_int()
    check(lib.nngs_sweep(X.ptr, Y.ptr, arr, nk if arr is not None else 0,
                         parse_distance(distance), res, C.byref(n_out)))
    return take_json(lambda out: lib.nngs_sweep_to_json(res, n_out.value, out))


def nngs_spectrum(x, y, *, distance: str = "euclidean", normalize: bool = True) -> dict:
    """The NNGS spectrum (TAS) at every k = 1..N−2 (gk_nngs_spectrum): the summary
    document of `--measure tas` plus "raw" and "normalized" as (N−2,) numpy arrays."""
    X, Y = MatArg(x, "x", normalize), MatArg(y, "y", normalize)
    t = C.POINTER(Tas)()
    check(lib.nngs_spectrum(X.ptr, Y.ptr, parse_distance(distance), C.byref(t)))
    try:
        doc = take_json(lambda out: lib.tas_to_json(t, out))
        doc["raw"] = float_array(t.contents.raw, (t.contents.len,))
        doc["normalized"] = float_array(t.contents.normalized, (t.contents.len,))
        return doc
    finally:
        lib.tas_free(t)
