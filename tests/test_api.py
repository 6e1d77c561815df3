"""The Python API: the same runs and files as the command line, from any folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import simulate
from simulate.cli import main
from simulate.errors import InputError
from simulate.machine import cores

from conftest import ROOT


def test_import_is_light_and_the_api_is_there():
    code = "import sys, simulate; print('numpy' in sys.modules, callable(simulate.run), callable(simulate.backcast))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.split() == ["False", "True", "True"], proc.stderr


@pytest.mark.slow
def test_from_an_empty_folder_shipped_names_and_extends_resolve(tmp_path):
    (tmp_path / "mine.yaml").write_text("name: mine\nextends: baseline\nfertility:\n  tfr: '+0.2'\n", encoding="utf-8")
    code = ("import simulate; r = simulate.run('baseline'); m = simulate.run('mine.yaml'); "
            "a = r.indicators.set_index('year').at[2040, 'population_total']; "
            "b = m.indicators.set_index('year').at[2040, 'population_total']; print(round(a), b > a)")
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=environment)
    assert proc.returncode == 0, proc.stderr
    here = simulate.run("baseline").indicators.set_index("year").at[2040, "population_total"]
    assert proc.stdout.split() == [str(round(here)), "True"]


def test_overrides_equal_a_file_and_derived_scenarios_chain(tmp_path):
    (tmp_path / "high.yaml").write_text("name: high\nextends: baseline\nfertility:\n  tfr: '+0.4'\n", encoding="utf-8")
    from_file = simulate.run(tmp_path / "high.yaml").indicators
    from_kwargs = simulate.run("baseline", **{"fertility.tfr": "+0.4", "name": "high"}).indicators
    twice = simulate.with_(simulate.with_("baseline", **{"fertility.tfr": "+0.2"}), **{"fertility.tfr": "+0.2"})
    pd.testing.assert_frame_equal(from_file, from_kwargs)
    pd.testing.assert_frame_equal(from_file, simulate.run(twice).indicators)
    mapping = simulate.run({"name": "inline", "extends": "baseline", "fertility": {"tfr": "+0.4"}}).indicators
    pd.testing.assert_frame_equal(from_file, mapping)


@pytest.mark.parametrize("overrides, fragment", [
    ({"fertility.tfx": 1.6}, "override: fertility.tfx: unknown key (did you mean 'tfr'?)"),
    ({"migration.net": "abc"}, "override: migration.net: expected a number"),
    ({"fertility.tfr.2016": 2.0}, "override: fertility.tfr.2016: keyframe 2016 is inside history"),
    ({"economy.productivity_growth": 0.02}, "did you mean 2 % per year?"),
    ({"targets": ["labour_forse@2040>=60e6"]}, "did you mean 'labour_force'"),
])
def test_bad_overrides_get_the_located_messages_of_files(overrides, fragment):
    with pytest.raises(InputError) as caught:
        simulate.run("baseline", **overrides)
    assert any(fragment in p for p in caught.value.problems), caught.value.problems


def test_unknown_scenario_name_suggests_the_shipped_one():
    with pytest.raises(InputError, match="did you mean 'baseline'"):
        simulate.load("basline")


@pytest.mark.slow
def test_api_and_cli_write_identical_files(tmp_path):
    api_folder = simulate.run("baseline", **{"fertility.tfr": "+0.2"}).write(tmp_path / "api")
    assert main(["run", "baseline", "--set", "fertility.tfr=+0.2", "--out", str(tmp_path / "cli"), "--quiet",
                 "--no-figures"]) == 0
    assert api_folder.name.startswith("baseline-tfr-0p2-")  # a what-if keeps its own name, in both
    for name in ("indicators.csv", "population.csv", "labour.csv", "iamc.csv", "headline.csv"):
        assert (api_folder / name).read_bytes() == (tmp_path / "cli" / api_folder.name / name).read_bytes(), name
    compared = simulate.compare("baseline", "current", name="pair")
    compared.write(tmp_path / "api")
    assert main(["compare", "baseline", "current", "--name", "pair", "--out", str(tmp_path / "cli"), "--quiet",
                 "--no-figures"]) == 0
    for name in ("indicators.csv", "outcomes.csv"):
        assert ((tmp_path / "api" / "comparison" / "pair" / name).read_bytes()
                == (tmp_path / "cli" / "comparison" / "pair" / name).read_bytes()), name


@pytest.mark.slow
def test_api_uncertainty_and_backcast_equal_the_cli(tmp_path):
    from simulate.report.csvfiles import csv_ready

    out = str(tmp_path)
    assert main(["ensemble", "baseline", "--n", "64", "--seed", "3", "--out", out, "--quiet", "--no-figures"]) == 0
    ensemble = simulate.ensemble("baseline", n=64, seed=3)
    cli = pd.read_csv(next(tmp_path.glob("baseline_ensemble_*")) / "quantiles.csv")
    np.testing.assert_allclose(cli[["p10", "p50", "p90"]], ensemble.quantiles[["p10", "p50", "p90"]], rtol=1e-9)
    assert main(["sweep", "baseline", "--grid", "tfr=1.2,1.6", "--out", out, "--quiet", "--no-figures"]) == 0
    swept = simulate.sweep("baseline", {"tfr": [1.2, 1.6]})
    cli = pd.read_csv(next(tmp_path.glob("baseline_sweep_*")) / "sweep.csv")
    np.testing.assert_allclose(cli["population_total@2040"], swept.table["population_total@2040"], rtol=1e-9)
    assert main(["sensitivity", "baseline", "--method", "morris", "--n", "4", "--seed", "1", "--out", out,
                 "--quiet", "--no-figures"]) == 0
    table = simulate.sensitivity("baseline", "morris", 4, 1).table
    cli = pd.read_csv(next(tmp_path.glob("baseline_sensitivity_*")) / "sensitivity.csv")
    np.testing.assert_allclose(cli["mu_star"], table["mu_star"], rtol=1e-9)
    assert main(["backcast", "baseline", "--lever", "net_migration", "--target", "labour_force@2040>=60e6",
                 "--out", out, "--quiet", "--no-figures"]) == 0
    solved = simulate.backcast("baseline", "net_migration", ["labour_force@2040>=60e6"])
    record = json.loads(next(tmp_path.glob("baseline_backcast_*")).joinpath("backcast.json").read_text(encoding="utf-8"))
    assert solved.value == record["value"] and bool(solved.result.targets["met"].all())
    assert len(csv_ready(solved.result.to_iamc())) > 10


def test_list_shows_scenarios_levers_and_indicators_with_units(capsys):
    assert main(["list", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert {"baseline", "current"} <= {s["name"] for s in found["scenarios"]}
    assert {lever["name"] for lever in found["levers"]} >= {"tfr", "net_migration", "seniors_uplift"}
    assert {i["name"]: i["unit"] for i in found["indicators"]}["gdp"] == "USD bn, 2018 prices"
    assert main(["list", "--lang", "ja"]) == 0
    assert "労働力人口" in capsys.readouterr().out


def test_init_writes_a_starter_that_validates_and_runs_and_never_overwrites(tmp_path, capsys):
    assert main(["init", str(tmp_path / "proj")]) == 0
    starter = tmp_path / "proj" / "my_scenario.yaml"
    assert (tmp_path / "proj" / "scenario.schema.json").is_file() and starter.read_text(encoding="utf-8").count("#") > 5
    result = simulate.run(starter)
    assert set(result.targets["met"]) <= {True, False} and len(result.targets) == 2
    assert main(["init", str(tmp_path / "proj")]) == 2
    assert "never overwrites" in capsys.readouterr().err


def test_json_outputs_are_machine_readable(tmp_path, capsys):
    bad = ROOT / "tests" / "bad_scenarios" / "typo_key.yaml"
    assert main(["validate", "--json", str(ROOT / "scenarios" / "baseline.yaml"), str(bad)]) == 2
    records = json.loads(capsys.readouterr().out)
    assert [r["ok"] for r in records] == [True, False] and "did you mean 'tfr'" in records[1]["problems"][0]
    assert main(["run", "baseline", "--json", "--out", str(tmp_path), "--no-figures"]) == 0
    printed = json.loads(capsys.readouterr().out)
    written = pd.read_csv(tmp_path / "baseline" / "indicators.csv").set_index("year")
    (record,) = printed["scenarios"]
    assert printed["format"] == "quiet-crisis/run/1" and printed["comparison"] is None
    assert record["name"] == "baseline" and record["folder"] == str(tmp_path / "baseline")
    assert record["headline"]["population_total"]["2040"] == pytest.approx(
        written.at[2040, "population_total"], rel=1e-9)
    assert main(["backcast", "baseline", "--lever", "tfr", "--target", "population_total@2040>=112e6", "--json",
                 "--out", str(tmp_path), "--no-figures"]) == 0
    solution = json.loads(capsys.readouterr().out)
    assert solution["lever"] == "tfr" and 1.4 < solution["value"] < 2.0
    assert main(["reproduce", "--json", "--out", str(tmp_path), "--no-figures"]) == 0
    reproduced = json.loads(capsys.readouterr().out)
    assert reproduced["within_tolerance"] == len(reproduced["seed_figures"]) == 7


@pytest.mark.slow
def test_ensemble_file_is_a_labelled_dataset_equal_to_the_api(tmp_path):
    from simulate.uncertainty.store import open_trajectories

    assert main(["ensemble", "baseline", "--n", "40", "--seed", "5", "--keep-ages", "--out", str(tmp_path), "--quiet",
                 "--no-figures"]) == 0
    folder = next(tmp_path.glob("baseline_ensemble_*"))
    assert not list(folder.glob("*.npz")) and not list(folder.glob("*.nc"))
    with open_trajectories(folder) as written:
        from_api = simulate.ensemble("baseline", n=40, seed=5).to_xarray()
        assert written["population"].dims == ("trajectory", "year", "sex", "age")
        assert list(written["sex"].values) == [0, 1] and written["sex"].attrs["flag_meanings"] == "male female"
        assert written["population"].attrs["units"] == "1" and written["population"].attrs["units_in_words"] == "persons"
        for name in ("labour_force", "gdp_per_capita", "parameter_migration_scale"):
            np.testing.assert_array_equal(written[name].values, from_api[name].values)
            assert written[name].attrs == from_api[name].attrs
        total = written["population"].sum(("sex", "age")).values
        np.testing.assert_allclose(total, written["population_total"].values, rtol=1e-9)


@pytest.mark.slow
def test_example_notebook_runs_from_top_to_bottom(tmp_path):
    nbformat = pytest.importorskip("nbformat") if os.environ.get("CI") != "true" else __import__("nbformat")
    from nbclient import NotebookClient

    notebook = nbformat.read(ROOT / "examples" / "quiet_crisis.ipynb", as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = " ".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "M in 2040" in text and "net_migration" in text and "2017 = 100" in text
    html = " ".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "<caption>&lt;Comparison" in html or "&lt;Results of baseline" in html  # the result object shows itself


@pytest.mark.parametrize("name", ["/abs/x", "../x", "-1-1", "=cmd", "+x", "@x", "a\x00b", "comparison", "A"])
def test_a_bad_name_is_refused_before_anything_touches_the_disk(tmp_path, monkeypatch, name):
    """A mapping is validated directly: no temporary file is written from the caller's input."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="name"):
        simulate.run({"extends": "baseline", "name": name})
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["=HYPERLINK(x)", "-1", "/../x", "A b"])
def test_parameter_names_follow_the_scenario_name_rule(name):
    parameters = {name: {"shift": "fertility.tfr", "distribution": "normal", "mean": 0, "sd": 0.1}}
    with pytest.raises(InputError, match=r"uncertainty\.parameters\..*is not a name"):
        simulate.run({"extends": "baseline", "uncertainty": {"parameters": parameters}})


