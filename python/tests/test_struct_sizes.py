"""Every ctypes mirror of a public struct (gapkit._ffi) has the size of its C struct, as
tests/struct_sizes.c prints them: a field added in C and forgotten here would shift the
fields after it, or shrink a struct the library returns by value."""
import ctypes as C
import os
import subprocess

import pytest

from gapkit import _ffi

PARTIAL = {"ZeroshotFolds"}  # mirrors the leading fields only: may be smaller


def _c_sizes():
    exe = os.environ.get("STRUCT_SIZES")
    if not exe:
        pytest.skip("STRUCT_SIZES (the tests/struct_sizes program) not given")
    out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    return {py: (c, int(n)) for py, c, n in (line.split() for line in out.splitlines())}


def test_every_mirror_has_its_c_size():
    sizes = _c_sizes()
    mirrors = {name: cls for name, cls in vars(_ffi).items()
               if isinstance(cls, type) and issubclass(cls, C.Structure)}
    assert set(mirrors) == set(sizes), "tests/struct_sizes.c and _ffi.py list different structs"
    for name, cls in mirrors.items():
        c, n = sizes[name]
        if name in PARTIAL:
            assert C.sizeof(cls) <= n, (name, c)
        else:
            assert C.sizeof(cls) == n, f"{name}: ctypes {C.sizeof(cls)} bytes, {c} {n}"
