"""Designs of many runs through the one batched engine: Monte Carlo ensembles, sensitivity
indices and parameter sweeps.  Every check (sizes, memory over every process, disk) happens here,
before any work; with ``out`` the runs stream into the result folder, published all at once."""

from __future__ import annotations

import dataclasses
import functools
import time
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from simulate.api.scenarios import ORIGIN, Figures, ScenarioLike, formats, load_with, refuse_ignored
from simulate.errors import ParameterError, Range
from simulate.feasibility import ImpossibleWorld
from simulate.indicators import NAMES, REGISTRY
from simulate.machine import cores
from simulate.names import answer_asked, answer_name
from simulate.plots.kinds import FAN_INDICATORS
from simulate.plots.render import prestart, uncertainty_figures
from simulate.report.designs import (design_report, ensemble_sentences, ensemble_table, sensitivity_sentences,
                                     sensitivity_table, sweep_sentences)
from simulate.report.designs import sweep_table as sweep_report_table
from simulate.report.uncertainty import fill_folder, metadata, samples_frame, start_figures
from simulate.report.publishing import atomic_directory
from simulate.uncertainty.budget import check_size
from simulate.scenario import Scenario
from simulate.scenario.loader import LoadedScenario
from simulate.text.reprs import short_repr
from simulate.text.messages import t
from simulate.text.numbers import LANGUAGES, axis
from simulate.uncertainty.backends import InProcess, backend
from simulate.uncertainty.ensemble import (DEFAULT_CHUNK, DEFAULT_MEMORY_GB, N_INDICATORS, Ensemble, check_memory,
                                           in_registry_order, quantile_table, run_design, sample,
                                           target_probabilities, with_scenario_values)
from simulate.uncertainty.sensitivity import DEFAULT_INDICATORS, DEFAULT_YEARS, METHODS
from simulate.uncertainty.sensitivity import sensitivity as analyse
from simulate.uncertainty.store import STORE_NAME, check_disk, open_dataset
from simulate.uncertainty.sweep import heatmap_grid, sweep_design, sweep_metric, sweep_table
from simulate.machine import one_blas_thread

#: Defaults every design shares (the command line shows them in --help).
DEFAULT_SEED = 20180701
#: The methods of :func:`sensitivity`.
SENSITIVITY_METHODS = METHODS


@dataclass(frozen=True)
class Execution:
    """Where and how a design runs: ``chunk`` trajectories at a time, in this process (default),
    in ``workers`` local processes or on Dask (``dask``: ``"local"`` or a scheduler address),
    refused above ``max_memory_gb`` over every process of this machine; ``progress`` follows the
    chunks (``progress(iterable, desc=...)``)."""

    chunk: int = DEFAULT_CHUNK
    workers: int | None = None
    force_workers: bool = False
    dask: str | None = None
    max_memory_gb: float = DEFAULT_MEMORY_GB
    progress: Callable[..., Iterable] | None = None

    def backend(self) -> InProcess:
        """The backend, after checking the sizes (ParameterError naming chunk or workers)."""
        if self.chunk < 1:
            raise ParameterError("chunk", self.chunk, t("must be at least 1"), allowed=Range(1, None))
        if self.workers is not None and self.workers < 1:
            raise ParameterError("workers", self.workers, t("must be at least 1"), allowed=Range(1, cores()))
        if self.workers is not None and self.workers > cores() and not self.force_workers:
            raise ParameterError("workers", self.workers, t(
                "this machine lets the program use {cores} cores, so more workers only add memory and switching; use "
                "at most that, or allow it with {force_workers}", cores=cores(), force_workers="{force_workers}"),
                allowed=Range(1, cores()))
        return backend(self.dask, self.workers)

    def chunks(self, items: Iterable) -> Iterable:
        return items if self.progress is None else self.progress(items, desc="chunks")


def _plain_reason(ensemble: Ensemble) -> str:
    """How the design's inputs were resolved, for the folder's JSON record."""
    return f"point by point: {ensemble.plain_reason}" if ensemble.plain_reason else "batched (affine, checked)"