def test_the_api_reads_text_values_as_set_does():
    """``"200000"`` is a number, relative forms stay relative, own texts stay text (as with --set)."""
    loaded = simulate.load("baseline", **{"migration.net": "200000", "fertility.tfr": "+0.1", "title": "A: b"})
    assert loaded.scenario.migration.net == {1950: 200000.0}
    assert loaded.scenario.fertility.tfr[2035] == pytest.approx(1.53)
    assert loaded.scenario.title == "A: b"


@pytest.mark.parametrize("call", [lambda: simulate.ensemble("baseline", n=0),
                                  lambda: simulate.ensemble("baseline", n=-3),
                                  lambda: simulate.sensitivity("baseline", "sobol", n=100)])
def test_bad_sizes_are_input_errors_named_in_the_librarys_terms(call):
    with pytest.raises(InputError, match=r"^n = "):
        call()


@pytest.mark.parametrize("call,parameter", [
    (lambda: simulate.sensitivity("baseline", n=100), "n"),
    (lambda: simulate.sensitivity("baseline", method="fast"), "method"),
    (lambda: simulate.sweep("baseline", {"tfr": "1:2:0"}), "grid"),
    (lambda: simulate.sweep("baseline", {"tfr": [1.5]}, metric="gdp@2200"), "metric"),
    (lambda: simulate.backcast("baseline", "tfr", ["gdp@2040>=1x2017"], search_range=(2.0, 1.0)), "search_range"),
])
def test_library_errors_name_the_parameter_not_a_flag(call, parameter):
    """The library speaks its own terms; the command line says --n, --grid, ... instead."""
    from simulate.errors import ParameterError
    with pytest.raises(ParameterError) as caught:
        call()
    assert caught.value.parameter == parameter and str(caught.value).startswith(parameter)
    assert "--" not in str(caught.value)


