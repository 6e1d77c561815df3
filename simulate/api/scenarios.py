"""Scenarios and their runs: load, derive, run one or many, compare, and write what the command
line writes."""

from __future__ import annotations

import functools

import difflib
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import Any, Callable, Iterable, Mapping

import pandas as pd

from simulate.targets import check_targets
from simulate.errors import InputError, ParameterError
from simulate.names import name_problem
from simulate.pipeline import RunResult, run_scenarios
from simulate.report.iamc import comparison_iamc
from simulate.findings import Findings, findings
from simulate.report.story import one_line, so_what
from simulate.results import Results
from simulate.plots.kinds import DEFAULT_FORMATS
from simulate.plots.render import prestart
from simulate.report.outputs import (COMPARISON_DIR, COMPARISON_YEARS, check_names, comparison_long, comparison_name,
                                     comparison_story, outcome_table, run_iamc, write_results)
from simulate.scenario import LoadedScenario, load_mapping, load_scenario
from simulate.scenario.shipped import SHIPPED, shipped_names, shipped_path
from simulate.text.reprs import short_repr
from simulate.text.messages import t
from simulate.machine import one_blas_thread

ScenarioLike = str | Path | Mapping[str, Any] | LoadedScenario
#: How problems in keyword overrides are located (the command line says ``--set``).
ORIGIN = "override"
#: Figure formats a writer takes: True for the default (SVG), False or () for none, or a tuple.
Figures = bool | tuple[str, ...]
#: A progress display: ``progress(iterable, total=..., desc=...)`` yields the iterable's items.
Progress = Callable[..., Iterable]


def formats(figures: Figures) -> tuple[str, ...]:
    """The figure formats ``figures`` asks for."""
    return DEFAULT_FORMATS if figures is True else tuple(figures or ())


def load(scenario: ScenarioLike, **overrides: Any) -> LoadedScenario:
    """Resolve and validate ``scenario`` with ``overrides`` (see :mod:`simulate.api`)."""
    return load_with(scenario, overrides)


def load_with(scenario: ScenarioLike, overrides: Mapping[str, Any] | None, origin: str = ORIGIN) -> LoadedScenario:
    """:func:`load` with the overrides as a mapping; problems in them name ``origin`` (the command
    line passes ``--set``)."""
    if overrides is not None and not isinstance(overrides, Mapping):
        raise ParameterError("overrides", str(overrides)[:60], t("give the settings as a mapping of dotted keys to values"))
    overrides = dict(overrides or {})
    if not isinstance(scenario, (str, PurePath, Mapping, LoadedScenario)) or (
            isinstance(scenario, str) and (not scenario.strip() or not scenario.isprintable())):
        raise ParameterError("scenario", ascii(scenario)[:60], t(
            "give a scenario's name, a file's path, a mapping of its keys or a loaded scenario"))
    if isinstance(scenario, LoadedScenario):
        if not overrides:
            return scenario
        earlier = scenario.overrides
        derived = load_mapping(scenario.scenario.model_dump(exclude_none=True), overrides, origin)  # as resolved
        return replace(derived, overrides=earlier + derived.overrides)
    if isinstance(scenario, Mapping):  # validated directly, as a file beside the current folder; nothing written
        return load_mapping(dict(scenario), overrides, origin)
    written, (scenario, own) = str(scenario), split_what_if(scenario)
    if own:  # 'current+migration.net=300000': this scenario's own overrides, after the shared ones
        overrides, origin = overrides | own, written
    path = Path(scenario)
    if not path.is_file():
        shipped = shipped_path(str(scenario))
        if shipped is None:
            if len(path.parts) > 1 or path.suffix:  # a path, not a name: say so plainly
                raise InputError(f"{scenario}: " + t("file not found"))
            close = difflib.get_close_matches(str(scenario), shipped_names(), n=1)
            hint = (t("did you mean '{name}'?", name=close[0]) if close
                    else t("shipped: {names}", names=t(", ").join(shipped_names())))
            raise InputError(f"{scenario}: " + t("file not found, and no shipped scenario has that name ({hint})",
                                                 hint=hint))
        path = shipped
    return load_scenario(path, overrides, origin)


#: Where a scenario written ``NAME+KEY=VALUE[+KEY=VALUE...]`` is split: at a '+' followed by a
#: dotted setting name and '='.  (A '+' inside a value, as in ``fertility.tfr=+0.2``, is not.)
WHAT_IF_SPLIT = re.compile(r"\+(?=[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*=)")


def split_what_if(scenario: str | Path) -> tuple[str | Path, dict[str, str]]:
    """``"current+migration.net=300000+fertility.tfr=+0.2"`` -> ``("current", {"migration.net":
    "300000", "fertility.tfr": "+0.2"})``: a scenario with its own overrides, so that one command
    can compare a scenario with a what-if of it.  An existing file is never split."""
    text = str(scenario)
    if isinstance(scenario, Path) or Path(text).is_file() or not WHAT_IF_SPLIT.search(text):
        return scenario, {}
    base, *items = WHAT_IF_SPLIT.split(text)
    return base, dict(item.split("=", 1) for item in items)