def require_some_possible(ensemble: Ensemble, what: str) -> int:
    """How many runs of ``ensemble`` are impossible worlds; ImpossibleWorld (exit 1) if all are."""
    left_out = int((~ensemble.possible).sum())
    if left_out == len(ensemble.possible):
        raise ImpossibleWorld(f"all {left_out:,} {what} describe a world that cannot exist (a population that "
                              "dies out or output that overflows): narrow the uncertainty ranges")
    return left_out


def _figure(name: str):
    """The figure job ``name`` of :mod:`simulate.plots.uncertainty`, drawn by a figure worker."""
    return functools.partial(uncertainty_figures, name)


def _staged(target: Path | None, asked: str | None = None):
    """The folder a design streams into: ``target``'s staging folder (answering ``asked``), or nothing (in memory)."""
    return atomic_directory(target, asked) if target is not None else nullcontext(None)


def _quantile_html(quantiles: pd.DataFrame, caption: str) -> str:
    """The headline indicators' median and 80 % band in 2030 and 2040, as a small HTML table."""
    from html import escape

    rows = []
    for name in ("population_total", "population_15_64", "labour_force", "gdp_per_capita"):
        cells = ""
        for year in (2030, 2040):
            row = quantiles[(quantiles["indicator"] == name) & (quantiles["year"] == year)]
            cells += "".join(f"<td>{v:,.0f}</td>" for v in row[["p10", "p50", "p90"]].iloc[0]) if len(row) else ""
        rows.append(f"<tr><th>{escape(REGISTRY[name].en)}</th>{cells}</tr>")
    head = "".join(f"<th>{y} p10</th><th>{y} median</th><th>{y} p90</th>" for y in (2030, 2040))
    return (f"<table><caption>{escape(caption)}</caption><thead><tr><th></th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _begin(scenario: ScenarioLike, execution: Execution, figures: Figures, out: str | Path | None,
           overrides: Mapping[str, Any], origin: str, levers: Sequence[str] = ()) -> tuple[float, Scenario, Any]:
    """What every design does first: start a figure worker (it loads matplotlib while the
    trajectories run), note the time, load the scenario (refusing a setting that ``levers``
    replace) and pick the backend."""
    start, loaded, runner = _begin_loaded(scenario, execution, figures, out, overrides, origin)
    return start, refuse_ignored(loaded, uncertainty=True, levers=levers).scenario, runner


def _begin_loaded(scenario: ScenarioLike, execution: Execution, figures: Figures, out: str | Path | None,
                  overrides: Mapping[str, Any], origin: str) -> tuple[float, LoadedScenario, Any]:
    """:func:`_begin` with the loaded scenario whole (its files and the overrides on top of them)."""
    if figures and out is not None:
        prestart(1)
    start = time.perf_counter()
    return start, load_with(scenario, overrides, origin), execution.backend()


@dataclass(repr=False)
class EnsembleResult:
    """N sampled futures: ``quantiles`` (indicator, year, p2_5 ... p97_5, scenario), ``samples``
    (parameter values per trajectory, ``possible``), ``targets`` (target, probability), the raw
    ``ensemble``, how many trajectories were ``impossible``, and the ``folder`` written (if any)."""

    ensemble: Ensemble
    quantiles: pd.DataFrame
    samples: pd.DataFrame
    targets: pd.DataFrame
    scenario: Scenario
    impossible: int = 0
    backend: str = "in-process"
    folder: Path | None = None

    def to_xarray(self):
        """The labelled dataset written as ``trajectories.zarr`` (named dimensions trajectory and
        year, units and long names, sampled parameters as variables), lazily loaded."""
        return open_dataset(self.ensemble.store)

    def to_pandas(self) -> pd.DataFrame:
        """The quantiles (``quantiles.csv``): indicator, year, p2_5 ... p97_5, scenario."""
        return self.quantiles

    def __repr__(self) -> str:
        n, years = len(self.ensemble.values), self.ensemble.years
        return short_repr(f"<EnsembleResult of {self.scenario.name}: {n:,} trajectories, years {years[0]}-{years[-1]}, "
                f"{len(self.ensemble.names)} parameters; .quantiles, .samples, .targets, .to_xarray()>")

    def _repr_html_(self) -> str:
        return _quantile_html(self.quantiles, repr(self))


