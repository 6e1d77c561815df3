"""Every object the API returns or takes shows itself in one line of at most 300 characters, and as
a small HTML view in a notebook (issue 35: repr(simulate.backcast(...)) was 10,438 characters)."""

from __future__ import annotations

import pytest

import simulate
from simulate import api
from simulate.text.reprs import MAX_REPR, short_repr

LONG = "a_scenario_name_that_is_as_long_as_a_folder_name_may_be_0123456"


@pytest.fixture(scope="module")
def objects(tmp_path_factory):
    long = tmp_path_factory.mktemp("long") / f"{LONG}.yaml"
    long.write_text(f"name: {LONG}\nextends: current\ntitle: {'A very long title ' * 20}\n", encoding="utf-8")
    found = {
        "load": simulate.load("current"),
        "load long": simulate.load(long),
        "scenario": simulate.load("current").scenario,
        "with_": simulate.with_("current", **{"migration.net": 300_000, "fertility.tfr": 1.6}),
        "run": simulate.run("current"),
        "compare": simulate.compare("current", "baseline", "moonshot", "automation", "fertility_recovery"),
        "backcast": simulate.backcast("current", "tfr", ["births@2040>=800000"]),
        "backcast long": simulate.backcast(long, "tfr", ["births@2040>=800000", "labour_force@2040>=50e6",
                                                          "population_total@2050>=100e6"]),
        "odds": api.backcast_odds("current", "productivity_growth", 0.5, ["gdp@2040>=1.1x2024"], n=16, seed=1),
        "frontier": api.frontier("current", "productivity_growth", "net_migration", ["gdp@2040>=1.2x2024"]),
        "forecast": api.forecast("current", n=16, seed=1),
        "ensemble": simulate.ensemble("current", n=8, seed=1),
        "sweep": simulate.sweep("current", {"migration.net": [100_000, 300_000]}),
        "reproduce": api.reproduce(),
        "backtest": api.backtest("2000", n=16, horizons="5"),
    }
    return found


@pytest.mark.slow
def test_every_api_object_has_a_short_one_line_repr_and_an_html_view(objects):
    for name, value in objects.items():
        text = repr(value)
        assert len(text) <= MAX_REPR and "\n" not in text and text.startswith("<"), (name, len(text), text[:120])
        html = value._repr_html_()
        assert isinstance(html, str) and html.startswith("<") and len(html) < 200_000, name


def test_one_line_cuts_long_text_and_keeps_the_closing_bracket():
    text = "<Thing " + "x" * 500 + ">"
    cut = short_repr(text)
    assert len(cut) == MAX_REPR and cut.endswith("…>") and short_repr("<a\n  b>") == "<a b>"


def test_a_scenario_and_a_backcast_say_what_they_are():
    loaded = simulate.load("current")
    assert repr(loaded).startswith('<LoadedScenario current "Current (2020 census') and "observed to 2024" in repr(loaded)
    assert repr(simulate.with_("current", **{"migration.net": 300_000})).count("set: migration.net=300000") == 1
    answer = simulate.backcast("current", "tfr", ["births@2040>=800000"])
    assert repr(answer).startswith(f"<Backcast of current: tfr = {answer.value:.4g} children per woman meets")