def load_all(scenarios: Iterable[ScenarioLike], overrides: Mapping[str, Any] | None = None,
             origin: str = ORIGIN) -> list[LoadedScenario]:
    """Several scenarios with the same overrides; the problems of all of them reported together."""
    loaded, problems = [], []
    for scenario in scenarios:
        try:
            loaded.append(load_with(scenario, overrides, origin))
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    return loaded


def with_(scenario: ScenarioLike, **overrides: Any) -> LoadedScenario:
    """A derived scenario: ``scenario`` with ``overrides`` applied (files are not touched)."""
    return load(load(scenario), **overrides)


def scenarios_folder() -> Path:
    """``./scenarios`` if it exists, else the scenarios shipped inside the package."""
    local = Path("scenarios")
    return local if local.is_dir() else SHIPPED


def every_scenario() -> list[Path]:
    """Every ``*.yaml`` scenario in :func:`scenarios_folder`, sorted by name."""
    folder = scenarios_folder()
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise InputError(f"{folder}: " + t("no scenario files (*.yaml) found"))
    return files


class Labelled:
    """What every result offers a notebook: the labelled data (:class:`simulate.results.Results`) as
    ``to_xarray()``, ``to_pandas()`` (every indicator, long) and ``to_iamc()``, a one-line ``repr`` and
    a small HTML table."""

    @property
    def data(self) -> Results:
        raise NotImplementedError

    def to_xarray(self):
        """An ``xarray.Dataset`` with dimensions scenario, year, sex, age and age_group."""
        return self.data.to_xarray()

    def to_pandas(self) -> pd.DataFrame:
        """Every indicator, long: scenario, year, indicator, value."""
        return self.data.to_pandas()

    def __repr__(self) -> str:
        return short_repr(f"<{type(self).__name__}: {repr(self.data)[1:-1]}>")

    def _repr_html_(self) -> str:
        return self.data._repr_html_()


@dataclass(repr=False)
class Result(Labelled):
    """One run: ``indicators`` (one row per year), ``population`` (year, sex, age), ``labour`` (year,
    sex, age group), ``targets`` (target, achieved, margin, met), all DataFrames; the labelled
    ``data`` (:class:`~simulate.results.Results`) they are read from."""

    run: RunResult

    @property
    def data(self) -> Results:
        return self.run.results.select([self.run.row])

    @property
    def scenario(self):
        return self.run.scenario

    @property
    def indicators(self) -> pd.DataFrame:
        return self.run.indicators

    @property
    def population(self) -> pd.DataFrame:
        return self.run.population

    @property
    def labour(self) -> pd.DataFrame:
        return self.run.labour

    @property
    def targets(self) -> pd.DataFrame:
        return pd.DataFrame(self.run.targets, columns=["target", "achieved", "margin", "met"])

    @property
    def notices(self) -> list[str]:
        """What a reader must be told (e.g. emigration cut short), one sentence each."""
        return self.run.notices

    @property
    def steps(self) -> list[str]:
        """Assumptions that start with a step away from the last observation, one sentence each."""
        return self.run.steps

    def summary(self, lang: str = "en") -> str:
        """The run in one line: 2040's population and its change, labour force, GDP per capita."""
        return one_line(self.run, lang)

    @functools.cached_property
    def found(self) -> Findings:
        """What the model found for this run's report (:func:`simulate.findings.findings`: backcasts for
        missed targets, the official projection, run.json), computed once for every language and write."""
        return findings(self.run)

    def so_what(self, lang: str = "en") -> list[str]:
        """The report's three to five sentences: 2040 against today and the official projection,
        the concern that moves most, and what each target would take."""
        return so_what(self.run, self.found, lang)

    def to_iamc(self) -> pd.DataFrame:
        """The IAMC wide table (``iamc.csv``), as pyam reads it."""
        return run_iamc(self.run)

    def write(self, folder: str | Path, figures: Figures = False, lang: str = "en") -> Path:
        """Write the run's files to ``folder/<name>/`` as ``python run.py run`` does; returns that folder."""
        return write_results([self.run], Path(folder), time.perf_counter(), figures=formats(figures), lang=lang,
                             findings={self.run.scenario.name: self.found})[
            self.scenario.name]


#: Settings only the designs that draw from the scenario's ``uncertainty`` block use (ensemble, sensitivity).
UNCERTAINTY = "uncertainty"


