"""Engine speed: one deterministic baseline run, a 10,000-trajectory batch, and the bound ratio.

Prints one JSON object.  Medians over repeats; run with ``python benchmarks/bench_engine.py``.
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parent))
from record import emit  # noqa: E402

import dataclasses
import statistics
import time
import tracemalloc

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # noqa: E402  (as the command line sets it, before numpy)
import numpy as np

from simulate.demography.engine import DemographicInputs, project, survive
from simulate.demography.inputs import demographic_inputs
from simulate.economy import EconomicInputs, economic_indicators, economic_inputs
from simulate.demography.lifetable import mortality_grid
from simulate.scenario.model import Scenario


def median_time(fn, repeats: int) -> float:
    """Median wall time of ``fn()`` in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def perturbed_batch(n: int, seed: int = 1) -> DemographicInputs:
    """``n`` trajectories around the baseline: TFR x lognormal, e0 drifting, migration x factor."""
    base = demographic_inputs([Scenario()])
    rng = np.random.default_rng(seed)
    steps = base.n_steps
    ramp = np.linspace(0.0, 1.0, steps)[None, :]
    return dataclasses.replace(
        base,
        tfr=base.tfr * np.exp(rng.normal(0.0, 0.1, (n, 1)) * ramp),
        mean_age_shift=np.zeros((n, steps)),
        sex_ratio_at_birth=np.repeat(base.sex_ratio_at_birth, n, axis=0),
        e0=base.e0 + rng.normal(0.0, 1.5, (n, 1, 2)) * ramp[..., None],
        net_migration=base.net_migration * rng.uniform(0.0, 3.0, (n, 1)),
    )


def bare_update(inputs: DemographicInputs, survival: np.ndarray) -> None:
    """The irreducible numpy work of the same shapes: survive-and-shift plus births, every step."""
    pop = np.broadcast_to(inputs.jump_off, (inputs.n_trajectories,) + inputs.jump_off.shape).copy()
    schedule = np.full(101, 0.02)
    for t in range(inputs.n_steps):
        new = survive(pop, survival)
        born = inputs.tfr[:, t] * ((0.5 * (pop[:, 1] + new[:, 1])) @ schedule)
        new[:, :, 0] = born[:, None] * survival[:, :, 0]
        pop = new


def perturbed_economy(n: int, years: np.ndarray, seed: int = 2) -> EconomicInputs:
    """``n`` economies around the baseline: productivity growth and senior participation perturbed."""
    base = economic_inputs([Scenario()], years)
    rng = np.random.default_rng(seed)

    def tile(a: np.ndarray) -> np.ndarray:
        return np.repeat(a, n, axis=0)

    participation = tile(base.participation)
    participation[:, :, :, 10:12] += rng.uniform(0.0, 20.0, (n, 1, 1, 1))
    return dataclasses.replace(
        base, participation=participation, hours=tile(base.hours), unemployment=tile(base.unemployment),
        productivity_growth=tile(base.productivity_growth) + rng.normal(0.0, 0.5, (n, 1)),
        tfp_growth=tile(base.tfp_growth), investment_rate=tile(base.investment_rate),
        automation=tile(base.automation), growth_accounting=tile(base.growth_accounting),
        capital_share=tile(base.capital_share), depreciation=tile(base.depreciation),
        capital_output_2017=tile(base.capital_output_2017), productivity_base=tile(base.productivity_base),
        old_age_threshold=tile(base.old_age_threshold))


def main() -> None:
    mortality_grid()  # tabulated once per process; not part of a run
    single = demographic_inputs([Scenario()])
    project(single)
    deterministic = median_time(lambda: project(single), 500)  # 2-3 s: one burst of load on the shared machine moves the median of a few runs

    batch = perturbed_batch(10_000)
    project(batch)
    batch_s = median_time(lambda: project(batch), 7)
    survival = mortality_grid().lookup(batch.e0[:, 0])
    bare_s = median_time(lambda: bare_update(batch, survival), 7)

    from simulate.demography import engine
    threads, engine.THREADS = engine.THREADS, 1
    one_thread_s = median_time(lambda: project(batch), 5)
    engine.THREADS = threads

    projection = project(batch)
    economy = perturbed_economy(batch.n_trajectories, projection.years)
    economic_indicators(projection, economy)
    economy_s = median_time(lambda: economic_indicators(projection, economy), 7)
    single_projection = project(single)
    single_economy = economic_inputs([Scenario()], single_projection.years)
    economic_indicators(single_projection, single_economy)
    economy_single_ms = 1000 * median_time(lambda: economic_indicators(single_projection, single_economy), 50)

    from simulate.feasibility import impossible
    indicators = economic_indicators(projection, economy)
    checks_s = median_time(lambda: impossible(projection, indicators), 7)

    tracemalloc.start()
    project(batch)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    emit(__file__, {
        "deterministic_ms": round(1000 * deterministic, 3),
        "batch_10k_s": round(batch_s, 4),
        "batch_10k_peak_mb": round(peak / 2**20, 1),
        "bare_update_10k_s": round(bare_s, 4),
        "bound_ratio": round(batch_s / bare_s, 2),
        "world_checks_10k_s": round(checks_s, 4),
        "world_checks_share_of_batch": round(checks_s / batch_s, 3),
        "engine_threads": threads,
        "batch_10k_one_thread_s": round(one_thread_s, 4),
        "bound_ratio_one_thread": round(one_thread_s / bare_s, 2),
        "economy_10k_s": round(economy_s, 4),
        "economy_overhead_pct": round(100 * economy_s / batch_s, 1),
        "economy_deterministic_ms": round(economy_single_ms, 3),
        "economy_deterministic_overhead_pct": round(100 * economy_single_ms / (1000 * deterministic), 1),
        "steps": single.n_steps,
        "observed_steps_copied": single.n_history,
        "targets": {"deterministic_ms": 5.0, "batch_10k_s": 1.0, "batch_10k_peak_mb": 1024, "bound_ratio": 3.5,
                    "economy_overhead_pct": 20},
    })


if __name__ == "__main__":
    main()
