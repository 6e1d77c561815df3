"""Ensembles, scaling and sweeps: prints one JSON object (medians; not a timed test).

- engine time of 10,000 trajectories with economy, 2015-2065, in this process (target <= 1.0 s,
  <= 1 GB peak);
- the whole ``ensemble --n 10000`` command (start-up, sampling, engine, summaries, files, figures)
  against its engine time (target: ratio <= 2), the start-up alone (importing the command line), and
  the ratio at 100,000 trajectories, where the fixed costs weigh less;
- the command at N = 10,000, 100,000 and 1,000,000 (``--no-figures``): seconds per 1,000
  trajectories (flat) and peak memory of the process (target < 2 GB at 1,000,000);
- a 1,000-point sweep in-process and on a Dask LocalCluster with 2 workers (same results).

``--quick`` leaves out the 1,000,000-trajectory command (about 5 minutes and 11 GB of disk).
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parent))
from record import emit  # noqa: E402

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # noqa: E402  (as the command line sets it, before numpy)

import json
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from simulate.scenario import load_scenario
from simulate.uncertainty.ensemble import run_design, sample
from simulate.uncertainty.sweep import sweep_design

ROOT = Path(__file__).resolve().parent.parent


def timed(fn, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def command(n: int, *extra: str) -> dict:
    """Wall time, peak resident memory and the command's own engine time of ``ensemble --n N``."""
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "run.py"), "ensemble", "baseline", "--n", str(n), "--seed", "1",
                        "--out", out, "--quiet", *extra], cwd=ROOT, check=True)
        wall = time.perf_counter() - start
        (folder,) = Path(out).glob("baseline_ensemble_*")
        record = json.loads((folder / "ensemble.json").read_text(encoding="utf-8"))
    # peak_memory_mb: the command's own peak resident memory (VmHWM), which it records
    return {"wall_s": round(wall, 2), "run_s": record["timings_s"]["run"], "peak_mb": record["peak_memory_mb"],
            "wall_ms_per_1000": round(1e6 * wall / n, 1)}


def main(quick: bool = False) -> None:
    scenario = load_scenario(ROOT / "scenarios" / "baseline.yaml").scenario
    params = scenario.uncertainty.parameters
    values = sample(params, 10_000, 1)
    run_design(scenario, values[:600])  # warm-up: tables, imports
    engine_s, ensemble = timed(lambda: run_design(scenario, values), 3)
    tracemalloc.start()
    run_design(scenario, values)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    commands = [command(10_000) for _ in range(3)]
    command_s = statistics.median(c["wall_s"] for c in commands)
    command_run_s = statistics.median(c["run_s"] for c in commands)
    scaling = {"10000": command(10_000, "--no-figures"), "100000": command(100_000, "--no-figures")}
    if not quick:
        scaling["1000000"] = command(1_000_000, "--no-figures")

    parameters, points = sweep_design({"productivity_growth": "-1:4:40", "seniors_uplift": "0:30:25"}, scenario)
    sweep_s, local = timed(lambda: run_design(scenario, points, parameters, chunk=250), 3)
    dask_s, identical = None, None
    try:
        from simulate.uncertainty.backends import DaskBackend
        with DaskBackend("local", 2) as cluster:
            run_design(scenario, points[:250], parameters, chunk=250, backend=cluster)  # warm the workers
            dask_s, remote = timed(lambda: run_design(scenario, points, parameters, chunk=250, backend=cluster), 3)
        identical = all(np.array_equal(local.indicators[k], remote.indicators[k], equal_nan=True)
                        for k in local.indicators)
    except Exception as error:  # Dask is an optional extra
        dask_s = f"unavailable: {error}"

    # what exactness costs: the check of the batched shortcut (a plain resolution of the scenario at
    # every corner of the design and at 16 of its points), and the plain path a design takes when
    # its inputs are not affine together (net migration crossed with its scale), point by point
    from simulate.uncertainty.inputs import affine_inputs
    check_s, _ = timed(lambda: affine_inputs(scenario, params, values), 5)
    crossed, crossed_points = sweep_design({"net_migration": "0:400000:40", "migration_scale": "0.5:2:25"}, scenario)
    plain_s, plain = timed(lambda: run_design(scenario, crossed_points, crossed, chunk=250), 3)
    assert plain.plain_reason, "the crossed design should take the plain path"
    start_up = statistics.median(
        timed(lambda: subprocess.run([sys.executable, "-c", "import simulate.cli"], cwd=ROOT, check=True), 1)[0]
        for _ in range(3))
    emit(__file__, {
        "engine_10k_s": round(engine_s, 4),
        "engine_10k_peak_mb": round(peak / 2**20, 1),
        "ensemble_command_10k_s": command_s,
        "ensemble_command_10k_runs_s": [c["wall_s"] for c in commands],
        "ensemble_command_10k_own_run_s": command_run_s,
        "command_to_engine_ratio": round(command_s / engine_s, 2),
        "command_to_own_run_ratio": round(command_s / command_run_s, 2),
        # the command's fixed costs, which do not grow with N: start-up (imports) ...
        "start_up_s": round(start_up, 2),
        # ... and how they thin out: 100,000 trajectories without figures against ten times the 10k
        # engine time (the engine's time per trajectory is flat: scaling_no_figures)
        "command_to_engine_ratio_at_100000": round(scaling["100000"]["wall_s"] / (10 * engine_s), 2),
        "scaling_no_figures": scaling,
        "sweep_1000_points_in_process_s": round(sweep_s, 4),
        "sweep_1000_points_dask_local_2_workers_s": dask_s if isinstance(dask_s, str) else round(dask_s, 4),
        "sweep_results_identical": identical,
        "exactness_check_10k_s": round(check_s, 4),
        "exactness_check_share_of_engine": round(check_s / engine_s, 3),
        "plain_path_1000_points_s": round(plain_s, 4),
        "plain_to_batched_1000_points": round(plain_s / sweep_s, 2),
        "targets": {"engine_10k_s": 1.0, "engine_10k_peak_mb": 1024, "command_to_engine_ratio": 2.0,
                    "peak_mb_at_1000000": 2048},
    })


if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:])
