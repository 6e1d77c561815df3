"""The explorer's questions, as library calls (the web page is a client of these, like the command
line of the rest): a view of a scenario with some dials moved, the YAML file that reproduces it, its
report, and the answers behind the page's backcast and odds panels.

    from simulate.api import explore
    view = explore.view("current", {"migration.net": 300000}, year=2035)
    view["headlines"][0]   # {'indicator': 'population_total', 'year': 2030, 'value': ..., 'text': ...}

A *setting* maps a dial's dotted scenario key (:data:`simulate.scenario.dials.DIALS`) to the value
it reaches in ``year``; dials not in it stay as the scenario has them.  Values may be typed text:
whatever the scenario language refuses comes back as the same one-line :class:`InputError` a
scenario file gets, located by the key alone (``fertility.tfr: 9.0 is out of range: ...``).
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd
import yaml

from simulate.api.designs import DEFAULT_SEED, Execution
from simulate.api.odds import CENTRES, forecast
from simulate.api.questions import backcast
from simulate.api.scenarios import ScenarioLike, load, load_with, run, split_what_if
from simulate.errors import InputError, ParameterError
from simulate.indicators import REGISTRY
from simulate.names import NAME_RULE, name_problem, settings_text, short_name, what_if_name
from simulate.reproduce import SEED_FIGURES
from simulate.scenario.dials import (AT_ONCE, DIAL_ONLY, DIALS, expand, nested, path_value, read_number,
                                     reached_year)
from simulate.scenario.levers import LEVERS
from simulate.scenario.source import printable, problem
from simulate.scenario.units import explicit_below, written  # noqa: F401 - explicit_below: for the explorer's words
from simulate.text.messages import N_, t
from simulate.uncertainty.budget import check_size
from simulate.text.numbers import LANGUAGES, axis, format_value

#: Charts: panel name -> indicators drawn in it.
CHARTS = {
    "population": ["population_total", "population_0_14", "population_15_64", "population_65_plus"],
    "labour": ["labour_force", "employed"],
    "economy": ["gdp_index", "gdp_per_capita_index"],
    "support": ["workers_per_elderly"],
    "care": ["care_recipients", "care_workers_needed"],
    "benefits": ["social_security_benefits_gdp", "medical_spending_gdp", "ltc_spending_gdp", "pension_spending_gdp"],
}
#: Headline numbers shown in each report year.
HEADLINES = ["population_total", "population_15_64", "population_65_plus", "labour_force", "gdp_index",
             "gdp_per_capita_index", "workers_per_elderly", "care_worker_share", "social_security_benefits_gdp"]
#: Ages shown in the pyramid (single years; the last group is open).
PYRAMID_AGES = 100
#: The 2030-2040 band every time chart shades.
BAND = (2030, 2040)


#: How the explorer's problems are located: by the key alone, as the scenario language names it.
ORIGIN = ""


def parse_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The moved dials as given (dial key -> number or typed text); a key that names no dial is an
    :class:`InputError` (``fertility: not a lever of the explorer; ...``)."""
    if not isinstance(settings, Mapping):
        raise ParameterError("settings", str(settings)[:60], t("give the moved dials as a mapping of dial keys to values"))
    for key in settings:
        if not isinstance(key, str) or key not in DIALS:
            raise InputError(t("{key}: not a lever of the explorer; choose one of {choices}", key=printable(str(key))[:40],
                               choices=", ".join(DIALS)))
    return dict(settings)


def check_language(lang: Any) -> str:
    """``lang`` if it is one of the languages of the catalogue (ParameterError if not)."""
    if not isinstance(lang, str) or lang not in LANGUAGES:
        raise ParameterError("lang", str(lang)[:20], t("choose one of: {names}", names=", ".join(LANGUAGES)),
                             allowed=tuple(LANGUAGES))
    return lang


def check_year(scenario: Any, year: Any) -> int:
    """The year the dials reach their values in: ``None`` or ``""`` at once (the first projected
    year), else a year after the history and at most the horizon."""
    found, why = reached_year(scenario, None if year in (None, "") else year)
    if why is not None:
        raise InputError(t("year: {value} is out of range: allowed {low} to {high}", value=printable(str(year))[:12],
                           low=scenario.history_end + 1, high=scenario.horizon))
    return found


_BASES: dict[str, tuple[tuple, Any]] = {}


def _stamps(files: tuple[Path, ...]) -> tuple:
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)


def base_scenario(scenario: ScenarioLike) -> Any:
    """The loaded ``scenario`` without overrides (a validated :class:`Scenario`), loaded again only
    when one of its files changed on disk."""
    if not isinstance(scenario, (str, Path)):
        return load(scenario).scenario
    key = str(scenario)
    kept = _BASES.get(key)
    try:
        if kept is not None and _stamps(kept[1].files) == kept[0]:
            return kept[1].scenario
    except OSError:
        pass
    loaded = load(scenario)
    _BASES[key] = (_stamps(loaded.files), loaded)
    return loaded.scenario


