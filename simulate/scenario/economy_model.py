"""The ``labour:``, ``economy:`` and ``targets:`` blocks of the scenario language.

Defaults describe the baseline: participation rates held at the jump-off's calibrated profile,
1,710 hours per worker, 2.8 % unemployment, labour productivity per hour growing 0.8 % a year.

"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (AfterValidator, BeforeValidator, Field, ValidationError, WithJsonSchema, field_validator,
                      ValidationInfo, model_validator)
from pydantic_core import PydanticCustomError

from simulate.calendar import SEED_YEAR
from simulate.indicators import NAMES, REGISTRY, first_year, unknown_indicator
from simulate.scenario.paths import bounded, path, path_description, path_type
from simulate.scenario.sections import Section
from simulate.text.messages import N_, in_use, t
from simulate.text.numbers import format_value, plain_factor

#: Labour-force age groups (OECD): 15-19 ... 70-74 and 75+.
LABOUR_GROUPS = ("15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59",
                 "60-64", "65-69", "70-74", "75+")
AGE_RANGE = re.compile(r"^(?P<lo>\d{2})-(?P<hi>\d{2})$|^(?P<open>\d{2})\+$")
#: Every age range :func:`groups_in` accepts: whole labour groups, closed ('65-74') or open ('65+').
AGE_RANGES = tuple(f"{lo}-{hi}" for lo in range(15, 75, 5) for hi in range(lo + 4, 75, 5)) + tuple(
    f"{lo}+" for lo in range(15, 80, 5))


def groups_in(ages: str) -> list[str]:
    """Labour groups covered by an age range such as ``"65-74"``, ``"25-44"``, ``"75+"`` or ``"65+"``."""
    match = AGE_RANGE.match(ages.strip())
    if not match:
        raise ValueError(t("age range {ages} is not like '65-74', '75+' or '65+'", ages=repr(ages)))
    starts = [int(g[:2]) for g in LABOUR_GROUPS]
    if match["open"]:
        first = int(match["open"])
        if first not in starts:
            raise ValueError(t("age range {ages} must start at a 5-year group start (15, 20, ..., 75)", ages=repr(ages)))
        return [g for g, s in zip(LABOUR_GROUPS, starts) if s >= first]
    lo, hi = int(match["lo"]), int(match["hi"])
    if lo not in starts[:-1] or (hi + 1) % 5 or not lo < hi or hi > 74:
        raise ValueError(t("age range {ages} must run from a 5-year group start (15, 20, ..., 70) to a group end "
                           "(19, 24, ..., 74), or be like '75+'", ages=repr(ages)))
    return [g for g, s in zip(LABOUR_GROUPS[:-1], starts[:-1]) if lo <= s <= hi]


class ParticipationChange(Section):
    """A change to participation rates of some sex x age groups, as an absolute path or a change."""

    sex: Literal["male", "female", "both"] = Field("both", description="Which sex the change applies to")
    ages: str = Field(description="Age range of whole 5-year groups, e.g. '65-74', '25-44' or '75+'")
    rate: path_type(0.0, 100.0, "%") | None = Field(None, description=path_description(
        0.0, 100.0, "%", "Participation rate path; before its first keyframe the calibrated rate "
        "is kept and the path starts from it"))
    change: path_type(-100.0, 100.0, "percentage points") | None = Field(None, description=path_description(
        -100.0, 100.0, "percentage points", "Change added to the calibrated rates, e.g. {2017: 0, 2040: 10}"))

    @field_validator("ages")
    @classmethod
    def _known_ages(cls, value: str) -> str:
        try:
            groups_in(value)
        except ValueError as error:
            raise PydanticCustomError("ages", str(error)) from None
        return value

    @model_validator(mode="after")
    def _one_form(self) -> ParticipationChange:
        if (self.rate is None) == (self.change is None):
            raise PydanticCustomError("participation", t("give exactly one of 'rate' or 'change'"))
        return self


class Reach(Section):
    """Shortcut: the combined rate of some older groups moves linearly from its value at ``start``
    (default: the last observed year) to ``rate`` (%) by ``by``, the same points added to each."""

    ages: str = Field("65-74", description="Older ages whose combined rate moves: whole groups from 60-64, "
                      "e.g. '65-74' (the default), '60-69', '70-74', '75+' or '65+'")
    sex: Literal["male", "female", "both"] = Field("both", description="Which sex (default both together)")
    rate: bounded(0.0, 100.0, "%", "Participation rate reached")
    by: int = Field(ge=2016, le=2300, description="Year the rate is reached [year]")
    start: int | None = Field(None, ge=2015, le=2300, description="Year the rise starts [year]; default: "
                              "the scenario's last observed year")

    @field_validator("ages")
    @classmethod
    def _older_ages(cls, value: str) -> str:
        try:
            groups = groups_in(value)
        except ValueError as error:
            raise PydanticCustomError("ages", str(error)) from None
        if int(groups[0][:2]) < 60:
            raise PydanticCustomError("ages", t("the seniors shortcut covers ages from 60: use 'participation' "
                                      "for younger groups"))
        return value


class Closing(Section):
    """Shortcut: a gap closes linearly between ``start`` (default: the last observed year) and ``by``
    (``share`` of it, default all)."""

    by: int = Field(ge=2016, le=2300, description="Year the gap is closed [year]")
    start: int | None = Field(None, ge=2015, le=2300, description="Year closing starts [year]; default: "
                              "the scenario's last observed year")
    share: bounded(0.0, 1.0, "fraction", "Share of the gap that closes", 1.0)


class Labour(Section):
    """Labour supply: participation by sex x 5-year group, hours per worker, unemployment."""

    participation: list[ParticipationChange] = Field(
        default_factory=list, description="Changes to the calibrated participation profile (2017 for "
        "census2015, 2024 for census2020), applied in order")
    seniors: Reach | None = Field(None, description="Older people (default: both sexes aged 65-74) reach a "
                                  "combined participation rate by a year")
    women_m_curve: Closing | None = Field(None, description="Women's M-curve closes: female rates 25-44 rise "
                                          "to the higher of the 25-29 and 45-49 rates")
    women_gap: Closing | None = Field(None, description="Female rates close (a share of) the gap to male rates, "
                                      "ages 15-64")
    hours: path(800.0, 3000.0, "hours per worker per year", "Hours actually worked per employed person", 1710.0)
    unemployment: path(0.0, 50.0, "% of labour force", "Unemployment rate; default 2.8, the 2017 Labour "
                       "Force Survey rate, held (observed years follow the surveys)", 2.8)
    old_age_threshold: Literal[65, 70, 75] = Field(65, description="Age from which people count as "
                                                   "elderly in workers_per_elderly [years: 65, 70 or 75]")


class ProductivityTarget(Section):
    """Productivity path reaching ``factor`` x its base-year level in ``year`` (constant growth from
    the base year)."""

    factor: bounded(0.1, 100.0, "x base-year level", "Productivity multiple reached")
    year: int = Field(ge=2018, le=2300, description="Year it is reached [year]")


#: Allowed productivity growth, % per year: for the path and for the growth a target implies.
PRODUCTIVITY_GROWTH_BOUNDS = (-10.0, 20.0)


#: Settings that only growth accounting uses (automation has its own refusal).
GROWTH_ACCOUNTING_ONLY = ("tfp_growth", "capital_share", "investment_rate", "depreciation", "capital_output_2017")


class Economy(Section):
    """Output: productivity x hours, or Cobb-Douglas growth accounting with automation."""

    mode: Literal["productivity", "growth_accounting"] = Field(
        "productivity", description="'productivity': GDP = productivity per hour x hours; "
        "'growth_accounting': Cobb-Douglas with TFP, capital and automation")
    productivity_growth: path(*PRODUCTIVITY_GROWTH_BOUNDS, "% per year", "Growth of labour productivity per hour "
                              "(productivity mode)", 0.8)
    productivity_target: ProductivityTarget | None = Field(
        None, description="Alternative to productivity_growth: reach a multiple of the base-year level by a year")
    gdp_2018_usd_bn: bounded(100.0, 100000.0, "USD bn (2018)", "GDP level of 2018, the constant-price base", 5063.0)
    tfp_growth: path_type(-10.0, 20.0, "% per year") | None = Field(None, description=path_description(
        -10.0, 20.0, "% per year", "Total factor productivity growth (growth accounting); default: "
        "the rate that makes output per hour grow as productivity_growth"))
    capital_share: bounded(0.05, 0.95, "fraction", "Capital share of income alpha (growth accounting)", 0.35)
    investment_rate: path_type(0.0, 60.0, "% of GDP") | None = Field(None, description=path_description(
        0.0, 60.0, "% of GDP", "Gross investment, accumulated with depreciation (growth accounting); "
        "default: capital grows with output (capital-output ratio held at its base-year value)"))
    depreciation: bounded(0.0, 30.0, "% per year", "Depreciation rate of capital (growth accounting)", 7.0)
    capital_output_2017: bounded(0.5, 10.0, "years of GDP", "Capital-output ratio in the base year "
                                 "(2017 for census2015)", 2.6)
    automation: path(0.0, 100.0, "% of base-year hours worked", "Automation: hours of work done by machines, "
                     "added to effective labour input (growth accounting)", 0.0)

    @field_validator(*GROWTH_ACCOUNTING_ONLY, mode="after")
    @classmethod
    def _used_by_the_mode(cls, value: Any, info: ValidationInfo) -> Any:
        """A growth-accounting setting changed in productivity mode would be ignored: refuse it."""
        if info.data.get("mode", "productivity") == "productivity" and value != cls.model_fields[info.field_name].default:
            raise PydanticCustomError("growth_accounting_only", t(
                "only 'mode: growth_accounting' uses {name}, and this economy's mode is 'productivity': "
                "write 'mode: growth_accounting' beside it, or leave it out"), {"name": info.field_name})
        return value

    @model_validator(mode="after")
    def _automation_needs_growth_accounting(self) -> Economy:
        if self.mode == "productivity" and any(self.automation.values()):
            raise PydanticCustomError("automation", t("automation needs 'mode: growth_accounting'"))
        return self

    @model_validator(mode="after")
    def _tfp_within_productivity_bounds(self) -> Economy:
        """TFP growth g means output per hour grows (1 + g)^(1 / (1 - capital_share)) - 1 on a balanced
        path: that derived rate must respect productivity_growth's bounds too."""
        if self.mode != "growth_accounting" or self.tfp_growth is None:
            return self
        low, high = PRODUCTIVITY_GROWTH_BOUNDS
        for tfp in (min(self.tfp_growth.values()), max(self.tfp_growth.values())):
            implied = 100.0 * ((1.0 + tfp / 100.0) ** (1.0 / (1.0 - self.capital_share)) - 1.0)
            if not low <= implied <= high:
                raise PydanticCustomError(
                    "tfp_growth", t("tfp_growth {tfp} % a year with capital_share {share} means output per hour "
                    "changes {implied} % a year on a balanced path; productivity growth is allowed {low} to "
                    "{high} % per year"), {"tfp": f"{tfp:g}", "share": f"{self.capital_share:g}",
                                           "implied": f"{implied:,.1f}", "low": f"{low:g}", "high": f"{high:g}"})
        return self


