"""Builds the gapkit Python package with Debian's setuptools, offline.

    python3 -m venv --system-site-packages VENV
    VENV/bin/pip install --no-build-isolation ./python

The package is pure Python (ctypes) plus a copy of libgapkit.so inside it.
Where that library comes from, first match wins:
  1. $GAPKIT_LIBRARY_FILE: an existing libgapkit.so (e.g. build/libgapkit.so) is copied;
  2. otherwise cmake builds the shared library (target gapkit_shared, Release) from
     the repository this directory belongs to (python/..), in python/build/libgapkit.
No network is used: cmake needs only the Debian packages of scripts/install-deps.
At run time $GAPKIT_LIBRARY overrides the packaged copy.
"""
import os
import pathlib
import shutil
import subprocess

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent


def build_library():
    """Path of a freshly built (or given) libgapkit.so."""
    given = os.environ.get("GAPKIT_LIBRARY_FILE")
    if given:
        if not os.path.isfile(given):
            raise SystemExit(f"GAPKIT_LIBRARY_FILE={given}: no such file")
        return pathlib.Path(given)
    if not (ROOT / "CMakeLists.txt").is_file():
        raise SystemExit(f"{ROOT}: no CMakeLists.txt; build from the gapkit repository or set "
                         "GAPKIT_LIBRARY_FILE to an existing libgapkit.so")
    build = HERE / "build" / "libgapkit"
    subprocess.check_call(["cmake", "-S", str(ROOT), "-B", str(build),
                           "-DCMAKE_BUILD_TYPE=Release", "-DGAPKIT_TESTS=OFF"])
    subprocess.check_call(["cmake", "--build", str(build), "--target", "gapkit_shared",
                           "-j", str(os.cpu_count() or 1)])
    return build / "libgapkit.so"


class BuildWithLibrary(build_py):
    """build_py that also puts libgapkit.so into the package directory."""

    def run(self):
        super().run()
        lib = build_library().resolve()  # the versioned file, not the symlink
        dest = pathlib.Path(self.build_lib) / "gapkit" / "libgapkit.so"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(lib, dest)


setup(
    name="gapkit",
    version="0.1.0",
    description="Measure, explain and close the modality gap of paired embeddings "
                "(ctypes binding of libgapkit)",
    packages=["gapkit"],
    python_requires=">=3.9",
    install_requires=[],  # numpy comes from Debian (python3-numpy) via --system-site-packages
    cmdclass={"build_py": BuildWithLibrary},
    zip_safe=False,
)
