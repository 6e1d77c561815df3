"""The scenario language as pydantic models.  Every default is the baseline (IPSS 2017 medium).

Each field carries a description and a unit; ``python run.py schema`` prints the JSON Schema that
editors use for autocompletion (shipped as ``scenarios/scenario.schema.json``).
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, ValidationInfo, WithJsonSchema, field_validator, model_validator
from pydantic_core import PydanticCustomError

from simulate.calendar import BASES, DEFAULT_BASIS, history_end, last_observed_year
from simulate.data import observed as data_observed
from simulate.names import NAME_PATTERN, NAME_RULE, RESERVED, name_problem
from simulate.scenario.care_model import Care
from simulate.scenario.economy_model import PRODUCTIVITY_GROWTH_BOUNDS, Economy, Labour, TargetSpec
from simulate.scenario.sections import Section, Words, in_language
from simulate.text.messages import in_use, t
from simulate.text.reprs import html_view, short_repr
from simulate.scenario.uncertainty_model import Uncertainty
from simulate.scenario.paths import (bounded, fold_history, is_keyframes, path, path_description, path_type,
                                    resolve_starts)

#: IPSS 2017 medium-fertility TFR keyframes (IPSS report: 1.45 in 2015, 1.42 in 2024, 1.43 in 2035,
#: 1.44 in 2065).  The baseline's history ends in 2017, so its paths start there, at IPSS's path
#: interpolated to 2017 (keyframes inside a history are folded the same way:
#: :func:`~simulate.scenario.paths.fold_history`); history itself is data.
BASELINE_TFR = {2017: 1.4433, 2024: 1.42, 2035: 1.43, 2065: 1.44}
#: IPSS 2017 medium-mortality life expectancy at birth.  2040 and 2065 are the published values
#: (2015: 80.75 / 86.98); the others approximate the published curve (improvement slowing over time).
BASELINE_E0_MALE = {2017: 80.986, 2020: 81.34, 2025: 81.89, 2030: 82.39, 2035: 82.85, 2040: 83.27,
                    2050: 84.02, 2065: 84.95}
BASELINE_E0_FEMALE = {2017: 87.244, 2020: 87.64, 2025: 88.24, 2030: 88.79, 2035: 89.28, 2040: 89.63,
                      2050: 90.40, 2065: 91.35}
#: Net international migration, persons per year: IPSS assumes net non-Japanese in-migration
#: converging to about 69,000 a year by 2035 (70,000 in 2015), with small net Japanese out-migration.
BASELINE_NET_MIGRATION = {2017: 69_900, 2035: 69_000}

#: Uncertainty around the baseline, inherited by every scenario (see scenarios/baseline.yaml).
BASELINE_UNCERTAINTY = {"parameters": {
    "tfr_shift": {"shift": "fertility.tfr", "distribution": "truncnormal", "mean": 0.0, "sd": 0.12,
                  "low": -0.3, "high": 0.3},
    "e0_male_gain": {"stretch": "mortality.e0.male", "distribution": "normal", "mean": 1.0, "sd": 0.13},
    "e0_female_gain": {"stretch": "mortality.e0.female", "distribution": "normal", "mean": 1.0, "sd": 0.13},
    "migration_scale": {"scale": "migration.net", "distribution": "lognormal", "median": 1.0, "sigma": 0.35},
    "productivity_shift": {"shift": "economy.productivity_growth", "distribution": "normal", "mean": 0.0,
                           "sd": 0.4},
}}

#: Defaults of the Rogers-Castro migration profile (:func:`simulate.demography.migration.rogers_castro`);
#: the scenario language can override each.
DEFAULT_PROFILE = {
    "child_level": 0.02,      # a1: level of the childhood component
    "child_decline": 0.10,    # alpha1: its rate of decline per year of age
    "peak_level": 0.06,       # a2: level of the labour-force component
    "peak_age": 20.0,         # mu2: its location (years)
    "peak_decline": 0.12,     # alpha2: rate of decline after the peak
    "peak_rise": 0.40,        # lambda2: rate of rise before the peak
    "constant": 0.002,        # c: constant component
    "male_share": 0.52,       # share of net migrants who are male
}


#: Profile shapes a scenario can name (``migration.profile.shape``).
SHAPES = ("ipss2017", "rogers_castro")
DEFAULT_SHAPE = "rogers_castro"


#: Fields whose defaults come from the jump-off (:class:`simulate.calendar.Basis`) when not written.
BASIS_DEFAULTS = ("observed_until", "base_year", "report_years")


class Fertility(Section):
    """Births: the HFD age schedule scaled to the TFR path."""

    tfr: path(0.0, 8.0, "children per woman", "Total fertility rate", BASELINE_TFR)
    mean_age_shift: path(-10.0, 10.0, "years", "Shift of the age schedule of fertility relative to "
                         "Japan 2015 (mean age 31.7); positive = later childbearing", 0.0)
    sex_ratio_at_birth: bounded(90.0, 120.0, "boys per 100 girls", "Sex ratio at birth", 105.2)
    foreign_fertility: bounded(0.0, 3.0, "times the TFR's rates", "Fertility of women who are not Japanese "
                               "nationals (at the census, and net migrants since), relative to the TFR, "
                               "which is that of Japanese women; not written: measured from the 2015 census "
                               "and the births to residents who are not nationals (about 0.39)", None,
                               optional=True)


class LifeExpectancy(Section):
    """Life expectancy at birth per sex."""

    male: path(20.0, 120.0, "years", "Male life expectancy at birth", BASELINE_E0_MALE)
    female: path(20.0, 120.0, "years", "Female life expectancy at birth", BASELINE_E0_FEMALE)


class Mortality(Section):
    """Death rates: base 2015 rates improved with the Lee-Carter age pattern."""

    e0: LifeExpectancy = Field(default_factory=LifeExpectancy,
                               description="Life expectancy at birth path per sex [years]")
    improvement: path_type(-5.0, 10.0, "% per year") | None = Field(None, description=path_description(
        -5.0, 10.0, "% per year", "Alternative to e0: average annual rate of decline of death rates "
        "from 2015, both sexes; when set, e0 is ignored"))


class MigrationProfile(Section):
    """Shape of net migration by sex and age: implied by IPSS 2017 (signed shares) or Rogers-Castro."""

    shape: Literal[SHAPES] = Field(DEFAULT_SHAPE, description="'ipss2017': net migration by sex and age "
                                   "implied by IPSS 2017 medium (mostly aged 15-29, small outflows from the "
                                   "mid-thirties; the parameters below are not used); 'rogers_castro': the "
                                   "parametric schedule below, positive at every age")
    male_share: bounded(0.0, 1.0, "fraction", "Share of net migrants who are male",
                        DEFAULT_PROFILE["male_share"])
    peak_age: bounded(10.0, 50.0, "years", "Age at the labour-force peak", DEFAULT_PROFILE["peak_age"])
    peak_level: bounded(0.0, 1.0, "relative level", "Height of the labour-force component",
                        DEFAULT_PROFILE["peak_level"])
    peak_rise: bounded(0.01, 2.0, "per year of age", "Rate of rise before the peak",
                       DEFAULT_PROFILE["peak_rise"])
    peak_decline: bounded(0.01, 2.0, "per year of age", "Rate of decline after the peak",
                          DEFAULT_PROFILE["peak_decline"])
    child_level: bounded(0.0, 1.0, "relative level", "Height of the childhood component",
                         DEFAULT_PROFILE["child_level"])
    child_decline: bounded(0.0, 2.0, "per year of age", "Rate of decline of the childhood component",
                           DEFAULT_PROFILE["child_decline"])
    constant: bounded(0.0, 1.0, "relative level", "Constant component (all ages)",
                      DEFAULT_PROFILE["constant"])

    @field_validator(*(k for k in DEFAULT_PROFILE), mode="after")
    @classmethod
    def _used_by_the_shape(cls, value: float, info: ValidationInfo) -> float:
        """A Rogers-Castro parameter changed under another shape would be ignored: refuse it."""
        shape = info.data.get("shape", DEFAULT_SHAPE)
        if shape != "rogers_castro" and value != DEFAULT_PROFILE[info.field_name]:
            raise PydanticCustomError("profile_unused", t("only the 'rogers_castro' shape uses {name}, and this "
                                      "profile's shape is '{shape}': write 'shape: rogers_castro' beside it, or "
                                      "leave it out"), {"name": info.field_name, "shape": shape})
        return value

    @model_validator(mode="after")
    def _has_mass(self) -> MigrationProfile:
        if self.peak_level + self.child_level + self.constant <= 0:
            raise PydanticCustomError("profile", t("peak_level, child_level and constant cannot all be 0"))
        return self


class Migration(Section):
    """Net international migration."""

    net: path(-1_000_000.0, 5_000_000.0, "persons per year", "Net international migrants",
              BASELINE_NET_MIGRATION)
    profile: MigrationProfile = Field(default_factory=MigrationProfile,
                                      description="Age-sex profile of net migrants")


def _checked_name(value: str) -> str:
    problem = name_problem(value)
    if problem:
        raise PydanticCustomError("name", problem)
    return value


#: What a scenario name may be: it names a folder (:mod:`simulate.names`).
ScenarioName = Annotated[str, AfterValidator(_checked_name),
                         WithJsonSchema({"type": "string", "pattern": NAME_PATTERN, "not": {"enum": list(RESERVED)},
                                         "description": f"Output folder name: {NAME_RULE}"}),
                         Field(description=f"Output folder name: {NAME_RULE}")]


#: Paths that observations continue: where a scenario's keyframes all lie after the history, the
#: path ramps from the value observed in the history end (:func:`ramp_from_observed`).
#: Setting path -> column of :func:`simulate.data.observed`.
OBSERVED_PATHS = {("fertility", "tfr"): "tfr", ("mortality", "e0", "male"): "e0_male",
                  ("mortality", "e0", "female"): "e0_female"}


def _at(data: Any, where: tuple[str, ...]) -> Any:
    """The value at key path ``where`` in nested dicts, or None."""
    for key in where:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _with(data: dict, where: tuple[str, ...], value: Any) -> dict:
    """A copy of ``data`` with ``value`` at key path ``where`` (the dicts on the way copied, never changed)."""
    return data | {where[0]: value if len(where) == 1 else _with(data[where[0]], where[1:], value)}


def ramp_from_observed(data: dict, end: int) -> dict:
    """Scenario data in which each of :data:`OBSERVED_PATHS` written only as keyframes after the
    history ``end`` starts from the value observed in ``end``: ``{2040: 1.6}`` on a history to 2024
    becomes ``{2024: 1.15, 2040: 1.6}``, a ramp rather than a step in 2025.  A number, ``start:
    hold`` (a keyframe at 1950) or a keyframe at or before ``end`` sets the start itself."""
    observed = data_observed()
    for where, column in OBSERVED_PATHS.items():
        frames = _at(data, where)
        if is_keyframes(frames) and min(frames) > end and end in observed.index:
            data = _with(data, where, {end: float(observed.at[end, column])} | frames)
    return data


class Scenario(Section):
    """A complete, validated scenario.  Build it with :func:`simulate.scenario.load_scenario`.

    Years up to :attr:`history_end` are observed history: they come from data, whatever the
    scenario says; its paths, levers and draws act on later years only.
    """

    extends: str | None = Field(None, description="Parent scenario: a name in the same folder "
                                "(e.g. baseline) or a relative path; this file overrides only what it names")
    name: ScenarioName = "baseline"
    title: str | Words | None = Field(None, description="One-line title for tables and reports: text, or "
                                      "{en: ..., ja: ...} in both languages")
    description: str | Words = Field("", description="What the scenario assumes and why: text, or "
                                     "{en: ..., ja: ...} in both languages")
    jump_off: str = Field(DEFAULT_BASIS, description="Jump-off census: 'census2015' (the IPSS 2017 base; "
                          "the seed's figures) or 'census2020' (the IPSS 2023 base)")
    observed_until: int | None = Field(None, json_schema_extra={"minimum": 2015, "maximum": 2300},
                                       description="Last year of observed history [year]: up to it the "
                                       "run follows the observations (TFR, life expectancy, population totals); "
                                       "assumptions act only on later years. Default: 2017 for census2015, 2020 "
                                       "for census2020; at most the newest observed year")
    counterfactual_past: bool = Field(False, description="True: ignore the observations and apply this "
                                      "scenario's assumptions from the census on (a 'what if' about the past); "
                                      "keyframes before observed_until are then allowed")
    horizon: int = Field(2065, ge=2016, le=2300, description="Last projected year [year; 2016 to 2300]")
    base_year: int | None = Field(None, json_schema_extra={"minimum": 2015, "maximum": 2300},
                                  description="Index base year (indices = 100) and the year targets "
                                  "written 'xbase' refer to [year]. Default: 2017 for census2015, 2024 for census2020")
    report_years: list[Annotated[int, Field(ge=1950, le=2300)]] | None = Field(
        None, description="Years shown in tables and reports [year]. Default: 2017, 2030, 2035, 2040 for "
        "census2015; 2024, 2030, 2035, 2040 for census2020")
    fertility: Fertility = Field(default_factory=Fertility, description="Births: TFR path, age pattern, sex ratio")
    mortality: Mortality = Field(default_factory=Mortality, description="Deaths: life expectancy path per sex")
    migration: Migration = Field(default_factory=Migration, description="Net international migration and its profile")
    labour: Labour = Field(default_factory=Labour, description="Participation, hours, unemployment")
    economy: Economy = Field(default_factory=Economy, description="Productivity or growth accounting")
    care: Care = Field(default_factory=Care, description="Care needs, care workers and social-security benefits")
    uncertainty: Uncertainty = Field(default_factory=lambda: Uncertainty.model_validate(BASELINE_UNCERTAINTY),
                                     description="Distributions for ensembles and sensitivity analysis")
    targets: list[TargetSpec] = Field(default_factory=list, description="Targets checked after a run "
                                      "and solved for by 'backcast', e.g. 'labour_force@2040>=60e6'")

    @model_validator(mode="before")
    @classmethod
    def _calendar(cls, data: Any) -> Any:
        """Fill the jump-off's defaults, then fold keyframes inside history into one at its end."""
        if not isinstance(data, dict):
            return data
        basis = BASES.get(data.get("jump_off") or DEFAULT_BASIS)
        if basis is None:
            return data  # reported by the jump_off validator
        data = dict(data)
        for key in BASIS_DEFAULTS:
            if data.get(key) is None:
                value = getattr(basis, key)
                data[key] = list(value) if isinstance(value, tuple) else value
        data = resolve_starts(data)
        observed = data["observed_until"]
        if isinstance(observed, int) and not isinstance(observed, bool):
            counterfactual = data.get("counterfactual_past") is True
            if not counterfactual:
                data = fold_history(data, observed)
            data = ramp_from_observed(data, history_end(basis.name, observed, counterfactual))
        return data

    @field_validator("jump_off")
    @classmethod
    def _known_jump_off(cls, name: str) -> str:
        if name not in BASES:
            close = difflib.get_close_matches(name, list(BASES), n=1)
            hint = t("did you mean '{name}'? ", name=close[0]) if close else ""
            raise PydanticCustomError("jump_off", t("unknown jump-off '{name}': {hint}choose one of {names}"),
                                      {"name": name, "hint": hint, "names": ", ".join(BASES)})
        return name

    @field_validator("observed_until")
    @classmethod
    def _observed_in_data(cls, year: int, info: ValidationInfo) -> int:
        basis = BASES.get(info.data.get("jump_off"))
        last = last_observed_year()
        if basis is not None and year < basis.jump_off_year:
            raise PydanticCustomError("observed_until", t("observed_until {year} is before the jump-off census "
                                      "({first})"), {"year": year, "first": basis.jump_off_year})
        if year > last:
            raise PydanticCustomError("observed_until", t("observed_until {year} is beyond the data: observations "
                                      "run to {last}"), {"year": year, "last": last})
        return year

    @field_validator("horizon")
    @classmethod
    def _horizon_after_history(cls, year: int, info: ValidationInfo) -> int:
        end = info.data.get("observed_until")
        if end is not None and year <= end and not info.data.get("counterfactual_past"):
            raise PydanticCustomError("horizon", t("horizon {year} must be after the last observed year {end}"),
                                      {"year": year, "end": end})
        return year

    @field_validator("base_year")
    @classmethod
    def _base_after_jump_off(cls, year: int, info: ValidationInfo) -> int:
        basis = BASES.get(info.data.get("jump_off"))
        if basis is not None and year < basis.jump_off_year:
            raise PydanticCustomError("base_year", t("base year {year} is before the jump-off census ({first})"),
                                      {"year": year, "first": basis.jump_off_year})
        if year > info.data.get("horizon", 2300):
            raise PydanticCustomError("base_year", t("base year {year} is after the horizon"), {"year": year})
        return year

    @field_validator("report_years")
    @classmethod
    def _report_years_in_horizon(cls, years: list[int], info: ValidationInfo) -> list[int]:
        if not years:
            raise PydanticCustomError("report_years", t("give at least one year, or leave report_years out for "
                                      "the jump-off's default"))
        horizon = info.data.get("horizon")
        late = [y for y in years if horizon is not None and y > horizon]
        if late:
            raise PydanticCustomError("report_years", t("report years {late} are after the horizon {h}"),
                                      {"late": str(late), "h": horizon})
        basis = BASES.get(info.data.get("jump_off"))
        early = [y for y in years if basis is not None and y < basis.jump_off_year]
        if early:
            raise PydanticCustomError("report_years", t("report years {early} are before the jump-off census ({first})"),
                                      {"early": str(early), "first": basis.jump_off_year})
        return years

    @field_validator("economy")
    @classmethod
    def _productivity_target_in_bounds(cls, economy: Economy, info: ValidationInfo) -> Economy:
        """A productivity target implies a growth rate: it must respect productivity_growth's bounds."""
        target, base = economy.productivity_target, info.data.get("base_year")
        if target is None or base is None:
            return economy
        if target.year <= base:
            raise PydanticCustomError("productivity_target", t("productivity_target year {year} must be after the "
                                      "base year {base}"), {"year": target.year, "base": base})
        low, high = PRODUCTIVITY_GROWTH_BOUNDS
        growth = 100.0 * (target.factor ** (1.0 / (target.year - base)) - 1.0)
        if not low <= growth <= high:
            raise PydanticCustomError(
                "productivity_target", t("productivity_target x{factor} by {year} means {growth} % growth a year "
                "from {base}; productivity growth is allowed {low} to {high} % per year: choose a smaller factor "
                "or a later year"), {"factor": f"{target.factor:g}", "year": target.year, "base": base,
                                    "growth": f"{growth:,.1f}", "low": f"{low:g}", "high": f"{high:g}"})
        return economy

    @field_validator("targets")
    @classmethod
    def _targets_after_jump_off(cls, targets: list, info: ValidationInfo) -> list:
        basis = BASES.get(info.data.get("jump_off"))
        if basis is None:
            return targets
        for target in targets:
            problem = target.year_problem(basis.jump_off_year, info.data.get("horizon", 2300),
                                          info.data.get("base_year") or basis.base_year)
            if problem:
                raise PydanticCustomError("target", t("{problem}"), {"problem": problem})
        return targets

    @property
    def basis(self):
        """The jump-off :class:`~simulate.calendar.Basis`."""
        return BASES[self.jump_off]

    @property
    def history_end(self) -> int:
        """Last year that comes from data: ``observed_until``, or the census year for a counterfactual past."""
        return history_end(self.jump_off, self.observed_until, self.counterfactual_past)

    @property
    def calendar_key(self) -> tuple[int, str, int, int]:
        """Scenarios with equal keys share one engine batch: horizon, jump-off, history end, base year."""
        return (self.horizon, self.jump_off, self.history_end, self.base_year)

    @property
    def label(self) -> str:
        """Title if given, else the name, in the language in use (:func:`simulate.text.messages.in_use`)."""
        return self.label_in(in_use())

    def label_in(self, lang: str) -> str:
        """Title in ``lang`` if given (a title in one language serves both), else the name."""
        return in_language(self.title, lang) or self.name

    def description_in(self, lang: str) -> str:
        """The description in ``lang`` (a description in one language serves both)."""
        return in_language(self.description, lang)

    def summary(self) -> str:
        """The scenario in a few words: 'current "Current (...)": census2020, observed to 2024, horizon 2070'."""
        return (f"{self.name} \"{self.label_in('en')}\": {self.jump_off}, observed to {self.history_end}, "
                f"horizon {self.horizon}")

    def __repr__(self) -> str:
        return short_repr(f"<Scenario {self.summary()}>")

    def _repr_html_(self) -> str:
        return html_view(repr(self))



