import csv
import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulate.api import schema_text
from simulate.cli import main
from simulate.demography.inputs import demographic_inputs, e0_path, step_times
from simulate.errors import InputError
from simulate.pipeline import run_batch
from simulate.scenario import Scenario, load_scenario
from simulate.scenario.paths import evaluate
from conftest import SCENARIOS

BAD = Path(__file__).parent / "bad_scenarios"
SHIPPED = sorted(SCENARIOS.glob("*.yaml"))


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_scenario_validates_runs_and_declares_schema(path):
    assert path.read_text().startswith("# yaml-language-server: $schema=scenario.schema.json\n")
    loaded = load_scenario(path)
    assert loaded.scenario.name == path.stem
    _, indicators = run_batch([loaded.scenario], keep_ages=False)
    assert np.all(np.isfinite(indicators["population_total"]))


def test_baseline_file_states_the_model_defaults():
    from_file = load_scenario(SCENARIOS / "baseline.yaml").scenario.model_dump()
    defaults = Scenario().model_dump()
    for key in ("title", "description"):
        from_file.pop(key), defaults.pop(key)
    assert from_file == defaults


def test_shipped_schema_is_current():
    assert (SCENARIOS / "scenario.schema.json").read_text(encoding="utf-8") == schema_text()
    schema = json.loads(schema_text())
    assert schema["properties"]["fertility"] and "description" in json.dumps(schema)


def test_the_japanese_schema_differs_only_in_its_descriptions_and_every_one_is_japanese():
    """Issue 35: the tooltips editors show came in English only; ``init --lang ja`` now writes
    ``scenario.schema.ja.json``, the same rules with Japanese descriptions."""
    import re
    assert (SCENARIOS / "scenario.schema.ja.json").read_text(encoding="utf-8") == schema_text("ja")
    english, japanese = json.loads(schema_text()), json.loads(schema_text("ja"))

    def without_descriptions(node):
        if isinstance(node, dict):
            return {k: without_descriptions(v) for k, v in node.items() if k != "description"}
        return [without_descriptions(v) for v in node] if isinstance(node, list) else node

    def descriptions(node):
        if isinstance(node, dict):
            return ([node["description"]] if isinstance(node.get("description"), str) else []) + [
                d for v in node.values() for d in descriptions(v)]
        return [d for v in node for d in descriptions(v)] if isinstance(node, list) else []

    assert without_descriptions(english) == without_descriptions(japanese)
    found = descriptions(japanese)
    assert len(found) == len(descriptions(english)) > 100
    assert all(re.search(r"[\u3000-\u30ff\u4e00-\u9fff]", d) for d in found)
    tfr = japanese["$defs"]["Fertility"]["properties"]["tfr"]["description"]
    assert tfr.startswith("合計特殊出生率［人（女性1人あたり）；0.0～8.0］。数値（一定）か {年: 値} のキーフレーム")


def bad_cases():
    with open(BAD / "EXPECTED.csv", encoding="utf-8") as f:
        return [(row["file"], int(row["line"]), row["fragment"]) for row in csv.DictReader(f)]


def test_bad_corpus_is_large_and_complete():
    listed = {case[0] for case in bad_cases()}
    assert len(listed) >= 30 and listed == {p.name for p in BAD.glob("*.yaml")}


@pytest.mark.parametrize("name,line,fragment", bad_cases(), ids=lambda v: str(v))
def test_bad_scenario_gives_located_message(name, line, fragment):
    with pytest.raises(InputError) as caught:
        load_scenario(BAD / name)
    problems = caught.value.problems
    assert any(fragment in p for p in problems), problems
    assert any(f"{name}:{line}:" in p for p in problems), problems
    assert all("\n" not in p for p in problems)


def test_every_problem_reported_at_once(tmp_path):
    path = write(tmp_path, "many", "horizn: 2050\nfertility:\n  tfr: -2\nmigration:\n  nett: 5\n")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert len(caught.value.problems) == 3


