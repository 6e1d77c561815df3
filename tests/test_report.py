import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulate.cli import main
from simulate.plots.figures import SCENARIO_FIGURES
from simulate.report import outputs
from simulate.report.iamc import VARIABLES
from simulate.text.messages import t
from conftest import SCENARIOS

from browser import CHROMIUM, CHROMIUM_FLAGS, dump_dom


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    assert main(["run", str(SCENARIOS / "moonshot.yaml"), "--out", str(out), "--quiet"]) == 0
    return out / "moonshot"


def test_iamc_round_trip(run_folder):
    iamc = pd.read_csv(run_folder / "iamc.csv")
    ind = pd.read_csv(run_folder / "indicators.csv").set_index("year")
    assert list(iamc.columns[:5]) == ["model", "scenario", "region", "variable", "unit"]
    assert set(iamc["scenario"]) == {"moonshot"} and set(iamc["region"]) == {"Japan"}
    years = [int(c) for c in iamc.columns[5:]]
    assert years == ind.index.tolist()
    for column, (variable, unit, divisor) in VARIABLES.items():
        threshold = json.loads((run_folder / "run.json").read_text(encoding="utf-8"))["resolved_scenario"]["labour"][
            "old_age_threshold"]
        row = iamc[iamc["variable"] == variable.format(base=2017, threshold=threshold)]
        assert len(row) == 1 and row["unit"].iloc[0] == unit
        back = row.iloc[0, 5:].to_numpy(float) * divisor
        np.testing.assert_allclose(back, ind[column].to_numpy(), rtol=1e-9, equal_nan=True)
    assert {"Population|65+", "GDP|MER", "Labor Force", "Index|GDP|MER|Base 2017"} <= set(iamc["variable"])


def test_report_is_self_contained(run_folder):
    text = (run_folder / "report.html").read_text()
    assert "<script" not in text.lower() and "<link" not in text.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "@import" not in text and "url(http" not in text
    assert text.count("<svg") == len(SCENARIO_FIGURES)
    for fragment in ("Headline outcomes", "Assumptions", "fertility.tfr", "Data sources and licences",
                     "CC BY 4.0", "Run metadata", "labour_force@2040"):
        assert fragment in text, fragment


def test_report_headline_cells_match_indicators(run_folder):
    text = (run_folder / "report.html").read_text()
    ind = pd.read_csv(run_folder / "indicators.csv").set_index("year")
    cells = re.findall(r'data-column="(\w+)" data-year="(\d+)" data-value="([^"]+)"', text)
    assert len(cells) >= 40
    for column, year, value in cells:
        assert float(value) == pytest.approx(ind.at[int(year), column], rel=1e-9)


