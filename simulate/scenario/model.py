"""The scenario language as pydantic models.  Every default is the baseline (IPSS 2017 medium).

Each field carries a description and a unit; ``python run.py schema`` prints the JSON Schema that
editors use for autocompletion (shipped as ``scenarios/scenario.schema.json``).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from simulate.demography.migration import DEFAULT_PROFILE
from simulate.scenario.economy_model import Economy, Labour, TargetSpec
from simulate.scenario.sections import Section
from simulate.scenario.uncertainty_model import Uncertainty
from simulate.scenario.paths import bounded, path, path_description, path_type

#: IPSS 2017 medium-fertility TFR keyframes (IPSS report: 1.45 in 2015, 1.42 in 2024, 1.43 in 2035,
#: 1.44 in 2065).
BASELINE_TFR = {2015: 1.45, 2024: 1.42, 2035: 1.43, 2065: 1.44}
#: IPSS 2017 medium-mortality life expectancy at birth.  2015, 2040 and 2065 are the published
#: values; the others approximate the published curve (improvement slowing over time).
BASELINE_E0_MALE = {2015: 80.75, 2020: 81.34, 2025: 81.89, 2030: 82.39, 2035: 82.85, 2040: 83.27,
                    2050: 84.02, 2065: 84.95}
BASELINE_E0_FEMALE = {2015: 86.98, 2020: 87.64, 2025: 88.24, 2030: 88.79, 2035: 89.28, 2040: 89.63,
                      2050: 90.40, 2065: 91.35}
#: Net international migration, persons per year: IPSS assumes net non-Japanese in-migration
#: converging to about 69,000 a year by 2035, with small net Japanese out-migration.
BASELINE_NET_MIGRATION = {2015: 70_000, 2035: 69_000}

#: Uncertainty around the baseline, inherited by every scenario (see scenarios/baseline.yaml).
BASELINE_UNCERTAINTY = {"parameters": {
    "tfr_shift": {"shift": "fertility.tfr", "distribution": "truncnormal", "mean": 0.0, "sd": 0.12,
                  "low": -0.3, "high": 0.3},
    "e0_male_gain": {"stretch": "mortality.e0.male", "distribution": "normal", "mean": 1.0, "sd": 0.13},
    "e0_female_gain": {"stretch": "mortality.e0.female", "distribution": "normal", "mean": 1.0, "sd": 0.13},
    "migration_scale": {"scale": "migration.net", "distribution": "lognormal", "median": 1.0, "sigma": 0.35},
    "productivity_shift": {"shift": "economy.productivity_growth", "distribution": "normal", "mean": 0.0,
                           "sd": 0.4},
    "seniors_uplift": {"lever": "seniors_uplift", "year": 2040, "distribution": "uniform", "low": 0.0,
                       "high": 10.0},
}}

DEFAULT_REPORT_YEARS = [2017, 2030, 2035, 2040]
JUMP_OFF_YEAR = 2015


class Fertility(Section):
    """Births: the HFD age schedule scaled to the TFR path."""

    tfr: path(0.0, 8.0, "children per woman", "Total fertility rate", BASELINE_TFR)
    mean_age_shift: path(-10.0, 10.0, "years", "Shift of the age schedule of fertility relative to "
                         "Japan 2015 (mean age 31.7); positive = later childbearing", 0.0)
    sex_ratio_at_birth: bounded(90.0, 120.0, "boys per 100 girls", "Sex ratio at birth", 105.2)


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
    """Rogers-Castro shape of net migration by age, and its split by sex."""

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

    @model_validator(mode="after")
    def _has_mass(self) -> MigrationProfile:
        if self.peak_level + self.child_level + self.constant <= 0:
            raise PydanticCustomError("profile", "peak_level, child_level and constant cannot all be 0")
        return self


class Migration(Section):
    """Net international migration."""

    net: path(-1_000_000.0, 5_000_000.0, "persons per year", "Net international migrants",
              BASELINE_NET_MIGRATION)
    profile: MigrationProfile = Field(default_factory=MigrationProfile,
                                      description="Age-sex profile of net migrants")


ScenarioName = Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,64}$",
                                    description="Output folder name: lower-case letters, digits, _ and -")]


class Scenario(Section):
    """A complete, validated scenario.  Build it with :func:`simulate.scenario.load_scenario`."""

    extends: str | None = Field(None, description="Parent scenario: a name in the same folder "
                                "(e.g. baseline) or a relative path; this file overrides only what it names")
    name: ScenarioName = "baseline"
    title: str | None = Field(None, description="One-line title for tables and reports")
    description: str = Field("", description="What the scenario assumes and why")
    horizon: int = Field(2065, ge=2016, le=2300, description="Last projected year [year; 2016 to 2300]")
    report_years: list[Annotated[int, Field(ge=JUMP_OFF_YEAR, le=2300)]] = Field(
        default_factory=lambda: list(DEFAULT_REPORT_YEARS),
        description="Years shown in tables and reports [year]")
    fertility: Fertility = Field(default_factory=Fertility, description="Births: TFR path, age pattern, sex ratio")
    mortality: Mortality = Field(default_factory=Mortality, description="Deaths: life expectancy path per sex")
    migration: Migration = Field(default_factory=Migration, description="Net international migration and its profile")
    labour: Labour = Field(default_factory=Labour, description="Participation, hours, unemployment")
    economy: Economy = Field(default_factory=Economy, description="Productivity or growth accounting")
    uncertainty: Uncertainty = Field(default_factory=lambda: Uncertainty.model_validate(BASELINE_UNCERTAINTY),
                                     description="Distributions for ensembles and sensitivity analysis")
    targets: list[TargetSpec] = Field(default_factory=list, description="Targets checked after a run "
                                      "and solved for by 'backcast', e.g. 'labour_force@2040>=60e6'")

    @field_validator("report_years")
    @classmethod
    def _report_years_in_horizon(cls, years: list[int], info: ValidationInfo) -> list[int]:
        horizon = info.data.get("horizon")
        late = [y for y in years if horizon is not None and y > horizon]
        if late:
            raise PydanticCustomError("report_years", "report years {late} are after the horizon {h}",
                                      {"late": str(late), "h": horizon})
        return years

    @property
    def label(self) -> str:
        """Title if given, else the name."""
        return self.title or self.name

