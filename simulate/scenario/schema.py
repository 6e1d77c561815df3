"""The scenario language's JSON Schema: what pydantic writes from the models, plus every rule of
``validate`` that a JSON Schema can state about one file, taken from where ``validate`` takes it.

Added here: keyframe years within 1950-2300; ``observed_until`` at most the newest observed year;
known jump-offs; at least one report year; participation age ranges as the labour groups allow,
with exactly one of ``rate`` or ``change``; unit slips (a fraction where a percentage belongs, a
few hundred migrants) refused as numbers, as :mod:`simulate.scenario.units` refuses them; a lever
sampled only with ``sample_policy: true``; the observed GDP level unchanged unless the past is
counterfactual; ``extends`` a name or a path (no control characters, not ``.`` or ``..``); and an
uncertainty parameter set to ``null`` (the documented way to remove an inherited one).

What no JSON Schema can say about one file is listed in :data:`NOT_EXPRESSIBLE`;
``tests/test_schema.py`` runs every file of ``tests/bad_scenarios/`` through both and checks that
each one ``validate`` refuses is refused by the schema too, or is listed there.
"""

from __future__ import annotations

import copy
from typing import Any

from simulate.calendar import BASES, last_observed_year
from simulate.scenario.economy_model import AGE_RANGES
from simulate.scenario.model import Scenario
from simulate.scenario.paths import FIELD_NOTES, FIRST_YEAR, LAST_YEAR
from simulate.scenario.units import FIELDS
from simulate.text.messages import N_, t

#: A keyframe year 1950-2300, as JSON keys (strings) are written.
YEAR_KEY = r"^(19[5-9][0-9]|2[0-2][0-9]{2}|2300)$"
assert (FIRST_YEAR, LAST_YEAR) == (1950, 2300), "update YEAR_KEY with the keyframe years"

#: Why ``validate`` refuses something no JSON Schema of one file can refuse (kind -> reason).
NOT_EXPRESSIBLE = {
    "other files": "depends on other files: the parent named by 'extends' (missing, a cycle, a typo), or a "
                   "relative form whose parent has no value to change",
    "yaml": "lost when YAML becomes JSON: duplicate keys, quoted keyframe years, keyframe order, NaN, text "
            "that is not UTF-8 or not YAML",
    "calendar": "depends on values the file may inherit or leave to defaults: keyframes, ramps, targets and "
                "report years against the jump-off, the history end and the horizon",
    "arithmetic": "needs arithmetic over several settings: a productivity target or TFP growth too steep",
}


def _resolved(schema: dict, node: dict) -> dict:
    """``node`` with ``$ref`` followed, and an optional section (``anyOf`` of it and null) opened."""
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    forms = [f for f in node.get("anyOf", []) if "$ref" in f]
    if "properties" not in node and len(forms) == 1:
        return _resolved(schema, forms[0])
    return node


def _setting(schema: dict, where: tuple) -> dict:
    """The schema of the setting at ``where`` (``*``: any list item), as written in its model."""
    node: dict = schema
    for part in where[:-1]:
        node = _resolved(schema, node)
        node = node["items"] if part == "*" else node["properties"][part]
    return _resolved(schema, node)["properties"][where[-1]]


def _number_forms(node: dict) -> list[dict]:
    """Every number form of a setting: the plain number and the keyframe values."""
    found = []
    for form in node.get("anyOf", [node]):
        if form.get("type") == "number":
            found.append(form)
        found += [_resolved({}, v) for v in form.get("patternProperties", {}).values() if v.get("type") == "number"]
        found += [f for v in form.get("patternProperties", {}).values() for f in v.get("anyOf", [])
                  if f.get("type") == "number"]
    return found


def _keyframe_years(node: Any) -> None:
    """Every keyframe mapping's year keys limited to 1950-2300."""
    if isinstance(node, dict):
        if "patternProperties" in node and "^[0-9]{4}$" in node["patternProperties"]:
            node["patternProperties"] = {YEAR_KEY: node["patternProperties"].pop("^[0-9]{4}$"),
                                         **node["patternProperties"]}
        for value in node.values():
            _keyframe_years(value)
    elif isinstance(node, list):
        for value in node:
            _keyframe_years(value)


