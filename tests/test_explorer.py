"""The explorer: its dials (history untouched, each value reached in its year), the YAML round
trip, refusals in the scenario language's words, the web layer's bounds, and (slow) the page in
Debian's chromium driven by Playwright: numbers shown equal the API's, keyboard use, typed values,
Japanese with no Japanese system font, the downloaded file reproduced on the command line, SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings as hsettings, strategies as st
with warnings.catch_warnings():  # starlette prefers httpx2; the lock has httpx 0.27, which it still supports
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from browser import CHROMIUM, chromium, serving, server  # noqa: F401 - fixtures
from simulate import api
from simulate.api import explore
from simulate.errors import InputError
from simulate.explorer.app import MAX_QUERY, make_app
from simulate.explorer.words import font_bytes
from simulate.scenario.dials import DIALS
from simulate.scenario.paths import evaluate
from simulate.scenario.units import written

#: One xdist worker runs this module's tests together (``--dist loadgroup``, pyproject.toml):
#: one server and one chromium for the module.
pytestmark = pytest.mark.xdist_group("explorer")

ROOT = Path(__file__).resolve().parents[1]
#: The address a browser on this computer uses (the only host names the explorer answers by default).
LOCAL = "http://127.0.0.1"
#: Values inside every dial's range that the scenario language accepts, for random settings.
USABLE = [key for key in DIALS if DIALS[key].usable(api.load("current").scenario)]


def _indicators(settings: dict, year: int | None = None, scenario: str = "current") -> pd.DataFrame:
    return explore.run_settings(scenario, settings, year).indicators.set_index("year")


@st.composite
def moved_dials(draw) -> tuple[dict, int]:
    keys = draw(st.lists(st.sampled_from(USABLE), min_size=1, max_size=4, unique=True))
    found = {}
    for key in keys:
        dial = DIALS[key]
        steps = int(round((dial.high - dial.low) / dial.step))
        found[key] = written(tuple(key.split(".")), round(dial.low + dial.step * draw(st.integers(0, steps)), 6))
    return found, draw(st.one_of(st.none(), st.integers(2025, 2060)))  # None: at once


@hsettings(max_examples=25, deadline=None)
@given(moved_dials())
def test_no_dial_changes_a_value_up_to_the_last_observed_year(case):
    settings, year = case
    plain, moved = _indicators({}), _indicators(settings, year)
    end = api.load("current").scenario.history_end
    pd.testing.assert_frame_equal(moved.loc[:end], plain.loc[:end])


@pytest.mark.parametrize("key,value,indicator", [("migration.net", 400_000.0, "net_migration"),
                                                 ("labour.unemployment", 4.0, "unemployment_rate"),
                                                 ("labour.hours", 1600.0, "hours_per_worker")])
@pytest.mark.parametrize("year", [2030, 2041])
def test_a_dial_reaches_its_value_in_its_year_from_where_the_scenario_stood(key, value, indicator, year):
    plain, moved = _indicators({}), _indicators({key: value}, year)
    end = api.load("current").scenario.history_end
    # reached in the year (flows are read at mid-year, so by the next year's) and held after it
    assert moved.at[year + 1, indicator] == pytest.approx(value, rel=1e-9)
    assert moved.at[year + 5, indicator] == pytest.approx(value, rel=1e-9)
    if year > end + 2:  # a ramp, not a step: the year before is between the two
        before = moved.at[year - 1, indicator]
        assert min(plain.at[year - 1, indicator], value) < before < max(plain.at[year - 1, indicator], value)


def test_the_seniors_and_life_expectancy_dials_reach_their_values():
    result = explore.run_settings("current", {"labour.seniors.rate": 61.5}, 2038)
    assert explore.dial_values(result, 2038)["labour.seniors.rate"] == pytest.approx(61.5, abs=0.05)
    plain = api.run("current").scenario.mortality.e0.female
    gained = explore.run_settings("current", {"mortality.e0": 2.0}, 2040).scenario.mortality.e0.female
    assert gained[2070] - plain[2070] == pytest.approx(2.0)
    at = lambda frames, year: float(evaluate(frames, np.array([float(year)]))[0])  # noqa: E731
    assert at(gained, 2040) - at(plain, 2040) == pytest.approx(2.0)  # reached in its year
    assert at(gained, 2032) - at(plain, 2032) == pytest.approx(2.0 * 8 / 16)  # linearly from 2024
    from simulate import data  # IPSS 2023's medium assumption, which current follows from 2030
    assert explore.dial_values(api.run("current"), 2035)["fertility.tfr"] == pytest.approx(
        data.ipss2023_tfr().at[2035, "medium"], abs=0.005)


def test_an_unmoved_dial_shows_where_the_scenario_stands_in_the_year():
    by_year = api.run("current").indicators.set_index("year")
    stands = explore.view("current", {}, 2040)["dials"]
    assert stands["migration.net"]["value"] == by_year.at[2040, "net_migration"]
    assert not stands["migration.net"]["moved"]
    assert "economy.automation" not in stands  # needs growth accounting
    assert "economy.automation" in explore.view("automation", {}, 2040)["dials"]


def test_headline_numbers_are_the_runs_unrounded_values():
    settings = {"migration.net": "250000", "fertility.tfr": 1.5}
    shown = explore.view("current", settings, 2035)
    by_year = _indicators(settings, 2035)
    assert shown["headlines"] and all(h["value"] == by_year.at[h["year"], h["indicator"]] for h in shown["headlines"])
    assert {h["year"] for h in shown["headlines"]} == {2024, 2030, 2035, 2040}


@hsettings(max_examples=6, deadline=None)
@given(moved_dials())
def test_the_downloaded_file_extends_the_scenario_with_the_changed_keys_and_reproduces_it(tmp_path_factory, case):
    settings, year = case
    folder = tmp_path_factory.mktemp("yaml")
    file = folder / "mine.yaml"
    file.write_text(explore.scenario_yaml("current", settings, year, "mine"), encoding="utf-8")
    assert file.read_text(encoding="utf-8").splitlines()[1] == "extends: current"
    assert api.validate([str(file)])[0]["ok"]
    pd.testing.assert_frame_equal(api.run(str(file)).indicators.set_index("year"), _indicators(settings, year))


def _typical(key: str) -> str:
    """A value inside dial ``key``'s slider, away from where scenarios stand, as a person types it."""
    dial = DIALS[key]
    value = round(dial.low + dial.step * round(0.7 * (dial.high - dial.low) / dial.step), dial.decimals)
    return f"{value:.{dial.decimals}f}"


