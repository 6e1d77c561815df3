"""What-ifs keep their names: a run with overrides gets its own name, folder and title, lists its
overrides at the top of its report, and never replaces the plain scenario's results; a comparison
can set a scenario against a what-if of it, with legends that tell them apart."""

from __future__ import annotations

import json

import pytest

import simulate
from simulate.cli import main
from simulate.names import name_problem, what_if_name
from simulate.plots.comparison import legend_labels


def test_a_what_if_is_named_and_titled_by_its_settings():
    plain = simulate.load("current")
    what_if = simulate.load("current", **{"migration.net": "300000"})
    assert what_if.scenario.name == "current-net-300000-" + what_if.scenario.name[-10:] != plain.scenario.name
    assert name_problem(what_if.scenario.name) is None
    assert what_if.scenario.label == plain.scenario.label + " + migration.net=300000"
    assert what_if.overrides == (("migration.net", "300000"),) and plain.overrides == ()
    # the same settings give the same name, in any order; other settings another
    assert simulate.load("current", **{"migration.net": 300000}).scenario.name == what_if.scenario.name
    two = {"migration.net": "300000", "fertility.tfr": "+0.1"}
    assert simulate.load("current", **two).scenario.name == simulate.load(
        "current", **dict(reversed(list(two.items())))).scenario.name
    assert simulate.load("current", **{"migration.net": "300001"}).scenario.name != what_if.scenario.name
    # a name or title given with the overrides is kept
    named = simulate.load("current", **{"migration.net": "300000", "name": "mine", "title": "Mine"})
    assert (named.scenario.name, named.scenario.label) == ("mine", "Mine")


def test_long_what_if_names_stay_names_and_unique():
    long = {f"labour.participation_{i}.x": str(i) for i in range(20)}
    name = what_if_name("a" * 60, long)
    assert len(name) <= 64 and name_problem(name) is None
    assert name != what_if_name("a" * 60, long | {"z.z": "1"})


def test_derived_what_ifs_keep_every_setting():
    chained = simulate.with_(simulate.with_("current", **{"migration.net": "300000"}), **{"fertility.tfr": "+0.1"})
    assert chained.overrides == (("migration.net", "300000"), ("fertility.tfr", "+0.1"))
    assert chained.scenario.label.endswith("+ migration.net=300000 + fertility.tfr=+0.1")


def test_run_with_set_never_replaces_the_plain_scenarios_results(tmp_path):
    assert main(["run", "current", "--out", str(tmp_path), "--no-figures", "--quiet"]) == 0
    plain = (tmp_path / "current" / "indicators.csv").read_bytes()
    assert main(["run", "current", "--set", "migration.net=300000", "--out", str(tmp_path), "--no-figures",
                 "--quiet"]) == 0
    assert (tmp_path / "current" / "indicators.csv").read_bytes() == plain
    (folder,) = tmp_path.glob("current-net-300000-*")
    assert (folder / "indicators.csv").read_bytes() != plain
    meta = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert meta["overrides"] == {"migration.net": "300000"} and meta["title"].endswith("+ migration.net=300000")
    report = (folder / "report.html").read_text(encoding="utf-8")
    top = report.index("<h1>")
    assert report.index("class=whatif", top) < report.index("<h2>", top) and "migration.net = 300000" in report
    assert main(["run", "current", "--set", "migration.net=300000", "--name", "plus300k", "--out", str(tmp_path),
                 "--no-figures", "--quiet"]) == 0
    assert (tmp_path / "plus300k" / "report.html").is_file()


def test_backcasts_with_and_without_set_keep_their_own_folders(tmp_path):
    ask = ["backcast", "current", "--lever", "tfr", "--target", "births@2030>=700000", "--out", str(tmp_path),
           "--no-figures", "--quiet"]
    assert main(ask) == 0 and main(ask + ["--set", "migration.net=300000"]) == 0
    folders = sorted(p.name for p in tmp_path.iterdir() if "backcast" in p.name)
    assert len(folders) == 2 and folders[0].startswith("current-net-300000-") and folders[1].startswith("current_")


def test_compare_a_scenario_with_a_what_if_of_it(tmp_path):
    assert main(["compare", "current", "current+migration.net=300000+fertility.tfr=+0.1", "--name", "w",
                 "--out", str(tmp_path), "--no-figures", "--quiet"]) == 0
    names = json.loads((tmp_path / "comparison" / "w" / "run.json").read_text(encoding="utf-8"))["scenarios"]
    assert len(names) == 2 and names[0] == "current" and names[1].startswith("current-tfr-0p1-net-300000-")
    run = json.loads((tmp_path / names[1] / "run.json").read_text(encoding="utf-8"))
    assert run["overrides"] == {"fertility.tfr": "+0.1", "migration.net": "300000"}


@pytest.mark.parametrize("text", ["current+migration.net=abc", "current+fertility.tfr=x"])
def test_a_bad_what_if_is_located_in_the_argument(text, capsys):
    assert main(["compare", "current", text, "--no-figures", "--quiet"]) == 2
    assert capsys.readouterr().err.startswith(text + ": ")


def test_legends_tell_a_what_if_from_its_scenario():
    titles = {"current": simulate.load("current").scenario.label}
    for name, settings in [("a", {"migration.net": "300000"}), ("b", {"migration.net": "400000"})]:
        titles[name] = simulate.load("current", **settings).scenario.label
    labels = legend_labels(list(titles), titles)
    assert len(set(labels)) == 3 and all(len(label) <= 62 for label in labels)
    assert labels[1].endswith("migration.net=300000") and labels[2].endswith("migration.net=400000")
    same = legend_labels(["x", "y"], {"x": "The same title", "y": "The same title"})
    assert same[0] != same[1]


def test_two_settings_that_share_a_short_name_never_share_a_folder(tmp_path, monkeypatch, capsys):
    """Names that collide (a one-character hash here, so that a collision is found quickly) are
    caught from the folder's recorded question: the second run is refused, the first kept."""
    from simulate import names

    monkeypatch.setattr(names, "WHAT_IF_HASH", 1)
    long = "a" * 62  # the readable part of a what-if's name is cut away: only the hash tells them apart
    (tmp_path / "long.yaml").write_text(f"extends: current\nname: {long}\n", encoding="utf-8")
    by_name: dict[str, int] = {}
    for value in range(100_000, 100_100):
        found = what_if_name(long, {"migration.net": value})
        if found in by_name:
            first, second = by_name[found], value
            break
        by_name[found] = value
    out, source = tmp_path / "out", str(tmp_path / "long.yaml")
    assert main(["run", source, "--set", f"migration.net={first}", "--out", str(out), "--no-figures"]) == 0
    folder = out / found
    capsys.readouterr()
    assert main(["run", source, "--set", f"migration.net={second}", "--out", str(out), "--no-figures"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "another question" in err and f"migration.net={first}" in err
    assert json.loads((folder / "run.json").read_text(encoding="utf-8"))["overrides"] == {"migration.net": str(first)}
    # the same question again replaces its own folder
    assert main(["run", source, "--set", f"migration.net={first}", "--out", str(out), "--no-figures"]) == 0


@pytest.mark.parametrize("question,plain", [("population_total@2040>=65e6", "population_total-2040-ge-65000000"),
                                            ("gdp@2040>=1.5E-3", "gdp-2040-ge-0p0015")])
def test_no_folder_name_is_in_scientific_notation(question, plain):
    """Issue 35: a run folder was named '...-ge-65e6-...'; numbers are written out in names."""
    from simulate.names import answer_name, slug
    assert slug(question) == plain
    assert plain in answer_name("current", "backcast", question)
