"""Writing ensemble, sensitivity and sweep results: one folder each, atomically."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np
import pandas as pd

from simulate import data
from simulate.plots.kinds import DEFAULT_FORMATS
from simulate.plots.render import Jobs
from simulate.processes import peak_memory_mb
from simulate.report.csvfiles import write_csv
from simulate.text.jsontext import json_text
from simulate.version import __version__

if TYPE_CHECKING:  # types only: the writer is handed an ensemble, it runs none
    from simulate.uncertainty.ensemble import Ensemble


def samples_frame(ensemble: Ensemble) -> pd.DataFrame:
    """Sampled parameter values, one row per trajectory, and whether it stayed a possible world."""
    frame = pd.DataFrame(ensemble.values, columns=ensemble.names)
    frame.insert(0, "trajectory", np.arange(len(frame)))
    frame["possible"] = ensemble.possible
    return frame


def metadata(scenario, extra: dict) -> dict:
    """Common fields of ensemble.json / sensitivity.json / sweep.json."""
    return {"scenario": scenario.name, "package": "quiet-crisis", "version": __version__,
            "data_sha256": data.data_checksums(),
            "parameters": {k: v.model_dump(exclude_none=True) for k, v in scenario.uncertainty.parameters.items()},
            **extra}


def start_figures(staging: Path, figures: list[tuple[Callable, tuple]], formats: tuple[str, ...] | None = None):
    """Start drawing ``figures`` (function, args) into ``staging``/figures in ``formats`` (default
    SVG) on the prestarted figure worker, if any (else they are drawn when waited for); returns the
    :class:`~simulate.plots.render.Jobs` for :func:`fill_folder`."""
    return Jobs([(fn, (staging / "figures", *args)) for fn, args in figures], workers=1,
                formats=formats or DEFAULT_FORMATS)


def fill_folder(staging: Path, tables: dict[str, pd.DataFrame], drawing, start: float, meta: dict,
                meta_name: str, report: Callable[[Path], str] | None = None) -> None:
    """Write CSV tables and the JSON record into the ``staging`` folder of a design (the trajectory
    store is already there) while ``drawing`` (:func:`start_figures`) draws its figures, wait for
    them, then write ``report.html`` (``report``: figures folder -> page);
    :func:`~simulate.report.publishing.atomic_directory` publishes the folder."""
    from contextlib import closing

    with closing(drawing):  # drawn by a figure worker (if any) while this process writes the tables
        for name, frame in tables.items():
            write_csv(frame, staging / name)
        drawing.wait()
    if report is not None:
        (staging / "report.html").write_text(report(staging / "figures"), encoding="utf-8")
    meta = meta | {"timings_s": meta.get("timings_s", {}) | {"total": round(time.perf_counter() - start, 4)},
                   "peak_memory_mb": round(peak_memory_mb(), 1)}
    (staging / meta_name).write_text(json_text(meta), encoding="utf-8")


def scenario_yaml(scenario, header: str) -> str:
    """A standalone scenario file (no ``extends``) that reproduces ``scenario``, after a comment
    ``header`` (one line) and how to run it."""
    import yaml

    body = scenario.model_dump(exclude_none=True, exclude={"extends"})
    return f"# {header}\n#   python run.py run THIS_FILE\n" + yaml.safe_dump(body, sort_keys=False, allow_unicode=True)