@pytest.mark.parametrize("key", list(DIALS))
@pytest.mark.parametrize("year", [None, 2033])
def test_the_same_words_give_the_same_number_in_the_explorer_and_with_set(key, year):
    """Issue 35: the explorer's 300,000 (reached in 2035 by default) and ``--set migration.net=300000``
    (at once) gave two numbers.  Now a dial at once is ``--set KEY=VALUE`` and a dial reached in a
    year is ``--set KEY=VALUE@YEAR``, for every dial, to the last digit."""
    scenario = "automation" if DIALS[key].needs_mode else "current"
    value = _typical(key)
    words = value + ("" if year is None else f"@{year}")
    with_set = api.run(scenario, **{key: words}).indicators.set_index("year")
    plain = api.run(scenario).indicators.set_index("year")
    shown = explore.view(scenario, {key: value}, year)["headlines"]
    assert shown and all(h["value"] == with_set.at[h["year"], h["indicator"]] for h in shown)
    assert any(h["value"] != plain.at[h["year"], h["indicator"]] for h in shown), "the dial moved nothing"


def test_a_ramp_on_the_command_line_and_in_compare_is_the_explorers_year(tmp_path):
    from simulate.cli import main
    assert main(["compare", "current+migration.net=300000@2035+labour.seniors.rate=55@2035",
                 "current+migration.net=300000+labour.seniors.rate=55", "--out", str(tmp_path), "--no-figures",
                 "--quiet"]) == 0
    for year in (2035, None):
        shown = explore.view("current", {"migration.net": "300000", "labour.seniors.rate": "55"}, year)["headlines"]
        name = "55-2035-net-300000-2035" if year else "55-net-300000-"
        table = pd.read_csv(next(f for f in tmp_path.glob("*/indicators.csv") if name in f.parent.name))
        by_year = table.set_index("year")
        assert all(by_year.at[h["year"], h["indicator"]] == pytest.approx(h["value"], rel=1e-9) for h in shown)