def test_interrupted_run_leaves_previous_result_intact(tmp_path, monkeypatch):
    scenario = str(SCENARIOS / "baseline.yaml")
    assert main(["run", scenario, "--out", str(tmp_path), "--quiet", "--no-figures"]) == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "baseline").iterdir()}

    def broken(*args, **kwargs):
        raise KeyboardInterrupt  # as if Ctrl-C arrived while writing
    monkeypatch.setattr(outputs, "write_tables", broken)
    assert main(["run", scenario, "--out", str(tmp_path), "--quiet", "--no-figures"]) == 130
    after = {p.name: p.read_bytes() for p in (tmp_path / "baseline").iterdir()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline", "index.html"]  # no temporary folder left


def test_failure_in_one_scenario_writes_none(tmp_path, monkeypatch):
    original = outputs.write_tables
    calls = []

    def fail_second(result, folder):
        calls.append(result.scenario.name)
        if len(calls) == 2:
            raise OSError("disk full")
        original(result, folder)
    monkeypatch.setattr(outputs, "write_tables", fail_second)
    code = main(["compare", str(SCENARIOS / "baseline.yaml"), str(SCENARIOS / "moonshot.yaml"),
                 "--out", str(tmp_path), "--quiet", "--no-figures"])
    assert code == 1  # an environmental failure: one line (tested in test_cli), exit 1
    assert list(tmp_path.rglob("*.csv")) == [] and not any(p.name.startswith(".") for p in tmp_path.rglob("*"))


def test_progress_bar_only_on_a_terminal_and_never_quiet(tmp_path, capsys, monkeypatch):
    files = [str(SCENARIOS / "baseline.yaml"), str(SCENARIOS / "moonshot.yaml")]
    assert main(["compare", *files, "--out", str(tmp_path), "--name", "p"]) == 0
    captured = capsys.readouterr()
    assert "figures" not in captured.err and "Comparison" in captured.out  # stderr is not a terminal here
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    assert main(["compare", *files, "--out", str(tmp_path), "--name", "p", "--no-figures"]) == 0
    assert main(["compare", *files, "--out", str(tmp_path), "--name", "p"]) == 0
    assert "figures" in capsys.readouterr().err
    assert main(["compare", *files, "--out", str(tmp_path), "--name", "p", "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_bad_comparison_name(tmp_path, capsys):
    assert main(["compare", str(SCENARIOS / "baseline.yaml"), "--name", "../x", "--out", str(tmp_path)]) == 2


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None and os.environ.get("CI") != "true", reason="chromium not installed")
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_report_in_headless_chromium(run_folder, tmp_path, lang):
    """Loads without console errors, every figure renders, the table matches, the page is not blank."""
    assert CHROMIUM, "CI must install chromium (see .ci/run)"
    if lang == "ja":
        assert main(["run", str(SCENARIOS / "moonshot.yaml"), "--out", str(tmp_path / "ja"), "--quiet",
                     "--lang", "ja"]) == 0
        run_folder = tmp_path / "ja" / "moonshot"
    page = tmp_path / "report.html"
    probe = ("<script>window.addEventListener('load',()=>{const s=[...document.querySelectorAll('figure svg')]"
             ".map(e=>{const r=e.getBoundingClientRect();return r.width+'x'+r.height});"
             "document.body.setAttribute('data-figure-sizes',s.join(';'));"
             "document.body.setAttribute('data-cells',[...document.querySelectorAll('#headline td[data-value]')]"
             ".map(c=>c.dataset.column+'@'+c.dataset.year+'='+c.textContent).join(';'));});</script>")
    source = (run_folder / "report.html").read_text(encoding="utf-8")
    assert f"<html lang={lang}>" in source
    page.write_text(source.replace("</body>", probe + "</body>"), encoding="utf-8")
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    dom = dump_dom(page, tmp_path / "profile")
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    sizes = re.search(r'data-figure-sizes="([^"]*)"', dom.stdout).group(1).split(";")
    assert len(sizes) == len(SCENARIO_FIGURES) and all(float(w) > 100 and float(h) > 100 for w, h in (s.split("x") for s in sizes))
    ind = pd.read_csv(run_folder / "indicators.csv").set_index("year")
    from simulate.text.numbers import format_value
    cells = re.search(r'data-cells="([^"]*)"', dom.stdout).group(1).split(";")
    assert len(cells) >= 40
    for cell in cells:
        key, shown = cell.split("=")
        column, year = key.split("@")
        assert shown == format_value(column, ind.at[int(year), column], lang, 2017), cell
    shot = tmp_path / "shot.png"
    subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, *profile, f"--screenshot={shot}", "--window-size=1200,1600",
                    (run_folder / "report.html").as_uri()], capture_output=True, timeout=120)
    import matplotlib.image
    pixels = matplotlib.image.imread(shot)
    assert pixels.shape[0] > 1000 and pixels[..., :3].std() > 0.05  # not a blank page


@pytest.mark.slow
def test_concurrent_runs_of_one_scenario_never_mix(tmp_path):
    import sys
    from conftest import ROOT
    command = [sys.executable, str(ROOT / "run.py"), "run", str(SCENARIOS / "baseline.yaml"), "--out",
               str(tmp_path), "--quiet", "--no-figures"]
    procs = [subprocess.Popen(command) for _ in range(3)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline", "index.html"]
    files = sorted(p.name for p in (tmp_path / "baseline").iterdir())
    assert files == [".quiet-crisis", "headline.csv", "iamc.csv", "indicators.csv", "labour.csv", "population.csv",
                     "report.html", "run.json"]
    pop = pd.read_csv(tmp_path / "baseline" / "population.csv")
    assert len(pop) == 51 * 2 * 101


@pytest.mark.slow
def test_result_folders_get_normal_permissions_and_utf8_under_a_legacy_locale(tmp_path):
    """Under umask 022 result folders are readable by group and others; under a legacy Japanese
    locale (ja_JP.eucJP, built here with localedef) the run writes UTF-8 files, the report's dashes
    included, and exits 0."""
    import os
    import shutil
    import stat
    import sys
    from conftest import ROOT
    if shutil.which("localedef") is None or not Path("/usr/share/i18n/locales/ja_JP").exists():
        pytest.skip("localedef or the ja_JP locale source is not installed (Debian: apt-get install locales)")
    locales = tmp_path / "locales"
    locales.mkdir()
    subprocess.run(["localedef", "-i", "ja_JP", "-f", "EUC-JP", str(locales / "ja_JP.eucJP")], check=False,
                   capture_output=True)
    environment = dict(os.environ, LOCPATH=str(locales), LC_ALL="ja_JP.eucJP", LANG="ja_JP.eucJP")
    environment.pop("PYTHONUTF8", None)
    probe = subprocess.run([sys.executable, "-c", "import locale; print(locale.getpreferredencoding())"],
                           env=environment, capture_output=True, text=True)
    assert probe.stdout.strip() == "EUC-JP", probe  # the legacy encoding is really in force
    out = tmp_path / "out"
    command = [sys.executable, str(ROOT / "run.py"), "run", str(SCENARIOS / "baseline.yaml"), "--out", str(out),
               "--no-figures", "--verbose"]
    proc = subprocess.run(command, env=environment, capture_output=True, preexec_fn=lambda: os.umask(0o022))
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr, proc.stderr
    printed = proc.stdout.decode("euc_jp")  # the terminal's own encoding; the locale chose Japanese
    assert "総人口" in printed and "1億2,692万人" in printed
    folder = out / "baseline"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in folder.iterdir() if p.is_file())
    report = (folder / "report.html").read_text(encoding="utf-8")
    assert "<html lang=ja>" in report and "0～14歳人口" in report  # U+FF5E: not in EUC-JP, fine in UTF-8