@one_blas_thread()
def ensemble(scenario: ScenarioLike, n: int = 1000, seed: int = DEFAULT_SEED, keep_ages: bool = False,
             execution: Execution | None = None, out: str | Path | None = None, figures: Figures = False,
             lang: str = "en", overrides: Mapping[str, Any] | None = None, origin: str = ORIGIN,
             chunk: int | None = None, **more: Any) -> EnsembleResult:
    """Monte Carlo over the scenario's ``uncertainty`` block: ``n`` trajectories drawn from ``seed``.

    With ``out``, everything is written to ``out/<name>_ensemble_n<N>-seed<S>/`` as ``python run.py
    ensemble`` writes it (quantiles, samples, target odds, the trajectory store, fan charts in
    ``figures``); without, the trajectories stay in memory."""
    execution = execution or Execution(chunk=chunk or DEFAULT_CHUNK)
    check_size(n, seed)
    start, loaded, runner = _begin(scenario, execution, figures, out, dict(overrides or {}) | more, origin)
    parameters = loaded.uncertainty.parameters
    steps = loaded.horizon - loaded.basis.jump_off_year + 1
    check_memory(n, steps, len(parameters), keep_ages, execution.chunk, execution.max_memory_gb,
                 in_memory=out is None, processes=runner.local_processes)
    if not parameters:
        raise ParameterError("scenario", loaded.name, t("has no uncertainty.parameters to sample"))
    values = sample(parameters, n, seed)
    question = f"n{n} seed{seed}" + (" ages" if keep_ages else "")
    target = None if out is None else Path(out) / answer_name(loaded.name, "ensemble", question)
    if target is not None:
        check_disk(target.parent, n, steps + 1, keep_ages)
    # chunks stream into the store; all is published at once
    with _staged(target, answer_asked(loaded.name, "ensemble", question)) as staging:
        result = run_design(loaded, values, parameters, execution.chunk, runner, keep_ages, execution.chunks,
                            None if staging is None else staging / STORE_NAME)
        left_out = require_some_possible(result, "trajectories")
        fans = quantile_table(result, FAN_INDICATORS)  # the fan charts are drawn while the rest is computed
        drawing = None if staging is None else start_figures(
            staging, [(_figure("ensemble_figures"), (fans, loaded.label_in(lang), lang))] if formats(figures) else [],
            formats(figures))
        rest = quantile_table(result, [name for name in NAMES if name not in FAN_INDICATORS])
        quantiles = with_scenario_values(in_registry_order(fans, rest), loaded)
        odds = target_probabilities(result, loaded.targets, loaded.base_year)
        targets = pd.DataFrame(odds, columns=["target", "probability"])
        samples = samples_frame(result)
        if staging is not None:
            meta = metadata(loaded, {"question": question, "n": n, "seed": seed, "chunk": execution.chunk,
                                     "backend": runner.name, "keep_ages": keep_ages, "targets": odds,
                                     "impossible": left_out, "inputs": _plain_reason(result),
                                     "timings_s": {k: round(v, 4) for k, v in result.timings_s.items()}})
            sentences = {language: ensemble_sentences(
                quantiles, [(target.phrase(language, loaded.base_year), row["probability"])
                            for target, row in zip(loaded.targets, odds)], n, language) for language in LANGUAGES}
            meta["summary"] = {language: found[0] for language, found in sentences.items()}
            fill_folder(staging, {"quantiles.csv": quantiles, "samples.csv": samples, "targets.csv": targets},
                        drawing, start, meta, "ensemble.json", lambda figs: design_report(
                            "ensemble", loaded.label_in(lang), sentences[lang], meta["parameters"],
                            ensemble_table(quantiles, lang), figs, lang, scenario=loaded))
    return EnsembleResult(ensemble=result, quantiles=quantiles, samples=samples, targets=targets, scenario=loaded,
                          impossible=left_out, backend=runner.name, folder=target)


class Tabled:
    """What a sensitivity or sweep result offers: its ``table`` (the folder's CSV file) as
    ``to_pandas()`` and as a notebook table, and every run's indicators (trajectory, year) with the
    design's parameters as ``to_xarray()``, read lazily from the store."""

    table: pd.DataFrame
    ensemble: Ensemble

    def to_pandas(self) -> pd.DataFrame:
        return self.table

    def to_xarray(self):
        return open_dataset(self.ensemble.store)

    def _repr_html_(self) -> str:
        return self.table.to_html(max_rows=20)


