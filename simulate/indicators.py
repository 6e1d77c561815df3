"""The indicator registry: every indicator a run computes, once.

For each: its ``indicators.csv`` column name (in column order), its kind (which fixes its unit and
how numbers are shown, :mod:`simulate.text.numbers`), its English and Japanese labels, its IAMC
variable, and the scenario definitions it depends on.  Terminal tables, figures, reports, the IAMC
file, targets and sweeps all read it; adding an indicator is one entry here (and its computation).
A test checks that the engine computes exactly these names.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from simulate.units import KIND_PINT

#: Kinds of quantity: the unit every value of the kind is in (``indicators.csv``), in English and Japanese.
KIND_UNITS: dict[str, tuple[str, str]] = {
    "persons": ("persons", "人"),
    "flow": ("persons per year", "人/年"),
    "percent": ("%", "%"),
    "per100": ("per 100 aged 15-64", "15～64歳100人あたり"),
    "years": ("years", "歳"),
    "index": ("{base} = 100", "{base}年=100"),
    "usd_bn": ("USD bn, 2018 prices", "10億ドル（2018年価格）"),
    "usd": ("USD, 2018 prices", "ドル（2018年価格）"),
    "hours": ("hours per year", "時間/年"),
    "hours_total": ("hours per year", "時間/年"),
    "ratio": ("persons", "人"),
}


@dataclass(frozen=True)
class Indicator:
    """One indicator.  ``en``/``ja``: labels; ``iamc``: (variable, unit, divisor) or None, in the IAMC
    conventions pyam users know (``GDP|MER``, ``Labor Force``; units pyam can convert; index and
    ratio variables outside the aggregate hierarchies, base year and threshold in the name);
    ``depends``: scenario settings its meaning depends on (e.g. ``labour.old_age_threshold``)."""

    name: str
    kind: str
    en: str
    ja: str
    iamc: tuple[str, str, float] | None = None
    depends: tuple[str, ...] = ()

    @property
    def unit(self) -> str:
        """The unit of its ``indicators.csv`` column in words (``{base}``: the index base year)."""
        return KIND_UNITS[self.kind][0]

    def unit_in(self, lang: str, base_year: int | None = None) -> str:
        """The unit in words in ``lang``, the index base filled in (the scenario's base year, or
        'base year' / '基準' when there is none yet, as in ``list``)."""
        en, ja = KIND_UNITS[self.kind]
        if lang == "ja":
            return ja.format(base="基準" if base_year is None else base_year)
        return en.format(base="base year" if base_year is None else base_year)

    @property
    def pint(self) -> str:
        """The same unit for programs (:data:`simulate.units.KIND_PINT`): the store's CF ``units``."""
        return KIND_PINT[self.kind]

    def label(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en


_M = ("million", 1e6)
REGISTRY: dict[str, Indicator] = {i.name: i for i in [
    Indicator("population_total", "persons", "Population", "総人口", ("Population", *_M)),
    Indicator("population_0_14", "persons", "Aged 0-14", "0～14歳人口", ("Population|0-14", *_M)),
    Indicator("population_15_64", "persons", "Aged 15-64", "15～64歳人口（生産年齢人口）", ("Population|15-64", *_M)),
    Indicator("population_65_plus", "persons", "Aged 65+", "65歳以上人口", ("Population|65+", *_M)),
    Indicator("population_75_plus", "persons", "Aged 75+", "75歳以上人口", ("Population Aged 75+", *_M)),
    Indicator("share_0_14", "percent", "Share aged 0-14", "0～14歳の割合"),
    Indicator("share_15_64", "percent", "Share aged 15-64", "15～64歳の割合"),
    Indicator("share_65_plus", "percent", "Share aged 65+ (ageing rate)", "高齢化率（65歳以上の割合）"),
    Indicator("share_75_plus", "percent", "Share aged 75+", "75歳以上の割合"),
    Indicator("births", "flow", "Births", "出生数", ("Births", "thousand/yr", 1e3)),
    Indicator("deaths", "flow", "Deaths", "死亡数", ("Deaths", "thousand/yr", 1e3)),
    Indicator("net_migration", "flow", "Net migration", "純移動数（国際）", ("Net Migration", "thousand/yr", 1e3)),
    Indicator("population_change", "flow", "Annual change", "人口増減"),
    Indicator("old_age_dependency_ratio", "per100", "Old-age dependency (65+ per 100 aged 15-64)",
              "老年従属人口指数（15～64歳100人あたり65歳以上）", ("Dependency Ratio|Old-age", "%", 1.0)),
    Indicator("total_dependency_ratio", "per100", "Total dependency ((0-14 + 65+) per 100 aged 15-64)",
              "従属人口指数", ("Dependency Ratio|Total", "%", 1.0)),
    Indicator("median_age", "years", "Median age", "年齢中位数", ("Median Age", "years", 1.0)),
    Indicator("labour_force", "persons", "Labour force", "労働力人口", ("Labor Force", *_M)),
    Indicator("employed", "persons", "Employed", "就業者数", ("Employment", *_M)),
    Indicator("unemployment_rate", "percent", "Unemployment rate", "完全失業率", ("Unemployment Rate", "%", 1.0)),
    Indicator("hours_per_worker", "hours", "Hours per worker", "就業者1人あたり年間労働時間"),
    Indicator("hours_worked", "hours_total", "Hours worked", "総労働時間", ("Hours Worked", "billion h/yr", 1e9)),
    Indicator("productivity_index", "index", "Labour productivity per hour", "時間あたり労働生産性",
              ("Index|Labor Productivity|Base {base}", "%", 1.0)),
    Indicator("gdp", "usd_bn", "GDP", "GDP（国内総生産）", ("GDP|MER", "billion USD_2018/yr", 1.0)),
    Indicator("gdp_index", "index", "GDP", "GDP", ("Index|GDP|MER|Base {base}", "%", 1.0)),
    Indicator("gdp_per_capita", "usd", "GDP per capita", "1人あたりGDP", ("GDP per Capita|MER", "USD_2018/yr", 1.0)),
    Indicator("gdp_per_capita_index", "index", "GDP per capita", "1人あたりGDP",
              ("Index|GDP per Capita|MER|Base {base}", "%", 1.0)),
    Indicator("gdp_per_worker", "usd", "GDP per worker", "就業者1人あたりGDP"),
    Indicator("workers_per_elderly", "ratio", "Workers per elderly person", "高齢者1人を支える就業者数",
              ("Employment per Elderly|{threshold}+", "dimensionless", 1.0), depends=("labour.old_age_threshold",)),
]}
#: name -> unit of its ``indicators.csv`` column, in column order.
UNITS: dict[str, str] = {name: indicator.unit for name, indicator in REGISTRY.items()}
NAMES: tuple[str, ...] = tuple(REGISTRY)


def unknown_indicator(name: str) -> str | None:
    """None if ``name`` is an indicator, else a message with the closest name or the list."""
    if name in REGISTRY:
        return None
    close = difflib.get_close_matches(name, NAMES, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"choose one of: {', '.join(NAMES)}"
    return f"unknown indicator {name!r}: {hint}"


def definition_note(name: str, old_age_threshold: int, lang: str) -> str:
    """What distinguishes a non-standard definition, for labels ('' for the standard one): workers
    per elderly person counts the elderly from ``old_age_threshold``."""
    if "labour.old_age_threshold" in REGISTRY[name].depends and old_age_threshold != 65:
        return f"（高齢者={old_age_threshold}歳以上）" if lang == "ja" else f" (elderly = {old_age_threshold}+)"
    return ""


def first_year(name: str, jump_off_year: int) -> int:
    """The first year an indicator has a value in a run from a census in ``jump_off_year``: a flow
    (births, deaths, net migration, annual change) counts the year *to* 1 October, so it starts the
    year after the census; everything else has a value in the census year itself."""
    known = REGISTRY.get(name)
    return jump_off_year + 1 if known is not None and known.kind == "flow" else jump_off_year