def test_never_replaces_a_folder_it_did_not_write(tmp_path, capsys):
    """A scenario whose name matches a folder of the user's (here 'baseline' with notes in it) is
    refused with one line and exit 2; a folder the program wrote is replaced as before."""
    precious = tmp_path / "baseline"
    precious.mkdir()
    (precious / "notes.txt").write_text("mine", encoding="utf-8")
    args = ["run", str(SCENARIOS / "baseline.yaml"), "--out", str(tmp_path), "--quiet", "--no-figures"]
    assert main(args) == 2
    assert "was not written by this simulator" in capsys.readouterr().err
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "mine" and len(list(precious.iterdir())) == 1
    out = tmp_path / "results"
    assert main(args[:3] + [str(out)] + args[4:]) == 0 and main(args[:3] + [str(out)] + args[4:]) == 0
    assert (out / "baseline" / ".quiet-crisis").is_file()


def test_csv_has_no_scientific_notation_and_no_negative_zero(tmp_path):
    import pandas as pd

    from simulate.report.csvfiles import write_csv

    frame = pd.DataFrame({"hours": [1.12750192e11, 9.9e10], "share": [12.5459302, -0.0], "tiny": [0.000012345678, 0.0],
                          "mixed": [1.5e11, 0.25], "gap": [float("nan"), 1.0]})
    write_csv(frame, tmp_path / "t.csv")
    text = (tmp_path / "t.csv").read_text(encoding="utf-8")
    assert "e+" not in text and "e-" not in text and ",-0," not in text and ",-0\n" not in text
    back = pd.read_csv(tmp_path / "t.csv")
    assert np.allclose(back.drop(columns="gap").to_numpy(), frame.drop(columns="gap").to_numpy(), rtol=1e-9)
    assert text.splitlines()[1] == "112750192000,12.5459302,0.000012345678,150000000000,"


def test_json_files_never_hold_nan_or_infinity():
    import json

    from simulate.text.jsontext import json_text

    text = json_text({"a": float("nan"), "b": [np.float64(np.inf), np.int64(3), np.bool_(True)], "c": "静か"})
    assert json.loads(text) == {"a": None, "b": [None, 3, True], "c": "静か"} and "静か" in text


@pytest.mark.parametrize("lang, unit, divisor, decimals", [("en", "thousand persons", 1e3, 0), ("ja", "万人", 1e4, 1)])
def test_headline_csv_is_rounded_for_people_in_their_units(tmp_path, lang, unit, divisor, decimals):
    """headline.csv is for people: registry precision (simulate.text.numbers.PEOPLE), 万人 in Japanese;
    indicators.csv keeps full precision."""
    assert main(["run", "baseline", "--out", str(tmp_path), "--quiet", "--no-figures", "--lang", lang]) == 0
    headline = pd.read_csv(tmp_path / "baseline" / "headline.csv", encoding="utf-8-sig")
    assert list(headline.columns[:3]) == ([t("indicator", lang), t("label", lang), t("unit", lang)])  # headed in lang
    headline = headline.set_index(headline.columns[0])
    ind = pd.read_csv(tmp_path / "baseline" / "indicators.csv").set_index("year")
    years = [c for c in headline.columns if c.isdigit()]
    assert headline.at["population_total", t("unit", lang)] == unit
    for year in years:
        assert headline.at["population_total", year] == round(ind.at[int(year), "population_total"] / divisor, decimals)
        assert headline.at["share_65_plus", year] == round(ind.at[int(year), "share_65_plus"], 1)
    text = (tmp_path / "baseline" / "headline.csv").read_text(encoding="utf-8-sig")
    assert not re.search(r"\d\.\d{3,}", text), "more digits than the registry allows"
    assert re.search(r"\.\d{4,}", (tmp_path / "baseline" / "indicators.csv").read_text(encoding="utf-8"))


