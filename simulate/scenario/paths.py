"""Keyframed paths: ``{year: value}`` mappings interpolated linearly, constant beyond the ends.

In YAML a path is either a number (constant) or a mapping of years to values::

    tfr: 1.8                           # constant
    tfr: {2015: 1.45, 2030: 1.8}       # 1.45 in 2015, linear to 1.8 in 2030, then constant

In a scenario that ``extends`` another, a path may also be written relative to the parent's:
``"+0.5"`` / ``"-0.8"`` adds to every keyframe, ``"x1.1"`` multiplies every keyframe.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Annotated, Any

import numpy as np
from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from simulate.text.messages import N_, t

#: Keyframe years allowed.
FIRST_YEAR, LAST_YEAR = 1950, 2300
#: Key under which a scalar path is stored once normalised to a mapping.
CONSTANT_KEY = FIRST_YEAR

RELATIVE = re.compile(r"^\s*(?P<op>[+-]|x|\*)\s*(?P<num>\d+(\.\d*)?|\.\d+)\s*$")

Keyframes = dict[int, float]


#: Units of paths that no other message names, marked for the catalogue (messages translate a unit with ``t``).
UNIT_WORDS = (N_("hours per worker per year"), N_("trillion yen"), N_("times the 2020 rates"))


def _number_in(lo: float, hi: float, unit: str):
    def check(value: float) -> float:
        if not math.isfinite(value):
            raise PydanticCustomError("finite", t("must be a finite number, got {value}"), {"value": value})
        if not lo <= value <= hi:
            raise PydanticCustomError("range", t("{value} is out of range: allowed {lo} to {hi} {unit}"),
                                      {"value": value, "lo": lo, "hi": hi, "unit": t(unit)})
        return float(value)
    return check


#: Sentences every path's or unit's field description ends with (one message each, so that the
#: Japanese JSON Schema translates them once: :func:`simulate.scenario.schema.in_language`).
PATH_SYNTAX = N_("A number (constant) or {year: value} keyframes, linear in between, constant beyond (TFR and "
                 "life expectancy keyframes that all lie after the history ramp from the last observed value; "
                 "'start: hold' holds the first keyframe's value instead); in a child scenario also '+d', '-d' or "
                 "'xf' relative to the parent's path.")
PERSONS_NOTE = N_("Magnitudes below 1,000 are refused as probable slips (200 for 200,000); write '200 persons' to "
                  "mean one.")
PERCENT_NOTE = N_("Values that look like fractions (0.02 for 2 %) are refused; write '0.02 %' to mean one.")
FIELD_NOTES = (PATH_SYNTAX, PERSONS_NOTE, PERCENT_NOTE)


def unit_note(unit: str) -> str:
    """The unit rule of :mod:`simulate.scenario.units`, for field descriptions."""
    if "persons" in unit:
        return " " + PERSONS_NOTE
    if "%" in unit or "percentage points" in unit:
        return " " + PERCENT_NOTE
    return ""


#: JSON Schema (ECMA-262) patterns of the written forms the YAML allows besides numbers: a relative
#: form (``"+0.2"``, ``"x3"``; :data:`RELATIVE`) and a number with its unit spelled out (``"0.02 %"``,
#: ``"200 persons"``; :mod:`simulate.scenario.units`).
RELATIVE_PATTERN = r"^\s*([+-]|x|\*)\s*([0-9]+(\.[0-9]*)?|\.[0-9]+)\s*$"
EXPLICIT_PATTERN = r"^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)\s*(%|persons?|人)\s*$"


def _number_schema(lo: float, hi: float, unit: str, relative: bool) -> dict:
    """JSON Schema of a number in [lo, hi]; with the relative and unit-spelled string forms it allows."""
    forms = [{"type": "number", "minimum": lo, "maximum": hi}]
    if relative:
        forms.append({"type": "string", "pattern": RELATIVE_PATTERN})
    if unit_note(unit):
        forms.append({"type": "string", "pattern": EXPLICIT_PATTERN})
    return forms[0] if len(forms) == 1 else {"anyOf": forms}


def bounded(lo: float, hi: float, unit: str, description: str, default: Any = None, optional: bool = False):
    """A scalar number in [lo, hi] with a unit, as a pydantic field type (bounds in the JSON Schema
    as minimum and maximum); ``optional``: ``null`` (the default then) is allowed too."""
    number = Annotated[float, AfterValidator(_number_in(lo, hi, unit))]
    schema = _number_schema(lo, hi, unit, True)
    if optional:
        number, schema = number | None, {"anyOf": [schema, {"type": "null"}]}
    return Annotated[number, WithJsonSchema(schema),
                     Field(default=default, description=f"{description} [{unit}; {lo} to {hi}].{unit_note(unit)}")]


#: In a keyframe mapping, how the path reaches its first keyframe from the history line:
#: ``ramp`` (the default) linearly from the last observed value, where there is one (TFR, life
#: expectancy); ``hold`` at the first keyframe's value from the first assumed year (a step).
START_KEY, START_FORMS = "start", ("ramp", "hold")


def _resolved_start(frames: dict) -> dict:
    """A keyframe mapping with its ``start`` key resolved: ``hold`` becomes a keyframe at
    :data:`FIRST_YEAR` with the first keyframe's value (so the path is flat before it and no ramp
    is added); ``ramp`` is the default and is dropped."""
    years = {k: v for k, v in frames.items() if k != START_KEY}
    if frames[START_KEY] == "hold" and years and CONSTANT_KEY not in years:
        return {CONSTANT_KEY: years[min(years)]} | years
    return years


def _is_start_form(value: Any) -> bool:
    return (isinstance(value, dict) and START_KEY in value and value[START_KEY] in START_FORMS
            and all(isinstance(k, int) and not isinstance(k, bool) for k in value if k != START_KEY))


def resolve_starts(data: Any) -> Any:
    """Scenario data (nested dicts and lists) with every keyframe mapping's ``start`` key resolved
    (:func:`_resolved_start`); an unknown ``start`` is left for the validator to report."""
    if _is_start_form(data):
        return _resolved_start(data)
    if isinstance(data, dict):
        return {key: resolve_starts(value) for key, value in data.items()}
    if isinstance(data, list):
        return [resolve_starts(value) for value in data]
    return data


#: Digits grouped in thousands: ``300,000`` or ``1,234.5`` (and with full stops or spaces, after NFKC).
THOUSANDS = re.compile(r"[+-]?\d{1,3}([,\s]\d{3})+(\.\d+)?")


def number_hint(text: str) -> str | None:
    """How to write ``text`` as a number YAML reads, when it is a number in disguise, else None:
    ``'３０００００'`` (full-width digits) -> ``"write 300000 (full-width digits)"``; ``'300,000'`` ->
    ``"write 300000 (no thousands separators)"``; ``'3e5'`` -> ``"write 300000 (YAML reads 3e5 as
    text; 3.0e+5 is a number too)"``."""
    wide = unicodedata.normalize("NFKC", text).strip()
    plain = wide.replace("\u2212", "-")
    why = ([t("full-width digits")] if wide != text.strip() else []) + (
        [t("'-' for the minus sign")] if plain != wide else [])
    if THOUSANDS.fullmatch(plain):
        plain = re.sub(r"[,\s]", "", plain)
        why.append(t("no thousands separators"))
    elif re.fullmatch(r"[+-]?\d+,\d{1,2}", plain):
        plain = plain.replace(",", ".")
        why.append(t("a decimal point, not a comma"))
    try:
        value = float(plain)
    except ValueError:
        return None
    if not math.isfinite(value) or plain.lower() in ("nan", "inf", "infinity"):
        return None
    if not why:
        why.append(t("YAML reads {text} as text", text=text.strip()))
    shown = f"{value:.0f}" if value.is_integer() and abs(value) < 1e15 else f"{value:.15g}"
    return t("write {number} ({why})", number=shown, why=t("; ").join(why))


