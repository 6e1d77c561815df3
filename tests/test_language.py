"""Speaking the user's language: Japanese and English output from one registry, numbers without
scientific notation anywhere a person looks, a report that tells the story."""

from __future__ import annotations

import html
import re
import subprocess
import sys

import pandas as pd
import pytest

from simulate.cli import main
from simulate.indicators import NAMES, REGISTRY
from simulate.text.numbers import cho_oku, default_language, format_value, oku_man

from conftest import ROOT, SCENARIOS

#: A number in scientific notation (not a piece of a hash such as '…c1e8f…').
SCIENTIFIC = re.compile(r"(?<![\w.])\d+(?:\.\d+)?[eE][+-]?\d+(?![\w.])")


def test_japanese_numbers_the_way_planners_read_them():
    assert oku_man(110_660_000) == "1億1,066万人" and oku_man(59_560_000) == "5,956万人"
    assert oku_man(99_999_999) == "1億人" and oku_man(961_000) == "96.1万人" and oku_man(8_500) == "8,500人"
    assert cho_oku(4941) == "4兆9,410億ドル" and cho_oku(500) == "5,000億ドル"
    assert format_value("population_total", 110.66e6, "en") == "110.66 M"
    assert format_value("share_65_plus", 38.7, "ja") == "38.7 %"
    assert format_value("population_change", -0.0001, "en") == "0 thousand"


def test_every_indicator_has_both_labels_and_a_format():
    for name in NAMES:
        indicator = REGISTRY[name]
        assert indicator.en and indicator.ja and indicator.en != indicator.ja or name.startswith("gdp")
        assert format_value(name, 12345.678, "en") and format_value(name, 12345.678, "ja")


@pytest.mark.parametrize("environment, expected", [({"LANG": "ja_JP.UTF-8"}, "ja"), ({"LANG": "en_US.UTF-8"}, "en"),
                                                   ({"LC_ALL": "ja_JP.eucJP", "LANG": "C"}, "ja"),
                                                   ({"LC_ALL": "C.UTF-8", "LANG": "ja_JP.UTF-8"}, "en")])
def test_language_follows_the_locale(environment, expected):
    assert default_language(environment) == expected


@pytest.fixture(scope="module")
def japanese_run(tmp_path_factory):
    """baseline with --lang ja and figures, in a fresh process (stderr kept)."""
    out = tmp_path_factory.mktemp("ja")
    proc = subprocess.run([sys.executable, str(ROOT / "run.py"), "run", str(SCENARIOS / "baseline.yaml"), "--lang",
                           "ja", "--out", str(out)], capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return out / "baseline", proc


@pytest.mark.slow
def test_japanese_run_terminal_report_and_figures(japanese_run):
    folder, proc = japanese_run
    assert "2040年：総人口1億1,121万人（2017年から12.4 %減）" in proc.stdout  # the short summary by default
    # nothing but the run's notes (a step at the history line): no font warning
    assert "missing from font" not in proc.stderr and all(line.startswith("注：") for line in
                                                          proc.stderr.strip().splitlines())
    report = (folder / "report.html").read_text(encoding="utf-8")
    assert "<html lang=ja>" in report and "このシナリオの数字で見る「静かなる有事」" in report
    indicators = pd.read_csv(folder / "indicators.csv").set_index("year")
    cells = re.findall(r'data-column="(\w+)" data-year="(\d+)" data-value="[^"]*">([^<]*)<', report)
    assert len(cells) >= 60
    for column, year, shown in cells:
        assert html.unescape(shown) == format_value(column, indicators.at[int(year), column], "ja", 2017)
    svg = (folder / "figures" / "population_groups.svg").read_text(encoding="utf-8")
    assert "年齢3区分別人口" in svg and "白書の数値" in svg
    headline = (folder / "headline.csv").read_bytes()
    assert headline.startswith(b"\xef\xbb\xbf") and "総人口" in headline.decode("utf-8-sig")


@pytest.mark.slow
def test_report_tells_the_story_and_collapses_the_assumptions(japanese_run, tmp_path):
    assert main(["run", str(SCENARIOS / "baseline.yaml"), "--out", str(tmp_path), "--quiet", "--no-figures"]) == 0
    report = (tmp_path / "baseline" / "report.html").read_text(encoding="utf-8")
    story = re.search(r"<p class=story>(.*?)</p>", report).group(1)
    story = html.unescape(story)  # 2040 against today and against the published projection; what moves most
    assert "In 2040 Japan has 111.21 M people, −12.4 % against 2017 (126.92 M)" in story
    assert "the official projection (IPSS 2017 medium, published) has 110.92 M, so this scenario is +0.3 %" in story
    assert "Of the White Paper's three concerns, workers per elderly person moves most: 1.86 to 1.35" in story
    assert report.index("class=story") < report.index("White Paper&#x27;s figures") < report.index('id="headline"')
    details = re.search(r"<details id=assumptions>(.*?)</details>", report, re.S)
    assert details and "<details id=assumptions open" not in report
    rows = re.findall(r"<tr><td class=k>([^<]*)</td><td class=k>([^<]*)</td></tr>", details.group(1))
    assert len(rows) > 20 and all(value.strip() not in ("", "—", "none") for _, value in rows), rows
    assert sum(key.startswith("uncertainty.") for key, _ in rows) == 5  # one row per parameter
    for lang_report in (report, (japanese_run[0] / "report.html").read_text(encoding="utf-8")):
        visible = re.sub(r"<svg.*?</svg>|<style>.*?</style>", "", lang_report, flags=re.S)
        assert not SCIENTIFIC.search(re.sub(r"<[^>]+>", " ", visible))


def _visible_svg_text(folder) -> str:
    return " ".join(" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", p.read_text(encoding="utf-8")))
                    for p in folder.rglob("*.svg"))


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_no_scientific_notation_in_any_command(tmp_path, capsys, lang):
    base = str(SCENARIOS / "baseline.yaml")
    commands = [["run", str(SCENARIOS / "moonshot.yaml")], ["compare", base, str(SCENARIOS / "current.yaml")],
                ["backcast", base, "--lever", "net_migration", "--target", "labour_force@2040>=60e6"],
                ["ensemble", base, "--n", "64"], ["sensitivity", base, "--method", "morris", "--n", "4"],
                ["sensitivity", base, "--n", "8"], ["sweep", base, "--grid", "tfr=1.2,1.6", "--grid",
                                                    "net_migration=0,400000"],
                ["reproduce"], ["validate", base]]
    printed = []
    for command in commands:
        out = [] if command[0] == "validate" else ["--out", str(tmp_path), "--lang", lang]
        assert main(command + out) == 0, command
        captured = capsys.readouterr()
        printed.append(captured.out + captured.err)
    text = "\n".join(printed)
    assert not SCIENTIFIC.search(text), SCIENTIFIC.findall(text)[:5]
    assert not SCIENTIFIC.search(_visible_svg_text(tmp_path))
    for report in tmp_path.rglob("report.html"):
        visible = re.sub(r"<svg.*?</svg>|<style>.*?</style>", "", report.read_text(encoding="utf-8"), flags=re.S)
        assert not SCIENTIFIC.search(re.sub(r"<[^>]+>", " ", visible)), report