def test_validate_command_exit_codes(capsys):
    assert main(["validate", str(SCENARIOS / "baseline.yaml")]) == 0
    assert "ok" in capsys.readouterr().out
    assert main(["validate", str(SCENARIOS / "baseline.yaml"), str(BAD / "typo_key.yaml")]) == 2
    assert "did you mean 'tfr'" in capsys.readouterr().err


def test_child_overrides_only_what_it_names(tmp_path):
    write(tmp_path, "parent", "title: Parent\nhorizon: 2080\nfertility:\n  tfr: 1.6\n  sex_ratio_at_birth: 106\n")
    write(tmp_path, "middle", "extends: parent\nfertility:\n  tfr: {2017: 1.45, 2030: 1.7}\n")
    child = load_scenario(write(tmp_path, "child", "extends: middle\nmigration:\n  net: 100000\n")).scenario
    assert child.name == "child" and child.title is None  # own keys are not inherited
    assert child.horizon == 2080 and child.fertility.sex_ratio_at_birth == 106
    assert child.fertility.tfr == {2017: 1.45, 2030: 1.7}  # keyframes replace, not merge
    assert child.migration.net == {1950: 100000}
    assert child.mortality == Scenario().mortality


def test_relative_forms(tmp_path):
    write(tmp_path, "base", "fertility:\n  tfr: {2018: 1.4, 2040: 1.6}\nmigration:\n  net: 100000\n")
    child = load_scenario(write(tmp_path, "kid", "extends: base\nfertility:\n  tfr: '+0.2'\n"
                                "  sex_ratio_at_birth: '-1'\nmigration:\n  net: x1.5\n")).scenario
    # the path starts after the history (2017): it ramps from 2017's observed TFR, then the keyframes + 0.2
    assert child.fertility.tfr == pytest.approx({2017: 1.43, 2018: 1.6, 2040: 1.8})
    assert child.fertility.sex_ratio_at_birth == pytest.approx(104.2)
    assert child.migration.net == {1950: 150000}


def test_relative_form_without_extends_applies_to_baseline(tmp_path):
    scenario = load_scenario(write(tmp_path, "rel", "mortality:\n  e0:\n    male: '+1'\n")).scenario
    assert scenario.mortality.e0.male[2065] == pytest.approx(85.95)


def test_extends_by_relative_path(tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path, "root", "horizon: 2070\n")
    assert load_scenario(write(tmp_path / "sub", "leaf", "extends: ../root.yaml\n")).scenario.horizon == 2070


def test_paths_interpolate_linearly_and_extend_constantly():
    frames = {2020: 1.0, 2030: 2.0}
    assert evaluate(frames, np.array([2010, 2020, 2025, 2030, 2100])).tolist() == [1.0, 1.0, 1.5, 2.0, 2.0]


def test_improvement_mode_raises_life_expectancy():
    scenario = Scenario(mortality={"improvement": 1.5})
    times = step_times(2017, 2065)
    e0 = e0_path(scenario, times)
    assert e0[0] == pytest.approx([81.09, 87.26], abs=0.2)  # 0.75 years after the observed 2017
    assert np.all(np.diff(e0, axis=0) > 0) and e0[-1, 0] > 84
    slower = e0_path(Scenario(mortality={"improvement": 0.5}), times)
    assert np.all(slower[-1] < e0[-1])


