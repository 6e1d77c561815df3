"""The scenario language's ``care`` section: healthy ageing, care productivity, the growth of
medical and long-term-care costs, the prices that turn GDP into nominal yen, and the pension slide
(:mod:`simulate.care` computes with them).  Every lever acts on years after the history end."""

from __future__ import annotations

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from simulate.scenario.paths import path, path_description, path_type
from simulate.scenario.sections import Section
from simulate.text.messages import t

#: The GDP deflator's default rise, % a year from FY2018: an assumption, not an observation.
DEFAULT_DEFLATOR = 1.0


class Care(Section):
    """Care needs, care workers and social-security benefits."""

    certification_age_shift: path(-10.0, 20.0, "years", "Healthy ageing: people of age a are certified as "
                                  "needing care as often as people of age a minus this were in 2020 (5 = '80-84 as "
                                  "75-79 today')", 0.0)
    certification_scale: path(0.2, 3.0, "times the 2020 rates", "Certification rates by age relative to "
                              "September 2020's", 1.0)
    productivity_growth: path(-10.0, 20.0, "% per year", "Care productivity: growth of people cared for per care "
                              "worker, after FY2022 (2.15 M care workers, the calibration)", 0.0)
    medical_cost_growth: path(-5.0, 10.0, "% per year", "Growth of medical costs per person of each age beyond "
                              "nominal GDP per person", 0.0)
    ltc_cost_growth: path(-5.0, 10.0, "% per year", "Growth of long-term-care costs per person cared for beyond "
                          "nominal GDP per person", 0.0)
    deflator: path(-10.0, 30.0, "% per year", "Rise of the GDP deflator from FY2018, which turns GDP at 2018 "
                   "prices into nominal yen, after the history end (up to it: 1.0 % a year, an assumption)", DEFAULT_DEFLATOR)
    nominal_gdp: path_type(1.0, 100000.0, "trillion yen") | None = Field(None, description=path_description(
        1.0, 100000.0, "trillion yen", "Nominal GDP in place of GDP at 2018 prices x the deflator, e.g. the 2018 "
        "outlook's 564.3 (FY2018), 645.6 (FY2025) and 790.6 (FY2040), after the history end; shares of GDP do not "
        "depend on it"))
    pension_slide: bool = Field(True, description="Pensions per person aged 65+ follow nominal GDP per worker "
                                "less the macro-economic slide (the fall in the number employed plus 0.3 % a year, "
                                "with the nominal floor); false: without the slide")

    @model_validator(mode="after")
    def _one_price_basis(self) -> Care:
        """A nominal GDP path replaces the deflator: a deflator beside it would be ignored."""
        if self.nominal_gdp is not None and set(self.deflator.values()) != {DEFAULT_DEFLATOR}:
            raise PydanticCustomError("deflator", t("nominal_gdp replaces the deflator: give one of them"))
        return self
