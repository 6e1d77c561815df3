"""Same seed, same bytes: today's outputs against digests made before the speed work (issue 14).

``tests/golden/digests.json`` holds the SHA-256 of files written by the command line for a small,
fixed set of questions, and of every indicator's per-trajectory array (float64, little-endian) of a
300-trajectory ensemble.  It was written by ``python tests/test_golden.py --write`` at commit
7ee03e7, before any of the speed work; speed work must change no number, so the digests are never
rewritten to make this test pass.  A change that is meant to move numbers (new data, a model fix)
rewrites them in its own commit and says why.

**What "the same bytes" needs.**

- The locked versions (``requirements/lock.txt``): a new numpy or SALib may move a last bit.
- numpy's kernels capped at AVX2.  numpy picks SIMD kernels for the processor it finds, and its
  AVX-512 ``exp`` and ``log`` round differently in the last bit.  The raw float64 trajectories
  differ in 25 of 28 indicators between an AVX-512 machine and an AVX2 one; the CSV files, which
  are rounded, do not.  The questions therefore run in a child process with
  ``NPY_DISABLE_CPU_FEATURES`` set to every feature above X86_V3 (AVX2) that this processor has
  (:func:`capped_numpy`), which every x86-64 machine of this workplace reaches.
- OpenBLAS's kernel pinned to :data:`OPENBLAS_KERNEL` (Haswell, the AVX2 kernel).  numpy's wheel
  bundles an OpenBLAS built for every x86-64 processor, which picks its kernel at start-up: on an
  AMD EPYC with AVX-512 it picks SkylakeX, whose matrix products round differently in the last bit,
  and every trajectory digest differs (issue 37).  ``OPENBLAS_CORETYPE`` chooses the kernel; the
  child process sets it (and drops ``OPENBLAS_L2_SIZE``, which only tunes blocking), then reports
  the kernel it runs (threadpoolctl), and the test refuses to compare digests made on another one.
  ``.ci/run`` runs this test once with ``OPENBLAS_CORETYPE`` unset in the parent, as a user's
  machine has it.
- The Morris indices are SALib's arithmetic, not ours: SALib 1.5.1 and 1.6.0 give mu* 13 % apart on
  the same design and outputs (migration_scale, 15-64 in 2030: 374,284 against 425,230), so
  ``sensitivity.csv`` is held to its stored numbers within :data:`SALIB_RTOL` when the locked SALib
  is installed, and to the ranking of the parameters (what a Morris screening promises) with any
  other SALib.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulate.cli import main

GOLDEN = Path(__file__).resolve().parent / "golden" / "digests.json"
#: The Morris indices of the "morris" question as written under the lock (SALib's numbers).
MORRIS = GOLDEN.parent / "morris_sensitivity.csv"
LOCK = Path(__file__).resolve().parent.parent / "requirements" / "lock.txt"
#: Relative tolerance on SALib's indices under the locked SALib: floating-point summation order only.
SALIB_RTOL = 1e-9
#: numpy's dispatch levels kept: the baseline and X86_V3 (AVX2, FMA3); everything after it is disabled.
KEPT_LEVEL = "X86_V3"
#: OpenBLAS's kernel for the same instruction level (OPENBLAS_CORETYPE).
OPENBLAS_KERNEL = "Haswell"

#: name -> (command-line arguments, files whose bytes are compared)
QUESTIONS = {
    "run": (["run", "baseline", "--no-figures"], ["indicators.csv", "population.csv", "labour.csv"]),
    "ensemble": (["ensemble", "baseline", "--n", "300", "--seed", "11", "--chunk", "128", "--no-figures"],
                 ["quantiles.csv", "samples.csv", "targets.csv"]),
    "sweep": (["sweep", "baseline", "--grid", "productivity_growth=0:3:4", "--grid", "seniors_uplift=0,20",
               "--no-figures"], ["sweep.csv"]),
    "morris": (["sensitivity", "baseline", "--method", "morris", "--n", "6", "--seed", "3", "--no-figures"],
               ["samples.csv"]),
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def capped_numpy() -> dict[str, str]:
    """Environment for a child process whose numpy uses no kernel above :data:`KEPT_LEVEL`: every
    dispatchable feature this processor has beyond it, named in ``NPY_DISABLE_CPU_FEATURES``."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    if KEPT_LEVEL not in __cpu_dispatch__ or not __cpu_features__.get(KEPT_LEVEL):
        pytest.skip(f"numpy here has no {KEPT_LEVEL} kernels (not an AVX2 x86-64 machine): the digests are for one")
    above = __cpu_dispatch__[__cpu_dispatch__.index(KEPT_LEVEL) + 1:]
    extra = [name for name in __cpu_features__ if name.startswith("AVX512") and __cpu_features__[name]]
    disabled = [name for name in dict.fromkeys(above + extra) if __cpu_features__.get(name)]
    environment = {k: v for k, v in os.environ.items() if k != "OPENBLAS_L2_SIZE"}
    return environment | {"NPY_DISABLE_CPU_FEATURES": " ".join(disabled), "OPENBLAS_CORETYPE": OPENBLAS_KERNEL}


def blas_kernels() -> list[str]:
    """The kernel (architecture) of every OpenBLAS loaded in this process, as threadpoolctl reads it."""
    from threadpoolctl import threadpool_info

    return [str(pool.get("architecture")) for pool in threadpool_info() if pool.get("internal_api") == "openblas"]


