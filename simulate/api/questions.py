"""Questions about one scenario: what a lever must be to meet a target (backcast), and how the
model holds up against the White Paper's figures and what happened since (reproduce)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from simulate.api.scenarios import (ORIGIN, Figures, Result, ScenarioLike, formats, load_with, refuse_ignored,
                                        scenarios_folder)
from simulate.backcasting import GRID_POINTS, BackcastRun, backcast_run, solved_yaml
from simulate.targets import parse_targets
from simulate.errors import ParameterError
from simulate.pipeline import RunResult, run_scenarios
from simulate.plots.render import backcast_figure, reality_figure
from simulate.reality import migration_sentence, reality_sentences, reality_table
from simulate.names import answer_asked
from simulate.report.html import reproduce_report
from simulate.findings import findings
from simulate.report.outputs import REPRODUCE_DIR, write_results
from simulate.report.tables import lever_text
from simulate.report.csvfiles import write_csv
from simulate.report.publishing import atomic_directory
from simulate.text.reprs import html_view, short_repr
from simulate.text.jsontext import json_text
from simulate.reproduce import reproduction_problem, reproduction_table
from simulate.scenario import LoadedScenario, Scenario, load_scenario
from simulate.scenario.economy_model import Target
from simulate.machine import one_blas_thread


@dataclass
class Backcast:
    """A solved lever: ``value`` (in ``unit``), the solved run as ``result``, the base scenario's run
    as ``base``, ``record`` (what ``backcast.json`` holds) and ``grid_points`` (the first batch)."""

    answer: BackcastRun
    loaded: LoadedScenario = field(repr=False)
    grid_points: int = GRID_POINTS

    @property
    def solution(self):
        return self.answer.solution

    @property
    def value(self) -> float:
        return self.answer.solution.value

    @property
    def unit(self) -> str:
        return self.answer.solution.unit

    @property
    def targets(self) -> list[Target]:
        return self.answer.targets

    @property
    def result(self) -> Result:
        return Result(self.answer.solved)

    def __repr__(self) -> str:
        s = self.answer.solution
        return short_repr(f"<Backcast of {self.loaded.scenario.name}: {s.lever} = {s.value:.4g} {s.unit} meets "
                        f"{', '.join(map(str, self.targets))}; .value, .result, .record>")

    def _repr_html_(self) -> str:
        return html_view(repr(self))

    @property
    def base(self) -> Result:
        return Result(self.answer.base)

    @property
    def record(self) -> dict:
        return self.answer.record

    def write(self, folder: str | Path, figures: Figures = False, lang: str = "en") -> Path:
        """Write the solved run with ``backcast.json``, ``scenario.yaml`` (it reproduces the run) and the
        target's figure to ``folder/<name>/``, as ``python run.py backcast`` does; returns that folder."""
        solution, loaded = self.answer.solution, self.loaded
        name = solution.scenario.name
        extra = {name: {"backcast.json": json_text(self.record), "scenario.yaml": solved_yaml(solution)}}
        first = self.targets[0]
        words = lever_text(solution.lever, solution.value, lang)
        jobs = [(backcast_figure, (name, self.answer.solved.indicators, self.answer.base.indicators, first.metric,
                                   first.year, self.answer.threshold, words, loaded.scenario.label_in(lang),
                                   (loaded.scenario.base_year, loaded.scenario.history_end), lang))]
        asked = answer_asked(loaded.scenario.name, "backcast", " ".join(
            [solution.lever] + [str(x) for x in self.targets]))
        return write_results([self.answer.solved], Path(folder), time.perf_counter(), figures=formats(figures),
                             extra=extra, jobs=jobs, lang=lang, asked={name: asked},
                             findings={name: findings(self.answer.solved)})[name]


@one_blas_thread()
def backcast(scenario: ScenarioLike, lever: str, targets: list[str | Target] | None = None,
             search_range: tuple[float, float] | None = None, overrides: Mapping[str, Any] | None = None,
             origin: str = ORIGIN, **more: Any) -> Backcast:
    """The value of ``lever`` that meets ``targets`` (``"labour_force@2040>=60e6"``; default: the
    scenario's own targets) within ``search_range`` (default: the lever's)."""
    loaded = refuse_ignored(load_with(scenario, dict(overrides or {}) | more, origin), levers=[lever],
                            targets_given=bool(targets))
    return Backcast(backcast_run(loaded, lever, parse_targets(targets), search_range), loaded)


@dataclass
class Reproduction:
    """The seed's figures next to the model's (``table``: published, model, deviation, ok), the
    2017-based projection against what happened (``reality``; in words: :meth:`sentences_in`), and the run."""

    result: RunResult
    table: pd.DataFrame
    reality: pd.DataFrame

    def sentences_in(self, lang: str | None = None) -> list[str]:
        """The reality check in words, one sentence per indicator and one on migration, in ``lang``."""
        end = self.result.scenario.history_end
        return reality_sentences(self.reality, end, lang) + [migration_sentence(self.result, lang)]

    @property
    def sentences(self) -> list[str]:
        """The reality check in English words (:meth:`sentences_in` for another language)."""
        return self.sentences_in("en")

    def __repr__(self) -> str:
        return short_repr(f"<Reproduction of {self.result.scenario.name}: {len(self.table)} published figures, "
                        f"{len(self.reality)} rows of the reality check; .table, .reality, .sentences>")

    def _repr_html_(self) -> str:
        return html_view(repr(self), self.table)

    @property
    def failed(self) -> int:
        """Seed figures outside their tolerance."""
        return int((~self.table["ok"]).sum())

    @property
    def record(self) -> dict:
        """What ``reproduce --json`` prints."""
        return {"seed_figures": self.table.to_dict(orient="records"), "within_tolerance": len(self.table) - self.failed,
                "reality_check": self.reality.to_dict(orient="records"), "sentences": self.sentences}

    def write(self, folder: str | Path, figures: Figures = False, lang: str = "en") -> Path:
        """Write ``folder/reproduce/`` (tables, sentences, the figure and the report); returns it."""
        chosen, end = formats(figures), self.result.scenario.history_end
        with atomic_directory(Path(folder) / REPRODUCE_DIR) as staging:
            write_csv(self.table, staging / "seed_figures.csv")
            write_csv(self.reality, staging / "reality_check.csv")
            sentences = self.sentences_in(lang)
            (staging / "reality_check.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")
            if chosen:
                reality_figure(staging / "figures", self.reality, self.result.scenario.label_in(lang), end, lang,
                               formats=chosen)
            (staging / "report.html").write_text(reproduce_report(self.table, sentences, staging / "figures",
                                                                  end, lang), encoding="utf-8")
        return Path(folder) / REPRODUCE_DIR


@one_blas_thread()
def reproduce(scenario: ScenarioLike | None = None) -> Reproduction:
    """The seed's figures and the reality check for ``scenario`` (default: the baseline, a projection
    from the 2015 census); a scenario on another basis or ending before 2041 is refused."""
    if scenario is not None:
        loaded = load_with(scenario, None)
        problem = reproduction_problem(loaded.scenario)
        if problem:
            raise ParameterError("scenario", scenario, problem)
    elif (scenarios_folder() / "baseline.yaml").is_file():
        loaded = load_scenario(scenarios_folder() / "baseline.yaml")
    else:
        loaded = LoadedScenario(scenario=Scenario(), files=(), file_sha256="")
    result = run_scenarios([loaded])[0]
    reality = reality_table(result)
    return Reproduction(result=result, table=reproduction_table(result), reality=reality)


__all__ = ["Backcast", "Reproduction", "backcast", "reproduce"]

