"""What the package declares: an SPDX licence for the code with its LICENSE file (the data keep
their own licences), and dependency floors that the code can actually run on."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_code_has_an_spdx_licence_and_a_licence_file():
    assert PROJECT["license"] == "MIT" and PROJECT["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "CC BY 4.0" in text and "simulate/data/SOURCES.md" in text


def floor(package: str) -> tuple[int, ...]:
    spec = next(d for d in PROJECT["dependencies"] if re.match(rf"{package}\b", d, re.I))
    return tuple(int(p) for p in re.search(r">=([\d.]+)", spec).group(1).split("."))


def test_the_zarr_floor_has_what_the_store_uses():
    """The store writes through Array.async_array, which zarr first has in 3.1.4 (on 3.0.10-3.1.3
    an ensemble crashed with AttributeError); scripts/check_versions.py lowest runs the tests there."""
    import zarr

    assert floor("zarr") >= (3, 1, 4)
    assert hasattr(zarr.Array, "async_array")
