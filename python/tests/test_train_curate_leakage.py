"""train (Head), curate and leakage against `gapkit train|curate|leakage`: the same
seed gives the same head bytes, pairs and documents as the CLI."""
import numpy as np
import pytest

import gapkit
from conftest import COCO, assert_same, cli_json, cli_run

V0, V1 = f"{COCO}/features_clip.npy:0", f"{COCO}/features_clip.npy:1"


def _unit(x):
    x = np.asarray(x, np.float64)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.mark.parametrize("kw,args", [
    ({}, []),
    ({"loss": "modgap", "head": "mlp", "dropout": 0.1},
     ["--loss", "modgap", "--head", "mlp", "--dropout", "0.1"]),
    ({"loss": "softclap", "mixup": 0.5, "split": "random:0.2", "early_stop": "loss",
      "patience": 1}, ["--loss", "softclap", "--mixup", "0.5", "--split", "random:0.2",
                       "--early-stop", "loss", "--patience", "1"]),
    # batches of 64 rows in blocks of 16: the blocks' gradients added in order
    ({"head": "mlp", "row_block": 16}, ["--head", "mlp", "--row-block", "16"]),
])
def test_train_same_head_bytes_as_cli(coco, tmp_path, kw, args):
    h = gapkit.train(coco[0], coco[1], dim=32, epochs=3, batch=64, lr=3e-3, seed=7, **kw)
    cli = cli_json("train", V0, V1, "--dim", 32, "--epochs", 3, "--batch", 64, "--lr", "3e-3",
                   "--seed", 7, *args, "--quiet", "--out", tmp_path / "cli.npz")
    assert_same(h.history, cli, skip=("seconds",))
    h.save(tmp_path / "py.npz")
    assert (tmp_path / "py.npz").read_bytes() == (tmp_path / "cli.npz").read_bytes()
    assert (h.n_views, h.dim, h.in_dim(1), h.kind) == (2, 32, 512, kw.get("head", "linear"))
    assert h.n_fit > 0 and h.logit_scale > 0
    # the saved head is a model `gapkit align apply` and Transform.load read
    cli_run("align", "apply", tmp_path / "py.npz", "--modality", "y", V1, "--out",
            tmp_path / "y.npy")
    z = h.transform(coco[1], view=1)
    assert z.shape == (500, 32)
    np.testing.assert_array_equal(np.load(tmp_path / "y.npy"), z)
    np.testing.assert_array_equal(gapkit.Head.load(tmp_path / "py.npz").transform(coco[1], 1), z)
    np.testing.assert_array_equal(gapkit.Transform.load(tmp_path / "py.npz")
                                  .transform(coco[1], view=1), z)


def test_linear_head_is_normalize_xw_plus_b(coco, tmp_path):
    """Independent reference: z = normalize(x̂ W1 + b1) in numpy from the saved arrays
    (docs/model-format.md)."""
    h = gapkit.train(coco[0], coco[1], dim=16, epochs=2, batch=100, seed=1)
    h.save(tmp_path / "h.npz")
    m = np.load(tmp_path / "h.npz")
    for v in (0, 1):
        ref = _unit(coco[v]) @ m[f"w1_{v}"].astype(np.float64) + m[f"b1_{v}"][0]
        np.testing.assert_allclose(h.transform(coco[v], v), _unit(ref), atol=2e-5)


def test_train_on_pairs_and_from_init(coco, tmp_path):
    pairs = np.stack([np.arange(400), (np.arange(400) * 7) % 500, np.zeros(400)], 1)
    np.save(tmp_path / "p.npy", pairs)
    init = gapkit.train(coco[0], coco[1], dim=16, epochs=1, batch=50, seed=2)
    init.save(tmp_path / "init.npz")
    h = gapkit.train(coco[0], coco[1], pairs=pairs, init=init, dim=16, epochs=2, batch=50,
                     seed=2)
    cli_run("train", V0, V1, "--pairs", tmp_path / "p.npy", "--init", tmp_path / "init.npz",
            "--dim", 16, "--epochs", 2, "--batch", 50, "--seed", 2, "--quiet", "--out",
            tmp_path / "cli.npz")
    h.save(tmp_path / "py.npz")
    assert (tmp_path / "py.npz").read_bytes() == (tmp_path / "cli.npz").read_bytes()
    assert h.n_fit == 400