def _words(numbers: Mapping[str, float], year: Any) -> dict[str, Any]:
    """The moved dials as ``--set`` takes them, each value absolute as the page means it: the number
    as a scenario file writes it at once (``'0.05 %'`` where a bare 0.05 would read as a slip; a
    number, not text, so that a minus sign is not the relative form), ``VALUE@YEAR`` when a year is chosen."""
    written_as = {key: written(tuple(key.split(".")), number) for key, number in numbers.items()}
    if year in (None, ""):
        return written_as
    return {key: f"{value}@{year}" for key, value in written_as.items()}


def _prepared(scenario: ScenarioLike, settings: Mapping[str, Any], year: Any) -> tuple[Any, dict, int, dict, dict]:
    """The base scenario, the moved dials as numbers, the year they reach, the settings as ``--set``
    takes them (what runs) and their overrides in the scenario language (what a downloaded file holds)."""
    base, given = base_scenario(scenario), parse_settings(settings)
    reached, at_once = check_year(base, year), year in (None, "")
    numbers = {}
    for key, value in given.items():  # bad numbers and unit slips refused here, in the loader's words
        numbers[key], why = read_number(key, value)
        if why is None and not DIALS[key].usable(base):
            why = t("needs 'mode: {mode}' in the scenario's economy", mode=DIALS[key].needs_mode)
        if why is not None:
            raise InputError(problem(ORIGIN, (0, 0), tuple(key.split(".")), why))
    ramps = {key: (written(tuple(key.split(".")), number), None if at_once else reached) for key, number in numbers.items()
             if not at_once or key in DIAL_ONLY}
    overrides = expand(base, ramps, ORIGIN) | {key: written(tuple(key.split(".")), numbers[key])
                                              for key in numbers if key not in ramps}
    return base, numbers, reached, _words(numbers, year), overrides


def loaded(scenario: ScenarioLike, settings: Mapping[str, Any], year: Any = AT_ONCE) -> Any:
    """``scenario`` with ``settings`` applied as ``--set`` applies the same words (problems located by key)."""
    words = _prepared(scenario, settings, year)[3]
    return load_with(scenario, words, ORIGIN)


def overrides_for(scenario: ScenarioLike, settings: Mapping[str, Any], year: Any = AT_ONCE) -> dict:
    """The scenario overrides of ``settings`` reached in ``year`` (what :func:`run` and the YAML get)."""
    return _prepared(scenario, settings, year)[4]


def run_settings(scenario: ScenarioLike, settings: Mapping[str, Any], year: Any = AT_ONCE):
    """The run of ``scenario`` with ``settings`` (an :class:`~simulate.api.Result`)."""
    return run(loaded(scenario, settings, year))


def _plain(numbers: Mapping[str, float]) -> dict[str, float | int]:
    """Dial values as people write them: whole numbers without ``.0``."""
    return {key: int(value) if float(value).is_integer() else value for key, value in numbers.items()}


def explored_name(name: str, numbers: Mapping[str, float], year: int) -> str:
    """The name of a file the explorer writes for scenario ``name`` with the dials ``numbers``
    reached in ``year``: ``<name>_explored``, with the settings and a hash of them when dials moved,
    so that two downloads never share a name (or a results folder when they are run)."""
    if not numbers:
        return short_name(f"{name}_explored")
    return what_if_name(f"{name}_explored", _plain(numbers) | ({} if year is None else {"year": year}))


def download_name(scenario: ScenarioLike, settings: Mapping[str, Any], year: int | str = AT_ONCE,
                  name: str | None = None) -> str:
    """:func:`explored_name` of ``scenario`` (called ``name`` on the page, default its own name) with
    ``settings``: what the page's download is called."""
    base, numbers, reached, *_ = _prepared(scenario, settings, year)
    return explored_name(name or base.name, numbers, None if year in (None, "") else reached)