def _slips(schema: dict) -> None:
    """Numbers in the wrong unit refused as :data:`simulate.scenario.units.FIELDS` refuses them (a
    slip is ``0 < |value| < limit``); the spelled-out forms (``'0.02 %'``) stay allowed."""
    for where, unit in FIELDS.items():
        forms = _number_forms(_setting(schema, where))
        if not forms:
            raise AssertionError(f"no number form found in the schema of {'.'.join(where)}")
        limit = unit.limit
        for form in forms:
            form["not"] = {"anyOf": [{"exclusiveMinimum": 0, "exclusiveMaximum": limit},
                                     {"exclusiveMinimum": -limit, "exclusiveMaximum": 0}]}


def tightened(schema: dict) -> dict:
    """``schema`` (pydantic's, of :class:`Scenario`) with the rules of the module docstring."""
    _keyframe_years(schema)
    _slips(schema)
    properties = schema["properties"]
    properties["observed_until"]["maximum"] = last_observed_year()
    properties["jump_off"]["enum"] = list(BASES)
    properties["report_years"]["anyOf"][0]["minItems"] = 1
    properties["extends"]["anyOf"][0]["pattern"] = r"^(?!\.{1,2}$)[^\u0000-\u001f]+$"
    defs = schema["$defs"]
    change = defs["ParticipationChange"]
    change["properties"]["ages"]["pattern"] = r"^\s*(" + "|".join(a.replace("+", r"\+") for a in AGE_RANGES) + r")\s*$"
    change["oneOf"] = [{"required": ["rate"], "not": {"required": ["change"]}},
                       {"required": ["change"], "not": {"required": ["rate"]}}]
    defs["Parameter"]["if"] = {"required": ["lever"]}
    defs["Parameter"]["then"] = {"required": ["sample_policy"], "properties": {"sample_policy": {"const": True}}}
    parameters = _resolved(schema, properties["uncertainty"])["properties"]["parameters"]
    parameters["patternProperties"] = {key: {"anyOf": [value, {"type": "null"}]}  # null removes an inherited one
                                       for key, value in parameters["patternProperties"].items()}
    parameters["additionalProperties"] = {"type": "null"}  # other names: only to remove (names follow simulate.names)
    gdp = Scenario.model_fields["economy"].default_factory().gdp_2018_usd_bn
    schema["if"] = {"not": {"required": ["counterfactual_past"], "properties": {"counterfactual_past": {"const": True}}}}
    schema["then"] = {"properties": {"economy": {"properties": {"gdp_2018_usd_bn": {"const": gdp}}}}}
    return schema


def _descriptions(node: Any):
    """Every mapping of ``node`` (a schema) that holds a text ``description``."""
    if isinstance(node, dict):
        if isinstance(node.get("description"), str):
            yield node
        for value in node.values():
            yield from _descriptions(value)
    elif isinstance(node, list):
        for value in node:
            yield from _descriptions(value)


def description_parts(text: str) -> tuple[str, list[str]]:
    """A field description as (its own words, the shared sentences it ends with: :data:`FIELD_NOTES`)."""
    notes = [note for note in FIELD_NOTES if note in text]
    for note in notes:
        text = text.replace(note, "")
    return text.strip(), notes


def own_words(schema: dict) -> list[str]:
    """Each description's own words (the catalogue holds them: ``scripts/messages.py``)."""
    return sorted({description_parts(node["description"])[0] for node in _descriptions(schema)} - {""})


#: How two sentences of a description are joined.
N_("{sentence} {next}")


def in_language(schema: dict, lang: str) -> dict:
    """``schema`` with every description in ``lang`` (its own words and its shared sentences each
    looked up in the catalogue), for editors that show them as tooltips; everything else unchanged."""
    found = copy.deepcopy(schema)
    for node in _descriptions(found):
        words, notes = description_parts(node["description"])
        text = t(words, lang) if words else ""
        for note in notes:  # sentences joined as the language joins them (a space in English, none in Japanese)
            text = t("{sentence} {next}", lang, sentence=text, next=t(note, lang)) if text else t(note, lang)
        node["description"] = text
    return found
