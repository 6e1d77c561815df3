"""The JSON Schema of the scenario language is valid for editors and validators: it passes its
meta-schema, accepts every shipped scenario and every relative or unit-spelled form, and states
numeric bounds as minimum/maximum."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

from simulate.api.catalogue import SCHEMA_ID, schema_text

from conftest import SCENARIOS

SCHEMA = json.loads(schema_text())


def as_editors_see_it(path):
    """A YAML scenario as JSON (keyframe years become strings, as in an editor's language server)."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8"))))


def validator() -> Draft202012Validator:
    return Draft202012Validator(SCHEMA, format_checker=FormatChecker())


def test_schema_passes_its_meta_schema_and_has_an_id():
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$id"] == SCHEMA_ID
    for pattern in re.findall(r'"pattern": "((?:[^"\\]|\\.)*)"', json.dumps(SCHEMA)):
        assert "(?P<" not in json.loads(f'"{pattern}"'), "Python-only named group"


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_scenario_is_valid_against_the_schema(path):
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator().iter_errors(as_editors_see_it(path))]
    assert errors == []


@pytest.mark.parametrize("text", [
    "fertility:\n  tfr: '+0.2'\n", "fertility:\n  tfr: '-0.1'\n", "migration:\n  net: x1.5\n",
    "mortality:\n  e0:\n    male: '+1'\n", "fertility:\n  sex_ratio_at_birth: '+0.5'\n",
    "economy:\n  productivity_growth: '0.02 %'\n", "migration:\n  net: 200 persons\n",
    "labour:\n  seniors: {rate: '0.6 %', by: 2040}\n", "targets:\n  - gdp_per_capita@2040>=1.3xbase\n",
    "targets:\n  - {metric: labour_force, year: 2040, value: 60000000}\n",
])
def test_relative_and_explicit_forms_are_valid(tmp_path, text):
    path = tmp_path / "child.yaml"
    path.write_text("name: child\nextends: baseline\n" + text, encoding="utf-8")
    errors = [e.message for e in validator().iter_errors(as_editors_see_it(path))]
    assert errors == []


@pytest.mark.parametrize("text", ["fertility:\n  tfr: 9\n", "fertility:\n  sex_ratio_at_birth: 150\n",
                                  "targets:\n  - labour_forse@2040>=60e6\n", "fertility:\n  tfr: abc\n",
                                  "fertility:\n  tfx: 1.5\n", "economy:\n  capital_share: 0.99\n"])
def test_the_schema_catches_what_validate_catches(tmp_path, text):
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\n" + text, encoding="utf-8")
    assert list(validator().iter_errors(as_editors_see_it(path)))


def test_every_range_in_a_description_is_also_minimum_and_maximum():
    missing = []

    def walk(node, where):
        if isinstance(node, dict):
            description = node.get("description") if isinstance(node.get("description"), str) else ""
            if re.search(r"; -?[\d.]+ to -?[\d.]+\]", description) and '"minimum"' not in json.dumps(node):
                missing.append(where)
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")
    walk(SCHEMA, "")
    assert missing == []
