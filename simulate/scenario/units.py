"""Units that cannot be misread: slips refused, explicit units accepted.

Percent fields hold percentages (``2`` for 2 %), migration holds persons.  A number that is almost
certainly in the wrong unit — a fraction where a percentage belongs (``0.02`` for 2 %, ``0.6`` for
60 %), a few hundred migrants where thousands are meant (``200`` for 200,000) — is a located error
that suggests the intended value.  A deliberate value is written with its unit: ``"0.02 %"``,
``"200 persons"`` (or ``"200人"``); the loader turns it into the number before validation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from simulate.scenario.paths import is_keyframes
from simulate.text.messages import N_, t

NUMBER = r"(?P<num>[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?)"


@dataclass(frozen=True)
class Unit:
    """How a field's numbers are written: its unit word, the size below which a number is a slip
    (``0 < |value| < limit``; the JSON Schema states the same), the suggested value and the
    explicit written form."""

    word: str
    limit: float
    suggest: Callable[[float], str]
    explicit: re.Pattern

    def slip(self, value: float) -> bool:
        """True for a number almost certainly written in the wrong unit."""
        return 0 < abs(value) < self.limit


PERCENT_WORD = re.compile(rf"^\s*{NUMBER}\s*%\s*$")
PERSONS_WORD = re.compile(rf"^\s*{NUMBER}\s*(persons?|人)\s*$")  # '200 persons', or in Japanese '200人'


def _percent(limit: float, unit: str) -> Unit:
    return Unit(unit, limit, lambda v: f"{100 * v:g} {t(unit)}", PERCENT_WORD)


PERSONS = Unit(N_("persons per year"), 1000.0, lambda v: t("{count} persons a year", count=f"{1000 * v:,.0f}"),
               PERSONS_WORD)
#: Field paths (``*`` = any list index) -> unit.  The limits: no plausible value of the field lies
#: below them, and the fraction written by mistake always does.
FIELDS: dict[tuple, Unit] = {
    ("economy", "productivity_growth"): _percent(0.1, N_("% per year")),
    ("economy", "tfp_growth"): _percent(0.1, N_("% per year")),
    ("economy", "investment_rate"): _percent(1.0, N_("% of GDP")),
    ("economy", "depreciation"): _percent(1.0, N_("% per year")),
    ("economy", "automation"): _percent(1.0, N_("% of base-year hours")),
    ("mortality", "improvement"): _percent(0.1, N_("% per year")),
    ("labour", "unemployment"): _percent(0.5, N_("% of the labour force")),
    ("labour", "seniors", "rate"): _percent(1.0001, N_("%")),
    ("labour", "participation", "*", "rate"): _percent(1.0001, N_("%")),
    ("labour", "participation", "*", "change"): _percent(0.5, N_("percentage points")),
    ("migration", "net"): PERSONS,
    ("care", "productivity_growth"): _percent(0.1, N_("% per year")),
    ("care", "medical_cost_growth"): _percent(0.1, N_("% per year")),
    ("care", "ltc_cost_growth"): _percent(0.1, N_("% per year")),
    ("care", "deflator"): _percent(0.1, N_("% per year")),
}


def _unit_at(path: tuple) -> Unit | None:
    for pattern, unit in FIELDS.items():
        if len(pattern) == len(path) and all(p == "*" or p == q for p, q in zip(pattern, path)):
            return unit
    return None


def _explicit_form(unit: Unit, value: float) -> str:
    return f"'{value:g} {'persons' if unit is PERSONS else '%'}'"


def _form_in_words(unit: Unit, value: float) -> str:
    """The explicit form a message suggests, in the reader's language (``'200 persons'``, ``'200人'``)."""
    return t("'{value} persons'", value=f"{value:g}") if unit is PERSONS else _explicit_form(unit, value)


def explicit_below(path: tuple) -> tuple[float, str] | None:
    """For a field with a unit: the size below which a bare number is a slip, and the unit word its
    explicit form writes after the number (``(0.1, '%')``); None for a field without one."""
    unit = _unit_at(path)
    return None if unit is None else (unit.limit, "persons" if unit is PERSONS else "%")


def written(path: tuple, value: float) -> float | str:
    """``value`` as a scenario file writes it at ``path`` (no list indices): the number, or its
    explicit form (``'0.3 %'``, ``'500 persons'``) where the bare number would read as a slip."""
    unit = _unit_at(path)
    return _explicit_form(unit, value).strip("'") if unit is not None and unit.slip(value) else value


def check_units(layer: dict, prefix: tuple = ()) -> tuple[dict, list[tuple[tuple, str]]]:
    """``layer`` with explicit unit strings turned into numbers, and the slips found as
    (key path, message) pairs."""
    problems: list[tuple[tuple, str]] = []

    def visit(value: Any, path: tuple) -> Any:
        unit = _unit_at(path)
        if unit is not None:
            if is_keyframes(value):
                return {year: one(v, path + (year,), unit) for year, v in value.items()}
            return one(value, path, unit)
        if isinstance(value, dict):
            return {k: visit(v, path + (k,)) for k, v in value.items()}
        if isinstance(value, list):
            return [visit(v, path + (i,)) for i, v in enumerate(value)]
        return value

    def one(value: Any, path: tuple, unit: Unit) -> Any:
        if isinstance(value, str):
            match = unit.explicit.match(value)
            return float(match["num"]) if match else value
        if isinstance(value, (int, float)) and not isinstance(value, bool) and unit.slip(float(value)):
            problems.append((path, t("{value} looks like the wrong unit: did you mean {meant}? To mean {value}, "
                                     "write {form}", value=f"{value:g}", meant=unit.suggest(float(value)),
                                     form=_form_in_words(unit, float(value)))))
        return value

    return visit(layer, prefix), problems
