"""Validate means run: every file of the scenario corpus that ``validate`` accepts runs, figures and
reports included; what cannot run is refused by ``validate`` with one located line."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulate.cli import main
from conftest import ROOT

CORPUS = sorted((ROOT / "tests" / "odd_scenarios").glob("*.yaml")) + sorted(
    (ROOT / "tests" / "bad_scenarios").glob("*.yaml"))


@pytest.mark.slow
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_what_validate_accepts_runs(path, tmp_path, capsys):
    if main(["validate", str(path)]) != 0:
        err = capsys.readouterr().err.strip().splitlines()
        assert err and all(":" in line for line in err) and "Traceback" not in "".join(err)
        return
    assert main(["run", str(path), "--out", str(tmp_path), "--quiet"]) == 0, capsys.readouterr().err
    (folder,) = [p for p in tmp_path.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert (folder / "report.html").is_file() and list((folder / "figures").glob("*.svg"))


def test_the_odd_corpus_is_accepted_and_the_bad_one_refused(capsys):
    odd = [p for p in CORPUS if p.parent.name == "odd_scenarios"]
    assert len(odd) >= 7 and main(["validate", *map(str, odd)]) == 0


def test_a_title_is_drawn_as_written(tmp_path):
    path = ROOT / "tests" / "odd_scenarios" / "mathtext_title.yaml"
    assert main(["run", str(path), "--out", str(tmp_path), "--quiet"]) == 0
    svg = (tmp_path / "mathtext_title" / "figures" / "labour.svg").read_text(encoding="utf-8")
    assert "Cost $\\foo$ and Budget $5 bn to $10 bn" in svg


@pytest.mark.parametrize("args,fragment", [
    (["backcast", "current", "--target", "births@2020>=1", "--lever", "tfr"], "first value is 2021"),
    (["sweep", "ipss2023_medium", "--grid", "tfr=1.2,1.4", "--metric", "births@2020"], "first value is 2021"),
    (["backcast", "current", "--target", "births@2015>=1", "--lever", "tfr"], "greater than or equal to 2016"),
    (["reproduce", "--scenario", "current"], "starts from census2020"),
])
def test_questions_a_run_cannot_answer_are_one_located_line(args, fragment, tmp_path, capsys):
    assert main([*args, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and fragment in err[0] and "pydantic" not in err[0]
    assert not any(tmp_path.iterdir())


def test_emigration_cut_short_is_said_on_the_terminal_and_in_the_report(tmp_path, capsys):
    path = ROOT / "tests" / "odd_scenarios" / "mass_emigration.yaml"
    assert main(["run", str(path), "--out", str(tmp_path), "--quiet", "--no-figures"]) == 0
    err = capsys.readouterr().err
    assert "could not leave" in err and "2070" in err
    assert "could not leave" in (tmp_path / "mass_emigration" / "report.html").read_text(encoding="utf-8")


def test_json_output_escapes_what_a_terminal_would_obey(tmp_path, capsys):
    path = tmp_path / "bidi.yaml"
    path.write_text("extends: baseline\nname: bidi\ntitle: \"evil \\u202e title \\x85 end\"\n", encoding="utf-8")
    assert main(["validate", "--json", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\u202e" not in out and "\x85" not in out and "\\u202e" in out


def test_a_missing_name_is_located_in_the_file_itself(tmp_path, capsys):
    path = tmp_path / "Not A Name.yaml"
    path.write_text("extends: baseline\nfertility:\n  tfr: 1.5\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(str(path)) and "baseline.yaml" not in err and "add a 'name:' key" in err


def test_extends_through_dot_dot_to_itself_is_the_cycle_message(tmp_path, capsys):
    path = tmp_path / "self.yaml"
    path.write_text(f"extends: {tmp_path}/../{tmp_path.name}/self.yaml\nname: self\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "inheritance cycle" in err and "internal error" not in err


def test_init_never_writes_through_a_dangling_link(tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere.yaml"
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "my_scenario.yaml").symlink_to(elsewhere)
    assert main(["init", str(folder), "--name", "my_scenario"]) == 2
    assert not elsewhere.exists()


def test_a_band_between_grid_points_is_found_and_a_miss_is_written_plainly(tmp_path, capsys):
    """Two targets met together only near TFR 1.49 (between two of the 17 grid values)."""
    args = ["backcast", "baseline", "--target", "population_total@2040>=112e6", "--target",
            "population_total@2040<=112.3e6", "--lever", "tfr", "--out", str(tmp_path), "--no-figures"]
    assert main(args) == 0
    assert main(["backcast", "current", "--target", "labour_force@2040>=80e6", "--lever", "tfr", "--out",
                 str(tmp_path), "--no-figures"]) == 1
    err = capsys.readouterr().err
    assert "falls short by 18.44 M" in err and "e+" not in err and "missed at every value" not in err
