"""Units for programs: one vocabulary, the one pint reads with iam-units (the IAMC community's unit
registry, which pyam uses).

People read units in words (``persons``, ``USD bn, 2018 prices``, ``2017 = 100``: the indicator
registry's kinds, :data:`simulate.indicators.KIND_UNITS`); programs read these strings instead: the
ensemble store's CF ``units`` attributes and, scaled, the IAMC file's units.  A count of persons is
a pure number (``1``; pint has no persons), a flow is per year (``1 / a``), money is ``USD_2018``
(iam-units' 2018 US dollars), an index is ``%`` of its base year.  ``tests/test_units.py`` parses
every string here with iam-units and checks that each IAMC unit converts to its store unit by the
IAMC divisor.
"""

from __future__ import annotations

#: Indicator kind -> the unit of its values as the simulator holds them (``indicators.csv``, the store).
KIND_PINT: dict[str, str] = {
    "persons": "1",
    "flow": "1 / a",
    "percent": "%",
    "per100": "%",
    "years": "a",
    "index": "%",
    "usd_bn": "billion USD_2018 / a",
    "usd": "USD_2018 / a",
    "hours": "h / a",
    "hours_total": "h / a",
    "ratio": "1",
    "yen_tn": "trillion JPY / a",
}

#: Units iam-units does not define, for a registry that reads :data:`KIND_PINT`:
#: ``registry.define(...)`` each (nominal yen, as a currency of its own).
DEFINITIONS: tuple[str, ...] = ("JPY = [currency_JPY]",)

#: The unit words of scenario settings (their descriptions' ``[unit; low to high]``) and of the
#: lever registry -> the same unit for programs.
WORD_PINT: dict[str, str] = {
    "%": "%",
    "% of GDP": "%",
    "% of base-year hours worked": "%",
    "% of labour force": "%",
    "% per year": "% / a",
    "USD bn (2018)": "billion USD_2018",
    "boys per 100 girls": "%",
    "children per woman": "1",
    "fraction": "1",
    "hours per worker per year": "h / a",
    "per year of age": "1 / a",
    "percentage points": "%",
    "persons": "1",
    "persons per year": "1 / a",
    "hours per year": "h / a",
    "relative level": "1",
    "times the TFR's rates": "1",
    "x base-year level": "1",
    "year": "a",
    "years": "a",
    "years of GDP": "a",
    "times the 2020 rates": "1",
    "trillion yen": "trillion JPY",
}

#: A factor (a sampled ``scale`` or ``stretch``), a flag, a label: a pure number.
PURE = "1"


def pint_unit(word: str) -> str:
    """The unit for programs of a unit word (:data:`WORD_PINT`); KeyError names the word if unknown."""
    try:
        return WORD_PINT[word]
    except KeyError:
        raise KeyError(f"no unit for programs is known for {word!r}: add it to simulate.units.WORD_PINT") from None