@dataclass(repr=False)
class SensitivityResult(Tabled):
    """Sobol (S1, ST with confidence) or Morris (mu_star, sigma) indices, one row per indicator, year
    and parameter (``table``, as ``sensitivity.csv``), the runs, and the ``folder`` written (if any)."""

    table: pd.DataFrame
    ensemble: Ensemble
    design: pd.DataFrame
    scenario: Scenario
    method: str
    backend: str = "in-process"
    folder: Path | None = None

    def __repr__(self) -> str:
        return short_repr(f"<SensitivityResult of {self.scenario.name}: {self.method}, {len(self.design):,} runs, "
                f"{self.table['parameter'].nunique()} parameters; .table, .to_xarray()>")


@one_blas_thread()
def sensitivity(scenario: ScenarioLike, method: str = "sobol", n: int = 256, seed: int = DEFAULT_SEED,
                indicators: Sequence[str] | None = None, years: Sequence[int] | None = None,
                execution: Execution | None = None, out: str | Path | None = None, figures: Figures = False,
                lang: str = "en", overrides: Mapping[str, Any] | None = None, origin: str = ORIGIN,
                **more: Any) -> SensitivityResult:
    """Global sensitivity (SALib) of ``indicators`` in ``years`` to the scenario's uncertain
    parameters; with ``out``, written as ``python run.py sensitivity`` writes it (tornado charts in
    ``figures``)."""
    execution = execution or Execution()
    start, loaded, runner = _begin(scenario, execution, figures, out, dict(overrides or {}) | more, origin)
    question = f"{method} n{n} seed{seed}"
    target = None if out is None else Path(out) / answer_name(loaded.name, "sensitivity", question)
    with _staged(target, answer_asked(loaded.name, "sensitivity", question)) as staging:
        table, result, unit = analyse(loaded, method, n, seed, tuple(indicators or DEFAULT_INDICATORS),
                                      tuple(years or DEFAULT_YEARS), execution.chunk, runner, execution.chunks,
                                      execution.max_memory_gb, None if staging is None else staging / STORE_NAME)
        design = pd.DataFrame(result.values, columns=result.names)
        if staging is not None:
            meta = metadata(loaded, {"question": question, "method": method, "n": n, "runs": len(design),
                                     "seed": seed, "backend": runner.name, "inputs": _plain_reason(result)})
            labels = {language: loaded.uncertainty.labels(language) for language in LANGUAGES}
            jobs = ([(_figure("tornado_figures"), (table, method, loaded.label_in(lang), lang, labels[lang]))]
                    if formats(figures) else [])
            sentences = {language: sensitivity_sentences(table, language, labels[language]) for language in LANGUAGES}
            meta["summary"] = {language: " ".join(found[:2]) for language, found in sentences.items()}
            fill_folder(staging, {"sensitivity.csv": table, "samples.csv": design},
                        start_figures(staging, jobs, formats(figures)), start, meta, "sensitivity.json",
                        lambda figs: design_report("sensitivity", loaded.label_in(lang), sentences[lang], meta["parameters"],
                                                   sensitivity_table(table, lang, labels[lang]), figs, lang,
                                                   scenario=loaded))
    return SensitivityResult(table=table, ensemble=result, design=design, scenario=loaded, method=method,
                             backend=runner.name, folder=target)


@dataclass(repr=False)
class SweepResult(Tabled):
    """Every point of a full-factorial grid (``table``, as ``sweep.csv``: the grid values, every
    indicator in the report years, the ``metric`` and ``possible``), the grid ``points`` (n, axes),
    how many were impossible, and the ``folder`` written (if any)."""

    table: pd.DataFrame
    points: np.ndarray
    axes: list[str]
    metric: str
    ensemble: Ensemble
    scenario: Scenario
    impossible: int = 0
    backend: str = "in-process"
    folder: Path | None = None
    parameters: dict = dataclasses.field(default_factory=dict)

    def parameter_label(self, axis: str, lang: str | None = None) -> str:
        """What the grid axis ``axis`` varies, in words ('participation at 65-74 (+ points)')."""
        return self.parameters[axis].label(lang) if axis in self.parameters else axis

    def __repr__(self) -> str:
        return short_repr(f"<SweepResult of {self.scenario.name}: {len(self.points):,} points over {', '.join(self.axes)}; "
                f"{self.metric} highest at {self.best}; .table, .to_xarray()>")

    @property
    def best(self) -> dict[str, float]:
        """The grid values where the metric is highest."""
        best = self.points[int(np.nanargmax(self.table[self.metric].to_numpy()))]
        return {axis: float(v) for axis, v in zip(self.axes, best)}


