"""compare and analyze against `gapkit compare|analyze --json`."""
import json

import numpy as np

import gapkit
from conftest import ESC, assert_same, cli_json


def test_compare_pair_by_label_matches_cli(esc):
    idx = [esc["names"].index(c) for c in esc["labels"]]
    methods = ["identity", "shift:lambda=0.5", "cca:k=16"]
    py = gapkit.compare([esc["audio"], esc["prompts"][idx]], labels=esc["labels"],
                        prompts=esc["prompts"], prompt_labels=esc["names"],
                        split="classes:0.5", methods=methods, probe=False, restarts=1)
    cli = cli_json("compare", ESC / "audio.npy", ESC / "class_text.npy", "--labels",
                   f"{ESC}/meta.csv:class_name", "--prompt-labels", ESC / "class_names.txt",
                   "--pair-by-label", "--split", "classes:0.5", "--methods", ";".join(methods),
                   "--no-probe", "--restarts", "1")
    assert_same(py, cli)
    assert [r["transform"] for r in py["rows"]][0] == "identity"


def test_analyze_matches_cli_and_writes_the_page(coco, tmp_path):
    """On 300 COCO items cut to 48 dimensions (the permutation test is O(D²) a shuffle)."""
    x = np.ascontiguousarray(coco[0][:300, :48])
    y = np.ascontiguousarray(coco[1][:300, :48])
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "y.npy", y)
    py = gapkit.analyze([x, y], out=tmp_path / "py", names=["x.npy", "y.npy"])
    cli = cli_json("analyze", tmp_path / "x.npy", tmp_path / "y.npy", "--out",
                   tmp_path / "cli", "--quiet")
    # the inputs section names the files; every number must agree
    assert_same(py, cli, skip=("x", "y", "views", "inputs", "input", "paths", "files",
                               "view_names", "names", "name", "path"))
    page = (tmp_path / "py" / "report.html").read_text()
    assert "<svg" in page
    assert json.loads((tmp_path / "py" / "report.json").read_text()) == py


def test_compare_named_tests_match_cli(esc):
    """tests= is `--test A,B`: the named pair joins the Holm family, every number as the CLI's."""
    idx = [esc["names"].index(c) for c in esc["labels"]]
    methods = ["identity", "center", "ablate:m=450"]
    py = gapkit.compare([esc["audio"], esc["prompts"][idx]], labels=esc["labels"],
                        prompts=esc["prompts"], prompt_labels=esc["names"],
                        split="classes:0.5", methods=methods, cluster=False, knn=False,
                        probe=False, tests=[("ablate", "center")], bootstrap=200,
                        sign_flips=999)
    cli = cli_json("compare", ESC / "audio.npy", ESC / "class_text.npy", "--labels",
                   f"{ESC}/meta.csv:class_name", "--prompt-labels", ESC / "class_names.txt",
                   "--pair-by-label", "--split", "classes:0.5", "--methods", ";".join(methods),
                   "--no-cluster", "--no-knn", "--no-probe", "--test", "ablate,center",
                   "--bootstrap", "200", "--sign-flips", "999")
    assert_same(py, cli)
    assert py["versus"] and py["significance"]["n_tests"] == 21


def test_compare_named_test_errors():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((40, 8)), rng.standard_normal((40, 8))
    try:
        gapkit.compare([x, y], methods=["identity", "center"], tests=["center"],
                       cluster=False, knn=False, probe=False)
    except gapkit.UsageError as e:
        assert "A,B" in str(e)
    else:
        raise AssertionError("a test without a comma was accepted")