def scenario_yaml(scenario: str, settings: Mapping[str, Any], year: int | str = AT_ONCE,
                  name: str | None = None) -> str:
    """A scenario file that extends ``scenario`` with only the moved dials' keys (from a what-if such
    as ``current+fertility.tfr=1.8``, which no file can extend: the whole resolved scenario), named
    ``name`` (shortened to a valid name); ``validate`` accepts it and ``run`` gives the explorer's numbers."""
    if name is not None and (not isinstance(name, str) or name_problem(short_name(name))):
        raise ParameterError("name", str(name)[:70], name_problem(name if isinstance(name, str) else str(name))
                             or t("{name} is not a name: use {rule}", name=repr(name)[:70], rule=t(NAME_RULE)))
    base, numbers, reached, _, moved = _prepared(scenario, settings, year)
    when = None if year in (None, "") else reached
    words = N_("{title}, explored: {settings} by {year}") if when else N_("{title}, explored: {settings} from {year}")
    own = {"name": short_name(name) if name else explored_name(base.name, numbers, when), "title": {  # its own
        lang: t(words, lang, title=base.label_in(lang), settings=settings_text(_plain(numbers)) or "-",
                year=reached) for lang in LANGUAGES}}
    if isinstance(scenario, (str, Path)) and split_what_if(scenario)[1]:  # a what-if: no file to extend
        resolved = load(scenario, **moved).scenario.model_dump(exclude_none=True, exclude={"extends"})
        body = yaml.safe_dump(resolved | own, allow_unicode=True, sort_keys=False, default_flow_style=None)
    else:
        head = {"extends": str(scenario)} | own
        body = yaml.safe_dump(head | nested(moved), allow_unicode=True, sort_keys=False, default_flow_style=None)
    head = (t("# Written by the explorer: {scenario} with these dials moved, reached in {year}.", scenario=scenario,
              year=when) if when else t("# Written by the explorer: {scenario} with these dials moved, from {year} on.",
                                       scenario=scenario, year=reached))
    return head + "\n" + body


def report_html(scenario: ScenarioLike, settings: Mapping[str, Any], year: int | str, lang: str) -> bytes:
    """The self-contained report ``run`` writes, for the scenario with ``settings``."""
    check_language(lang)
    result = run_settings(scenario, settings, year)
    with tempfile.TemporaryDirectory(prefix="quiet-crisis-explore-") as scratch:
        folder = result.write(Path(scratch) / "out", figures=("svg",), lang=lang)
        return (folder / "report.html").read_bytes()


def _seniors_rate(labour: pd.DataFrame, year: int, weights_year: int) -> float:
    """Participation (%) of ages 65-74, both sexes together, in ``year``: the rates weighted by the
    population of ``weights_year`` (the calibration year), as ``labour.seniors`` combines them."""
    chosen = labour[labour["age_group"].isin(["65-69", "70-74"])]
    rates = chosen[chosen["year"] == year].set_index(["sex", "age_group"])["participation_rate"]
    weights = chosen[chosen["year"] == weights_year].set_index(["sex", "age_group"])["population"]
    return float((rates * weights).sum() / weights.sum())


def dial_values(result: Any, year: int) -> dict[str, float]:
    """Where each usable dial stands, unmoved, in ``year`` of ``result``."""
    scenario, by_year = result.scenario, result.indicators.set_index("year")
    found = {}
    for key, dial in DIALS.items():
        if not dial.usable(scenario):
            continue
        if dial.reads.startswith("indicator:"):
            value = float(by_year.at[year, dial.reads.split(":", 1)[1]])
        elif dial.reads == "path":
            value = path_value(scenario, key, year)
        elif dial.reads == "seniors":
            value = _seniors_rate(result.labour, year, scenario.history_end)
        else:
            value = 0.0
        found[key] = round(value, dial.decimals)
    return found


def _series(result: Any, lang: str) -> dict:
    """Every chart's indicators as lists in chart units (``axis``), with the units in words."""
    table, base = result.indicators, result.scenario.base_year
    found = {}
    for names in CHARTS.values():
        for name in names:
            divisor, unit = axis(name, lang, base)
            found[name] = {"values": [None if math.isnan(v) else round(float(v) / divisor, 6) for v in table[name]],
                           "unit": unit, "divisor": divisor, "label": t(REGISTRY[name].en, lang)}
    return found


def _pyramid(result: Any) -> dict:
    """Population by single age (0 to :data:`PYRAMID_AGES`+) and sex, per year: whole persons."""
    table = result.population
    years = np.sort(table["year"].unique())
    counts = np.zeros((2, len(years), PYRAMID_AGES + 1))
    np.add.at(counts, ((table["sex"] == "female").to_numpy(int), np.searchsorted(years, table["year"].to_numpy()),
                       np.minimum(table["age"].to_numpy(), PYRAMID_AGES)), table["population"].to_numpy())
    return {sex: {int(year): np.rint(counts[i, j]).astype(int).tolist() for j, year in enumerate(years)}
            for i, sex in enumerate(("male", "female"))}


def _headlines(result: Any, lang: str) -> list[dict]:
    scenario, by_year = result.scenario, result.indicators.set_index("year")
    years = [y for y in scenario.report_years if y in by_year.index]
    return [{"indicator": name, "year": int(year), "value": float(by_year.at[year, name]),
             "text": format_value(name, float(by_year.at[year, name]), lang, scenario.base_year),
             "label": t(REGISTRY[name].en, lang)}
            for name in HEADLINES for year in years if not math.isnan(by_year.at[year, name])]