def refuse_ignored(loaded: LoadedScenario, uncertainty: bool = False, levers: Iterable[str] = (),
                   targets_given: bool = False) -> LoadedScenario:
    """``loaded``, or a ParameterError naming the first setting changed on top of its files that the
    command would ignore: the ``uncertainty`` block (unless ``uncertainty``: the command draws from
    it), a setting one of ``levers`` replaces, or ``targets`` when the command is given its own.
    An accepted setting changes the answer; one that would not is refused, never dropped."""
    from simulate.scenario.levers import LEVERS

    replaced = {key: name for name in levers if name in LEVERS for key in LEVERS[name].replaces}
    for key, value in loaded.overrides:
        top = key.split(".")[0]
        if top == UNCERTAINTY and not uncertainty:
            raise ParameterError(key, value, t("only an ensemble or a sensitivity analysis draws from the scenario's "
                                               "uncertainty block; this command would not use it: drop the setting"))
        for replaced_key, lever in replaced.items():
            if key == replaced_key or key.startswith(replaced_key + "."):
                raise ParameterError(key, value, t("the lever {lever} sets this after the last observed year, so the "
                                                   "setting would not be used: drop it, or solve for another lever",
                                                   lever=lever))
        if top == "targets" and targets_given:
            raise ParameterError(key, value, t("the targets given to this command replace the scenario's: give them "
                                               "there, or drop the setting"))
    return loaded


@one_blas_thread()
def run(scenario: ScenarioLike, **overrides: Any) -> Result:
    """Run one scenario (with overrides) and check its targets."""
    return Result(check_targets(run_scenarios([refuse_ignored(load(scenario, **overrides))]))[0])


@dataclass(repr=False)
class Comparison(Labelled):
    """Several runs: ``results`` by name, ``outcomes`` (the ``outcomes.csv`` table), ``long``
    (every indicator, long form); ``name`` is the comparison's folder (None: no comparison); the
    labelled ``data`` of them all."""

    results: dict[str, Result]
    name: str | None
    outcomes: pd.DataFrame = field(repr=False)
    long: pd.DataFrame = field(repr=False)
    #: The figures :func:`compare` was told would be written (their workers started then).
    figures: Figures = False

    @property
    def data(self) -> Results:
        first = next(iter(self.results.values())).run
        return first.results

    def so_what(self, lang: str = "en") -> list[str]:
        """What differs most between the runs in 2040, in sentences (the comparison report's story)."""
        return comparison_story([r.run for r in self.results.values()], lang)

    def to_iamc(self) -> pd.DataFrame:
        """Every run's IAMC rows in one table (``comparison/<name>/iamc.csv``)."""
        return comparison_iamc([r.to_iamc() for r in self.results.values()])

    def write(self, folder: str | Path, figures: Figures | None = None, lang: str = "en",
              progress: Progress | None = None) -> dict[str, Path]:
        """Write every run and ``comparison/<name>/`` (if named), all or none, as ``python run.py run``
        and ``compare`` do; returns name -> folder (the comparison under ``"comparison"``).
        ``figures``: default, those :func:`compare` was told of; ``progress`` follows their drawing."""
        runs = [r.run for r in self.results.values()]
        chosen = formats(self.figures if figures is None else figures)
        return write_results(runs, Path(folder), time.perf_counter(), comparison=self.name, figures=chosen,
                             progress=progress, lang=lang, findings={r.run.scenario.name: r.found for r in self.results.values()})


@one_blas_thread()
def compare(*scenarios: ScenarioLike, name: str | None = "", overrides: Mapping[str, Any] | None = None,
            origin: str = ORIGIN, flows: bool = False, figures: Figures = False) -> Comparison:
    """Run several scenarios as one batch per calendar, check their targets and compare them.

    ``name``: the comparison's folder name; ``""`` (default) joins the scenario names, None makes no
    comparison (``run``).  No scenario given: every scenario of :func:`scenarios_folder`, compared as
    ``all``.  ``flows``: also deaths and migrants by sex and age (``flows.csv``).  ``figures``: the
    figures :meth:`Comparison.write` will draw; their worker processes load matplotlib while the
    scenarios run."""
    if name and name_problem(name):
        raise InputError(t("comparison name: {problem}", problem=name_problem(name)))
    if not scenarios:
        scenarios, name = tuple(every_scenario()), "all" if name == "" else name
    loaded = [refuse_ignored(item) for item in load_all(scenarios, overrides, origin)]
    check_names([item.scenario.name for item in loaded])
    if formats(figures) and len(loaded) > 1:
        prestart()
    runs = check_targets(run_scenarios(loaded, flows=flows))
    return Comparison(results={r.scenario.name: Result(r) for r in runs},
                      name=comparison_name(runs) if name == "" else name,
                      outcomes=outcome_table(runs, COMPARISON_YEARS), long=comparison_long(runs), figures=figures)


__all__ = ["COMPARISON_DIR", "Comparison", "Result", "ScenarioLike", "compare", "every_scenario", "load",
           "load_all", "load_with", "run", "scenarios_folder", "with_"]
