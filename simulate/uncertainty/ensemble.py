"""Ensembles: N sampled futures through the one batched engine, chunk by chunk.

Sampling happens once, up front, from the seed; chunks then only read their rows, so results are
bit-for-bit the same whatever the chunk size, number of workers or backend (tested).
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from simulate.targets import target_gap
from simulate.errors import InputError, ParameterError
from simulate.feasibility import impossible
from simulate.indicators import NAMES
from simulate.machine import one_blas_thread
from simulate.pipeline import run_batch, run_inputs
from simulate.scenario import Scenario
from simulate.scenario.economy_model import Target
from simulate.scenario.uncertainty_model import Parameter
from simulate.uncertainty.budget import check_time
from simulate.uncertainty.backends import DaskBackend, InProcess, LocalProcesses
from simulate.text.messages import N_, t
from simulate.uncertainty.distributions import to_values, unit_sample
from simulate.uncertainty.inputs import AffineInputs, affine_inputs, with_value
from simulate.uncertainty.store import (STORE_NAME, Destination, StoredIndicators, StoreLike, finish, store_bytes,
                                        write_chunk, create as create_store, population as stored_population)

log = logging.getLogger(__name__)


QUANTILES = (0.025, 0.10, 0.50, 0.90, 0.975)
QUANTILE_COLUMNS = ["p2_5", "p10", "p50", "p90", "p97_5"]
#: Trajectories per chunk: a multiple of the engine's own chunk of 512, small enough that 10,000
#: trajectories make ten chunks to share between two cores.
DEFAULT_CHUNK = 1024
DEFAULT_MEMORY_GB = 4.0
#: Fewest trajectories a task writes to the store: each task writes one file per indicator, which
#: costs about 1-2 ms whatever its size (``--chunk 1`` took 67 s for 1,000 trajectories before).
MIN_TASK_ROWS = 256
#: Indicator columns kept per trajectory and year (demographic + economic).
N_INDICATORS = len(NAMES)
#: A design run in this process whose indicators take at most this many bytes also keeps them in
#: memory, so that quantiles and target odds need not read them back from the store (0.45 s of a
#: 10,000-trajectory ensemble, whose indicators take 114 MB).  Larger designs read the store back
#: one indicator at a time, which bounds their memory.
KEEP_IN_MEMORY_BYTES = 256 * 2**20


@dataclass
class Ensemble:
    """An ensemble run into a trajectory store (:mod:`simulate.uncertainty.store`): ``values`` (N, P)
    sampled parameters and ``possible`` (N,), False for a trajectory that leaves the possible world
    (:mod:`simulate.feasibility`; such trajectories are kept in the store, marked, and left out of
    quantiles and target odds).  ``indicators`` (name -> (N, T+1)) and ``population`` (N, T+1, 2, 101
    persons, if ages were kept) are read back from the store when asked for."""

    years: np.ndarray
    names: list[str]
    values: np.ndarray
    store: StoreLike
    possible: np.ndarray
    keep_ages: bool = False
    timings_s: dict[str, float] = field(default_factory=dict)
    #: A temporary folder holding the store, removed with this object (processes and Dask need a folder).
    scratch: tempfile.TemporaryDirectory | None = None
    #: The store's indicators, read-only, if the run kept them in memory (:data:`KEEP_IN_MEMORY_BYTES`).
    kept: dict[str, np.ndarray] | None = None
    #: Why the design's inputs were resolved point by point instead of batched ('' if batched):
    #: :func:`simulate.uncertainty.inputs.affine_inputs`.
    plain_reason: str = ""

    @property
    def indicators(self) -> Mapping[str, np.ndarray]:
        return MappingProxyType(self.kept) if self.kept is not None else StoredIndicators(self.store)

    @property
    def population(self) -> np.ndarray | None:
        return stored_population(self.store) if self.keep_ages else None


#: Quantiles are taken over blocks of this many years at a time, so that only one indicator and
#: one block per thread are ever in memory (any block size gives the same numbers: columns are
#: independent).
QUANTILE_YEARS = 8
#: Threads taking the blocks' quantiles (numpy partitions without the GIL): twice as fast on two
#: cores (0.60 -> 0.32 s for 10,000 trajectories).
QUANTILE_THREADS = InProcess.threads


#: Memory of a worker process with the package loaded and a run done (158 MB measured), bytes.
WORKER_BASE_BYTES = 160 * 2**20


def estimate_bytes(n: int, steps: int, parameters: int, keep_ages: bool, chunk: int, in_memory: bool = False,
                   window: int = 4, columns: int = 0, processes: int = 0) -> int:
    """Peak memory of a design of ``n`` runs (bytes), over every process of this machine: the
    sampled values, one indicator read back from the store for quantiles and odds with one block of
    it per thread, and ``window`` chunks in flight; plus the whole store if it is held in memory
    (``in_memory``: the API's in-process default), the indicators a small design keeps in memory
    (:data:`KEEP_IN_MEMORY_BYTES`), a table of ``columns`` numbers per run (a sweep's table; three
    copies while it is built) and, for each of ``processes`` local worker processes, its own base
    (:data:`WORKER_BASE_BYTES`) and two chunks."""
    years = steps + 1
    kept = (n * (parameters + 2) * 8 + n * years * 8 + n * QUANTILE_YEARS * 8 * 2 * QUANTILE_THREADS
            + 3 * n * columns * 8)
    if in_memory:
        kept += store_bytes(n, years, keep_ages)
    if store_bytes(n, years, False) <= KEEP_IN_MEMORY_BYTES:
        kept += store_bytes(n, years, False)
    working = (min(chunk, n) * years * (2 * 21 + 2 * 13 + 3 * N_INDICATORS + (202 if keep_ages else 0)) * 8 * 2
               + 2 * min(task_rows(chunk), n) * years * (N_INDICATORS + (202 if keep_ages else 0)) * 8)
    return int(kept + window * working + 512 * years * 202 * 8 + processes * (WORKER_BASE_BYTES + 2 * working))


#: The kinds of design a memory check names, in words.
DESIGNS = {"ensemble": N_("ensemble"), "sweep": N_("sweep"), "sobol design": N_("Sobol design"),
           "morris design": N_("Morris design")}


def check_memory(n: int, steps: int, parameters: int, keep_ages: bool, chunk: int, limit_gb: float,
                 what: str = "ensemble", smaller: str = "n", in_memory: bool = False, columns: int = 0,
                 processes: int = 0) -> None:
    """Refuse, before any work, a design of ``n`` runs whose estimated memory exceeds ``limit_gb``
    (see :func:`estimate_bytes`; ``processes``: local worker processes, each counted), or whose time
    is absurd (:func:`~simulate.uncertainty.budget.check_time`)."""
    check_time(float(n) * steps, smaller)
    need = estimate_bytes(n, steps, parameters, keep_ages, chunk, in_memory, columns=columns,
                          processes=processes) / 2**30
    if need > limit_gb:
        keep = {"keep_ages": "{keep_ages}", "workers": "{workers}", "max_memory_gb": "{max_memory_gb}",
                "smaller": "{" + smaller + "}"}  # the parameters, named by ParameterError.render
        hint = t(" (without {keep_ages})", **keep) if keep_ages else ""
        workers = t(" with {count} worker processes", count=processes) if processes else ""
        fewer = t(", fewer {workers}", **keep) if processes else ""
        raise ParameterError(smaller, None, t(
            "{design} of {n} runs over {steps} years needs about {need} GB, more than the {limit} GB limit{workers}: "
            "use a smaller {smaller}{hint}{fewer} or raise {max_memory_gb}", design=t(DESIGNS.get(what, what)),
            n=f"{n:,}", steps=steps, need=f"{need:,.1f}", limit=np.format_float_positional(limit_gb, trim="-"), workers=workers, hint=hint,
            fewer=fewer, **{k: v for k, v in keep.items() if k in ("smaller", "max_memory_gb")}))


def memory_store() -> StoreLike:
    """An empty in-memory zarr store (for designs run in this process)."""
    import zarr

    return zarr.storage.MemoryStore()


def sample(parameters: dict[str, Parameter], n: int, seed: int) -> np.ndarray:
    """``n`` draws of every parameter (n, P), from ``numpy.random.default_rng(seed)``."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InputError(t("n = {n}: an ensemble needs a whole number of trajectories, at least 1", n=repr(n)))
    return to_values(list(parameters.values()), unit_sample(n, len(parameters), seed))


def check_samples(scenario: Scenario, parameters: dict[str, Parameter], values: np.ndarray) -> None:
    """Every parameter's smallest and largest draw must give a valid scenario (InputError if not)."""
    for i, (name, parameter) in enumerate(parameters.items()):
        for value in (values[:, i].min(), values[:, i].max()):
            with_value(scenario, name, parameter, float(value))


def task_rows(chunk: int) -> int:
    """Trajectories per task, and per chunk of the store: ``chunk`` (the engine's batch), or a
    multiple of it of at least :data:`MIN_TASK_ROWS`, since every task writes one file per indicator."""
    return chunk * max(1, -(-MIN_TASK_ROWS // chunk))


def run_task(affine: AffineInputs, keep_ages: bool, destination: Destination, chunk: int, keep: bool,
             values: np.ndarray, rows: slice) -> tuple[np.ndarray, dict[str, np.ndarray] | None]:
    """Run one task's trajectories through the engine ``chunk`` at a time, write their indicators
    (and single ages if asked) into the store at ``rows``, and return which of them are possible
    worlds (n,), with the indicators written if ``keep``.  Runs where the backend put it (a thread, a
    local process or a Dask worker); backends run tasks in parallel, so the engine runs each batch on
    a single thread."""
    parts, ages, ok = [], [], []
    with one_blas_thread():  # the backend's tasks already use the cores; building inputs multiplies matrices
        for start in range(0, len(values), chunk):
            demography, economy = affine.batch(values[start:start + chunk])
            projection, indicators = run_inputs(demography, economy, keep_ages=keep_ages, threads=1)
            parts.append(indicators)
            ages.append(projection.population if keep_ages else None)
            ok.append(~impossible(projection, indicators))
    if len(parts) > 1:
        indicators = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
        population = np.concatenate(ages) if keep_ages else None
    else:
        indicators, population = parts[0], ages[0]
    write_chunk(destination, rows, indicators, population)
    return np.concatenate(ok), (indicators if keep else None)


def run_design(scenario: Scenario, values: np.ndarray, parameters: dict[str, Parameter] | None = None,
               chunk: int = DEFAULT_CHUNK, backend: InProcess | None = None, keep_ages: bool = False,
               progress: Callable[[Iterable], Iterable] = iter, store: Path | None = None) -> Ensemble:
    """Run the trajectories given by parameter ``values`` (n, P) through the batched engine,
    ``chunk`` at a time, streaming each task (:func:`task_rows`) into the trajectory ``store``
    folder (default: in memory for the in-process backend, else a temporary folder that lives as
    long as the returned :class:`Ensemble`)."""
    parameters = scenario.uncertainty.parameters if parameters is None else parameters
    if not parameters:
        raise InputError(t("scenario '{name}' has no uncertainty.parameters to sample", name=scenario.name))
    start = time.perf_counter()
    check_samples(scenario, parameters, values)
    affine = affine_inputs(scenario, parameters, values)
    return run_inputs_design(affine, values, parameters, scenario.name, scenario.base_year, start, chunk, backend,
                             keep_ages, progress, store)


def run_inputs_design(affine, values: np.ndarray, parameters: dict, name: str, base_year: int | None, start: float,
                      chunk: int = DEFAULT_CHUNK, backend: InProcess | None = None, keep_ages: bool = False,
                      progress: Callable[[Iterable], Iterable] = iter, store: Path | None = None) -> Ensemble:
    """:func:`run_design` once the inputs are known: ``affine`` makes the engine inputs of any rows
    of ``values`` (``.batch(rows)``, ``.years``; an :class:`AffineInputs` or a forecast's
    :class:`~simulate.futures.paths.ForecastInputs`), ``parameters`` names the columns of ``values``
    (each with ``describe()`` and a unit) for the store, ``start``: when the work began."""
    runner = backend or InProcess()
    scratch = None
    if store is None and isinstance(runner, (LocalProcesses, DaskBackend)):
        scratch = tempfile.TemporaryDirectory(prefix="quiet-crisis-")
        store = Path(scratch.name) / STORE_NAME
    target = Path(store) if store is not None else memory_store()
    size = task_rows(chunk)
    destination = create_store(target, affine.years, values, parameters, size, keep_ages, base_year)
    prepared = time.perf_counter()
    rows = [slice(i, min(i + size, len(values))) for i in range(0, len(values), size)]
    possible = np.empty(len(values), dtype=bool)
    reason = getattr(affine, "reason", "")
    log.info("%s: %d runs in %d task(s) on %s, inputs %s", name, len(values), len(rows), runner.name,
             f"resolved point by point ({reason})" if reason else "batched (exact at every corner)")
    keep = type(runner) is InProcess and store_bytes(len(values), len(affine.years), False) <= KEEP_IN_MEMORY_BYTES
    kept = {name: np.empty((len(values), len(affine.years))) for name in NAMES} if keep else None
    with runner:  # tasks write their own rows of the store; the possible flags (and kept indicators) come back
        work = [(values[r], r) for r in rows]
        for r, (ok, indicators) in zip(rows, runner.map(run_task, work, progress,
                                                        (affine, keep_ages, destination, chunk, keep))):
            possible[r] = ok
            if keep:
                for name, array in kept.items():
                    array[r] = indicators.get(name, np.nan)  # an indicator not projected (no economy) stays NaN
    finish(target, possible)
    log.info("%s: %d runs in %.2f s, %d impossible", name, len(values), time.perf_counter() - prepared,
             int((~possible).sum()))
    if keep:
        for array in kept.values():
            array.flags.writeable = False
    return Ensemble(years=affine.years, names=list(parameters), values=values, store=target, possible=possible,
                    keep_ages=keep_ages, scratch=scratch, kept=kept, plain_reason=reason,
                    timings_s={"prepare": prepared - start, "run": time.perf_counter() - prepared})


def _block_quantiles(values: np.ndarray, rows: slice | np.ndarray, start: int) -> np.ndarray:
    """The :data:`QUANTILES` of ``values`` (N, T) over the ``rows`` trajectories for the years
    ``start`` to ``start + QUANTILE_YEARS`` (quantiles, years); NaN for a year with a non-finite
    value.  The block is copied year by year (contiguous trajectories), where partitioning is
    several times faster; quantiles are order statistics, so the layout changes no number.  Each
    year is sorted first: numpy's (vectorised) sort and then ``np.quantile`` of the sorted values
    take 25 % less time than ``np.quantile``'s own partitioning around ten order statistics, and
    give the same numbers."""
    block = np.array(values[rows, start:start + QUANTILE_YEARS].T, order="C")  # always a copy: it is reordered
    q = np.full((len(QUANTILES), len(block)), np.nan)
    finite = np.flatnonzero(np.all(np.isfinite(block), axis=1))
    if len(finite) < len(block):
        block = block[finite]
    if len(finite):
        block.sort(axis=1)
        q[:, finite] = np.quantile(block, QUANTILES, axis=1, overwrite_input=True)
    return q


def quantile_table(ensemble: Ensemble, names: Iterable[str] | None = None) -> pd.DataFrame:
    """indicator, year and the 2.5/10/50/90/97.5 % quantiles across the possible trajectories of
    ``names`` (default: every indicator, in registry order), one indicator at a time (from memory if
    the run kept them, else read from the store) and :data:`QUANTILE_YEARS` years at a time on
    :data:`QUANTILE_THREADS` threads."""
    from concurrent.futures import ThreadPoolExecutor

    frames = []
    rows = slice(None) if ensemble.possible.all() else ensemble.possible
    stored = ensemble.indicators
    with ThreadPoolExecutor(QUANTILE_THREADS) as pool:
        for name in stored if names is None else names:
            values = stored[name]
            starts = range(0, values.shape[1], QUANTILE_YEARS)
            q = np.concatenate(list(pool.map(lambda start, values=values: _block_quantiles(values, rows, start), starts)), axis=1)
            del values
            frames.append(pd.DataFrame({"indicator": name, "year": ensemble.years,
                                        **dict(zip(QUANTILE_COLUMNS, q))}))
    return pd.concat(frames, ignore_index=True)


def in_registry_order(*tables: pd.DataFrame) -> pd.DataFrame:
    """Quantile tables of different indicators (:func:`quantile_table`) as one, in registry order."""
    table = pd.concat(tables, ignore_index=True)
    rank = table["indicator"].map({name: i for i, name in enumerate(NAMES)}).to_numpy()
    return table.iloc[np.argsort(rank, kind="stable")].reset_index(drop=True)


def with_scenario_values(quantiles: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """The quantile table with a ``scenario`` column: the scenario's own (deterministic) value of each
    indicator and year, next to the ensemble's quantiles."""
    projection, indicators = run_batch([scenario], keep_ages=False)
    own = pd.DataFrame([{"indicator": name, "year": int(year), "scenario": float(series[0, t])}
                        for name, series in indicators.items() for t, year in enumerate(projection.years)])
    return quantiles.merge(own, on=["indicator", "year"], how="left")


def target_probabilities(ensemble: Ensemble, targets: list[Target], base_year: int) -> list[dict]:
    """Share of the possible trajectories meeting each target (``base_year``: the scenario's, for
    ``xbase`` targets)."""
    return [{"target": str(t),
             "probability": float(np.mean((target_gap(ensemble.indicators, ensemble.years, t, base_year) >= 0)
                                          [ensemble.possible]))}
            for t in targets]
