import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from simulate import data
from simulate.cli import main
from conftest import ROOT, SCENARIOS


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], capture_output=True, text=True,
                          cwd=cwd or ROOT)


@pytest.mark.parametrize("order", ["after", "before"])
def test_run_writes_outputs_with_out_before_or_after(tmp_path, order, capsys):
    args = (["run", str(SCENARIOS / "baseline.yaml"), "--out", str(tmp_path)] if order == "after"
            else ["--out", str(tmp_path), "run", str(SCENARIOS / "baseline.yaml")])
    assert main(args) == 0
    folder = tmp_path / "baseline"
    pop = pd.read_csv(folder / "population.csv")
    ind = pd.read_csv(folder / "indicators.csv")
    assert list(pop.columns) == ["year", "sex", "age", "population"]
    assert len(pop) == 51 * 2 * 101 and pop["age"].max() == 100
    assert ind["year"].tolist() == list(range(2015, 2066))
    assert pop[pop.year == 2040]["population"].sum() == pytest.approx(
        ind.set_index("year").at[2040, "population_total"], rel=1e-9)
    meta = json.loads((folder / "run.json").read_text())
    assert meta["scenario"] == "baseline" and len(meta["file_sha256"]) == 64
    assert meta["timings_ms"]["wall"] > 0 and len(meta["data_sha256"]) == len(data.manifest())
    out = capsys.readouterr().out  # by default one line a scenario; --verbose prints the table
    assert "2040: population 111.21 M (−12.4 % on 2017)" in out and "Population " not in out
    assert main(args + ["--verbose"]) == 0
    out = capsys.readouterr().out
    assert "2017" in out and "2040" in out and "Population " in out and "126.92 M" in out


def test_no_arguments_runs_every_shipped_scenario(tmp_path, capsys):
    assert main(["--out", str(tmp_path)]) == 0
    names = {p.stem for p in SCENARIOS.glob("*.yaml")}
    assert names <= {p.name for p in tmp_path.iterdir()}