def trajectory_digests(folder: Path) -> dict[str, str]:
    """SHA-256 of each indicator's (trajectory, year) float64 array in the ensemble's labelled file."""
    from simulate.indicators import REGISTRY
    from simulate.uncertainty.store import open_trajectories

    with open_trajectories(folder) as dataset:
        return {name: sha256(np.ascontiguousarray(dataset[name].values, dtype="<f8").tobytes())
                for name in sorted(dataset.data_vars) if name in REGISTRY}


def folder(out: Path, key: str) -> Path:
    """The one result folder a question wrote under ``out / key``."""
    (found,) = [p for p in (out / key).iterdir() if p.is_dir() and not p.name.startswith(".")]
    return found


def digests(out: Path) -> dict[str, dict[str, str]]:
    """Run every question into ``out`` (in this process) and digest its files."""
    found: dict[str, dict[str, str]] = {}
    for key, (args, files) in QUESTIONS.items():
        assert main([*args, "--out", str(out / key), "--quiet", "--lang", "en"]) == 0
        found[key] = {name: sha256((folder(out, key) / name).read_bytes()) for name in files}
        if key == "ensemble":
            found["trajectories"] = trajectory_digests(folder(out, key))
    return found


def capped_digests(out: Path) -> dict[str, dict[str, str]]:
    """:func:`digests` in a child process with numpy capped and OpenBLAS pinned (:func:`capped_numpy`);
    AssertionError if the child's OpenBLAS runs another kernel than :data:`OPENBLAS_KERNEL`."""
    child = subprocess.run([sys.executable, __file__, "--digests", str(out)], env=capped_numpy(),
                           capture_output=True, text=True, encoding="utf-8", check=True)
    found = json.loads(child.stdout.strip().splitlines()[-1])
    kernels = found.pop("openblas")
    assert kernels and set(kernels) == {OPENBLAS_KERNEL}, (
        f"the child's OpenBLAS runs {kernels}, not {OPENBLAS_KERNEL}: its digests cannot be compared")
    return found


def locked_version(package: str) -> str:
    """The version of ``package`` in requirements/lock.txt."""
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        name, _, version = line.partition("==")
        if name.strip().lower() == package.lower():
            return version.strip()
    raise KeyError(package)


def ranking(table: pd.DataFrame) -> dict[tuple, list[str]]:
    """Parameters by falling mu* (ties by name) for every indicator and year."""
    return {key: list(part.sort_values(["mu_star", "parameter"], ascending=[False, True])["parameter"])
            for key, part in table.groupby(["indicator", "year"])}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    out = tmp_path_factory.mktemp("golden")
    return out, capped_digests(out)


@pytest.mark.slow
def test_same_seed_gives_the_bytes_of_the_release_before_the_speed_work(outputs):
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    _, found = outputs
    assert set(found) == set(expected)
    differ = {key: sorted(name for name in set(expected[key]) | set(found[key])
                          if found[key].get(name) != expected[key].get(name)) for key in expected}
    assert not any(differ.values()), f"differ: { {k: v for k, v in differ.items() if v} }"


@pytest.mark.slow
def test_morris_indices_are_salibs_within_tolerance(outputs):
    """SALib's arithmetic: stored numbers within SALIB_RTOL under the lock; the ranking with any SALib."""
    from importlib.metadata import version

    out, _ = outputs
    found = pd.read_csv(folder(out, "morris") / "sensitivity.csv", encoding="utf-8")
    expected = pd.read_csv(MORRIS, encoding="utf-8")
    assert ranking(found) == ranking(expected)
    if version("SALib") != locked_version("salib"):
        pytest.skip(f"SALib {version('SALib')} is not the locked {locked_version('salib')}: ranking checked only")
    pd.testing.assert_frame_equal(found, expected, check_exact=False, rtol=SALIB_RTOL, atol=0.0)


def test_every_file_and_indicator_is_compared_and_every_difference_is_named():
    """The comparison names each differing file (all of them, not the first question's only)."""
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert {"run", "ensemble", "sweep", "morris", "trajectories"} == set(expected)
    from simulate.indicators import NAMES
    assert set(expected["trajectories"]) == set(NAMES)


def test_the_child_runs_the_pinned_openblas_kernel_whatever_the_parent_has(monkeypatch):
    """A parent that chose another kernel (Sandybridge runs on every AVX2 machine) or tuned the L2
    size still gets a child on :data:`OPENBLAS_KERNEL`, as threadpoolctl reads it there."""
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Sandybridge")
    monkeypatch.setenv("OPENBLAS_L2_SIZE", "524288")
    environment = capped_numpy()
    assert environment["OPENBLAS_CORETYPE"] == OPENBLAS_KERNEL and "OPENBLAS_L2_SIZE" not in environment
    child = subprocess.run([sys.executable, "-c", "import json, numpy, test_golden; "
                            "print(json.dumps(test_golden.blas_kernels()))"], env=environment | {
                                "PYTHONPATH": str(Path(__file__).resolve().parent)},
                           capture_output=True, text=True, encoding="utf-8", check=True)
    kernels = json.loads(child.stdout)
    assert kernels and set(kernels) == {OPENBLAS_KERNEL}, kernels


if __name__ == "__main__" and sys.argv[1:2] == ["--digests"]:
    print(json.dumps(digests(Path(sys.argv[2])) | {"openblas": blas_kernels()}))
elif __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        GOLDEN.write_text(json.dumps(capped_digests(Path(tmp)), indent=1, sort_keys=True) + "\n", encoding="utf-8")
        MORRIS.write_bytes((folder(Path(tmp), "morris") / "sensitivity.csv").read_bytes())
    print(f"wrote {GOLDEN} and {MORRIS}")