def test_train_bad_input(coco):
    x, y = coco
    with pytest.raises(gapkit.UsageError, match="batch"):
        gapkit.train(x[:10], y[:10], batch=64)
    with pytest.raises(gapkit.UsageError, match="loss"):
        gapkit.train(x, y, loss="triplet")
    with pytest.raises(gapkit.UsageError):
        gapkit.train(x, y, early_stop="r1")  # early stopping without a validation split
    with pytest.raises(gapkit.InputError, match="rows"):
        gapkit.train(x, y[:400])
    with pytest.raises(gapkit.InputError, match="row index"):
        gapkit.train(x, y, pairs=[[0, 1.5, 0.0]])
    with pytest.raises(gapkit.UsageError, match="names row"):
        gapkit.train(x, y, pairs=[[0, 900, 0.0]] * 4, batch=2)
    with pytest.raises(gapkit.InputError):
        gapkit.Head.load(__file__)


def _seen(esc, tmp_path):
    """docs/curation.md: the text pool is the even class prompts of ESC-50."""
    text, names = np.ascontiguousarray(esc["prompts"][0::2]), esc["names"][0::2]
    np.save(tmp_path / "t.npy", text)
    (tmp_path / "n.txt").write_text("\n".join(names) + "\n")
    return text, names


@pytest.mark.parametrize("kw,args", [
    ({"tau": 0.5}, ["--tau", "0.5"]),
    ({"mode": "topk", "k": 2, "tau_target": 0.3, "augment": True},
     ["--mode", "topk", "--k", "2", "--tau-target", "0.3", "--augment"]),
    ({"mode": "mutual", "k": 3, "tau": 0.2}, ["--mode", "mutual", "--k", "3", "--tau", "0.2"]),
])
def test_curate_matches_cli(esc, tmp_path, kw, args):
    from conftest import ESC
    text, names = _seen(esc, tmp_path)
    pairs, summary = gapkit.curate(esc["audio"], text, targets=text, target_labels=names,
                                   labels=esc["labels"], **kw)
    cli = cli_json("curate", ESC / "audio.npy", tmp_path / "t.npy", "--targets",
                   tmp_path / "t.npy", "--target-labels", tmp_path / "n.txt", "--labels",
                   f"{ESC}/meta.csv:class_name", *args, "--out", tmp_path / "p.npy")
    assert_same(summary, cli)
    np.testing.assert_array_equal(pairs, np.load(tmp_path / "p.npy"))
    assert pairs.shape == (summary["n_pairs"], 3)


def test_curate_threshold_is_numpy_cosine(esc):
    """Independent reference: every (audio, text) with float64 cosine >= 0.5; the
    table of docs/curation.md gives 784 pairs."""
    text = esc["prompts"][0::2]
    pairs, summary = gapkit.curate(esc["audio"], text, tau=0.5)
    cos = _unit(esc["audio"]) @ _unit(text).T
    ref = np.argwhere(cos >= 0.5)
    assert np.abs(cos - 0.5).min() > 1e-6  # no pair on the border
    np.testing.assert_array_equal(pairs[:, :2], ref)
    np.testing.assert_allclose(pairs[:, 2], cos[cos >= 0.5], atol=1e-6)
    assert summary["n_pairs"] == 784


def test_curate_bad_input(esc):
    a, t = esc["audio"], esc["prompts"]
    with pytest.raises(gapkit.UsageError, match="mode"):
        gapkit.curate(a, t, mode="best")
    with pytest.raises(gapkit.UsageError):
        gapkit.curate(a, t, mode="topk", k=0)
    with pytest.raises(gapkit.UsageError):
        gapkit.curate(a, t, tau=1.5)
    with pytest.raises(gapkit.UsageError, match="targets"):
        gapkit.curate(a, t, labels=esc["labels"])
    with pytest.raises(gapkit.InputError):
        gapkit.curate(a, t[:, :100])
    bad = np.array(t)
    bad[3] = np.nan
    with pytest.raises(gapkit.InputError):
        gapkit.curate(a, bad)


