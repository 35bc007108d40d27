"""Shared fixtures: the built CLI, the shared data, and a comparison of result
documents.  $GAPKIT is the CLI (default: build/gapkit of this repository),
$DATA the shared data (default: ../shared/data beside the repository)."""
import json
import math
import os
import pathlib
import subprocess

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
GAPKIT = os.environ.get("GAPKIT", str(ROOT / "build" / "gapkit"))
DATA = pathlib.Path(os.environ.get("DATA", str(ROOT.parent / "shared" / "data")))
ESC = DATA / "esc50-clap"
COCO = DATA / "clip-coco-liang"


def cli_run(*args):
    """Runs `gapkit ARGS`; returns its standard output."""
    if not os.access(GAPKIT, os.X_OK):
        pytest.skip(f"no built CLI at {GAPKIT}")
    return subprocess.run([GAPKIT, *map(str, args)], check=True, capture_output=True,
                          text=True).stdout


def cli_json(*args):
    """The document `gapkit ARGS --json` prints."""
    return json.loads(cli_run(*args, "--json"))


def assert_same(py, cli, path="", skip=("x", "y", "views")):
    """Equal documents: numbers to 1e-9 relative, arrays compared element-wise;
    keys in `skip` (file names the CLI prints) are not compared."""
    if isinstance(cli, dict):
        assert isinstance(py, dict), path
        for k, v in cli.items():
            if k in skip:
                continue
            assert k in py, f"{path}.{k} missing from the package's result"
            assert_same(py[k], v, f"{path}.{k}", skip)
    elif isinstance(cli, list):
        py = py.tolist() if isinstance(py, np.ndarray) else py
        assert len(py) == len(cli), path
        for i, (a, b) in enumerate(zip(py, cli)):
            assert_same(a, b, f"{path}[{i}]", skip)
    elif isinstance(cli, float) or (isinstance(py, float) and isinstance(cli, int)):
        if py is None or (isinstance(py, float) and math.isnan(py)):
            assert cli is None, path
        else:
            assert math.isclose(py, cli, rel_tol=1e-9, abs_tol=1e-12), f"{path}: {py} != {cli}"
    elif cli is None:
        assert py is None or (isinstance(py, float) and math.isnan(py)), f"{path}: {py}"
    else:
        assert py == cli, f"{path}: {py!r} != {cli!r}"


def need(path):
    if not path.exists():
        pytest.skip(f"shared data missing: {path}")
    return path


@pytest.fixture(scope="session")
def coco():
    """CLIP COCO: image (view 0) and caption (view 1) rows of 500 items, as stored."""
    f = np.load(need(COCO / "features_clip.npy"), mmap_mode="r")
    return f[0], f[1]


@pytest.fixture(scope="session")
def esc():
    """ESC-50 CLAP: audio (2000,512), class prompts (50,512), clip labels, prompt
    labels, folds."""
    import csv
    audio = np.load(need(ESC / "audio.npy"), mmap_mode="r")
    prompts = np.load(ESC / "class_text.npy")
    with open(ESC / "meta.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    names = (ESC / "class_names.txt").read_text().split("\n")
    return {"audio": audio, "prompts": prompts, "labels": [r["class_name"] for r in rows],
            "folds": [r["fold"] for r in rows], "names": names}
