import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from simulate.backcasting import LEVERS, solve

from simulate.targets import target_status
from simulate.cli import main
from simulate.errors import InputError, TargetNotMet
from simulate.names import rerun_name
from simulate.pipeline import run_scenarios
from simulate.scenario import Scenario, load_scenario
from simulate.scenario.loader import LoadedScenario
from simulate.scenario.economy_model import Target
from conftest import ROOT, SCENARIOS


def test_target_parsing():
    t = Target.parse("gdp_per_capita@2040>=1.3x2017")
    assert (t.metric, t.year, t.op, t.value, t.reference_year(2024)) == ("gdp_per_capita", 2040, ">=", 1.3, 2017)
    assert Target.parse("gdp@2040>=1.1xbase").reference_year(2024) == 2024
    assert str(Target.parse("gdp@2040>=1.1xbase")) == "gdp@2040>=1.1xbase"
    assert Target.parse("labour_force @ 2040 <= 6e7").value == 6e7
    with pytest.raises(ValueError):
        Target.parse("gdp > 2040")


@pytest.mark.parametrize("lever,target", [
    ("productivity_growth", "gdp@2040>=1x2017"),
    ("seniors_uplift", "labour_force@2040>=60e6"),
    ("women_uplift", "labour_force@2040>=58e6"),
    ("net_migration", "population_15_64@2040>=1x2017"),
    ("tfr", "births@2030>=900000"),
])
def test_solutions_rerun_to_meet_their_targets(lever, target):
    targets = [Target.parse(target)]
    solution = solve(Scenario(), lever, targets)
    result = run_scenarios([LoadedScenario(solution.scenario, (), "")])[0]
    status = target_status(result.indicators, targets, 2017)[0]
    assert status["met"] and abs(status["margin"]) < 1e-4 * max(1.0, abs(status["achieved"]))


def test_infeasible_target_is_explained():
    with pytest.raises(TargetNotMet, match="out of reach"):
        solve(Scenario(), "seniors_uplift", [Target.parse("labour_force@2040>=90e6")])


def test_non_binding_target_is_explained():
    with pytest.raises(TargetNotMet, match="not binding"):
        solve(Scenario(), "tfr", [Target.parse("population_total@2020>=1e6")])


def test_unknown_metric_is_refused_when_parsed_and_when_solved():
    with pytest.raises(ValueError, match="unknown indicator 'labour_forse': did you mean 'labour_force'"):
        Target.parse("labour_forse@2040>=1")
    with pytest.raises(InputError, match="unknown metric"):  # a target built without validation
        solve(Scenario(), "tfr", [Target.model_construct(metric="nonsense", year=2040, op=">=", value=1.0,
                                                         relative_to_2017=False, relative_to=None)])


def test_indicator_list_is_what_the_engine_computes():
    from simulate.indicators import NAMES
    from simulate.pipeline import run_batch

    assert tuple(run_batch([Scenario()], keep_ages=False)[1]) == NAMES


def test_backcast_cli_writes_reproducible_yaml(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["backcast", str(SCENARIOS / "baseline.yaml"), "--target", "labour_force@2040>=60e6",
                 "--lever", "seniors_uplift", "--out", str(out)])
    assert code == 0
    folder = out / "baseline_backcast_seniors_uplift-labour_force-2040-ge-60000000"
    report = json.loads((folder / "backcast.json").read_text())
    assert report["question"] == {"lever": "seniors_uplift", "targets": ["labour_force@2040>=60000000"]}
    assert report["targets"][0]["met"] and report["bracket"][0] <= report["value"] <= report["bracket"][1]
    solved = load_scenario(folder / "scenario.yaml").scenario
    rerun = run_scenarios([load_scenario(folder / "scenario.yaml")])[0].indicators
    written = pd.read_csv(folder / "indicators.csv")
    np.testing.assert_allclose(rerun.drop(columns="year").to_numpy(), written.drop(columns="year").to_numpy(),
                               rtol=1e-9, equal_nan=True)
    assert solved.labour.participation[-1].ages == "65-74"
    # running the file writes a folder of its own; the backcast's folder is not replaced
    assert solved.name == rerun_name(folder.name) != folder.name
    assert main(["run", str(folder / "scenario.yaml"), "--out", str(out), "--no-figures"]) == 0
    assert (folder / "backcast.json").is_file() and (out / solved.name / "indicators.csv").is_file()


@pytest.mark.slow
def test_backcast_cli_infeasible_exit_1_one_line(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "run.py"), "backcast", str(SCENARIOS / "baseline.yaml"),
                           "--target", "labour_force@2040>=90e6", "--lever", "seniors_uplift",
                           "--out", str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 1 and "out of reach" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert not any(tmp_path.iterdir())


def test_scenario_targets_used_when_no_target_given(tmp_path, capsys):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(f"extends: {SCENARIOS / 'baseline.yaml'}\ntargets: ['gdp@2040>=1x2017']\n")
    assert main(["backcast", str(scenario), "--lever", "productivity_growth", "--out", str(tmp_path)]) == 0


def test_every_lever_listed():
    assert set(LEVERS) == {"productivity_growth", "seniors_uplift", "women_uplift", "net_migration", "tfr",
                           "care_productivity", "healthy_ageing"}


def test_every_question_keeps_its_own_folder(tmp_path):
    """Two backcasts of one scenario and lever with different targets leave two folders; asking
    the first again replaces its own."""
    out = tmp_path / "out"
    ask = lambda target: main(["backcast", str(SCENARIOS / "baseline.yaml"), "--target", target,  # noqa: E731
                               "--lever", "productivity_growth", "--out", str(out), "--no-figures", "--quiet"])
    assert ask("gdp@2040>=1x2017") == 0 and ask("gdp@2040>=1.2x2017") == 0 and ask("gdp@2040>=1x2017") == 0
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert folders == ["baseline_backcast_productivity_growth-gdp-2040-ge-1p2x2017",
                       "baseline_backcast_productivity_growth-gdp-2040-ge-1x2017"]


def test_long_names_stay_unique_after_shortening():
    from simulate.names import NAME_LIMIT, answer_name
    long = "a" * 60
    first = answer_name(long, "backcast", "tfr births@2030>=900000")
    second = answer_name(long, "backcast", "tfr births@2030>=950000")
    assert first != second and len(first) <= NAME_LIMIT and len(second) <= NAME_LIMIT
    assert first != long and answer_name("base", "sweep", "tfr=1,2") == "base_sweep_tfr-1-2"