def test_variants_move_population_the_right_way():
    names = ["baseline", "ipss_high_fertility", "ipss_low_fertility", "ipss_high_mortality",
             "ipss_low_mortality", "fertility_recovery", "more_immigration"]
    scenarios = [load_scenario(SCENARIOS / f"{n}.yaml").scenario for n in names]
    _, ind = run_batch(scenarios, keep_ages=False)
    total = dict(zip(names, ind["population_total"][:, -1]))  # 2065
    base = total["baseline"]
    assert 1.03 < total["ipss_high_fertility"] / base < 1.12
    assert 0.88 < total["ipss_low_fertility"] / base < 0.97
    assert 0.97 < total["ipss_high_mortality"] / base < 0.995
    assert 1.005 < total["ipss_low_mortality"] / base < 1.03
    assert total["fertility_recovery"] > total["ipss_high_fertility"]
    assert 1.04 < total["more_immigration"] / base < 1.12


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                         st.text(max_size=12))
yaml_keys = st.one_of(st.sampled_from(["horizon", "fertility", "tfr", "mortality", "e0", "male", "net",
                                       "migration", "labour", "economy", "targets", "extends", "name",
                                       "report_years", "profile", "participation", "ages", "rate"]),
                      st.integers(1900, 2400), st.text(max_size=8))
yaml_docs = st.recursive(yaml_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(yaml_keys, inner, max_size=5)), max_leaves=20)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=yaml_docs)
def test_random_yaml_documents_give_success_or_clean_error(tmp_path, doc):
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(doc))
    try:
        load_scenario(path)
    except InputError as error:
        assert error.problems and all(p.startswith(str(path)) for p in error.problems)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200))
def test_random_bytes_give_success_or_clean_error(tmp_path, raw):
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(raw)
    try:
        load_scenario(path)
    except InputError as error:
        assert error.problems


def test_every_schema_field_is_described():
    schema = json.loads(schema_text())
    missing = []

    def walk(node, where):
        for name, prop in node.get("properties", {}).items():
            if "description" not in prop:
                missing.append(f"{where}.{name}")
    walk(schema, "scenario")
    for name, definition in schema.get("$defs", {}).items():
        walk(definition, name)
    assert missing == []


def test_explicit_units_validate_and_run(tmp_path):
    """The deliberate small values of the unit slips, written with their unit, are accepted."""
    path = write(tmp_path, "small", "economy:\n  productivity_growth: '0.02 %'\nlabour:\n  seniors: {rate: '0.6 %', by: 2040}\n"
                 "  unemployment: {2018: '0.028 %', 2030: 3}\nmigration:\n  net: '200 persons'\n")
    scenario = load_scenario(path).scenario
    assert scenario.economy.productivity_growth == {1950: 0.02} and scenario.labour.seniors.rate == 0.6
    assert scenario.labour.unemployment == {2018: 0.028, 2030: 3.0} and scenario.migration.net == {1950: 200.0}
    _, indicators = run_batch([scenario], keep_ages=False)
    assert np.all(np.isfinite(indicators["gdp"]))


def test_unit_rule_is_in_the_schema_descriptions():
    schema = json.loads(schema_text())
    economy = schema["$defs"]["Economy"]["properties"]
    assert "'0.02 %'" in economy["productivity_growth"]["description"]
    assert "'200 persons'" in schema["$defs"]["Migration"]["properties"]["net"]["description"]


def test_alias_bomb_is_refused_within_bounded_memory():
    """A 'billion laughs' file is refused before any alias is expanded (peak traced memory < 20 MB)."""
    import tracemalloc
    tracemalloc.start()
    with pytest.raises(InputError, match="once YAML aliases are expanded"):
        load_scenario(BAD / "alias_bomb.yaml")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20 * 2**20


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("description: '" + "x" * 1_100_000 + "'\n", encoding="utf-8")
    with pytest.raises(InputError, match="file too large"):
        load_scenario(path)


#: Pieces of YAML that have broken readers before: anchors and aliases, merge keys, tags, deep
#: nesting, flow collections, odd scalars and encodings of numbers.
YAML_PIECES = ["&a", "*a", "&b [1, 2]", "*b", "<<: *a", "<<: {x: 1}", "!!python/object:os.system", "!!binary AAAA",
               "!!set {a}", "!!omap [a: 1]", "!!float", "!!int '12'", "[" * 30, "]" * 30, "{" * 45, "}" * 45,
               "- " * 50, "? ", ": ", "|", ">-", "'", '"\\e[2J"', "\t", "0x1F", "0o17", "1_000", ".inf", "-.nan",
               "9" * 400, "2040: 1.5", "tfr:", "fertility:", "horizon: 2300", "extends: .", "extends: baseline",
               "name: x", "targets: [gdp@2040>=1x2017]", "null", "~", "---", "...", "%YAML 1.1", "#", "\u202e"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.tuples(st.integers(0, 6), st.lists(st.sampled_from(YAML_PIECES), min_size=1, max_size=4)),
                      min_size=1, max_size=12))
