"""The scale-out path through a real Dask scheduler and two worker processes on 127.0.0.1.

Workers write their chunks straight into the run's trajectory store; the results must be
bit-identical to the in-process run, for an ensemble and for a sweep.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from simulate.cli import main
from simulate.uncertainty.store import open_trajectories

#: One xdist worker runs this module's tests together (``--dist loadgroup``, pyproject.toml):
#: signals, locks, worker processes and Dask clusters are not interleaved with each other's.
pytestmark = pytest.mark.xdist_group("processes")

dask = pytest.importorskip("dask.distributed") if os.environ.get("CI") != "true" else __import__("dask.distributed")
DASK = str(Path(sys.executable).with_name("dask"))


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """``tcp://127.0.0.1:PORT`` of a scheduler with two single-threaded worker processes."""
    folder = tmp_path_factory.mktemp("dask")
    file = folder / "scheduler.json"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": folder}
    processes = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                   "--scheduler-file", str(file)], **quiet)]
    try:
        for _ in range(2):
            processes.append(subprocess.Popen([DASK, "worker", "--scheduler-file", str(file), "--host", "127.0.0.1",
                                               "--nthreads", "1", "--nworkers", "1", "--no-dashboard"], **quiet))
        for _ in range(300):
            if file.exists():
                break
            time.sleep(0.1)
        address = json.loads(file.read_text(encoding="utf-8"))["address"]
        from dask.distributed import Client
        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in processes[::-1]:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def answer(tmp_path: Path, name: str, *args: str) -> Path:
    assert main([*args, "--out", str(tmp_path / name), "--quiet", "--no-figures"]) == 0
    (folder,) = [p for p in (tmp_path / name).iterdir() if p.is_dir() and not p.name.startswith(".")]
    return folder


def same_store(a: Path, b: Path) -> None:
    with open_trajectories(a) as left, open_trajectories(b) as right:
        assert set(left.data_vars) == set(right.data_vars)
        for name in left.data_vars:
            assert np.array_equal(left[name].values, right[name].values, equal_nan=True), name


@pytest.mark.slow
def test_ensemble_and_sweep_on_a_real_scheduler_equal_the_in_process_run(tmp_path, scheduler):
    ensemble = ["ensemble", "baseline", "--n", "1300", "--seed", "9", "--chunk", "256"]  # 6 tasks, 4 in flight
    here, there = answer(tmp_path, "here", *ensemble), answer(tmp_path, "there", *ensemble, "--dask", scheduler)
    for name in ("quantiles.csv", "samples.csv", "targets.csv"):
        assert (here / name).read_bytes() == (there / name).read_bytes(), name
    same_store(here, there)
    assert json.loads((there / "ensemble.json").read_text(encoding="utf-8"))["backend"] == f"dask:{scheduler}"

    sweep = ["sweep", "baseline", "--grid", "productivity_growth=0:3:60", "--grid", "seniors_uplift=0:30:10",
             "--chunk", "128"]  # 600 points in 3 tasks
    here, there = answer(tmp_path, "sweep-here", *sweep), answer(tmp_path, "sweep-there", *sweep, "--dask", scheduler)
    assert (here / "sweep.csv").read_bytes() == (there / "sweep.csv").read_bytes()
    same_store(here, there)


@pytest.mark.slow
def test_the_window_follows_the_cluster(scheduler):
    from simulate.uncertainty.backends import DaskBackend

    with DaskBackend(scheduler) as cluster:
        assert cluster.window() == 4  # two workers of one thread each, two chunks per thread


def test_a_worker_that_cannot_see_the_store_says_so(tmp_path):
    from simulate.uncertainty.store import Destination, StoreUnreachable, write_chunk

    with pytest.raises(StoreUnreachable, match="every worker sees at the same path"):
        write_chunk(Destination(tmp_path / "elsewhere.zarr", "token"), slice(0, 1), {}, None)


@pytest.mark.parametrize("method", ["spawn", "fork"])
def test_an_ensemble_in_worker_processes_under_spawn_or_fork_equals_the_in_process_run(method, monkeypatch):
    """Issue 37: workers were started by fork only where it exists; Windows and macOS start them by
    spawn, a fresh interpreter that inherits nothing.  Both give the in-process numbers exactly."""
    import simulate
    from simulate.api import Execution
    from simulate.uncertainty.backends import LocalProcesses
    plain = simulate.ensemble("current", n=48, execution=Execution(chunk=16)).quantiles
    import multiprocessing
    used, context = [], multiprocessing.get_context
    monkeypatch.setattr(LocalProcesses, "start_method", method)
    monkeypatch.setattr(multiprocessing, "get_context", lambda name=None: used.append(name) or context(name))
    spread = simulate.ensemble("current", n=48, execution=Execution(chunk=16, workers=2)).quantiles
    assert used == [method] and spread.equals(plain)