TARGET = re.compile(r"^\s*(?P<metric>[a-z0-9_]+)\s*@\s*(?P<year>\d{4})\s*(?P<op>>=|<=)\s*"
                    r"(?P<value>[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?)\s*(x\s*(?P<rel>\d{4}|base))?\s*$")


#: Largest target value accepted, in size (GDP, the largest indicator, is about 4,000 USD bn).
MAX_TARGET = 1e15


class Target(Section):
    """A target such as ``gdp_per_capita@2040>=1.3x2017``: metric, year, >= or <=, absolute value or
    a multiple of the value in a reference year (``xYYYY``, or ``xbase`` for the scenario's base year)."""

    metric: str = Field(description="An indicators.csv column, e.g. labour_force or gdp_per_capita",
                        json_schema_extra={"enum": list(NAMES)})
    year: int = Field(ge=2016, le=2300, description="Year the target applies to [year]")
    op: Literal[">=", "<="] = Field(">=", description="Direction")
    value: float = Field(description="Target value (absolute, or a multiple of the reference year's value)")
    relative_to_2017: bool = Field(False, description="True: value is a multiple of the 2017 value "
                                   "(same as relative_to: 2017)")
    relative_to: int | Literal["base"] | None = Field(None, description="Reference year of a relative target "
                                                      "[year], or 'base' for the scenario's base_year")

    @field_validator("value")
    @classmethod
    def _plausible_value(cls, value: float) -> float:
        if not abs(value) <= MAX_TARGET:  # NaN and infinities too
            raise PydanticCustomError("target_value", t(
                "a target value must be a number no larger than {limit} in size (no indicator comes near it)",
                limit=f"{MAX_TARGET:,.0f}"))
        return value

    @classmethod
    def parse(cls, text: str) -> Target:
        """Parse ``METRIC@YEAR>=VALUE``, ``...>=1.5x2017`` or ``...>=1.5xbase``; ValueError if malformed."""
        match = TARGET.match(text)
        if not match:
            cut = re.fullmatch(r"\s*[A-Za-z0-9_]+@\d{4}\s*", text)  # 'labour_force@2040>=60e6' unquoted in a shell
            hint = t(": the shell took '>' as a redirection (and wrote a file named '=...'); put the target in "
                     "quotes: --target '{target}>=VALUE'", target=text.strip()) if cut else ""
            raise ValueError(t("target {target} is not like 'labour_force@2040>=60e6', 'gdp@2040>=1.2x2017' or "
                               "'gdp@2040>=1.2xbase'", target=repr(text)) + hint)
        rel = match["rel"]
        try:
            target = cls(metric=match["metric"], year=int(match["year"]), op=match["op"], value=float(match["value"]),
                         relative_to=None if rel is None else rel if rel == "base" else int(rel))
        except ValidationError as error:  # one plain line, never pydantic's report with its links
            first = error.errors()[0]
            # (no message inside an f-string: Python 3.12 and later tokenise it, and the extractor
            # then finds a message that 3.11's never saw)
            where = ".".join(map(str, first["loc"]))
            raise ValueError(t("target {target}: {problem}", target=repr(text), problem=f"{where}: {first['msg']}")) \
                from None
        return _known_metric(target)

    def year_problem(self, jump_off_year: int, horizon: int, base_year: int, named: bool = True) -> str | None:
        """Why this target cannot be judged in a run from ``jump_off_year`` to ``horizon`` (one
        phrase), or None: a year outside the run, or a flow asked for in the census year itself."""
        for year, what in ((self.year, N_("year {year}")), (self.reference_year(base_year), N_("reference year {year}"))):
            if year is None:
                continue
            first = first_year(self.metric, jump_off_year)
            if not first <= year <= horizon:
                why = (t("{metric} counts the year to 1 October, so the run's first value is {first}, the year after "
                         "the census", metric=self.metric, first=first) if year == jump_off_year and first > jump_off_year
                       else t("the run covers {first}-{last}", first=first, last=horizon))
                problem = t("{what} has no value: {why}", what=t(what, year=year), why=why)
                return t("target {target}: {problem}", target=self, problem=problem) if named else problem
        return None

    def reference_year(self, base_year: int) -> int | None:
        """The year whose value a relative target multiplies (None for an absolute target)."""
        if self.relative_to_2017:
            return SEED_YEAR
        return base_year if self.relative_to == "base" else self.relative_to

    def phrase(self, lang: str | None = None, base_year: int | None = None, threshold: float | None = None) -> str:
        """The target for a person: 'Labour force in 2040 ≥ 60.00 M', 'GDP in 2040 ≥ 1.2 × 2017', and
        with the absolute ``threshold`` of a relative target, 'GDP in 2040 ≥ 1.2 × 2017 = USD 5,929 bn'."""
        rel = (self.reference_year(base_year) if base_year is not None
               else SEED_YEAR if self.relative_to_2017 else self.relative_to)
        shown = lambda value: format_value(self.metric, value, lang or in_use(), base_year)  # noqa: E731
        factor = {"factor": plain_factor(self.value), "year": rel}
        relative, value = (("", shown(self.value)) if rel is None
                           else ("", t("{factor} × {year}", lang, **factor)) if threshold is None
                           else (t("{factor} × {year} = ", lang, **factor), shown(threshold)))
        return t("{indicator} in {year} {sign} {relative}{value}", lang, indicator=REGISTRY[self.metric].label(lang),
                 year=self.year, sign="≥" if self.op == ">=" else "≤", relative=relative, value=value)

    def __str__(self) -> str:
        rel = SEED_YEAR if self.relative_to_2017 else self.relative_to
        value = f"{self.value:.12g}" if "e" not in f"{self.value:.12g}" else f"{self.value:.12f}".rstrip("0").rstrip(".")
        return f"{self.metric}@{self.year}{self.op}{value}" + ("" if rel is None else f"x{rel}")


def _target_from_text(value: object) -> object:
    if isinstance(value, str):
        try:
            return Target.parse(value).model_dump()
        except ValueError as error:
            raise PydanticCustomError("target", str(error)) from None
    return value


def _known_metric(target: Target) -> Target:
    message = unknown_indicator(target.metric)
    if message:
        raise PydanticCustomError("target", t("target {target}: {message}"), {"target": str(target), "message": message})
    return target


TargetSpec = Annotated[Target, BeforeValidator(_target_from_text), AfterValidator(_known_metric), WithJsonSchema({
    "anyOf": [{"type": "string", "pattern": re.sub(r"\(\?P<\w+>", "(", TARGET.pattern).replace(
        "([a-z0-9_]+)", "(" + "|".join(NAMES) + ")")}, Target.model_json_schema()],
    "description": "'METRIC@YEAR>=VALUE' (VALUE may be 'Fx2017', any 'FxYYYY', or 'Fxbase' for the base "
                   "year) or a mapping with metric, year, op, value, relative_to"})]