def _to_keyframes(value: Any) -> Any:
    if isinstance(value, dict) and START_KEY in value:
        if not _is_start_form(value):
            raise PydanticCustomError("path_start", t("start {start} is not 'ramp' (from the last observed value, the "
                                      "default) or 'hold' (the first keyframe's value from the first assumed year)"),
                                      {"start": repr(value[START_KEY])})
        value = _resolved_start(value)
    if isinstance(value, bool):
        raise PydanticCustomError("path_kind", t("expected a number or year: value keyframes, got a boolean"))
    if isinstance(value, (int, float)):
        return {CONSTANT_KEY: value}
    if isinstance(value, str):
        hint = number_hint(value)
        if hint:
            raise PydanticCustomError("path_number", t("{text} is text, not a number: {hint}"),
                                      {"text": repr(value), "hint": hint})
        raise PydanticCustomError("path_kind", t("expected a number or year: value keyframes, got the "
                                  "string {text} (relative forms are '+0.5', '-0.5' or 'x1.1')"),
                                  {"text": repr(value)})
    if isinstance(value, dict) and not value:
        raise PydanticCustomError("path_empty", t("keyframes must not be empty"))
    return value


def _check_years(frames: Keyframes) -> Keyframes:
    years = list(frames)
    for year in years:
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise PydanticCustomError("path_year", t("keyframe year {year} is outside {lo}-{hi}"),
                                      {"year": year, "lo": FIRST_YEAR, "hi": LAST_YEAR})
    if any(b <= a for a, b in zip(years, years[1:])):
        raise PydanticCustomError("path_order", t("keyframe years must increase, got {years}"), {"years": years})
    return frames


