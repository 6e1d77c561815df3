"""The indicator registry: every indicator a run computes, once.

For each: its ``indicators.csv`` column name (in column order), its kind (which fixes its unit and
how numbers are shown, :mod:`simulate.text.numbers`), its label (in English, marked for the message catalogue, which has the Japanese), its IAMC
variable, and the scenario definitions it depends on.  Terminal tables, figures, reports, the IAMC
file, targets and sweeps all read it; adding an indicator is one entry here (and its computation).
A test checks that the engine computes exactly these names.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from simulate.text.messages import N_, t
from simulate.units import KIND_PINT

#: Kinds of quantity: the unit every value of the kind is in (``indicators.csv``), in English (looked up in the catalogue).
KIND_UNITS: dict[str, str] = {
    "persons": N_("persons"),
    "flow": N_("persons per year"),
    "percent": N_("%"),
    "per100": N_("per 100 aged 15-64"),
    "years": N_("years"),
    "index": N_("{base} = 100"),
    "usd_bn": N_("USD bn, 2018 prices"),
    "usd": N_("USD, 2018 prices"),
    "hours": N_("hours per year"),
    "hours_total": N_("hours per year"),
    "ratio": N_("persons"),
    "yen_tn": N_("trillion yen, nominal"),
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
    iamc: tuple[str, str, float] | None = None
    depends: tuple[str, ...] = ()

    @property
    def unit(self) -> str:
        """The unit of its ``indicators.csv`` column in words (``{base}``: the index base year)."""
        return KIND_UNITS[self.kind]

    def unit_in(self, lang: str, base_year: int | None = None) -> str:
        """The unit in words in ``lang``, the index base filled in (the scenario's base year, or
        'base year' / '基準' when there is none yet, as in ``list``)."""
        return t(KIND_UNITS[self.kind], lang, base=t("base year", lang) if base_year is None else base_year)

    @property
    def pint(self) -> str:
        """The same unit for programs (:data:`simulate.units.KIND_PINT`): the store's CF ``units``."""
        return KIND_PINT[self.kind]

    @property
    def ja(self) -> str:
        """The label in Japanese (from the message catalogue)."""
        return t(self.en, "ja")

    def label(self, lang: str | None = None) -> str:
        """The label for a person in ``lang`` (the English label looked up in the catalogue)."""
        return t(self.en, lang)


_M = ("million", 1e6)
REGISTRY: dict[str, Indicator] = {i.name: i for i in [
    Indicator("population_total", "persons", N_("Population"), ("Population", *_M)),
    Indicator("population_0_14", "persons", N_("Aged 0-14"), ("Population|0-14", *_M)),
    Indicator("population_15_64", "persons", N_("Aged 15-64"), ("Population|15-64", *_M)),
    Indicator("population_65_plus", "persons", N_("Aged 65+"), ("Population|65+", *_M)),
    Indicator("population_75_plus", "persons", N_("Aged 75+"), ("Population Aged 75+", *_M)),
    Indicator("share_0_14", "percent", N_("Share aged 0-14")),
    Indicator("share_15_64", "percent", N_("Share aged 15-64")),
    Indicator("share_65_plus", "percent", N_("Share aged 65+ (ageing rate)")),
    Indicator("share_75_plus", "percent", N_("Share aged 75+")),
    Indicator("births", "flow", N_("Births"), ("Births", "thousand/yr", 1e3)),
    Indicator("deaths", "flow", N_("Deaths"), ("Deaths", "thousand/yr", 1e3)),
    Indicator("net_migration", "flow", N_("Net migration"), ("Net Migration", "thousand/yr", 1e3)),
    Indicator("population_change", "flow", N_("Annual change")),
    Indicator("old_age_dependency_ratio", "per100", N_("Old-age dependency (65+ per 100 aged 15-64)"),
              ("Dependency Ratio|Old-age", "%", 1.0)),
    Indicator("total_dependency_ratio", "per100", N_("Total dependency ((0-14 + 65+) per 100 aged 15-64)"),
              ("Dependency Ratio|Total", "%", 1.0)),
    Indicator("median_age", "years", N_("Median age"), ("Median Age", "years", 1.0)),
    Indicator("labour_force", "persons", N_("Labour force"), ("Labor Force", *_M)),
    Indicator("employed", "persons", N_("Employed"), ("Employment", *_M)),
    Indicator("unemployment_rate", "percent", N_("Unemployment rate"), ("Unemployment Rate", "%", 1.0)),
    Indicator("hours_per_worker", "hours", N_("Hours per worker")),
    Indicator("hours_worked", "hours_total", N_("Hours worked"), ("Hours Worked", "billion h/yr", 1e9)),
    Indicator("productivity_index", "index", N_("Labour productivity per hour"),
              ("Index|Labor Productivity|Base {base}", "%", 1.0)),
    Indicator("gdp", "usd_bn", N_("GDP"), ("GDP|MER", "billion USD_2018/yr", 1.0)),
    Indicator("gdp_index", "index", N_("GDP"), ("Index|GDP|MER|Base {base}", "%", 1.0)),
    Indicator("gdp_per_capita", "usd", N_("GDP per capita"), ("GDP per Capita|MER", "USD_2018/yr", 1.0)),
    Indicator("gdp_per_capita_index", "index", N_("GDP per capita"),
              ("Index|GDP per Capita|MER|Base {base}", "%", 1.0)),
    Indicator("gdp_per_worker", "usd", N_("GDP per worker")),
    Indicator("workers_per_elderly", "ratio", N_("Workers per elderly person"),
              ("Employment per Elderly|{threshold}+", "dimensionless", 1.0), depends=("labour.old_age_threshold",)),
    Indicator("care_recipients", "persons", N_("People aged 65+ certified as needing care"),
              ("Population|Care Recipients|65+", *_M)),
    Indicator("care_workers_needed", "persons", N_("Care workers needed"), ("Employment|Care|Needed", *_M)),
    Indicator("care_worker_share", "percent", N_("Care workers needed, share of the employed"),
              ("Share|Employment|Care|Needed", "%", 1.0)),
    Indicator("nominal_gdp", "yen_tn", N_("Nominal GDP"), ("GDP|MER|Nominal", "trillion JPY/yr", 1.0)),
    Indicator("medical_spending", "yen_tn", N_("Medical benefits"),
              ("Social Security Benefits|Medical", "trillion JPY/yr", 1.0)),
    Indicator("ltc_spending", "yen_tn", N_("Long-term-care benefits"),
              ("Social Security Benefits|Long-term Care", "trillion JPY/yr", 1.0)),
    Indicator("pension_spending", "yen_tn", N_("Pension benefits"),
              ("Social Security Benefits|Pension", "trillion JPY/yr", 1.0)),
    Indicator("social_security_benefits", "yen_tn", N_("Social-security benefits"),
              ("Social Security Benefits", "trillion JPY/yr", 1.0)),
    Indicator("medical_spending_gdp", "percent", N_("Medical benefits, share of GDP"),
              ("Share|GDP|Social Security Benefits|Medical", "%", 1.0)),
    Indicator("ltc_spending_gdp", "percent", N_("Long-term-care benefits, share of GDP"),
              ("Share|GDP|Social Security Benefits|Long-term Care", "%", 1.0)),
    Indicator("pension_spending_gdp", "percent", N_("Pension benefits, share of GDP"),
              ("Share|GDP|Social Security Benefits|Pension", "%", 1.0)),
    Indicator("social_security_benefits_gdp", "percent", N_("Social-security benefits, share of GDP"),
              ("Share|GDP|Social Security Benefits", "%", 1.0)),
    Indicator("pension_replacement", "percent", N_("Pension per person aged 65+, share of GDP per worker"),
              ("Share|GDP per Worker|Pension per Person 65+", "%", 1.0)),
]}
#: name -> unit of its ``indicators.csv`` column, in column order.
UNITS: dict[str, str] = {name: indicator.unit for name, indicator in REGISTRY.items()}
NAMES: tuple[str, ...] = tuple(REGISTRY)


