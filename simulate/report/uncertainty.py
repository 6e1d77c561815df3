"""Writing ensemble, sensitivity and sweep results: one folder each, atomically."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

import simulate
from simulate import data
from simulate.report.writers import atomic_directory, json_text, write_csv
from simulate.uncertainty.ensemble import Ensemble


def samples_frame(ensemble: Ensemble) -> pd.DataFrame:
    """Sampled parameter values, one row per trajectory, and whether it stayed a possible world."""
    frame = pd.DataFrame(ensemble.values, columns=ensemble.names)
    frame.insert(0, "trajectory", np.arange(len(frame)))
    frame["possible"] = ensemble.possible
    return frame


def save_trajectories(ensemble: Ensemble, path: Path) -> None:
    """Per-trajectory indicators (N, years) and, if kept, single ages (N, years, 2, 101), as .npz."""
    arrays = {"years": ensemble.years, "parameters": ensemble.values, "possible": ensemble.possible,
              **ensemble.indicators}
    if ensemble.population is not None:
        arrays["population"] = ensemble.population
    np.savez_compressed(path, **arrays)


def metadata(scenario, extra: dict) -> dict:
    """Common fields of ensemble.json / sensitivity.json / sweep.json."""
    return {"scenario": scenario.name, "package": "quiet-crisis", "version": simulate.__version__,
            "data_sha256": data.data_checksums(),
            "parameters": {k: v.model_dump(exclude_none=True) for k, v in scenario.uncertainty.parameters.items()},
            **extra}


def write_folder(target: Path, tables: dict[str, pd.DataFrame], texts: dict[str, str],
                 files: dict[str, Callable[[Path], None]], figures: list[tuple[Callable, tuple]],
                 start: float, meta: dict, meta_name: str) -> Path:
    """Write CSV tables, text files, other files and figures into ``target`` atomically."""
    from simulate.plots.render import run_jobs

    with atomic_directory(target) as staging:
        for name, frame in tables.items():
            write_csv(frame, staging / name)
        for name, text in texts.items():
            (staging / name).write_text(text, encoding="utf-8")
        for name, writer in files.items():
            writer(staging / name)
        if figures:
            run_jobs([(fn, (staging / "figures", *args)) for fn, args in figures], workers=1)
        meta = meta | {"timings_s": meta.get("timings_s", {}) | {"total": round(time.perf_counter() - start, 4)}}
        (staging / meta_name).write_text(json_text(meta), encoding="utf-8")
    return target
