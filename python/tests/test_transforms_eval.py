"""Transforms (scikit-learn style) and eval retrieval/zero-shot/cluster/probe against
`gapkit align|eval --json`."""
import numpy as np
import pytest

import gapkit
from conftest import COCO, ESC, assert_same, cli_json, cli_run

V0, V1 = f"{COCO}/features_clip.npy:0", f"{COCO}/features_clip.npy:1"
LAB = ["--labels", f"{ESC}/meta.csv:class_name", "--prompt-labels", f"{ESC}/class_names.txt"]


@pytest.mark.parametrize("spec", ["center", "shift:lambda=0.5", "cca:k=16,ridge=0.1",
                                  "procrustes", "comet:k=8,weight=align", "projdec:topk=10"])
def test_transform_fit_apply_save_match_cli(coco, tmp_path, spec):
    method, _, params = spec.partition(":")
    kw = {}
    for kv in filter(None, params.split(",")):
        k, v = kv.split("=")
        kw[{"lambda": "lambda_"}.get(k, k)] = v
    t = gapkit.Transform(method, **kw).fit([coco[0], coco[1]])
    cli = cli_json("align", "fit", "--method", spec, V0, V1, "--out", tmp_path / "m.npz",
                   "--transformed", tmp_path)
    assert_same(t.info(), cli)
    for v in (0, 1):
        np.testing.assert_array_equal(t.transform(coco[v], view=v),
                                      np.load(tmp_path / f"view{v}.npy"))
    t.save(tmp_path / "py.npz")
    back = gapkit.Transform.load(tmp_path / "py.npz")
    np.testing.assert_array_equal(back.transform(coco[1], view=1), t.transform(coco[1], view=1))
    cli_run("align", "apply", tmp_path / "py.npz", "--modality", "y", V1, "--out",
            tmp_path / "y.npy")
    np.testing.assert_array_equal(np.load(tmp_path / "y.npy"), t.transform(coco[1], view=1))


def test_center_is_the_centred_unit_rows(coco):
    """Independent reference: x' = normalize(x - mean) with numpy."""
    x = np.asarray(coco[0], np.float64)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    ref = x - x.mean(0)
    ref /= np.linalg.norm(ref, axis=1, keepdims=True)
    out = gapkit.Transform("center").fit(list(coco)).transform(coco[0])
    np.testing.assert_allclose(out, ref, atol=2e-6)


def test_sklearn_protocol(coco):
    sk = pytest.importorskip("sklearn")
    from sklearn.base import clone
    from sklearn.pipeline import Pipeline
    t = gapkit.Transform("cca", k=16)
    assert t.get_params()["k"] == 16
    assert clone(t).set_params(k=8).get_params()["k"] == 8
    X = np.hstack([coco[0], coco[1]])
    pipe = Pipeline([("gap", gapkit.Transform("cca", k=16, dims=(512, 512), view=1))])
    out = pipe.fit(X).transform(X)
    ref = gapkit.Transform("cca", k=16).fit(list(coco)).transform(coco[1], view=1)
    np.testing.assert_array_equal(out, ref)
    assert sk is not None
    with pytest.raises(gapkit.UsageError):
        gapkit.Transform("cca", k=-3).fit(list(coco))


def test_retrieval_matches_cli(coco):
    py = gapkit.retrieval(*coco)
    assert_same(py, cli_json("eval", "retrieval", V0, V1))
    assert py["x_to_y"]["R@1"] == pytest.approx(0.552)  # shared/data/README.md
    assert py["y_to_x"]["R@5"] == pytest.approx(0.766)
    lo, hi = py["x_to_y"]["ci"]["R@1"]["ci_lo"], py["x_to_y"]["ci"]["R@1"]["ci_hi"]
    assert lo < 0.552 < hi
    assert "ci" not in gapkit.retrieval(*coco, bootstrap=0)["x_to_y"]
    with pytest.raises(gapkit.UsageError, match="bootstrap"):
        gapkit.retrieval(*coco, bootstrap=1)
    py = gapkit.retrieval(*coco, split="random:0.5", transform="comet:k=16", seed=2)
    assert_same(py, cli_json("eval", "retrieval", V0, V1, "--split", "random:0.5",
                             "--transform", "comet:k=16", "--seed", "2"))


def test_zeroshot_matches_cli(esc):
    args = (esc["audio"], esc["prompts"], esc["labels"], esc["names"])
    py = gapkit.zeroshot(*args)
    assert_same(py, cli_json("eval", "zeroshot", ESC / "audio.npy", ESC / "class_text.npy",
                             *LAB))
    assert py["top1"] == pytest.approx(0.915)  # shared/data/README.md
    assert py["pred"].shape == (2000,)
    py = gapkit.zeroshot(*args, split="classes:0.5", transform="center")
    assert_same(py, cli_json("eval", "zeroshot", ESC / "audio.npy", ESC / "class_text.npy",
                             *LAB, "--split", "classes:0.5", "--transform", "center"))


def test_kfold_retrieval_matches_cli(esc):
    idx = [esc["names"].index(c) for c in esc["labels"]]
    py = gapkit.zeroshot(esc["audio"], esc["prompts"], esc["labels"], esc["names"],
                         split="fold:fold", folds=esc["folds"], transform="comet:k=8")
    cli = cli_json("eval", "zeroshot", ESC / "audio.npy", ESC / "class_text.npy", *LAB,
                   "--split", "fold:fold", "--transform", "comet:k=8")
    assert len(py["folds"]) == 5
    assert_same(py, cli)
    assert idx  # the labels resolve to prompt rows


def test_cluster_and_probe_match_cli(esc, tmp_path):
    """On 10 classes of ESC-50 (400 clips; the probe's L-BFGS is the slow part)."""
    keep = [i for i, c in enumerate(esc["labels"]) if c in sorted(set(esc["labels"]))[:10]]
    audio = np.ascontiguousarray(esc["audio"][keep])
    labels = [esc["labels"][i] for i in keep]
    folds = [esc["folds"][i] for i in keep]
    np.save(tmp_path / "a.npy", audio)
    (tmp_path / "l.txt").write_text("\n".join(labels) + "\n")
    (tmp_path / "f.csv").write_text("fold\n" + "\n".join(folds) + "\n")
    a, lab = tmp_path / "a.npy", ["--labels", tmp_path / "l.txt"]
    assert_same(gapkit.cluster(audio, labels, restarts=2),
                cli_json("eval", "cluster", a, *lab, "--restarts", "2"))
    assert_same(gapkit.cluster([audio, audio], labels, n_clusters=4, spherical=True),
                cli_json("eval", "cluster", a, a, *lab, "--clusters", "4", "--spherical"))
    assert_same(gapkit.probe(audio, labels, knn_k=3, probe_folds=3),
                cli_json("eval", "probe", a, *lab, "--knn-k", "3", "--folds", "3"))
    assert_same(gapkit.probe(audio, labels, split="fold:fold=1", folds=folds),
                cli_json("eval", "probe", a, *lab, "--split", "fold:fold=1", "--split-csv",
                         tmp_path / "f.csv"))
