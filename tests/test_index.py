"""results/index.html links every result with its one-line summary (simulate/report/index.py), and
ensembles, sweeps and sensitivity analyses get reports (simulate/report/designs.py)."""

import html
import json
import re

import pandas as pd

from simulate.api import load
from simulate.cli import main
from simulate.scenario.economy_model import Target


def shown(page: str) -> list[tuple[str, str, str]]:
    """(link, title, summary) of every item of an index page."""
    return [(link, html.unescape(title), html.unescape(summary)) for link, title, summary in
            re.findall(r'<li><a href="([^"]+)">([^<]*)</a><br><span class=note>([^<]*)</span></li>', page)]


def test_the_index_links_every_result_with_its_summary(tmp_path):
    out = tmp_path / "results"
    assert main(["run", "baseline", "current", "--out", str(out), "--quiet", "--no-figures"]) == 0
    assert main(["ensemble", "current", "--n", "40", "--out", str(out), "--quiet", "--no-figures"]) == 0
    assert main(["compare", "baseline", "moonshot", "--out", str(out), "--quiet", "--no-figures", "--lang", "ja"]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<html lang=ja>" in page and "結果の一覧" in page  # the language of the last command
    items = shown(page)
    links = [link for link, _, _ in items]
    assert links == ["baseline/report.html", "current/report.html", "moonshot/report.html",
                     "comparison/baseline_vs_moonshot/report.html",
                     next(link for link in links if link.startswith("current_ensemble_n40"))]
    for link, title, summary in items:
        folder = out / link.removesuffix("/report.html")
        assert (folder / "report.html").is_file()
        record = next(json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json"))
        assert summary == record["summary"]["ja"] and summary


def test_an_index_html_that_is_not_ours_is_left_alone(tmp_path):
    out = tmp_path / "results"
    out.mkdir()
    (out / "index.html").write_text("my own page", encoding="utf-8")
    assert main(["run", "baseline", "--out", str(out), "--quiet", "--no-figures"]) == 0
    assert (out / "index.html").read_text(encoding="utf-8") == "my own page"
    assert sorted(p.name for p in out.iterdir()) == ["baseline", "index.html"]


def test_designs_have_reports_that_tell_what_they_found(tmp_path):
    out = tmp_path / "d"
    assert main(["ensemble", "moonshot", "--n", "60", "--out", str(out), "--quiet", "--no-figures"]) == 0
    assert main(["sensitivity", "current", "--method", "morris", "--n", "4", "--out", str(out), "--quiet"]) == 0
    assert main(["sweep", "current", "--grid", "productivity_growth=0.5,1,1.5", "--out", str(out), "--quiet",
                 "--no-figures", "--lang", "ja"]) == 0
    ensemble = next(out.glob("moonshot_ensemble_*"))
    story = html.unescape(re.search(r"<p class=story>(.*?)</p>", (ensemble / "report.html").read_text(
        encoding="utf-8")).group(1))
    for target, probability in pd.read_csv(ensemble / "targets.csv").itertuples(index=False):
        said = Target.parse(target).phrase("en", 2024)  # in words: 'Productivity index in 2037 ≥ 150.0'
        assert said != target and f"The target {said} is met in {100 * probability:.0f} % of them." in story
    sensitivity = next(out.glob("current_sensitivity_*"))
    report = (sensitivity / "report.html").read_text(encoding="utf-8")
    table = pd.read_csv(sensitivity / "sensitivity.csv")
    last = table[(table["indicator"] == "labour_force") & (table["year"] == table["year"].max())]
    top = last.loc[last["mu_star"].idxmax(), "parameter"]  # the parameter in words, not its YAML name
    assert f"depends most on {load('current').scenario.uncertainty.parameters[top].label('en')}" in html.unescape(report)
    assert report.count("<svg") >= 1  # the tornado charts inline
    sweep = next(out.glob("current_sweep_*"))
    story = html.unescape(re.search(r"<p class=story>(.*?)</p>", (sweep / "report.html").read_text(
        encoding="utf-8")).group(1))
    assert story.startswith("3点のグリッドで、1人あたりGDP（2040年）は") and "労働生産性の伸び率（年%） = 1.5のとき" in story
