"""Forecasts against ensembles of the same size: prints one JSON object (medians; not a timed test).

- a forecast of 10,000 paths of ``current`` to 2070 (models fitted, paths sampled year by year,
  the engine, the economy) against an ensemble of 10,000 of the same scenario, in this process,
  interleaved (target: ratio <= 3);
- the two commands at 10,000 (``--no-figures``) and their ratio;
- the forecast command at 1,000,000 paths (``--no-figures``): wall time and peak memory (bounded
  like an ensemble's: target < 2 GB); ``--quick`` leaves it out;
- the default back-test (``backtest``: origins 1960-2015 every five years, horizons 1-30, 2,000
  paths each; target: under a minute).
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
from pathlib import Path

from simulate.api.odds import forecast_inputs
from simulate.futures.paths import MODEL_PARAMETERS
from simulate.scenario import load_scenario
from simulate.uncertainty.ensemble import run_design, run_inputs_design, sample

ROOT = Path(__file__).resolve().parent.parent
N = 10_000


def forecast_once(scenario) -> float:
    start = time.perf_counter()
    inputs = forecast_inputs(scenario, None, 1)
    run_inputs_design(inputs, inputs.draw(N), MODEL_PARAMETERS, scenario.name, scenario.base_year, start)
    return time.perf_counter() - start


def ensemble_once(scenario) -> float:
    start = time.perf_counter()
    parameters = scenario.uncertainty.parameters
    run_design(scenario, sample(parameters, N, 1), parameters)
    return time.perf_counter() - start


def command(kind: str, n: int) -> dict:
    """Wall time and peak resident memory of ``<kind> current --n N --no-figures``."""
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "run.py"), kind, "current", "--n", str(n), "--seed", "1", "--out",
                        out, "--quiet", "--no-figures"], cwd=ROOT, check=True)
        wall = time.perf_counter() - start
        (folder,) = Path(out).glob(f"current_{kind}_*")
        record = json.loads((folder / f"{kind}.json").read_text(encoding="utf-8"))
    return {"wall_s": round(wall, 2), "run_s": record["timings_s"]["run"], "peak_mb": record["peak_memory_mb"]}


def main(quick: bool = False) -> None:
    scenario = load_scenario(ROOT / "scenarios" / "current.yaml").scenario
    forecast_once(scenario), ensemble_once(scenario)  # warm-up: tables, imports, the history
    forecasts, ensembles = [], []
    for _ in range(3):  # interleaved, so that the machine's moods fall on both
        forecasts.append(forecast_once(scenario))
        ensembles.append(ensemble_once(scenario))
    commands = {kind: [command(kind, N) for _ in range(3)] for kind in ("forecast", "ensemble")}
    wall = {kind: statistics.median(c["wall_s"] for c in runs) for kind, runs in commands.items()}
    result = {
        "forecast_10k_s": round(statistics.median(forecasts), 3),
        "ensemble_10k_s": round(statistics.median(ensembles), 3),
        "forecast_to_ensemble_ratio": round(statistics.median(forecasts) / statistics.median(ensembles), 2),
        "forecast_command_10k_s": wall["forecast"],
        "ensemble_command_10k_s": wall["ensemble"],
        "command_ratio": round(wall["forecast"] / wall["ensemble"], 2),
        "forecast_command_10k_peak_mb": max(c["peak_mb"] for c in commands["forecast"]),
    }
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "run.py"), "backtest", "--out", out, "--quiet", "--no-figures"],
                       cwd=ROOT, check=True)
        result["backtest_default_s"] = round(time.perf_counter() - start, 2)
    if not quick:
        result["forecast_command_1000000"] = command("forecast", 1_000_000)
    result["targets"] = {"forecast_to_ensemble_ratio": 3.0, "peak_mb_at_1000000": 2048, "backtest_default_s": 60}
    emit(__file__, result)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:])