@pytest.fixture(scope="module")
def esc10(esc, tmp_path_factory):
    """10 classes of ESC-50 (400 clips, their 10 prompts) as files for the CLI."""
    d = tmp_path_factory.mktemp("esc10")
    names = esc["names"][:10]
    keep = [i for i, c in enumerate(esc["labels"]) if c in names]
    audio = np.ascontiguousarray(esc["audio"][keep])
    labels = [esc["labels"][i] for i in keep]
    prompts = np.ascontiguousarray(esc["prompts"][:10])
    np.save(d / "a.npy", audio)
    np.save(d / "p.npy", prompts)
    (d / "l.txt").write_text("\n".join(labels) + "\n")
    (d / "n.txt").write_text("\n".join(names) + "\n")
    return {"dir": d, "audio": audio, "labels": labels, "prompts": prompts, "names": names}


def test_leakage_matches_cli(esc10, coco):
    e, d = esc10, esc10["dir"]
    files = [d / "a.npy", d / "p.npy", "--labels", d / "l.txt", "--prompt-labels", d / "n.txt"]
    py = gapkit.leakage(e["audio"], e["prompts"], e["labels"], e["names"])
    assert_same(py, cli_json("leakage", *files))
    backbone = np.asarray(e["audio"])[:, ::-1] ** 3  # any (N, Db) rows of the same items
    np.save(d / "b.npy", backbone)
    py = gapkit.leakage(e["audio"], e["prompts"], e["labels"], e["names"],
                        transform="procrustes", split="random:0.4", class_fraction=0.3,
                        n_boot=200, backbone=backbone, nngs_k=5, seed=3)
    cli = cli_json("leakage", *files, "--transform", "procrustes", "--split", "random:0.4",
                   "--class-fraction", "0.3", "--bootstrap", 200, "--backbone", d / "b.npy",
                   "--nngs-k", 5, "--seed", 3)
    assert_same(py, cli)
    assert py["item_split_gain"] is not None and py["backbone"] is not None


def test_leakage_values(esc10):
    """Independent reference: zero-shot top-1 and the leave-one-out nearest class
    centroid accuracy recomputed with numpy."""
    e = esc10
    x, p = _unit(e["audio"]), _unit(e["prompts"])
    y = np.array([e["names"].index(c) for c in e["labels"]])
    r = gapkit.leakage(e["audio"], e["prompts"], e["labels"], e["names"])
    assert r["zeroshot_top1"] == pytest.approx(np.mean((x @ p.T).argmax(1) == y), abs=1e-9)
    sums = np.stack([x[y == c].sum(0) for c in range(10)])
    counts = np.bincount(y, minlength=10)
    hits = 0
    for i in range(len(y)):
        m = sums.copy()
        m[y[i]] -= x[i]
        m /= (counts - (np.arange(10) == y[i]))[:, None]
        m /= np.linalg.norm(m, axis=1, keepdims=True)
        hits += (m @ x[i]).argmax() == y[i]
    assert r["items"]["ncc_acc"] == pytest.approx(hits / len(y), abs=1e-9)


def test_leakage_bad_input(esc10):
    e = esc10
    args = (e["audio"], e["prompts"], e["labels"], e["names"])
    with pytest.raises(gapkit.UsageError, match="labels"):
        gapkit.leakage(e["audio"], e["prompts"], e["labels"][:5], e["names"])
    with pytest.raises(gapkit.UsageError, match="transform"):
        gapkit.leakage(*args, split="random:0.5")
    with pytest.raises(gapkit.UsageError, match="item split"):
        gapkit.leakage(*args, transform="center", split="classes:0.5")
    with pytest.raises(gapkit.InputError):
        gapkit.leakage(e["audio"], e["prompts"][:, :64], e["labels"], e["names"])