@lru_cache(maxsize=1)
def _schema() -> dict:
    return Scenario.model_json_schema()


def setting_unit(path: str) -> str | None:
    """The unit word of a numeric setting, as its description states it (``[children per woman;
    0.5 to 4.0]``): ``setting_unit("fertility.tfr.2040") == "children per woman"``; None if the
    path names no numeric setting.  Keyframe years and list positions in the path are skipped."""
    schema = _schema()
    node: dict = schema

    def resolved(item: dict) -> dict:
        while "$ref" in item:
            item = schema["$defs"][item["$ref"].rsplit("/", 1)[-1]]
        for key in ("anyOf", "allOf"):  # an optional section: its one mapping form
            forms = [resolved(f) for f in item.get(key, []) if "$ref" in f or f.get("type") == "object"]
            if "properties" not in item and len(forms) == 1:
                return forms[0]
        return item

    for part in path.split("."):
        node = resolved(node)
        if part.isdigit():
            if node.get("type") == "array":
                node = node.get("items", {})
            continue
        properties = node.get("properties", {})
        if part not in properties:
            return None
        described = properties[part].get("description", "")
        node = properties[part]
    match = re.search(r"\[([^;\]]+); [-0-9.e+]+ to [-0-9.e+]+\]", described)
    return match.group(1) if match else None
