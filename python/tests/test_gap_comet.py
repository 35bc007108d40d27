"""gap and COMET against `gapkit gap|comet --json` on the shared data."""
import numpy as np
import pytest

import gapkit
from gapkit._arrays import MatArg
from conftest import COCO, ESC, assert_same, cli_json, cli_run

V0, V1 = f"{COCO}/features_clip.npy:0", f"{COCO}/features_clip.npy:1"


def test_gap_matches_cli(coco):
    py = gapkit.gap(*coco)
    assert_same(py, cli_json("gap", V0, V1))
    assert py["gap"] == pytest.approx(0.85135, abs=5e-6)  # shared/data/README.md
    assert py["gap_vector"].shape == (512,)
    assert np.linalg.norm(py["gap_vector"]) == pytest.approx(py["gap"], rel=1e-6)


def test_gap_pair_by_label_matches_cli(esc):
    idx = [esc["names"].index(c) for c in esc["labels"]]
    py = gapkit.gap(esc["audio"], esc["prompts"][idx], separability=False)
    cli = cli_json("gap", ESC / "audio.npy", ESC / "class_text.npy", "--labels",
                   f"{ESC}/meta.csv:class_name", "--prompt-labels", ESC / "class_names.txt",
                   "--pair-by-label", "--no-separability")
    assert_same(py, cli)
    assert py["gap"] == pytest.approx(0.50029, abs=5e-6)  # shared/data/README.md


def test_comet_fit_save_explain_apply(coco, tmp_path):
    m = gapkit.comet_fit(coco[1], coco[0], k=8)
    cli = cli_json("comet", "fit", V1, V0, "--k", "8", "--out", tmp_path / "cli.npz")
    # 500 centred pairs: at most 499 axes are not noise (the JSON's numerical rank)
    assert m.k == cli["k"] == 8 and m.numerical_rank == cli["rank"] == 499 and m.rank == 512
    assert m.sigma[0] == pytest.approx(cli["sigma_1"], rel=1e-9)
    m.save(tmp_path / "py.npz")
    # the saved model and the CLI's hold the same numbers
    a, b = np.load(tmp_path / "py.npz"), np.load(tmp_path / "cli.npz")
    for name in ("U", "V", "sigma", "align", "corr", "t_mean", "a_mean"):
        np.testing.assert_array_equal(a[name], b[name])
    np.testing.assert_array_equal(a["U"], m.axes(0))
    np.testing.assert_array_equal(a["sigma"][0], m.sigma)
    again = gapkit.Comet.load(tmp_path / "cli.npz")
    np.testing.assert_array_equal(again.axes(1), m.axes(1))
    assert m.axes(0).shape == (512, 8) and m.corr.shape == (8,) and m.align.shape == (512,)
    # explain with the dissection of the test pairs
    py = m.explain(coco[1], coco[0], head=3)
    assert_same(py, cli_json("comet", "explain", tmp_path / "cli.npz", "--test", V1, V0,
                             "--head", "3"))
    d = m.dissect(coco[1], coco[0], head=3)
    t = d.pos_all
    assert t["total"] == pytest.approx(t["mean"] + t["mean_coef"] + t["direct"] + t["cross"]
                                       + t["residual"], abs=1e-9)
    # apply: the CLI's output file holds the same bytes
    out = m.apply(coco[0], side=1, weight="align")
    cli_run("comet", "apply", tmp_path / "cli.npz", "--side", "1", "--weight", "align", V0,
            "--out", tmp_path / "img.npy")
    np.testing.assert_array_equal(out, np.load(tmp_path / "img.npy"))


def test_comet_shared_axes_match_cli(coco, tmp_path):
    """The permutation test on a small slice (200 items, 32 dims: the test is O(D²) per
    shuffle), written to a file the CLI reads too."""
    t = np.ascontiguousarray(coco[1][:200, :32])
    a = np.ascontiguousarray(coco[0][:200, :32])
    np.save(tmp_path / "t.npy", t)
    np.save(tmp_path / "a.npy", a)
    m = gapkit.comet_fit(t, a, k="shared", permutations=19, seed=3)
    cli = cli_json("comet", "fit", tmp_path / "t.npy", tmp_path / "a.npy", "--k", "shared",
                   "--permutations", "19", "--seed", "3", "--out", tmp_path / "m.npz")
    assert m.k == cli["k"] == max(m.n_shared, 1)
    assert m.n_shared == cli["permutation_test"]["shared_axes"]
    assert_same(m.p_values[:len(cli["permutation_test"]["p_values"])],
                cli["permutation_test"]["p_values"])


def test_comet_axes_are_the_svd_of_the_cross_covariance(coco):
    """Independent reference: numpy's SVD of the centred cross-product."""
    t = np.asarray(coco[1], np.float64)
    a = np.asarray(coco[0], np.float64)
    t /= np.linalg.norm(t, axis=1, keepdims=True)
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    s = np.linalg.svd((t - t.mean(0)).T @ (a - a.mean(0)), compute_uv=False)
    m = gapkit.comet_fit(coco[1], coco[0], k=8)
    np.testing.assert_allclose(m.sigma[:8], s[:8], rtol=1e-4)


def test_load_reads_specs_as_the_cli(coco):
    x = gapkit.load(V0)
    np.testing.assert_array_equal(x, np.asarray(coco[0]))
    u = gapkit.load(V1, normalize=True)
    np.testing.assert_allclose(np.linalg.norm(u, axis=1), 1, atol=1e-6)
    # the CLI's loader and the package's normalize=True give the same bytes
    np.testing.assert_array_equal(u, MatArg(coco[1]).array)
    with pytest.raises(gapkit.UsageError) as e:  # GK_EARG: no view 7
        gapkit.load(f"{COCO}/features_clip.npy:7")
    assert "features_clip.npy" in e.value.message and "0..1" in e.value.message
    with pytest.raises(gapkit.InputError) as e:
        gapkit.load(f"{COCO}/no-such-file.npy")
    assert e.value.code == 2
