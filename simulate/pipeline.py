"""From loaded scenarios to results: the one path every command takes through the engine."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from simulate import data
from simulate.demography.engine import DemographicInputs, Projection, project
from simulate.demography.indicators import demographic_indicators
from simulate.demography.inputs import demographic_inputs
from simulate.economy import EconomicInputs, economic_indicators, economic_inputs, labour_arrays
from simulate.feasibility import check_possible
from simulate.machine import one_blas_thread
from simulate.results import Results
from simulate.scenario import LoadedScenario, Scenario
from simulate.text.messages import N_, t

log = logging.getLogger(__name__)


@dataclass
class RunResult:
    """One scenario's outcome: its rows of the labelled ``results`` (shared by every run of a call),
    read as the tidy tables the writers write, plus what ``run.json`` records."""

    loaded: LoadedScenario
    results: Results = field(repr=False)
    #: This run's row of ``results``.
    row: int = 0
    flows: pd.DataFrame | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    targets: list[dict] = field(default_factory=list)
    #: What a reader must be told about the run (one sentence each): e.g. emigration cut short.
    notices: list[str] = field(default_factory=list)
    #: Assumptions that start with a step away from the last observation (:func:`jump_notices`),
    #: one sentence each: in the report and run.json; on the terminal unless --quiet.
    steps: list[str] = field(default_factory=list)

    @property
    def scenario(self) -> Scenario:
        return self.loaded.scenario

    @cached_property
    def indicators(self) -> pd.DataFrame:
        """``indicators.csv``: year, then every indicator."""
        return self.results.indicators(self.row)

    @cached_property
    def population(self) -> pd.DataFrame:
        """``population.csv``: year, sex, age, population."""
        return self.results.population(self.row)

    @cached_property
    def labour(self) -> pd.DataFrame:
        """``labour.csv``: year, sex, age group and the labour columns."""
        return self.results.labour(self.row)


def run_inputs(demography: DemographicInputs, economy: EconomicInputs | None, keep_ages: bool = False,
               threads: int | None = None, keep_flows: bool = False) -> tuple[Projection, dict[str, np.ndarray]]:
    """The one engine path: project a batch (on ``threads`` engine threads), then its economy.

    Returns the projection and every indicator as (B, T+1) arrays (demographic, then economic).
    Without an ``economy`` (a population that is not the economy's, e.g. Japanese nationals from a
    past origin) only the demographic indicators are returned.
    """
    with one_blas_thread():  # the engine's own threads use the cores
        projection = project(demography, keep_ages=keep_ages, threads=threads, keep_flows=keep_flows)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # impossible worlds: simulate.feasibility
            people = demographic_indicators(projection)
            return projection, people if economy is None else people | economic_indicators(projection, economy)


def run_batch(scenarios: list[Scenario], keep_ages: bool = True) -> tuple[Projection, dict[str, np.ndarray]]:
    """Project scenarios sharing a calendar (:attr:`Scenario.calendar_key`) as one engine batch,
    then their economies."""
    demography = demographic_inputs(scenarios)
    return run_inputs(demography, economic_inputs(scenarios, demography.years), keep_ages)


def flows_frame(projection: Projection, trajectory: int = 0) -> pd.DataFrame:
    """Deaths and net migrants by year, sex and age (``flows.csv``); the census year has none."""
    index = pd.MultiIndex.from_product([projection.years[1:], data.SEXES, np.arange(data.N_AGES)],
                                       names=["year", "sex", "age"])
    return pd.DataFrame({"deaths": projection.deaths_by_age[trajectory, 1:].reshape(-1),
                         "net_migrants": projection.migrants_by_age[trajectory, 1:].reshape(-1)},
                        index=index).reset_index()


def emigration_notice(years: np.ndarray, cut: np.ndarray) -> str | None:
    """One sentence when net emigration asked for more people than a sex and age had (``cut``:
    emigrants who could not leave per year, persons), or None."""
    short = cut > 0.5
    if not short.any():
        return None
    worst = int(np.argmax(cut))
    return t("net emigration asked for more people than were present in some sex and age in {count} year(s), "
             "{first}-{last}: {total} emigrants in all could not leave (most in {worst}: {most}); the net migration "
             "recorded is what happened", count=int(short.sum()), first=int(years[short][0]),
             last=int(years[short][-1]), total=f"{cut.sum():,.0f}", worst=int(years[worst]), most=f"{cut[worst]:,.0f}")


#: Steps at the history line worth a notice: assumption for the first assumed year against the
#: last observed value.  Name -> (what, threshold, unit, digits shown).
HISTORY_JUMPS = {"tfr": (N_("the TFR"), 0.05, N_("children per woman"), 2),
                 "e0_male": (N_("men's life expectancy"), 0.5, N_("years"), 2),
                 "e0_female": (N_("women's life expectancy"), 0.5, N_("years"), 2),
                 "net_migration": (N_("net migration"), 50_000.0, N_("persons"), 0)}


def history_jumps(demography: DemographicInputs, b: int) -> dict[str, tuple[float, float]]:
    """Trajectory ``b``'s value in the last observed year and its assumption for the next year,
    per quantity of :data:`HISTORY_JUMPS` (net migration: the residual of the observed population
    change, only when observed years follow the census)."""
    end = demography.start_year
    observed = data.observed()
    found = {}
    if end in observed.index:
        found["tfr"] = (float(observed.at[end, "tfr"]), float(demography.tfr[b, 0]))
        for s, sex in enumerate(data.SEXES):
            found[f"e0_{sex}"] = (float(observed.at[end, f"e0_{sex}"]), float(demography.e0[b, 0, s]))
    if demography.history is not None:
        found["net_migration"] = (float(demography.history.net_migration[0, -1]), float(demography.net_migration[b, 0]))
    return found


def jump_notices(demography: DemographicInputs, b: int) -> list[str]:
    """One sentence per assumption that starts more than :data:`HISTORY_JUMPS` away from the last
    observed value (a step at the history line, not a ramp)."""
    end, notices = demography.start_year, []
    for name, (last, first) in history_jumps(demography, b).items():
        what, threshold, unit, digits = HISTORY_JUMPS[name]
        if abs(first - last) > threshold:
            source = t("implied by the population estimates") if name == "net_migration" else t("observed")
            hint = ("" if name == "net_migration" else
                    t("; keyframes that all lie after the history ramp from the observation instead"))
            notices.append(t("{what} steps from {last} in {end} ({source}) to {first} {unit} assumed for {next} "
                             "({change}, more than {threshold}){hint}", what=t(what), last=f"{last:,.{digits}f}",
                             end=end, source=source, first=f"{first:,.{digits}f}", unit=t(unit), next=end + 1,
                             change=f"{first - last:+,.{digits}f}", threshold=f"{threshold:,g}", hint=hint))
    return notices


def describe_origin(loaded: LoadedScenario) -> str:
    """``name (file)`` for messages, or the name alone for a scenario built in memory."""
    return f"{loaded.scenario.name} ({loaded.files[0]})" if loaded.files else loaded.scenario.name


def run_scenarios(loaded: list[LoadedScenario], flows: bool = False) -> list[RunResult]:
    """Run every scenario, batching those with the same calendar into one engine call; ``flows``:
    also deaths and migrants by sex and age."""
    results: dict[int, RunResult] = {}
    rows: list[tuple[Results, int]] = [None] * len(loaded)
    for key in sorted({item.scenario.calendar_key for item in loaded}):
        members = [i for i, item in enumerate(loaded) if item.scenario.calendar_key == key]
        start = time.perf_counter()
        scenarios = [loaded[i].scenario for i in members]
        demography = demographic_inputs(scenarios)
        economy = economic_inputs(scenarios, demography.years)
        projection, indicators = run_inputs(demography, economy, keep_ages=True, keep_flows=flows)
        check_possible(projection, indicators, [describe_origin(loaded[i]) for i in members])
        engine_ms = 1000.0 * (time.perf_counter() - start) / len(members)
        log.info("ran %d scenario(s) from %d to %d in one batch: %.1f ms each", len(members), key[2], key[0],
                 engine_ms)
        batch = Results.of_batch([s.name for s in scenarios], [s.label_in("en") for s in scenarios], projection.years,
                                 indicators, projection.population, labour_arrays(projection, economy))
        for b, i in enumerate(members):
            rows[i] = (batch, b)
            results[i] = RunResult(loaded=loaded[i], results=batch, row=b,
                                   flows=flows_frame(projection, b) if flows else None,
                                   timings_ms={"engine_per_scenario": round(engine_ms, 3)},
                                   steps=jump_notices(demography, b),
                                   notices=[n for n in [emigration_notice(projection.years,
                                                                          projection.emigration_cut[b])] if n])
    together = Results.combine(rows)
    for i, run in results.items():
        run.results, run.row = together, i
    return [results[i] for i in range(len(loaded))]
