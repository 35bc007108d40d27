"""Exact k nearest neighbours (knn.h, `gapkit knn`)."""
import ctypes as C
import dataclasses

import numpy as np

from ._arrays import MatArg
from ._common import parse_distance, take_json
from ._ffi import lib
from .errors import check


@dataclasses.dataclass
class KnnResult:
    """ids (Q, K) int64 gallery rows, nearest first (ties by lower index);
    distances (Q, K) float32 (the distance of knn.h, not the ranking key);
    summary: the `gapkit knn --json` document."""
    ids: np.ndarray
    distances: np.ndarray
    summary: dict


def knn(x, k: int = 10, *, queries=None, distance: str = "euclidean",
        normalize: bool = True) -> KnnResult:
    """The k nearest rows of the gallery x (N, D) for every row of queries (Q, D), or,
    with queries=None, every row's k nearest OTHER rows of x (its own index excluded:
    1 <= k <= N−1).  distance "euclidean", "cosine", "ip" (largest inner product) or
    "l1".  Exact (tiled GEMMs), never a Q×N matrix; thread-independent.
    The gallery is borrowed while the search runs (no copy with normalize=False and a
    float32 row-major array)."""
    G = MatArg(x, "x", normalize)
    Q = MatArg(queries, "queries", normalize) if queries is not None else None
    n = Q.rows if Q else G.rows
    ids = np.empty((n, k), dtype=np.int64)
    dist = np.empty((n, k), dtype=np.float32)
    idx = C.c_void_p()
    check(lib.knn_create(G.ptr, parse_distance(distance), C.byref(idx)))
    try:
        pi = ids.ctypes.data_as(C.POINTER(C.c_int64))
        pd = dist.ctypes.data_as(C.POINTER(C.c_float))
        if Q:
            check(lib.knn_query(idx, Q.ptr, k, pi, pd))
        else:
            check(lib.knn_graph(idx, k, pi, pd))
        summary = take_json(lambda out: lib.knn_summary_to_json(idx, n, Q is None, k, pd, out))
    finally:
        lib.knn_free(idx)
    return KnnResult(ids, dist, summary)