def _axis_text(values: Sequence[float] | str) -> str:
    return values if isinstance(values, str) else ",".join(f"{float(v):g}" for v in values)


@one_blas_thread()
def sweep(scenario: ScenarioLike, grid: Mapping[str, Sequence[float] | str], metric: str = "gdp_per_capita@2040",
          execution: Execution | None = None, out: str | Path | None = None, figures: Figures = False,
          lang: str = "en", overrides: Mapping[str, Any] | None = None, origin: str = ORIGIN,
          **more: Any) -> SweepResult:
    """Every point of the full-factorial ``grid`` (name -> values, or ``"LO:HI:N"``; names are levers,
    uncertainty parameters or setting paths) with every indicator in the report years and
    ``metric``; with ``out``, written as ``python run.py sweep`` writes it (a heatmap of two axes)."""
    execution = execution or Execution()
    start, loaded, runner = _begin(scenario, execution, figures, out, dict(overrides or {}) | more, origin,
                                   levers=list(grid) if isinstance(grid, Mapping) else [])
    target_metric = sweep_metric(metric, loaded)
    steps = loaded.horizon - loaded.basis.jump_off_year + 1
    columns = N_INDICATORS * len(loaded.report_years) + len(grid) + 2  # sweep.csv
    parameters, points = sweep_design(grid, loaded, lambda count: check_memory(
        count, steps, len(grid), False, execution.chunk, execution.max_memory_gb, "sweep", "grid", columns=columns,
        in_memory=out is None, processes=runner.local_processes))
    specs = [f"{name}={_axis_text(values)}" for name, values in grid.items()]
    question = " ".join(specs + [metric])
    target = None if out is None else Path(out) / answer_name(loaded.name, "sweep", question)
    if target is not None:
        check_disk(target.parent, len(points), steps + 1, False)
    with _staged(target, answer_asked(loaded.name, "sweep", question)) as staging:
        result = run_design(loaded, points, parameters, execution.chunk, runner, progress=execution.chunks,
                            store=None if staging is None else staging / STORE_NAME)
        left_out = require_some_possible(result, "grid points")
        table = sweep_table(loaded, parameters, points, result, metric, target_metric)
        names = list(parameters)
        if staging is not None:
            words = {language: [parameters[name].label(language) for name in names] for language in LANGUAGES}
            jobs = []
            if len(names) == 2 and formats(figures):
                heat, xs, ys = heatmap_grid(points, table[metric].to_numpy())
                divisor, unit = axis(target_metric.metric, lang)
                label = f"{REGISTRY[target_metric.metric].label(lang)} {target_metric.year} ({unit})"
                jobs.append((_figure("heatmap_figure"), (heat / divisor, xs, ys, words[lang][1], words[lang][0], label,
                                                          f"{loaded.label_in(lang)}: {label}")))
            meta = metadata(loaded, {"question": question, "grid": specs, "points": len(points), "metric": metric,
                                     "backend": runner.name, "impossible": left_out, "inputs": _plain_reason(result)})
            sentences = {language: sweep_sentences(table, metric, names, language, words[language])
                         for language in LANGUAGES}
            meta["summary"] = {language: found[0] for language, found in sentences.items()}
            fill_folder(staging, {"sweep.csv": table}, start_figures(staging, jobs, formats(figures)), start, meta,
                        "sweep.json", lambda figs: design_report(
                            "sweep", loaded.label_in(lang), sentences[lang], {}, sweep_report_table(table, metric, names, lang, words[lang]),
                            figs, lang, scenario=loaded))
    return SweepResult(table=table, points=points, axes=names, metric=metric, ensemble=result, scenario=loaded,
                       impossible=left_out, backend=runner.name, folder=target, parameters=parameters)


__all__ = ["DEFAULT_CHUNK", "DEFAULT_MEMORY_GB", "DEFAULT_SEED", "EnsembleResult", "Execution", "SensitivityResult",
           "SweepResult", "ensemble", "sensitivity", "sweep"]