def test_reproduce_exits_zero_lists_figures_and_checks_reality(tmp_path, capsys):
    assert main(["reproduce", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Population 2040" in out and "7 of 7" in out
    assert "Births (Japanese nationals) 2024: 686 thousand observed against" in out
    folder = tmp_path / "reproduce"
    reality = pd.read_csv(folder / "reality_check.csv")
    births = reality[(reality.indicator == "births") & (reality.year == 2024)].iloc[0]
    assert births.observed == 686_061 and births.deviation_pct < -15  # reality ran below the projection
    tfr = reality[(reality.indicator == "tfr") & (reality.year == 2024)].iloc[0]
    assert tfr.observed == 1.15 and tfr.projected == pytest.approx(1.42, abs=0.005)
    assert sorted(reality.year.unique()) == list(range(2018, 2025))
    assert len((folder / "reality_check.txt").read_text(encoding="utf-8").splitlines()) == 7
    labour = reality[(reality.indicator == "labour_force")]
    assert labour.year.tolist() == [2022, 2023, 2024] and labour.observed.iloc[-1] == pytest.approx(69.57e6)
    assert (folder / "figures" / "reality_check.svg").stat().st_size > 10_000
    assert pd.read_csv(folder / "seed_figures.csv")["ok"].all()


def test_reproduce_exits_one_when_off(tmp_path, capsys):
    bad = tmp_path / "low.yaml"
    bad.write_text("fertility:\n  tfr: 0.5\n")
    assert main(["reproduce", "--scenario", str(bad), "--out", str(tmp_path), "--no-figures"]) == 1


@pytest.mark.slow
@pytest.mark.parametrize("content,fragment", [
    (None, "file not found"),
    ("fertility:\n  tfr: -1\n", ":2:3: fertility.tfr"),
    ("fertility:\n  tfrr: 1.4\n", "did you mean 'tfr'"),
    ("horizon: 2010\n", "horizon"),
    ("mortality:\n  e0:\n    male: 150\n", "mortality.e0.male"),
    ("horizon: [\n", "not valid YAML"),
    ("fertility:\n  tfr: {2016: 1.5, 2030: 1.6}\n", "keyframe 2016 is inside history"),
    ("observed_until: 2030\n", "beyond the data"),
    ("jump_off: census2021\n", "did you mean 'census2020'"),
    ("jump_off: census2020\nhorizon: 2070\ntargets: ['gdp@2040>=1.1x2017']\n", "reference year 2017 has no value"),
    ("labour:\n  seniors: {rate: 0.6, by: 2040}\n", "did you mean 60 %?"),
    ("migration:\n  net: 200\n", "did you mean 200,000 persons a year?"),
])
def test_bad_input_one_line_exit_2_nothing_written(tmp_path, content, fragment):
    scenario = tmp_path / "bad.yaml"
    if content is not None:
        scenario.write_text(content)
    out = tmp_path / "out"
    proc = run_cli("run", str(scenario), "--out", str(out))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and fragment in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not out.exists()


@pytest.mark.slow
def test_console_entry_point_help():
    proc = run_cli("--help")
    assert proc.returncode == 0 and "reproduce" in proc.stdout


def test_unexpected_errors_are_one_line_and_debug_shows_the_traceback(monkeypatch, capsys):
    from simulate.cli import commands

    def broken(args):
        raise RuntimeError("something\nunforeseen")
    monkeypatch.setattr(commands, "cmd_validate", broken)
    assert main(["validate", str(SCENARIOS / "baseline.yaml")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("internal error: RuntimeError: something unforeseen") and "\n" not in err
    with pytest.raises(RuntimeError):
        main(["validate", str(SCENARIOS / "baseline.yaml"), "--debug"])


@pytest.mark.parametrize("arguments,fragment", [
    (["sweep", "{B}", "--grid", "tfr=0:1:0"], "with N from 1 to 10,000"),
    (["sweep", "{B}", "--grid", "tfr=nan,1"], "every value must be a finite number"),
    (["ensemble", "{B}", "--n", "10", "--dask", "garbage"], "not 'local' or a scheduler address"),
    (["run", "{B}", "--out", "{FILE}", "--no-figures"], "is a file, not a folder"),
    (["ensemble", "{B}", "--n", "10", "--out", "{FILE}/sub"], "is a file, not a folder"),
    (["schema", "--out", "{DIR}"], "is a folder; give a file name"),
    (["backcast", "{B}", "--lever", "tfr", "--target", "labour_forse@2040>=60e6"], "did you mean 'labour_force'"),
    (["backcast", "{B}", "--lever", "tfr", "--target", "labour_force@2040>=60e6", "--range", "0,inf"],
     "two finite numbers"),
    (["sweep", "{B}", "--grid", "tfr=1,2", "--metric", "gdp@2200"], "has no value: the run covers 2015-2065"),
    (["sweep", "{B}", "--grid", "tfr=0:4:4000", "--grid", "net_migration=0:1e6:1000"], "more than the 4 GB limit"),
    (["sweep", "{B}", "--grid", "uncertainty.parameters.tfr_shift.low=0,1"], "only describes distributions"),
    (["sensitivity", "{B}", "--n", "4194304"], "more than the 4 GB limit"),
    (["sensitivity", "{B}", "--indicator", "labour_forse"], "did you mean 'labour_force'"),
    (["sensitivity", "{B}", "--year", "2500"], "outside the run"),
])
def test_environment_and_argument_errors_are_one_line(tmp_path, capsys, arguments, fragment):
    afile = tmp_path / "a_file"
    afile.write_text("x", encoding="utf-8")
    filled = [a.replace("{B}", str(SCENARIOS / "baseline.yaml")).replace("{FILE}", str(afile))
              .replace("{DIR}", str(tmp_path)) for a in arguments]
    out = [] if "--out" in arguments or arguments[0] == "schema" else ["--out", str(tmp_path / "out")]
    code = main(filled + out)
    err = capsys.readouterr().err.strip()
    assert code == 2 and fragment in err and len(err.splitlines()) == 1, err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("arguments", [["--seed", "-1"], ["--max-memory-gb", "nan"], ["--max-memory-gb", "-2"]])
def test_bad_numeric_options_exit_2(arguments):
    with pytest.raises(SystemExit) as stop:
        main(["ensemble", str(SCENARIOS / "baseline.yaml"), *arguments])
    assert stop.value.code == 2


def test_importing_the_package_changes_no_environment_variable():
    code = ("import os, json; before = dict(os.environ); import simulate, simulate.pipeline, simulate.cli; "
            "print(json.dumps({k: v for k, v in os.environ.items() if before.get(k) != v}))")
    environment = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, cwd=ROOT)
    assert proc.returncode == 0 and proc.stdout.strip() == "{}", proc.stdout + proc.stderr


@pytest.mark.parametrize("arguments", [["--help"], ["validate", "scenarios/baseline.yaml"], ["--version"]])
def test_light_commands_import_no_plotting_statistics_or_cluster_library(arguments):
    code = ("import sys; from simulate.__main__ import main\n"
            f"sys.argv = ['run.py'] + {arguments!r}\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('matplotlib', 'scipy.stats', 'SALib', 'dask', 'xarray', 'zarr') if m in sys.modules),"
            " file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stderr.strip().splitlines()[-1] == "[]", proc.stderr


@pytest.mark.parametrize("figures", [["--no-figures"], []])
def test_an_ensemble_imports_no_plotting_or_statistics_library(tmp_path, figures):
    """Sampling needs scipy.special only; the fan charts import matplotlib in their own worker."""
    code = ("import sys; from simulate.__main__ import main\n"
            f"sys.argv = ['run.py', 'ensemble', 'baseline', '--n', '8', '--quiet', '--out', {str(tmp_path)!r}] + {figures!r}\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('matplotlib', 'scipy.stats', 'SALib', 'dask') if m in sys.modules), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stderr.strip().splitlines()[-1] == "[]", proc.stderr
    (folder,) = tmp_path.glob("baseline_ensemble_*")
    assert (folder / "trajectories.zarr").is_dir()
    assert len(list(folder.glob("figures/fan_*.svg"))) == (0 if figures else 3)
