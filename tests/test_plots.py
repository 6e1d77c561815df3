import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from simulate.cli import main
from simulate.plots.figures import SCENARIO_FIGURES
from simulate.text.numbers import axis
from conftest import ROOT, SCENARIOS

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """baseline and moonshot run with figures, plus their comparison."""
    out = tmp_path_factory.mktemp("out")
    assert main(["compare", str(SCENARIOS / "baseline.yaml"), str(SCENARIOS / "moonshot.yaml"),
                 "--name", "pair", "--out", str(out), "--quiet", "--formats", "svg,png"]) == 0
    return out


def test_figures_default_to_svg_and_a_png_only_report_shows_the_png_files(tmp_path):
    assert main(["run", "baseline", "--out", str(tmp_path / "default"), "--quiet"]) == 0
    figures = tmp_path / "default" / "baseline" / "figures"
    assert sorted(p.suffix for p in figures.iterdir()) == [".svg"] * len(SCENARIO_FIGURES)
    assert main(["run", "baseline", "--out", str(tmp_path / "png"), "--quiet", "--formats", "png"]) == 0
    folder = tmp_path / "png" / "baseline"
    assert sorted(p.suffix for p in (folder / "figures").iterdir()) == [".png"] * len(SCENARIO_FIGURES)
    report = (folder / "report.html").read_text(encoding="utf-8")
    assert report.count('<img src="figures/') == len(SCENARIO_FIGURES) and "<svg" not in report
    for image in re.findall(r'<img src="([^"]+)"', report):
        assert (folder / image).read_bytes().startswith(PNG_SIGNATURE)
    with pytest.raises(SystemExit) as stopped:
        main(["run", "baseline", "--out", str(tmp_path / "bad"), "--formats", "jpg"])
    assert stopped.value.code == 2 and not (tmp_path / "bad").exists()


def test_every_figure_is_valid_png_and_svg(written):
    from simulate.plots.figures import SCENARIO_FIGURES
    folder = written / "baseline" / "figures"
    for stem in SCENARIO_FIGURES:
        png, svg = (folder / f"{stem}.png").read_bytes(), folder / f"{stem}.svg"
        assert png.startswith(PNG_SIGNATURE) and 15_000 < len(png) < 2_000_000, stem
        root = ET.parse(svg).getroot()
        assert root.tag.endswith("svg") and 10_000 < svg.stat().st_size < 3_000_000, stem


def test_plotted_lines_equal_the_csvs(written):
    from simulate.plots import figures
    ind = pd.read_csv(written / "baseline" / "indicators.csv")
    pop = pd.read_csv(written / "baseline" / "population.csv")
    scale = {"labour_force": 1e6, "employed": 1e6, "hours_worked": 1e9}
    for stem, (build, needs_population) in figures.SCENARIO_FIGURES.items():
        fig = build(pop if needs_population else ind, "t", (2017, 2017))
        data = figures.plotted(fig)
        assert data, stem
        for gid, (x, values) in data.items():
            if gid in ind.columns:
                np.testing.assert_array_equal(x, ind["year"])
                divisor = 1e6 if gid.startswith("population") else scale.get(gid, axis(gid, "en")[0])
                np.testing.assert_allclose(values, ind[gid] / divisor, rtol=1e-9, err_msg=gid)
            elif gid.startswith("pyramid_"):
                _, year, sex = gid.split("_")
                rows = pop[(pop.year == int(year)) & (pop.sex == sex)].sort_values("age")
                np.testing.assert_allclose(np.abs(x), rows["population"] / 1e3, rtol=1e-9)
                np.testing.assert_array_equal(values, rows["age"])
            elif gid == "two_percent_line":
                years = ind["year"][ind["year"] >= 2017].to_numpy()
                np.testing.assert_allclose(values, 100 * 1.02 ** (years - 2017))


def test_comparison_lines_equal_the_long_csv(written):
    from simulate.plots import comparison
    long = pd.read_csv(written / "comparison" / "pair" / "indicators.csv")
    fig = comparison.lines(long, "pair")
    from simulate.plots.figures import plotted
    lines = plotted(fig)
    assert len(lines) == 2 * len(comparison.LINE_PANELS)
    for gid, (_, values) in lines.items():
        scenario, indicator = gid.split("|")
        from simulate.text.numbers import axis
        divisor = axis(indicator, "en")[0]
        expected = long[(long.scenario == scenario) & (long.indicator == indicator)].sort_values("year")["value"]
        np.testing.assert_allclose(values, expected / divisor, rtol=1e-9)