def path_type(lo: float, hi: float, unit: str):
    """The type of a keyframed path with values in [lo, hi] (no default, no description)."""
    value = Annotated[float, AfterValidator(_number_in(lo, hi, unit))]
    number = _number_schema(lo, hi, unit, False)
    forms = number["anyOf"] if "anyOf" in number else [number]
    schema = {"anyOf": [*forms, {"type": "string", "pattern": RELATIVE_PATTERN},
                        {"type": "object", "patternProperties": {"^[0-9]{4}$": number},
                         "properties": {START_KEY: {"enum": list(START_FORMS)}},
                         "additionalProperties": False, "minProperties": 1}]}
    return Annotated[dict[int, value], BeforeValidator(_to_keyframes), AfterValidator(_check_years),
                     WithJsonSchema(schema)]


def path_description(lo: float, hi: float, unit: str, description: str) -> str:
    """Field description of a path, stating unit, range and syntax."""
    return f"{description} [{unit}; {lo} to {hi}]. {PATH_SYNTAX}{unit_note(unit)}"


def path(lo: float, hi: float, unit: str, description: str, default: Keyframes | float):
    """A keyframed path field with values in [lo, hi] and a default (number or keyframes)."""
    default = default if isinstance(default, dict) else {CONSTANT_KEY: default}
    return Annotated[path_type(lo, hi, unit),
                     Field(default_factory=lambda: dict(default),
                           description=path_description(lo, hi, unit, description))]


def evaluate(frames: Keyframes, years: np.ndarray) -> np.ndarray:
    """Values of a keyframed path at (possibly fractional) years; same shape as ``years``."""
    keys = np.fromiter(frames.keys(), float)
    return np.interp(years, keys, np.fromiter(frames.values(), float))


def is_relative(value: Any) -> bool:
    """True for the relative forms ``"+0.5"``, ``"-3"``, ``"x1.1"`` (``"*1.1"`` also accepted)."""
    return isinstance(value, str) and RELATIVE.match(value) is not None


def apply_relative(value: str, parent: Any) -> Any:
    """Apply a relative form to the parent's path (number or keyframes); returns the same kind."""
    match = RELATIVE.match(value)
    op, number = match["op"], float(match["num"])
    def one(v: Any) -> Any:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ValueError(t("cannot apply {form} to the parent's value {value}", form=repr(value), value=repr(v)))
        return v * number if op in "x*" else v + (number if op == "+" else -number)
    if isinstance(parent, dict):
        return {year: one(v) for year, v in parent.items()}
    return one(parent)


def is_keyframes(value: Any) -> bool:
    """True for a path written as ``{year: value}`` keyframes (integer keys)."""
    return isinstance(value, dict) and bool(value) and all(
        isinstance(k, int) and not isinstance(k, bool) for k in value)


def fold_path(frames: Keyframes, end: int) -> Keyframes:
    """Keyframes with those before ``end`` replaced by one at ``end`` (the path's value there), so
    that the path is unchanged after ``end``.  A constant path is returned as it is."""
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in frames.values())
    if list(frames) == [CONSTANT_KEY] or min(frames) >= end or min(frames) < FIRST_YEAR or not numbers:
        return frames  # (years out of range and values that are not numbers are left for the validator)
    anchor = {end: float(evaluate(frames, np.array([float(end)]))[0])}
    return anchor | {year: value for year, value in frames.items() if year > end}


def fold_history(data: Any, end: int) -> Any:
    """Scenario data (nested dicts and lists) with every keyframe path folded at ``end``
    (:func:`fold_path`): values up to the history end come from observations, not from paths."""
    if is_keyframes(data):
        return fold_path(data, end)
    if isinstance(data, dict):
        return {key: fold_history(value, end) for key, value in data.items()}
    if isinstance(data, list):
        return [fold_history(value, end) for value in data]
    return data


def keyframes_before(data: Any, end: int, prefix: tuple = ()) -> list[tuple]:
    """Key paths (ending in the year) of keyframes written before ``end`` in scenario data."""
    if is_keyframes(data):
        return [prefix + (year,) for year in data if FIRST_YEAR < year < end]
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    return [found for key, value in items for found in keyframes_before(value, end, prefix + (key,))]