@pytest.mark.parametrize("call,value,allowed", [
    (lambda: simulate.sensitivity("baseline", n=100), 100, "a power of two"),
    (lambda: simulate.sensitivity("baseline", method="morris", n=1), 1, (2, None)),
    (lambda: simulate.sensitivity("baseline", method="fast"), "fast", ("sobol", "morris")),
    (lambda: simulate.sensitivity("baseline", years=[2014]), 2014, (2015, 2065)),
    (lambda: simulate.ensemble("baseline", n=8, execution=simulate.Execution(workers=0)), 0, (1, cores())),
])
def test_errors_say_what_is_allowed_as_data(call, value, allowed):
    """A program (the coming explorer's forms) can read the allowed values without parsing words."""
    from simulate.errors import ParameterError
    with pytest.raises(ParameterError) as caught:
        call()
    assert caught.value.value == value
    assert caught.value.allowed == (allowed if isinstance(allowed, str) else tuple(allowed))


def test_init_in_japanese_writes_japanese_comments_and_both_titles_and_runs(tmp_path):
    assert main(["init", str(tmp_path / "ja"), "--lang", "ja"]) == 0
    starter = tmp_path / "ja" / "my_scenario.yaml"
    text = starter.read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#") and "schema" not in line
                and " run " not in line]
    assert comments and all(any("\u3040" <= c <= "\u9fff" for c in line) for line in comments[:4])
    loaded = simulate.load(starter).scenario
    assert loaded.label_in("ja") == "私のシナリオ（編集してください）" and loaded.label_in("en") == "My scenario (edit me)"
    assert len(simulate.run(starter).targets) == 2
    # the editor's tooltips in Japanese: the starter names the Japanese schema, written beside it
    assert text.startswith("# yaml-language-server: $schema=scenario.schema.ja.json\n")
    assert (tmp_path / "ja" / "scenario.schema.ja.json").read_text(encoding="utf-8") == simulate.api.schema_text("ja")
    assert not (tmp_path / "ja" / "scenario.schema.json").exists()


def test_reproduce_in_japanese_writes_people_as_the_run_reports_do(capsys):
    """1億2,671万人, not 126.71百万人; births in 万人, not 千人 (issue 35)."""
    assert main(["reproduce", "--lang", "ja"]) == 0
    out = capsys.readouterr().out
    assert "1億2,671万人" in out and "1億1,092万人" in out and "93.1万人" in out
    numbers = [line.split()[1:3] for line in out.splitlines()[1:8]]
    assert all("百万" not in cell for row in numbers for cell in row)