def unknown_indicator(name: str) -> str | None:
    """None if ``name`` is an indicator, else a message with the closest name or the list."""
    if name in REGISTRY:
        return None
    close = difflib.get_close_matches(name, NAMES, n=1)
    hint = t("did you mean '{name}'?", name=close[0]) if close else t("choose one of: {names}", names=", ".join(NAMES))
    return t("unknown indicator {name}: {hint}", name=repr(name), hint=hint)


def definition_note(name: str, old_age_threshold: int, lang: str) -> str:
    """What distinguishes a non-standard definition, for labels ('' for the standard one): workers
    per elderly person counts the elderly from ``old_age_threshold``."""
    if "labour.old_age_threshold" in REGISTRY[name].depends and old_age_threshold != 65:
        return t(" (elderly = {age}+)", lang, age=old_age_threshold)
    return ""


def first_year(name: str, jump_off_year: int) -> int:
    """The first year an indicator has a value in a run from a census in ``jump_off_year``: a flow
    (births, deaths, net migration, annual change) counts the year *to* 1 October, so it starts the
    year after the census; everything else has a value in the census year itself."""
    known = REGISTRY.get(name)
    return jump_off_year + 1 if known is not None and known.kind == "flow" else jump_off_year


# --- quantities set against observations (the reality check, the back-test) ------------------------

#: The reality check's indicators (:mod:`simulate.reality`): (indicator, label, unit, observed
#: column, divisor shown, format); label and unit are catalogue messages.
REALITY_CHECKS = [
    ("births", N_("Births (Japanese nationals)"), N_("thousand"), "births", 1e3, "{:,.0f}"),
    ("tfr", N_("Total fertility rate"), N_("children per woman"), "tfr", 1.0, "{:.2f}"),
    ("population_total", N_("Population on 1 October"), N_("million"), "population_oct1", 1e6, "{:,.2f}"),
    ("e0_male", N_("Life expectancy, males"), N_("years"), "e0_male", 1.0, "{:.2f}"),
    ("e0_female", N_("Life expectancy, females"), N_("years"), "e0_female", 1.0, "{:.2f}"),
    ("labour_force", N_("Labour force"), N_("million"), "labour_force_millions", 1e6, "{:,.2f}"),
]

#: What the back-test (:mod:`simulate.futures.backtest`) scores, and how: the error in per cent of the
#: observed value ("pct") or in the quantity's own unit ("abs").
SCORED = {"tfr": "pct", "e0_male": "abs", "e0_female": "abs", "births": "pct", "population_total": "pct",
          "population_0_14": "pct", "population_15_64": "pct", "population_65_plus": "pct"}
#: The scored quantities that are not registry indicators (the engine's inputs), in words.
SCORED_LABELS = {"tfr": N_("Total fertility rate"), "e0_male": N_("Men's life expectancy at birth"),
                 "e0_female": N_("Women's life expectancy at birth")}
#: Horizons the back-test's tables show (years).
SHOWN_HORIZONS = (1, 5, 10, 20, 30)


def scored_label(name: str, lang: str | None = None) -> str:
    """A scored quantity (:data:`SCORED`) in words."""
    return REGISTRY[name].label(lang) if name in REGISTRY else t(SCORED_LABELS[name], lang)