def test_comparison_outputs(written):
    folder = written / "comparison" / "pair"
    long = pd.read_csv(folder / "indicators.csv")
    assert list(long.columns) == ["scenario", "year", "indicator", "value"]
    assert set(long.scenario) == {"baseline", "moonshot"}
    outcomes = pd.read_csv(folder / "outcomes.csv")
    assert {"2030", "2035", "2040"} <= set(outcomes.columns)
    row = outcomes[(outcomes.scenario == "moonshot") & (outcomes.indicator == "labour_force")]
    ind = pd.read_csv(written / "moonshot" / "indicators.csv").set_index("year")
    # for people: thousands, no decimals (indicators.csv keeps full precision)
    assert row["2040"].iloc[0] == round(ind.at[2040, "labour_force"] / 1e3) and row["unit"].iloc[0] == "thousand persons"
    for stem in ("lines", "dots"):
        assert (folder / "figures" / f"{stem}.png").read_bytes().startswith(PNG_SIGNATURE)


def test_a_figure_drawn_on_a_kept_one_is_byte_identical_to_a_fresh_one(tmp_path):
    """save() keeps each figure, ticks and all, to draw the next one of the same layout on: the files
    must be those of a figure built from nothing, whatever was drawn on it before (other scenario,
    calendar, language and kind: population, pyramids and economy share a layout)."""
    from simulate.pipeline import run_scenarios
    from simulate.plots import style
    from simulate.plots.render import scenario_figures
    from simulate.scenario import load_scenario

    moonshot, current = run_scenarios([load_scenario(SCENARIOS / f"{name}.yaml") for name in ("moonshot", "current")])

    def draw(result, folder, lang):
        s = result.scenario
        scenario_figures(folder, result.indicators, result.population, s.label, (s.base_year, s.history_end), lang,
                         formats=("svg", "png"))

    style._KEPT.clear()
    draw(current, tmp_path / "fresh", "ja")
    draw(moonshot, tmp_path / "before", "en")
    assert style._KEPT, "nothing kept to draw on"
    draw(current, tmp_path / "kept", "ja")
    files = sorted(p.name for p in (tmp_path / "fresh").iterdir())
    assert len(files) == 2 * len(SCENARIO_FIGURES)
    for name in files:
        assert (tmp_path / "kept" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes(), name


def test_commands_that_draw_nothing_do_not_import_matplotlib():
    code = ("import sys; from simulate.cli import main; "
            f"main(['validate', r'{SCENARIOS / 'baseline.yaml'}']); main(['run', '--no-figures', '--quiet', "
            f"'--out', r'{ROOT / 'results' / '.probe'}', r'{SCENARIOS / 'baseline.yaml'}']); "
            "print('matplotlib' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.strip().endswith("False"), proc.stdout + proc.stderr
    import shutil
    shutil.rmtree(ROOT / "results" / ".probe", ignore_errors=True)


def test_matplotlib_backend_is_non_interactive():
    from simulate.plots import style  # noqa: F401
    import matplotlib
    assert matplotlib.get_backend().lower() == "agg"


@pytest.mark.parametrize("method", ["spawn", "fork"])
def test_figure_workers_under_spawn_or_fork_draw_the_bytes_drawn_in_process(tmp_path, method, monkeypatch):
    """Issue 37: figure workers were started by fork only where it exists; Windows and macOS start
    them by spawn (a fresh interpreter that imports the job and the house style itself).  Both
    draw, in two workers, the files drawn in this process."""
    import multiprocessing

    from simulate.pipeline import run_scenarios
    from simulate.plots import render
    from simulate.scenario import load_scenario

    (current,) = run_scenarios([load_scenario(SCENARIOS / "current.yaml")])
    s = current.scenario

    def jobs(folder):
        return [(render.scenario_figures, (folder / lang, current.indicators, current.population, s.label,
                                           (s.base_year, s.history_end), lang)) for lang in ("en", "ja")]

    render.Jobs(jobs(tmp_path / "here"), workers=1, formats=("svg",)).wait()
    used, context = [], multiprocessing.get_context
    monkeypatch.setattr(render, "START_METHOD", method)
    monkeypatch.setattr(multiprocessing, "get_context", lambda name=None: used.append(name) or context(name))
    workers = render.Jobs(jobs(tmp_path / "workers"), workers=2, formats=("svg",))
    assert workers.pool is not None
    workers.wait()
    assert used == [method]
    files = sorted(p.relative_to(tmp_path / "here") for p in (tmp_path / "here").rglob("*.svg"))
    assert len(files) == 2 * len(SCENARIO_FIGURES)
    for name in files:
        assert (tmp_path / "workers" / name).read_bytes() == (tmp_path / "here" / name).read_bytes(), name
