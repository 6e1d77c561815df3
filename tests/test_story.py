"""What a run means in plain sentences (simulate/report/story.py), checked against the numbers
they come from: the published IPSS table, the run's indicators, and the backcast's answer."""

import re

import pandas as pd
import pytest

from simulate import api, data
from simulate.report.story import comparison_sentences, one_line
from simulate.text.numbers import format_value


@pytest.fixture(scope="module")
def baseline():
    return api.run("baseline")


def test_the_story_reads_2040_against_today_and_the_published_projection(baseline):
    first = baseline.so_what("en")[0]
    ind = baseline.indicators.set_index("year")
    published = float(data.ipss_annual_total()[2040])
    gap = 100 * (ind.at[2040, "population_total"] / published - 1)
    fall = 100 * (ind.at[2040, "population_total"] / ind.at[2017, "population_total"] - 1)
    assert format_value("population_total", published) in first and "IPSS 2017 medium, published" in first
    assert f"{gap:+.1f} %" in first and f"−{abs(fall):.1f} %" in first


def test_the_concern_that_moves_most_is_the_largest_relative_change(baseline):
    ind = baseline.indicators.set_index("year")
    moves = {name: abs(ind.at[2040, name] / ind.at[2017, name] - 1)
             for name in ("population_15_64", "workers_per_elderly", "gdp_per_capita_index")}
    most = max(moves, key=moves.get)
    sentence = baseline.so_what("ja")[1]
    from simulate.indicators import REGISTRY
    assert sentence.startswith(f"白書の3つの懸念のうち最も大きく動くのは{REGISTRY[most].ja}で")


def test_a_missed_target_says_what_it_would_take_with_the_backcasts_answer(tmp_path):
    path = tmp_path / "short.yaml"
    path.write_text("name: short\nextends: current\ntargets: ['labour_force@2040>=64e6']\n", encoding="utf-8")
    result = api.run(path)
    sentences = result.so_what("en")
    assert len(sentences) == 5 and "is missed" in sentences[4]
    answer = api.backcast(path, "seniors_uplift")
    points = re.search(r"participation at 65-74 up ([\d.]+) percentage points", sentences[4]).group(1)
    assert float(points) == pytest.approx(round(answer.value, 1))
    met = api.run(path, targets="[labour_force@2040>=50e6]").so_what("ja")[4]
    assert met.startswith("目標「労働力人口（2040年）≥ 5,000万人」は達成")


def test_one_line_and_the_comparison_name_what_differs(baseline):
    line = one_line(baseline.run, "en")
    assert line.startswith("2040: population 111.21 M (−12.4 % on 2017)")
    runs = api.compare("baseline", "moonshot", "fertility_recovery")
    outcomes = runs.outcomes
    sentences = comparison_sentences(outcomes, "en")
    spreads = {}
    for name in ("population_total", "labour_force", "gdp_per_capita_index"):
        values = outcomes[outcomes["indicator"] == name].set_index("scenario")["2040"]
        spreads[name] = (values.max() - values.min()) / values.abs().mean()
    assert "GDP per capita" in sentences[0] and max(spreads, key=spreads.get) == "gdp_per_capita_index"
    assert "(moonshot)" in sentences[0] and isinstance(outcomes, pd.DataFrame)


def test_every_run_says_who_cares_and_who_pays(baseline):
    """One sentence on care and benefits, its N from the run's own care-worker share."""
    table = baseline.run.indicators.set_index("year")
    english, japanese = baseline.so_what("en")[3], baseline.so_what("ja")[3]
    n = round(100.0 / table.at[2040, "care_worker_share"])
    assert english.startswith(f"In 2040, one worker in {n} would need to work in care")
    assert "of GDP" in english and "介護" in japanese and f"{n}" in japanese


def test_a_comparison_story_names_every_scenario_it_compares():
    """active_seniors and moonshot count the elderly from 70: they were silently left out of the
    range of workers per elderly person; now they are named with their own values (issue 35)."""
    runs = api.compare("baseline", "moonshot", "active_seniors", "current")
    for lang in ("en", "ja"):
        text = " ".join(comparison_sentences(runs.outcomes, lang))
        for name in ("baseline", "moonshot", "active_seniors", "current"):
            assert name in text, (lang, name)
    english = " ".join(comparison_sentences(runs.outcomes, "en"))
    table = runs.outcomes.set_index(["indicator", "scenario"])
    assert f"moonshot {table.at[('workers_per_elderly', 'moonshot'), '2040']:.2f} (elderly = 70+)" in english