def test_hostile_yaml_features_give_success_or_located_error(tmp_path, lines):
    path = tmp_path / "hostile.yaml"
    text = "\n".join(" " * (2 * indent) + " ".join(pieces) for indent, pieces in lines) + "\n"
    path.write_text(text, encoding="utf-8")
    try:
        load_scenario(path)
    except InputError as error:
        assert error.problems and all(p.startswith(str(path)) for p in error.problems), error.problems


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(depth=st.integers(1, 3000), kind=st.sampled_from(["[", "{a: ", "- "]))
def test_any_nesting_depth_gives_success_or_located_error(tmp_path, depth, kind):
    path = tmp_path / "deep.yaml"
    close = {"[": "]", "{a: ": "}", "- ": ""}[kind]
    body = (kind * depth + "1" + close * depth) if kind != "- " else "\n".join(" " * i + "-" for i in range(depth)) + " 1"
    path.write_text("name: deep\ndescription: " + body + "\n", encoding="utf-8")
    try:
        load_scenario(path)
    except InputError as error:
        assert all(p.startswith(str(path)) for p in error.problems), error.problems


@pytest.mark.parametrize("layout", ["absolute", "symlink", "long_name"])
def test_self_references_and_impossible_parent_names_are_located(tmp_path, layout):
    if layout == "absolute":
        leaf = tmp_path / "selfabs.yaml"
        leaf.write_text(f"name: selfabs\nextends: {leaf}\n", encoding="utf-8")
        fragment = "inheritance cycle"
    elif layout == "symlink":
        (tmp_path / "real.yaml").write_text("name: linked\nextends: link\n", encoding="utf-8")
        (tmp_path / "link.yaml").symlink_to(tmp_path / "real.yaml")
        leaf, fragment = tmp_path / "link.yaml", "inheritance cycle"
    else:
        leaf = tmp_path / "longname.yaml"
        leaf.write_text("name: longname\nextends: " + "a" * 5000 + "\n", encoding="utf-8")
        fragment = "as a parent scenario"
    with pytest.raises(InputError) as caught:
        load_scenario(leaf)
    assert len(caught.value.problems) == 1 and ":2:1: extends: " in caught.value.problems[0]
    assert fragment in caught.value.problems[0] and len(caught.value.problems[0]) < 400


def test_one_syntax_error_does_not_hide_the_others(tmp_path):
    """Each top-level entry is read on its own after a YAML error: a tab, a bad indentation and two
    values in the wrong form are reported in one pass, each at its line."""
    path = tmp_path / "many.yaml"
    path.write_text("name: many\nfertility:\n\ttfr: 1.5\nmortality:\n  e0: 80\n   x: 1\nmigration:\n  net: ３０００００\n"
                    "labour:\n  unemployment: \"2,5\"\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    lines = [p.split(":")[1] for p in caught.value.problems]
    assert lines == ["3", "6", "8", "10"], caught.value.problems
    assert "a tab character" in caught.value.problems[0] and "write 2.5" in caught.value.problems[3]


def test_problems_are_counted_past_a_limit(tmp_path):
    from simulate.scenario.loader import MAX_PROBLEMS
    path = tmp_path / "lots.yaml"
    path.write_text("name: lots\n" + "".join(f"bad_key_{i}: 1\n" for i in range(MAX_PROBLEMS + 5)), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert len(caught.value.problems) == MAX_PROBLEMS + 1 and caught.value.problems[-1].startswith("... and 5 more")