def test_captions_promise_only_marks_that_are_drawn(tmp_path):
    """The 1.5x-by-2037 star is drawn on the seed's base year (2017) only; the caption says so."""
    for name, starred in (("baseline", True), ("current", False)):
        assert main(["run", name, "--out", str(tmp_path), "--quiet"]) == 0
        report = (tmp_path / name / "report.html").read_text(encoding="utf-8")
        svg = (tmp_path / name / "figures" / "economy.svg").read_text(encoding="utf-8")
        assert ("one_and_half_target" in svg) is starred and ("star: 1.5" in report) is starred, name
        shown = re.findall(r'<figure id="fig-(\w+)"', report)
        assert shown == [stem for stem in outputs_order() if stem in shown] and "economy" in shown


def outputs_order():
    from simulate.report.html import SCENARIO_CAPTIONS
    return [stem for stem in SCENARIO_CAPTIONS if stem != "economy_no_target"]


def _section(page: str, heading: str) -> str:
    """The text of a report's section from ``heading`` to the next heading, tags removed."""
    start = page.index(f">{heading}</h2>")
    end = page.find("<h2>", start)
    return re.sub(r"<[^>]+>", "|", page[start:end if end > 0 else None])


def test_the_sources_and_the_index_base_are_those_the_runs_used(tmp_path):
    """Issue 35: current's sources listed the 2015 census and IPSS 2017 but not the 2020 census or the
    observed years; a comparison quoted GDP per capita on 2017 = 100 beside charts rebased to 2024."""
    assert main(["compare", "baseline", "current", "--out", str(tmp_path), "--no-figures", "--quiet"]) == 0
    current = _section((tmp_path / "current" / "report.html").read_text(encoding="utf-8"), "Data sources and licences")
    baseline = _section((tmp_path / "baseline" / "report.html").read_text(encoding="utf-8"), "Data sources and licences")
    assert "2020 census (the jump-off)" in current and "Observed years 2021-2024" in current
    assert "census 2015 jump-off" not in current and "IPSS 2017 medium" in current  # its migration's shape
    assert "census 2015 jump-off" in baseline and "Observed years 2016-2017" in baseline
    assert "2020 census" not in baseline
    page = next((tmp_path / "comparison").glob("*/report.html")).read_text(encoding="utf-8")
    both = _section(page, "Data sources and licences")
    assert "2020 census (the jump-off)" in both and "census 2015 jump-off" in both
    assert "Observed years 2016-2017" in both and "Observed years 2021-2024" in both
    assert "2017 = 100" not in page and "2024 = 100" in page  # one base: the story, the tables and the charts'
    assert "GDP per capita ranges from" in page or "GDP per capita" in page.split("class=story")[1][:2000]


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None and os.environ.get("CI") != "true", reason="chromium not installed")
def test_no_number_or_word_of_a_table_wraps_inside_itself(tmp_path):
    """Issue 35: reproduce's Japanese table wrapped inside tokens (126.71百万/人, 合/格) on a narrow
    screen; every cell that is not text keeps its number or word on one line."""
    from playwright.sync_api import sync_playwright
    assert main(["reproduce", "--lang", "ja", "--out", str(tmp_path), "--quiet", "--no-figures"]) == 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto((tmp_path / "reproduce" / "report.html").as_uri())
        lines = page.eval_on_selector_all("td:not(.k)", "cells => cells.filter(c => c.textContent.trim()).map(c => "
                                          "{ const r = document.createRange(); r.selectNodeContents(c); "
                                          "return [c.textContent, new Set([...r.getClientRects()].map(b => Math.round(b.top))).size]; })")
        browser.close()
    assert len(lines) > 20
    assert [text for text, count in lines if count > 1] == []


def test_a_comparison_restates_workers_per_elderly_on_one_basis_and_says_so(tmp_path):
    """Issue 35: the comparison story dropped active_seniors and moonshot (elderly from 70) from the
    range of workers per elderly person; now they are in it on the 65+ basis, and the story says so."""
    assert main(["compare", "current", "active_seniors", "--out", str(tmp_path), "--no-figures", "--quiet"]) == 0
    page = next((tmp_path / "comparison").glob("*/report.html")).read_text(encoding="utf-8")
    story = re.sub(r"<[^>]+>", "", page.split("class=story")[1].split("</p>")[0])
    assert "active_seniors count the elderly from a later age" in story and "Defined otherwise" not in story
    assert "elderly = 70+" not in page
    own = pd.read_csv(tmp_path / "active_seniors" / "indicators.csv").set_index("year")
    on_65 = own.at[2040, "employed"] / own.at[2040, "population_65_plus"]
    assert own.at[2040, "workers_per_elderly"] > on_65 * 1.2  # its own report: from 70, a different number
    from simulate.text.numbers import format_value
    assert f"{format_value('workers_per_elderly', on_65, 'en')}" in _section(page, "Outcomes in 2030, 2035, 2040")