def test_at_once_and_a_year_differ_before_the_year_and_agree_after():
    at_once, ramp = _indicators({"migration.net": "300000"}, None), _indicators({"migration.net": "300000"}, 2035)
    assert at_once.at[2026, "net_migration"] == pytest.approx(300000, rel=1e-9)
    assert ramp.at[2026, "net_migration"] < 290000 and ramp.at[2036, "net_migration"] == pytest.approx(300000)
    with pytest.raises(InputError, match=r"^override: mortality.improvement: VALUE@YEAR ramps the explorer's levers only"):
        api.load("current", **{"mortality.improvement": "1@2030"})
    with pytest.raises(InputError, match=r"^override: migration.net: the year 2500 is out of range: allowed 2025"):
        api.load("current", **{"migration.net": "300000@2500"})


@pytest.mark.parametrize("settings,year,says", [
    ({"fertility.tfr": "abc"}, 2035, "fertility.tfr: Input should be a valid number, got 'abc'"),
    ({"fertility.tfr": "9"}, 2035, "fertility.tfr.2035: 9.0 is out of range: allowed 0.0 to 8.0"),
    ({"fertility.tfr": "9"}, None, "fertility.tfr: 9.0 is out of range: allowed 0.0 to 8.0"),
    ({"migration.net": "nan"}, 2035, "migration.net: Input should be a valid number"),
    ({"population": "1"}, 2035, "population: not a lever of the explorer"),
    ({}, 2024, "year: 2024 is out of range: allowed 2025 to 2070"),
    ({"economy.automation": "5"}, 2035, "economy.automation: needs 'mode: growth_accounting'"),
    ({"economy.automation": "5"}, None, "economy.automation: needs 'mode: growth_accounting'"),
    ({"economy.productivity_growth": "0.02"}, 2035, "economy.productivity_growth: 0.02 looks like the wrong unit"),
    ({"economy.productivity_growth": "0.02"}, None, "economy.productivity_growth: 0.02 looks like the wrong unit"),
])
def test_bad_values_get_the_scenario_languages_one_line_message(settings, year, says):
    with pytest.raises(InputError) as caught:
        explore.view("current", settings, year)
    assert str(caught.value).startswith(says) and "\n" not in str(caught.value)
    assert explore.dial_of(str(caught.value)) in (*DIALS, "year", None)
    assert "override" not in str(caught.value)  # the scenario language's words, no internal prefix


@pytest.mark.parametrize("typed", ["300,000", "３０００００", "3e5"])
def test_typed_numbers_follow_the_command_lines_rules_and_words(typed):
    """Full-width digits, thousands separators and '3e5' were read silently; the command line
    refuses them with the number meant, and so does the explorer, in the same words."""
    import subprocess
    import sys
    from conftest import ROOT
    with pytest.raises(InputError) as caught:
        explore.view("current", {"migration.net": typed}, 2035)
    said = subprocess.run([sys.executable, str(ROOT / "run.py"), "run", "current", "--set", f"migration.net={typed}",
                           "--no-figures", "--out", "/nonexistent/never"], capture_output=True, text=True,
                          encoding="utf-8").stderr.strip().splitlines()[-1]
    assert str(caught.value).split(": ", 1)[1] == said.split(": ", 2)[2]
    assert "write 300000" in str(caught.value)


def test_what_it_takes_never_answers_in_scientific_notation():
    from simulate.errors import SimulatorError
    with pytest.raises(SimulatorError) as caught:
        explore.what_it_takes("current", {}, 2035, "net_migration", "population_total@2040>=65e6")
    assert "from -200,000 to 3,000,000" in str(caught.value) and "e+" not in str(caught.value)


@pytest.fixture(scope="module")
def client():
    with TestClient(make_app("current"), base_url=LOCAL) as found:
        yield found


