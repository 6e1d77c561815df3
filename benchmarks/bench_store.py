"""Writing trajectories into the ensemble store three ways: prints one JSON object (medians).

10,000 trajectories, 2015-2065, every indicator of the registry, in tasks of 256 trajectories
(the command line's chunk), into a zarr-3 folder on local disk:

- ``async``: what the simulator does (``simulate.uncertainty.store.write_chunk``): each task writes
  all its arrays concurrently, in one trip to zarr's event loop;
- ``zarr_sequential``: zarr's public synchronous API, one ``array[rows] = values`` after another;
- ``xarray_region``: ``xarray.Dataset.to_zarr(region=...)`` per task, the labelled way.

It also times ``finish`` (the ``possible`` flags and consolidated metadata) and opening the
finished store with ``xarray.open_zarr``.  Run: ``python benchmarks/bench_store.py [--record]``.
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parent))
from record import emit  # noqa: E402

import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import xarray as xr
import zarr

from simulate.indicators import NAMES
from simulate.uncertainty import store
from simulate.scenario.uncertainty_model import Parameter

N, YEARS, TASK, REPEATS = 10_000, np.arange(2015, 2066), 256, 3


def _fresh(folder: Path) -> store.Destination:
    """An empty store laid out as an ensemble's, with one sampled parameter."""
    shutil.rmtree(folder, ignore_errors=True)
    values = np.random.default_rng(1).uniform(size=(N, 1))
    return store.create(folder, YEARS, values, {"x": Parameter(shift="fertility.tfr", distribution="uniform", low=0.0, high=1.0)}, TASK, False, 2017)


def _tasks() -> list[tuple[slice, dict[str, np.ndarray]]]:
    """The tasks' rows and indicator values (name -> (rows, T))."""
    rng = np.random.default_rng(2)
    out = []
    for start in range(0, N, TASK):
        rows = slice(start, min(start + TASK, N))
        n = rows.stop - rows.start
        out.append((rows, {name: rng.uniform(size=(n, len(YEARS))) for name in NAMES}))
    return out


def _async(folder: Path, tasks) -> None:
    destination = _fresh(folder)
    for rows, values in tasks:
        store.write_chunk(destination, rows, values, None)
    store._arrays.cache_clear()


def _zarr_sequential(folder: Path, tasks) -> None:
    _fresh(folder)
    group = zarr.open_group(str(folder), mode="r+", zarr_format=3)
    arrays = {name: group[name] for name in NAMES}
    for rows, values in tasks:
        for name in NAMES:
            arrays[name][rows] = values[name]


def _xarray_region(folder: Path, tasks) -> None:
    _fresh(folder)
    for rows, values in tasks:
        ds = xr.Dataset({name: (("trajectory", "year"), values[name]) for name in NAMES})
        ds.to_zarr(str(folder), region={"trajectory": rows, "year": slice(None)}, consolidated=False,
                   zarr_format=3)


def _median(work, folder: Path, tasks) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        work(folder, tasks)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    tasks = _tasks()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "trajectories.zarr"
        figures = {"trajectories": N, "years": len(YEARS), "indicators": len(NAMES), "task": TASK,
                   "tasks": len(tasks)}
        for label, work in (("async", _async), ("zarr_sequential", _zarr_sequential),
                            ("xarray_region", _xarray_region)):
            figures[f"{label}_s"] = round(_median(work, folder, tasks), 3)
        for label in ("zarr_sequential", "xarray_region"):
            figures[f"{label}_ratio"] = round(figures[f"{label}_s"] / figures["async_s"], 2)
        _async(folder, tasks)
        start = time.perf_counter()
        store.finish(folder, np.ones(N, dtype=bool))
        figures["finish_s"] = round(time.perf_counter() - start, 3)
        start = time.perf_counter()
        with xr.open_zarr(str(folder)) as ds:
            assert ds["labour_force"].shape == (N, len(YEARS))
        figures["open_s"] = round(time.perf_counter() - start, 3)
    emit(__file__, figures)


if __name__ == "__main__":
    main()
