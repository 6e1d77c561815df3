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
from simulate.errors import InputError
from simulate.scenario import load_mapping

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


#: Files of tests/bad_scenarios/ that validate refuses and no JSON Schema of one file can: the kind
#: of reason (simulate.scenario.schema.NOT_EXPRESSIBLE).  Every other bad file must be refused by
#: the schema too; files that are not YAML or not UTF-8 never reach a schema (an editor says so).
NOT_EXPRESSIBLE = {
    "cycle_a.yaml": "other files", "cycle_b.yaml": "other files", "extends_typo.yaml": "other files",
    "unknown_parent.yaml": "other files", "relative_without_value.yaml": "other files",
    "duplicate_key.yaml": "yaml", "duplicate_keyframe.yaml": "yaml", "keyframe_year_quoted.yaml": "yaml",
    "keyframe_years_not_increasing.yaml": "yaml", "nan_value.yaml": "yaml", "target_nan.yaml": "yaml",
    "flow_target_in_census_year.yaml": "calendar", "horizon_inside_history.yaml": "calendar",
    "keyframe_inside_history.yaml": "calendar", "ramp_start_inside_history.yaml": "calendar",
    "report_year_after_horizon.yaml": "calendar", "target_after_horizon.yaml": "calendar",
    "target_before_jump_off.yaml": "calendar",
    "productivity_target_too_steep.yaml": "arithmetic", "tfp_too_steep.yaml": "arithmetic",
}


def _as_json(path):
    try:
        return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8"))))
    except (UnicodeDecodeError, yaml.YAMLError, ValueError, RecursionError):
        return None  # not UTF-8 YAML that JSON can hold: no schema ever sees it


def test_the_schema_refuses_what_validate_refuses_wherever_a_schema_can():
    from simulate.scenario.schema import NOT_EXPRESSIBLE as KINDS

    from conftest import ROOT
    accepted = []
    for path in sorted((ROOT / "tests" / "bad_scenarios").glob("*.yaml")):
        data = _as_json(path)
        if data is not None and not list(validator().iter_errors(data)):
            accepted.append(path.name)
    assert sorted(accepted) == sorted(NOT_EXPRESSIBLE), "refused by validate, accepted by the schema, not listed"
    assert set(NOT_EXPRESSIBLE.values()) <= set(KINDS)


def test_the_schema_accepts_what_validate_accepts():
    """Every odd but valid file, the documented removal of an inherited parameter, and the
    edges of each tightened rule."""
    from conftest import ROOT
    for path in sorted((ROOT / "tests" / "odd_scenarios").glob("*.yaml")):
        assert list(validator().iter_errors(_as_json(path))) == [], path.name
    for data in [{"uncertainty": {"parameters": {"tfr_shift": None}}},
                 {"fertility": {"tfr": {"1950": 1.4, "2300": 1.5, "start": "hold"}}},
                 {"migration": {"net": 1000}}, {"migration": {"net": "200 persons"}}, {"migration": {"net": 0}},
                 {"economy": {"productivity_growth": 0.1}}, {"economy": {"productivity_growth": -0.1}},
                 {"labour": {"participation": [{"ages": "75+", "change": 5}, {"ages": "15-74", "rate": 60}]}},
                 {"observed_until": 2024, "jump_off": "census2020"},
                 {"counterfactual_past": True, "economy": {"gdp_2018_usd_bn": 6000}},
                 {"uncertainty": {"parameters": {"s": {"lever": "tfr", "sample_policy": True,
                                                       "distribution": "uniform", "low": 1, "high": 2}}}}]:
        assert list(validator().iter_errors({"name": "ok"} | data)) == [], data
        load_mapping(_as_yaml({"name": "ok"} | data))  # and validate accepts it
    for data in [{"fertility": {"tfr": {"1949": 1.4}}}, {"fertility": {"tfr": {"2301": 1.4}}},
                 {"migration": {"net": 999}}, {"economy": {"productivity_growth": 0.02}},
                 {"labour": {"participation": [{"ages": "63-70", "change": 5}]}},
                 {"labour": {"participation": [{"ages": "65-74", "rate": 50, "change": 5}]}},
                 {"observed_until": 2025}, {"jump_off": "census2021"}, {"report_years": []},
                 {"extends": "."}, {"extends": "a\u0000b"}, {"economy": {"gdp_2018_usd_bn": 6000}},
                 {"uncertainty": {"parameters": {"Bad Name": {"shift": "fertility.tfr", "distribution": "normal",
                                                              "mean": 0, "sd": 0.1}}}}]:
        assert list(validator().iter_errors({"name": "ok"} | data)), data
        with pytest.raises(InputError):
            load_mapping(_as_yaml({"name": "ok"} | data))


def _as_yaml(data):
    """JSON data as YAML would give it: keyframe years as integers."""
    if isinstance(data, dict):
        return {int(k) if isinstance(k, str) and k.isdigit() else k: _as_yaml(v) for k, v in data.items()}
    return [_as_yaml(v) for v in data] if isinstance(data, list) else data
