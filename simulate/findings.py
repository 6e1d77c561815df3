"""What a run's report is told, computed here so that the report only renders (issue 37).

A scenario's report and its "so what" need answers that only the model can give: the official
projection to set the run against, each target's status and, for a missed one, the backcast's
answer (the lever :data:`LEVER_FOR` names, solved), the White Paper's figures beside the run's,
and the contents of ``run.json`` (:func:`simulate.provenance.run_metadata`, which runs the history
fit).  :func:`findings` computes them once per run; :mod:`simulate.report` formats them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulate.backcasting import solve

from simulate.targets import target_status
from simulate.errors import SimulatorError
from simulate.official import Official, official_for
from simulate.pipeline import RunResult
from simulate.provenance import run_metadata
from simulate.reproduce import SEED_FIGURES

#: The lever a missed target is solved with, by the target's indicator.
LEVER_FOR = {"labour_force": "seniors_uplift", "employed": "seniors_uplift", "workers_per_elderly": "seniors_uplift",
             "gdp": "productivity_growth", "gdp_index": "productivity_growth", "gdp_per_capita": "productivity_growth",
             "gdp_per_capita_index": "productivity_growth", "productivity_index": "productivity_growth",
             "population_total": "net_migration", "population_15_64": "net_migration", "births": "tfr",
             "population_0_14": "tfr", "care_worker_share": "care_productivity",
             "care_workers_needed": "care_productivity", "care_recipients": "healthy_ageing"}
#: Targets a story tells, at most (each missed one costs a backcast).
TOLD_TARGETS = 2


@dataclass(frozen=True)
class TargetFinding:
    """One target: ``target`` (the scenario's), ``row`` (achieved, margin, met:
    :func:`~simulate.targets.target_status`), and for a missed one the ``lever`` it is solved
    with and the lever's ``solved`` value, None when that lever alone cannot reach it (or none is
    named: then ``lever`` is None too)."""

    target: Any
    row: dict
    lever: str | None = None
    solved: float | None = None


@dataclass(frozen=True)
class SeedRow:
    """One of the White Paper's figures beside the run: ``label`` (a catalogue message), the
    indicator ``column``, the ``published`` value and the run's ``model`` value (persons)."""

    label: str
    column: str
    published: float
    model: float


@dataclass(frozen=True)
class Findings:
    """What a run's report is told: the ``official`` projection, up to :data:`TOLD_TARGETS`
    ``targets``, the ``seed`` figures (runs from the 2015 census only) and ``metadata`` (``run.json``,
    without the wall time, which the writer adds)."""

    official: Official
    targets: tuple[TargetFinding, ...]
    seed: tuple[SeedRow, ...]
    metadata: dict


def target_findings(result: RunResult, told: int = TOLD_TARGETS) -> tuple[TargetFinding, ...]:
    """The first ``told`` targets of ``result``'s scenario, each met, or missed and solved."""
    s = result.scenario
    rows = result.targets or target_status(result.indicators, s.targets, s.base_year)
    found = []
    for target, row in list(zip(s.targets, rows))[:told]:
        lever = None if row["met"] else LEVER_FOR.get(target.metric)
        solved = None
        if lever is not None:
            try:
                solved = solve(s, lever, [target]).value
            except SimulatorError:
                solved = None
        found.append(TargetFinding(target, row, lever, solved))
    return tuple(found)


def seed_rows(result: RunResult) -> tuple[SeedRow, ...]:
    """The White Paper's figures beside ``result``'s (census 2015 runs; none otherwise)."""
    if result.scenario.jump_off != "census2015":
        return ()
    years = set(result.indicators["year"])
    return tuple(SeedRow(fig.label, fig.column, fig.value, fig.value_in(result.indicators))
                 for fig in SEED_FIGURES if fig.year in years)


def findings(result: RunResult) -> Findings:
    """Everything :mod:`simulate.report` is told about ``result``."""
    return Findings(official_for(result.scenario), target_findings(result), seed_rows(result), run_metadata(result))
