"""Ensembles, scaling and sweeps: prints one JSON object (medians; not a timed test).

- ensemble of 10,000 trajectories with economy, 2015-2065 (target <= 1.0 s, <= 1 GB peak), and
  writing its labelled file (trajectories.nc; target: less than the engine time);
- time per trajectory for N = 100, 1,000, 10,000, 100,000 (flat or falling);
- a 1,000-point sweep in-process and on a Dask LocalCluster with 2 workers (same results).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # noqa: E402  (as the command line sets it, before numpy)

import json
import statistics
import time
import tracemalloc
from pathlib import Path

import numpy as np

from simulate.scenario import load_scenario
from simulate.uncertainty.ensemble import run_design, sample
from simulate.uncertainty.sweep import parse_grid

ROOT = Path(__file__).resolve().parent.parent


def timed(fn, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "baseline.yaml").scenario
    params = scenario.uncertainty.parameters
    values = sample(params, 10_000, 1)
    run_design(scenario, values[:600])  # warm-up: tables, imports
    total_s, ensemble = timed(lambda: run_design(scenario, values), 5)
    tracemalloc.start()
    run_design(scenario, values)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    import tempfile

    from simulate.report.uncertainty import ENSEMBLE_FILE, save_trajectories
    with tempfile.TemporaryDirectory() as folder:
        write_s, _ = timed(lambda: save_trajectories(ensemble, Path(folder) / ENSEMBLE_FILE, params,
                                                     scenario.base_year), 5)
        file_mb = (Path(folder) / ENSEMBLE_FILE).stat().st_size / 2**20

    scaling = {}
    for n in (100, 1_000, 10_000, 100_000):
        draws = sample(params, n, 2)
        seconds, _ = timed(lambda: run_design(scenario, draws), 3 if n < 100_000 else 1)
        scaling[str(n)] = {"seconds": round(seconds, 4), "ms_per_1000_trajectories": round(1e6 * seconds / n, 2)}

    parameters, points = parse_grid(["productivity_growth=-1:4:40", "seniors_uplift=0:30:25"], scenario)
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

    print(json.dumps({
        "ensemble_10k_s": round(total_s, 4),
        "ensemble_10k_prepare_s": round(ensemble.timings_s["prepare"], 4),
        "ensemble_10k_run_s": round(ensemble.timings_s["run"], 4),
        "ensemble_10k_peak_mb": round(peak / 2**20, 1),
        "ensemble_10k_file_write_s": round(write_s, 4),
        "ensemble_10k_file_mb": round(file_mb, 1),
        "file_write_to_engine_ratio": round(write_s / ensemble.timings_s["run"], 2),
        "scaling": scaling,
        "sweep_1000_points_in_process_s": round(sweep_s, 4),
        "sweep_1000_points_dask_local_2_workers_s": dask_s if isinstance(dask_s, str) else round(dask_s, 4),
        "sweep_results_identical": identical,
        "targets": {"ensemble_10k_s": 1.0, "ensemble_10k_peak_mb": 1024, "file_write_to_engine_ratio": 1.0},
    }, indent=2))


if __name__ == "__main__":
    main()
