"""Similarity measures and kNN against `gapkit similarity|knn --json` and numpy."""
import numpy as np
import pytest

import gapkit
from conftest import COCO, assert_same, cli_json, cli_run

V0, V1 = f"{COCO}/features_clip.npy:0", f"{COCO}/features_clip.npy:1"
ALL = "nngs,mutual-knn,cycle-knn,cknna,cka-linear,cka-rbf,cka-unbiased,procrustes,tas"


def unit(a):
    a = np.asarray(a, np.float64)
    return a / np.linalg.norm(a, axis=1, keepdims=True)


def test_every_measure_matches_cli(coco):
    cli = cli_json("similarity", V0, V1, "--measure", ALL)["results"]
    for doc in cli:
        py = gapkit.similarity(*coco, doc["measure"])
        assert_same(py, doc, doc["measure"])
    # svcca needs kx + ky < N: fixed dimensions
    py = gapkit.similarity(*coco, "svcca", svcca_dims=20)
    assert_same(py, cli_json("similarity", V0, V1, "--measure", "svcca", "--svcca-dims",
                             "20")["results"][0])


def test_nngs_sweep_and_spectrum_match_cli(coco):
    assert_same(gapkit.nngs_sweep(*coco), cli_json("similarity", V0, V1, "--k-sweep"))
    t = gapkit.nngs_spectrum(*coco)
    assert t["raw"].shape == t["normalized"].shape == (498,)
    pts = {p["k"]: p for p in t["points"]}
    assert t["normalized"][pts[10]["k"] - 1] == pytest.approx(pts[10]["normalized"])


def test_linear_cka_against_numpy(coco):
    x, y = unit(coco[0]), unit(coco[1])
    x, y = x - x.mean(0), y - y.mean(0)
    ref = np.linalg.norm(y.T @ x) ** 2 / (np.linalg.norm(x.T @ x) * np.linalg.norm(y.T @ y))
    assert gapkit.similarity(*coco, "cka-linear")["value"] == pytest.approx(ref, rel=1e-6)


def test_knn_matches_cli_and_numpy(coco, tmp_path):
    r = gapkit.knn(coco[0], 7, distance="cosine")
    cli = cli_json("knn", V0, "--k", "7", "--distance", "cosine", "--out", tmp_path / "ids.npy")
    assert_same(r.summary, cli)
    np.testing.assert_array_equal(r.ids, np.load(tmp_path / "ids.npy").astype(np.int64))
    # numpy reference: cosine distances, own row excluded
    x = unit(coco[0])
    d = 1 - x @ x.T
    np.fill_diagonal(d, np.inf)
    ref = np.argsort(d, axis=1, kind="stable")[:, :7]
    assert (r.ids == ref).mean() > 0.999  # float32 keys may swap near-ties
    np.testing.assert_allclose(r.distances, np.take_along_axis(d, r.ids, 1), atol=1e-5)


def test_knn_queries_match_cli(coco, tmp_path):
    r = gapkit.knn(coco[0], 3, queries=coco[1][:50])
    np.save(tmp_path / "q.npy", np.ascontiguousarray(coco[1][:50]))
    cli_run("knn", V0, "--k", "3", "--queries", tmp_path / "q.npy", "--out",
            tmp_path / "ids.npy", "--dist-out", tmp_path / "d.npy")
    np.testing.assert_array_equal(r.ids, np.load(tmp_path / "ids.npy").astype(np.int64))
    np.testing.assert_array_equal(r.distances, np.load(tmp_path / "d.npy"))
