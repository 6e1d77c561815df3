"""The README's figures are generated (``scripts/readme_figures.py``), and the list of output files it
and ``results/README.md`` give is the list the commands write."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from simulate.cli import main
from simulate.report.files import FOLDER_FILES, MARKER_FILE

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "readme_figures.py"


@pytest.mark.slow
def test_every_generated_readme_block_is_current():
    """Reruns the model, the backcasts and pytest's collection; fails naming each stale block."""
    proc = subprocess.run([sys.executable, str(SCRIPT), "--check"], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8")
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]


def test_every_block_has_a_generator_and_every_benchmark_a_record():
    sys.path.insert(0, str(SCRIPT.parent))
    import readme_figures

    for document in readme_figures.DOCUMENTS:
        names = [m.group("name") for m in readme_figures.BLOCK.finditer(document.read_text(encoding="utf-8"))]
        assert set(names) <= set(readme_figures.BLOCKS), document
    readme = "".join(document.read_text(encoding="utf-8") for document in readme_figures.DOCUMENTS)
    assert "<!-- figures:tests -->" in readme_figures.README.read_text(encoding="utf-8")
    for bench in (ROOT / "benchmarks").glob("bench_*.py"):
        assert (readme_figures.BENCHMARKS / f"{bench.stem}.json").is_file(), f"{bench.name} --record never ran"
        assert f"<!-- figures:{bench.stem} -->" in readme, f"the documentation shows no figures of {bench.name}"


def listed(kind: str, *optional: str) -> set[str]:
    """The files FOLDER_FILES lists for ``kind``, as names (folders without their slash)."""
    return {name.rstrip("/") for name in FOLDER_FILES[kind]} - set(optional)


def written(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.mark.slow
def test_the_listed_files_are_the_files_written(tmp_path):
    out = tmp_path / "r"
    assert main(["run", "baseline", "--flows", "--out", str(out), "--quiet"]) == 0
    assert written(out / "baseline") == listed("run")
    assert main(["run", "baseline", "--out", str(tmp_path / "plain"), "--quiet", "--no-figures"]) == 0
    assert written(tmp_path / "plain" / "baseline") == listed("run", "flows.csv", "figures")
    assert main(["compare", "baseline", "current", "--name", "two", "--out", str(out), "--quiet"]) == 0
    assert written(out / "comparison" / "two") == listed("comparison")
    assert main(["backcast", "baseline", "--target", "labour_force@2040>=60e6", "--lever", "seniors_uplift",
                 "--out", str(tmp_path / "b"), "--quiet"]) == 0
    (solved,) = [p for p in (tmp_path / "b").iterdir() if p.is_dir()]
    assert written(tmp_path / "b") - {solved.name} == listed("output folder")
    assert written(solved) == listed("run", "flows.csv") | listed("backcast")
    for kind, args in (("ensemble", ["ensemble", "baseline", "--n", "20"]),
                       ("sweep", ["sweep", "baseline", "--grid", "tfr=1.2,1.5", "--grid", "seniors_uplift=0,10"]),
                       ("sensitivity", ["sensitivity", "baseline", "--method", "morris", "--n", "2"]),
                       ("reproduce", ["reproduce"]), ("forecast", ["forecast", "current", "--n", "20"]),
                       ("backtest", ["backtest", "--origins", "2000,2010", "--n", "20"]),
                       ("backcast with odds", ["backcast", "current", "--lever", "productivity_growth", "--odds", "0.5",
                                               "--n", "20", "--target", "gdp@2040>=1x2024"]),
                       ("frontier", ["backcast", "current", "--lever", "seniors_uplift", "--lever",
                                     "productivity_growth", "--target", "gdp@2040>=1x2024"])):
        target = tmp_path / kind
        assert main([*args, "--out", str(target), "--quiet"]) in (0, 1)
        (folder,) = [p for p in target.iterdir() if p.is_dir() and not p.name.startswith(".")]
        assert written(folder) == listed(kind), kind
        assert MARKER_FILE in written(folder)