def test_the_api_answers_the_same_numbers_as_the_library(client):
    answer = client.get("/api/view", params={"s": "current", "y": "2035", "migration.net": "300000", "cs": "baseline"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["headlines"] == explore.view("current", {"migration.net": "300000"}, 2035)["headlines"]
    assert body["compare"]["scenario"] == "baseline"


def test_the_web_layer_refuses_what_it_must(client):
    assert client.post("/api/view").status_code == 405
    assert client.get("/api/view?" + "x" * (MAX_QUERY + 1)).status_code == 414
    refused = client.get("/api/view", params={"s": "../../etc/passwd"})
    assert refused.status_code == 400 and refused.json()["error"].startswith("override: s: ../../etc/passwd is not one of")
    bad = client.get("/api/view", params={"s": "current", "labour.hours": "lots"})
    assert bad.status_code == 400 and bad.json()["key"] == "labour.hours"
    assert client.get("/static/../app.py").status_code == 404


def test_downloads_are_attachments_of_the_same_answers(client):
    state = {"s": "current", "y": "2032", "labour.hours": "1650"}
    found = client.get("/download/scenario.yaml", params=state)
    name = explore.download_name("current", {"labour.hours": "1650"}, "2032")
    assert name.startswith("current_explored-hours-1650-year-2032-") and name != explore.download_name(
        "current", {"labour.hours": "1651"}, "2032")  # two downloads never share a name
    assert found.headers["content-disposition"] == f'attachment; filename="{name}.yaml"'
    assert found.text == explore.scenario_yaml("current", {"labour.hours": "1650"}, "2032")
    report = client.get("/download/report.html", params=state)
    assert report.status_code == 200 and b"<html" in report.content[:400].lower() and b"<script src" not in report.content


def test_a_users_own_file_is_explored_and_its_download_finds_it_from_anywhere(tmp_path, monkeypatch):
    own = tmp_path / "mine" / "policy.yaml"
    own.parent.mkdir()
    own.write_text("extends: current\nname: policy\nlabour:\n  hours: 1650\n", encoding="utf-8")
    with TestClient(make_app("policy", given=str(own)), base_url=LOCAL) as mine:
        assert mine.get("/api/view", params={"s": "policy"}).json()["dials"]["labour.hours"]["value"] == 1650
        text = mine.get("/download/scenario.yaml", params={"s": "policy", "migration.net": "250000"}).text
    elsewhere = tmp_path / "downloads"
    elsewhere.mkdir()
    (elsewhere / "policy_explored.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(elsewhere)
    assert f"extends: {own}" in text and api.validate(["policy_explored.yaml"])[0]["ok"]
    pd.testing.assert_frame_equal(api.run("policy_explored.yaml").indicators.set_index("year"),
                                  _indicators({"migration.net": "250000"}, scenario=str(own)))


def test_odds_run_in_the_background_and_match_a_forecast(client):
    started = client.get("/api/odds", params={"s": "current", "migration.net": "300000"}).json()["job"]
    deadline = time.monotonic() + 120
    while not (state := client.get(f"/api/odds/{started}").json())["finished"]:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert state["error"] is None and state["done"] == state["total"] > 0
    bands = state["result"]["bands"]["population_total"]
    fitted = api.forecast("current", n=explore.ODDS_N, overrides=explore.overrides_for(
        "current", {"migration.net": "300000"}, explore.AT_ONCE)).quantiles
    rows = fitted[fitted["indicator"] == "population_total"].sort_values("year")
    assert bands["p50"] == pytest.approx(list(rows["p50"] / 1e6), abs=5e-7)  # whole persons
    assert client.get("/api/odds/nosuchjob").status_code == 404


@pytest.mark.parametrize("dial,value", [("fertility.tfr", "2.0"), ("mortality.e0", "4"),
                                         ("migration.net", "500000")])
def test_the_odds_follow_every_demographic_lever_and_hold_the_states_own_line(dial, value):
    """The odds are centred on the levers as set (issue 33): TFR, life expectancy and migration each
    move the median, and the state's own line lies inside its own 95 % band every year."""
    if dial not in explore.DIALS:
        pytest.skip(f"{dial} is not a dial")
    plain = explore.odds("current", {}, explore.AT_ONCE, n=64)
    moved = explore.odds("current", {dial: value}, explore.AT_ONCE, n=64)
    assert moved["centre"] == "scenario" and moved["centre_words"] == "centred on the scenario's own assumptions"
    band, before = moved["bands"]["population_total"], plain["bands"]["population_total"]
    assert band["p50"][-1] > before["p50"][-1] * 1.01
    own = explore.run_settings("current", {dial: value}).indicators.set_index("year")["population_total"]
    line = own.loc[band["years"]].to_numpy() / 1e6
    assert np.all((np.array(band["p2_5"]) <= line + 1e-6) & (line - 1e-6 <= np.array(band["p97_5"])))


def test_the_japanese_font_covers_every_character_the_page_can_show(client):
    from fontTools.ttLib import TTFont
    import io
    covered = set(TTFont(io.BytesIO(font_bytes())).getBestCmap())
    import json
    text = "".join(client.get("/", params={"lang": lang}).text + json.dumps(client.get(
        "/api/view", params={"s": "current", "lang": lang}).json(), ensure_ascii=False) for lang in ("en", "ja"))
    missing = {c for c in text if ord(c) > 0x7F and ord(c) not in covered and not c.isspace()}
    assert not missing, f"no glyph for {''.join(sorted(missing))}"


# ---- the page in a browser ----

browser = pytest.mark.skipif(CHROMIUM is None and os.environ.get("CI") != "true", reason="chromium not installed")



@pytest.fixture
def page(chromium, server):
    opened = chromium.new_page(viewport={"width": 1400, "height": 1600}, accept_downloads=True)
    problems = []
    opened.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    opened.on("pageerror", lambda e: problems.append(str(e)))
    yield opened, problems
    opened.close()


def _open(page, server, address: str) -> None:
    """Open the page at ``address`` (a query string) and wait for its first charts."""
    page.goto(server[0] + address)
    _ready(page, 1)


def _type(page, key: str, value: str) -> None:
    """Type ``value`` into lever ``key``'s box and press Enter, as a person would."""
    page.fill(f'[data-lever-typed="{key}"]', value)
    page.press(f'[data-lever-typed="{key}"]', "Enter")


def _ready(page, count: int) -> None:
    page.wait_for_function(f"Number(document.body.dataset.ready) >= {count}", timeout=30_000)


def _state_of(page) -> tuple[str, dict, str]:
    query = dict(parse_qsl(urlsplit(page.url).query))
    year = query.pop("y", None)
    scenario = query.pop("s")
    query.pop("lang", None)
    return scenario, query, year


def _shown_equal_the_api(page) -> None:
    scenario, settings, year = _state_of(page)
    expected = {(h["indicator"], h["year"]): h["value"] for h in explore.view(scenario, settings, year)["headlines"]}
    shown = page.eval_on_selector_all("[data-indicator]", "els => els.map(e => [e.dataset.indicator, "
                                      "Number(e.dataset.year), Number(e.dataset.value)])")
    assert len(shown) == len(expected) > 0
    for name, year_shown, value in shown:
        assert value == expected[(name, year_shown)], (name, year_shown)


@pytest.mark.slow
@browser
def test_keyboard_moves_a_lever_and_the_numbers_follow_the_api(page, server):
    opened, problems = page
    _open(opened, server, "/?s=current&lang=en")
    before = opened.get_attribute('[data-indicator="labour_force"][data-year="2040"]', "data-value")
    opened.focus('[data-lever="labour.seniors.rate"]')
    for _ in range(10):
        opened.keyboard.press("ArrowRight")
    opened.wait_for_function("document.body.dataset.ready >= 2 && !location.search.includes('=43.7')")
    _ready(opened, 2)
    opened.wait_for_timeout(300)
    assert "labour.seniors.rate" in _state_of(opened)[1]
    _shown_equal_the_api(opened)
    assert opened.get_attribute('[data-indicator="labour_force"][data-year="2040"]', "data-value") != before
    opened.keyboard.press("Tab")  # the typed box is next, then the next lever: all reachable by keyboard
    assert opened.evaluate("document.activeElement.dataset.leverTyped") == "labour.seniors.rate"
    assert problems == []


@pytest.mark.slow
@browser
def test_a_typed_value_runs_and_a_bad_one_shows_its_message(page, server):
    opened, problems = page
    _open(opened, server, "/?s=current&lang=en&y=2040")
    _type(opened, "migration.net", "350000")
    opened.wait_for_function("location.search.includes('migration.net=350000')")
    _ready(opened, 2)
    opened.wait_for_timeout(200)
    _shown_equal_the_api(opened)
    _type(opened, "fertility.tfr", "9")
    opened.wait_for_function("document.body.dataset.error === '1'")
    message = opened.text_content('[data-error-for="fertility.tfr"]')
    assert message.startswith("fertility.tfr.2040: 9.0 is out of range")
    assert problems == [] or all("400" in p for p in problems)


@pytest.mark.slow
@browser
def test_japanese_renders_with_the_served_font_and_no_system_font(page, server):
    opened, problems = page
    _open(opened, server, "/?s=current&lang=en&migration.net=200000")
    opened.click("#language")
    opened.wait_for_url("**lang=ja**")
    _ready(opened, 1)
    assert opened.evaluate("document.documentElement.lang") == "ja"
    assert "migration.net=200000" in opened.url  # the state survives the switch
    text = opened.evaluate("document.body.innerText")
    assert "総人口" in text
    loaded = opened.evaluate("document.fonts.check('16px IPAexGothic', document.body.innerText)")
    faces = opened.evaluate("[...document.fonts].filter(f => f.family.includes('IPAexGothic')).map(f => f.status)")
    assert loaded and faces == ["loaded"]
    assert problems == []


@pytest.mark.slow
@browser
def test_the_downloaded_file_reproduces_the_shown_numbers_on_the_command_line(page, server, tmp_path):
    opened, problems = page
    _open(opened, server, "/?s=current&lang=en&y=2033&labour.women_gap.share=0.4&migration.net=260000")
    with opened.expect_download() as download:
        opened.click("#download-yaml")
    file = tmp_path / "explored.yaml"
    download.value.save_as(file)
    shown = float(opened.get_attribute('[data-indicator="population_total"][data-year="2040"]', "data-value"))
    assert subprocess.run([sys.executable, "run.py", "validate", str(file)], cwd=ROOT).returncode == 0
    out = tmp_path / "out"
    subprocess.run([sys.executable, "run.py", "run", str(file), "--out", str(out), "--no-figures", "--quiet"],
                   cwd=ROOT, check=True)
    table = pd.read_csv(next(out.glob("*/indicators.csv"))).set_index("year")
    assert table.at[2040, "population_total"] == pytest.approx(shown, rel=1e-9)
    assert problems == []


@pytest.mark.slow
@browser
def test_typed_markup_is_shown_as_text(page, server):
    opened, problems = page
    _open(opened, server, "/?s=current&lang=en")
    _type(opened, "labour.hours", "<b>x</b>")
    opened.wait_for_function("document.body.dataset.error === '1'")
    assert "<b>x</b>" in opened.text_content('[data-error-for="labour.hours"]')
    assert opened.query_selector('[data-error-for="labour.hours"] b') is None


@pytest.mark.slow
@browser
def test_compare_what_it_takes_and_odds_on_the_page(page, server):
    opened, problems = page
    _open(opened, server, "/?s=current&lang=en&y=2040")
    opened.click("#pin")
    _ready(opened, 2)
    _type(opened, "migration.net", "400000")
    opened.wait_for_function("location.search.includes('migration.net=400000') && location.search.includes('cs=current')")
    opened.wait_for_function("document.querySelectorAll('#headlines .was').length > 0")
    pinned = explore.view("current", {}, 2040)["headlines"]
    shown_before = opened.text_content("#headlines .was")
    assert pinned[0]["text"] in shown_before  # the pinned state's number beside the moved one
    opened.select_option("#take-lever", "productivity_growth")
    opened.select_option("#take-indicator", "gdp_index")
    opened.fill("#take-value", "110")
    opened.click("#take button[type=submit]")
    opened.wait_for_function("document.getElementById('take-answer').textContent.startsWith('Needs')")
    answer = explore.what_it_takes("current", {"migration.net": "400000"}, 2040, "productivity_growth",
                                   "gdp_index@2040>=110.0")
    assert opened.text_content("#take-answer") == f"Needs: {answer['text']}"
    opened.click("#odds-start")
    opened.wait_for_function("document.body.dataset.odds === '1'", timeout=120_000)
    assert opened.evaluate("document.body.dataset.oddsCentre") == "scenario"
    assert opened.text_content("#odds-state") == "centred on the scenario's own assumptions"
    assert opened.evaluate("echarts.getInstanceByDom(document.getElementById('chart-odds-population_total'))"
                           ".getOption().series.length") == 6
    # a lever moved: the answer and the odds follow the new settings by themselves
    _type(opened, "migration.net", "200000")
    again = explore.what_it_takes("current", {"migration.net": "200000"}, 2040, "productivity_growth",
                                  "gdp_index@2040>=110.0")
    opened.wait_for_function(f"document.getElementById('take-answer').textContent === 'Needs: {again['text']}'")
    opened.wait_for_function("document.body.dataset.odds === '2'", timeout=120_000)
    assert _state_of(opened)[1]["migration.net"] == "200000"
    assert problems == []


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_the_server_stops_cleanly_on_sigterm_and_ctrl_c(stop):
    port, process = serving(ROOT)
    process.send_signal(stop)
    assert process.wait(20) == 0
    out, err = process.communicate()
    assert err == "" and "explorer stopped" in out
    with pytest.raises(OSError):  # nothing listens any more
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_a_taken_port_or_a_bad_scenario_is_one_line_and_exit_2(capsys):
    from simulate.cli import main
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["explore", "current", "--port", str(port), "--no-browser"]) == 2
    assert capsys.readouterr().err.strip().endswith(f"cannot listen on 127.0.0.1:{port}: it is in use; choose "
                                                     "another with --port")
    assert main(["explore", "nonexistent", "--no-browser"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
