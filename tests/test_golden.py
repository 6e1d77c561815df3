"""Same seed, same bytes: today's outputs against digests made before the speed work (issue 14).

``tests/golden/digests.json`` holds the SHA-256 of files written by the command line for a small,
fixed set of questions, and of every indicator's per-trajectory array (float64, little-endian) of a
300-trajectory ensemble.  It was written once, by ``python tests/test_golden.py --write`` at commit
7ee03e7, before any of the speed work; speed work must change no number, so the digests are never
rewritten to make this test pass.  A change that is meant to move numbers (new data, a model fix)
rewrites them in its own commit and says why.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from simulate.cli import main

GOLDEN = Path(__file__).resolve().parent / "golden" / "digests.json"
SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"

#: name -> (command-line arguments, files whose bytes are compared)
QUESTIONS = {
    "run": (["run", "baseline", "--no-figures"], ["indicators.csv", "population.csv", "labour.csv"]),
    "ensemble": (["ensemble", "baseline", "--n", "300", "--seed", "11", "--chunk", "128", "--no-figures"],
                 ["quantiles.csv", "samples.csv", "targets.csv"]),
    "sweep": (["sweep", "baseline", "--grid", "productivity_growth=0:3:4", "--grid", "seniors_uplift=0,20",
               "--no-figures"], ["sweep.csv"]),
    "morris": (["sensitivity", "baseline", "--method", "morris", "--n", "6", "--seed", "3", "--no-figures"],
               ["sensitivity.csv", "samples.csv"]),
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def trajectory_digests(folder: Path) -> dict[str, str]:
    """SHA-256 of each indicator's (trajectory, year) float64 array in the ensemble's labelled file."""
    import xarray as xr

    from simulate.indicators import REGISTRY
    from simulate.report.uncertainty import open_trajectories

    with open_trajectories(folder) as dataset:
        return {name: sha256(np.ascontiguousarray(dataset[name].values, dtype="<f8").tobytes())
                for name in sorted(dataset.data_vars) if name in REGISTRY}


def digests(out: Path) -> dict[str, dict[str, str]]:
    """Run every question into ``out`` and digest its files."""
    found: dict[str, dict[str, str]] = {}
    for key, (args, files) in QUESTIONS.items():
        assert main([*args, "--out", str(out / key), "--quiet", "--lang", "en"]) == 0
        (folder,) = [p for p in (out / key).iterdir() if not p.name.startswith(".")]
        found[key] = {name: sha256((folder / name).read_bytes()) for name in files}
        if key == "ensemble":
            found["trajectories"] = trajectory_digests(folder)
    return found


@pytest.mark.slow
def test_same_seed_gives_the_bytes_of_the_release_before_the_speed_work(tmp_path):
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    found = digests(tmp_path)
    assert set(found) == set(expected)
    for key in expected:
        changed = sorted(name for name in expected[key] if found[key].get(name) != expected[key][name])
        assert not changed and set(found[key]) == set(expected[key]), f"{key}: {changed} differ"


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        GOLDEN.write_text(json.dumps(digests(Path(tmp)), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}")