def _reference(result: Any, lang: str) -> list[dict]:
    """The seed's White Paper figures (persons) that fall inside the run's years, for reference marks."""
    years = set(result.indicators["year"])
    return [{"label": t(figure.label, lang), "indicator": figure.column, "year": figure.year,
             "value": figure.value / axis(figure.column, lang)[0]}
            for figure in SEED_FIGURES if figure.year in years and figure.column in CHARTS["population"]]


def _targets(result: Any, lang: str) -> list[dict]:
    scenario = result.scenario
    return [{"text": target.phrase(lang, scenario.base_year), "met": bool(row["met"])}
            for target, (_, row) in zip(scenario.targets, result.targets.iterrows())]


def view(scenario: ScenarioLike, settings: Mapping[str, Any] | None = None, year: int | str = AT_ONCE,
         lang: str = "en") -> dict:
    """Everything the explorer shows for ``scenario`` with ``settings`` reached in ``year``, as
    plain data (JSON-ready): the charts' series, the pyramid, headline numbers (unrounded
    ``value`` and ``text`` for people), where each dial stands, targets, the seed's figures."""
    check_language(lang)
    base, moved, reached, _, overrides = _prepared(scenario, {} if settings is None else settings, year)
    # the overrides the words expand to (expanded once, on the kept base scenario): the loader need
    # not load the scenario a second time to find where each ramp starts (tests: the same numbers)
    result = run(load_with(scenario, overrides, ORIGIN))
    stands = dial_values(result, reached)
    return {"scenario": base.name, "title": base.label_in(lang), "observed_until": base.history_end,
            "horizon": base.horizon, "base_year": base.base_year, "year": reached, "at_once": year in (None, ""),
            "band": list(BAND),
            "years": [int(y) for y in result.indicators["year"]], "series": _series(result, lang),
            "pyramid": _pyramid(result), "headlines": _headlines(result, lang),
            "dials": {key: {"value": moved.get(key, value), "moved": key in moved} for key, value in stands.items()},
            "targets": _targets(result, lang), "reference": _reference(result, lang), "notices": result.notices}


def what_it_takes(scenario: ScenarioLike, settings: Mapping[str, Any], year: int | str, lever: str, target: str,
                  lang: str = "en") -> dict:
    """The backcast behind the page's "what would it take" panel: the value of registry ``lever``
    that meets ``target`` (``"labour_force@2040>=60e6"``) with the other settings as they are."""
    check_language(lang)
    if not isinstance(lever, str) or lever not in LEVERS:
        raise InputError(t("lever: {value} is not one of {choices}", value=str(lever)[:40],
                           choices=", ".join(LEVERS)))
    found = backcast(scenario, lever, [target], overrides=overrides_for(scenario, settings, year))
    value = float(found.value)
    return {"lever": lever, "value": value, "text": LEVERS[lever].in_words(value, lang),
            "target": target}


#: Trajectories behind the page's odds panel, and the indicators it draws as bands.
ODDS_N = 1000
QUANTILES = ("p2_5", "p10", "p50", "p90", "p97_5")
ODDS_INDICATORS = ["population_total", "labour_force", "gdp_index"]


def odds(scenario: ScenarioLike, settings: Mapping[str, Any], year: int | str, n: int = ODDS_N,
         progress: Any = None, lang: str = "en") -> dict:
    """The honest-odds bands (:func:`~simulate.api.forecast`) for the scenario with ``settings``:
    per indicator the 2.5, 10, 50, 90 and 97.5 % quantiles by year, in chart units; ``progress``
    (an :class:`Execution` progress wrapper) follows the chunks."""
    check_language(lang)
    check_size(n, DEFAULT_SEED)
    found = forecast(scenario, n=n, overrides=overrides_for(scenario, settings, year),
                     execution=Execution(chunk=max(1, n // 8), progress=progress))
    table, base = found.quantiles, found.scenario.base_year
    bands = {}
    for name in ODDS_INDICATORS:
        rows = table[table["indicator"] == name].sort_values("year")
        divisor, unit = axis(name, lang, base)
        bands[name] = {"years": [int(y) for y in rows["year"]], "unit": unit, "label": t(REGISTRY[name].en, lang),
                       **{q: [round(float(v) / divisor, 6) for v in rows[q]] for q in QUANTILES}}
    return {"n": n, "origin": found.origin, "centre": found.centre, "centre_words": t(CENTRES[found.centre], lang),
            "bands": bands}


def dial_of(message: str) -> str | None:
    """The dial (or ``year``) a refusal ``<key>: ...`` is about, for the page to show it there."""
    key = message.split(":", 1)[0].strip()
    if key == "year":
        return key
    return next((dial for dial in DIALS if key.startswith(dial) or dial.startswith(key)), None)
