"""Writing a run's files atomically: everything lands in ``<out>/<name>/`` at once or not at all."""

from __future__ import annotations

import json
import os
import platform
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np

import simulate
from simulate import data
from simulate.pipeline import RunResult


@contextmanager
def atomic_directory(target: Path) -> Iterator[Path]:
    """Yield a temporary directory beside ``target``; on success it replaces ``target``.

    On any exception (including KeyboardInterrupt) the temporary directory is removed and the
    previous ``target`` is left untouched.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        yield staging
        retired = None
        if target.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            os.replace(target, retired / target.name)
        os.replace(staging, target)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def run_metadata(result: RunResult, wall_ms: float) -> dict:
    """The contents of ``run.json``."""
    loaded = result.loaded
    return {
        "scenario": loaded.scenario.name,
        "title": loaded.scenario.label,
        "files": [str(p) for p in loaded.files],
        "file_sha256": loaded.file_sha256,
        "resolved_sha256": loaded.resolved_sha256,
        "package": "quiet-crisis",
        "version": simulate.__version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "data_sha256": data.data_checksums(),
        "timings_ms": result.timings_ms | {"wall": round(wall_ms, 3)},
        "targets": result.targets,
        "resolved_scenario": loaded.scenario.model_dump(mode="json"),
    }


def write_run(result: RunResult, out: Path, wall_ms: float, extra: dict[str, str] | None = None) -> Path:
    """Write population.csv, indicators.csv, run.json (and ``extra`` name -> text files) into
    ``out/<name>/`` atomically; return that folder."""
    target = out / result.scenario.name
    with atomic_directory(target) as staging:
        for name, text in (extra or {}).items():
            (staging / name).write_text(text)
        result.population.to_csv(staging / "population.csv", index=False, float_format="%.3f")
        result.indicators.to_csv(staging / "indicators.csv", index=False, float_format="%.10g")
        (staging / "run.json").write_text(json.dumps(run_metadata(result, wall_ms), indent=2) + "\n")
    return target
