"""The command line follows the conventions users know: global options anywhere, shipped names in
every command, its own name as it was called, quiet broken pipes, --json everywhere with a stable
shape, a library logger, and hints where the shell cut an argument."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

import simulate
from simulate.cli import BROKEN_PIPE_EXIT, main, program_name
from conftest import ROOT

RUN = [sys.executable, str(ROOT / "run.py")]


@pytest.mark.parametrize("command", [["validate", "baseline"], ["list"], ["schema"], ["init", "{tmp}/i"]])
def test_global_options_stand_after_any_command(command, tmp_path, capsys):
    argv = [part.replace("{tmp}", str(tmp_path)) for part in command]
    assert main(argv + ["--lang", "ja", "--quiet", "--no-figures", "--verbose"]) == 0
    if command[0] != "schema":  # schema's --out is the file it writes
        assert main([part.replace("/i", "/j") for part in argv] + ["--out", str(tmp_path / "x")]) == 0


def test_validate_takes_shipped_names_and_what_ifs(capsys):
    assert main(["validate", "baseline", "current+migration.net=300000"]) == 0
    out = capsys.readouterr().out
    assert "baseline: ok" in out and "current+migration.net=300000: ok (current-net-300000-" in out


@pytest.mark.parametrize("argv0,prog", [("/x/run.py", "python run.py"), ("/x/simulate/__main__.py", "python -m simulate"),
                                        ("/venv/bin/quiet-crisis", "quiet-crisis")])
def test_the_program_is_named_as_it_was_called(argv0, prog):
    assert program_name(argv0) == prog


def test_the_installed_command_says_its_own_name():
    script = Path(sys.executable).parent / "quiet-crisis"
    if not script.exists():
        pytest.skip("quiet-crisis is not installed in this environment")
    proc = subprocess.run([str(script), "bogus"], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.startswith("usage: quiet-crisis") and "run.py" not in proc.stderr
    proc = subprocess.run([str(script), "init", "--help"], capture_output=True, text=True)
    assert proc.stdout.startswith("usage: quiet-crisis init")


def test_init_extends_current_and_its_hint_names_the_program(tmp_path, capsys):
    assert main(["init", str(tmp_path)]) == 0
    said = capsys.readouterr().out
    assert f"run it with: {program_name()} run {tmp_path / 'my_scenario.yaml'}" in said
    text = (tmp_path / "my_scenario.yaml").read_text(encoding="utf-8")
    assert "\nextends: current " in text and f"{program_name()} run my_scenario.yaml" in text
    loaded = simulate.load(tmp_path / "my_scenario.yaml").scenario
    assert loaded.jump_off == "census2020" and loaded.history_end == 2024
    assert loaded.fertility.tfr[2024] == 1.15  # its TFR ramps from the last observation
    assert main(["run", str(tmp_path / "my_scenario.yaml"), "--out", str(tmp_path / "r"), "--no-figures",
                 "--quiet"]) == 0


@pytest.mark.parametrize("command,code", [(["list"], BROKEN_PIPE_EXIT), (["schema"], BROKEN_PIPE_EXIT),
                                          (["run", "baseline", "--no-figures", "--out", "{tmp}"], 0)])
def test_a_closed_pipe_ends_quietly(command, code, tmp_path):
    """``quiet-crisis run baseline | head -1``: no message; 0 once the results are written, else 141."""
    argv = [part.replace("{tmp}", str(tmp_path)) for part in command]
    process = subprocess.Popen(RUN + argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    process.stdout.close()  # the reader goes away before the first line
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == code and "Broken pipe" not in err and "Traceback" not in err, err


@pytest.mark.parametrize("command,keys", [
    (["run", "baseline"], {"scenarios", "comparison"}),
    (["compare", "baseline", "current", "--name", "c"], {"scenarios", "comparison"}),
    (["backcast", "current", "--lever", "tfr", "--target", "births@2030>=700000"], {"value", "folder"}),
    (["ensemble", "baseline", "--n", "20"], {"quantiles", "targets", "folder"}),
    (["sensitivity", "baseline", "--method", "morris", "--n", "2"], {"indices", "runs", "folder"}),
    (["sweep", "baseline", "--grid", "tfr=1.4,1.6"], {"best", "points", "folder"}),
    (["list"], {"scenarios", "levers", "indicators"}),
    (["init", "{tmp}/i"], {"scenario", "schema"}),
])
def test_every_command_speaks_json_with_a_stated_format(command, keys, tmp_path, capsys):
    argv = [part.replace("{tmp}", str(tmp_path)) for part in command]
    assert main(argv + ["--json", "--out", str(tmp_path), "--no-figures"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["format"] == f"quiet-crisis/{'run' if command[0] == 'compare' else command[0]}/1"
    assert keys <= set(printed)


def test_json_keeps_scenario_records_in_a_list_whatever_their_names(tmp_path, capsys):
    """A scenario may be named 'folders' or 'comparison'-like: records are a list, never keys."""
    assert main(["run", "baseline", "--set", "name=folders", "--json", "--out", str(tmp_path), "--no-figures"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in printed["scenarios"]] == ["folders"] and "headline" in printed["scenarios"][0]


def test_the_library_logs_through_the_simulate_logger(caplog, tmp_path, capsys):
    assert any(isinstance(h, logging.NullHandler) for h in logging.getLogger("simulate").handlers)
    with caplog.at_level(logging.INFO, logger="simulate"):
        simulate.ensemble("baseline", n=16, seed=1)
    assert any(r.name == "simulate.uncertainty.ensemble" and "16 runs" in r.getMessage() for r in caplog.records)
    proc = subprocess.run(RUN + ["run", "baseline", "--no-figures", "--quiet", "--verbose", "--out", str(tmp_path)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0 and "simulate.report.publishing: published" in proc.stderr
    quiet = subprocess.run(RUN + ["run", "baseline", "--no-figures", "--quiet", "--out", str(tmp_path)],
                           capture_output=True, text=True, cwd=tmp_path)
    assert "simulate." not in quiet.stderr


def test_a_target_cut_by_the_shell_says_to_quote_it(capsys):
    # labour_force@2040>=60e6 unquoted: the shell passes 'labour_force@2040' and writes a file '=60e6'
    assert main(["backcast", "current", "--lever", "tfr", "--target", "labour_force@2040"]) == 2
    err = capsys.readouterr().err
    assert "put the target in quotes: --target 'labour_force@2040>=VALUE'" in err
