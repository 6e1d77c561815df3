"""Figures that survive real use: no text overlaps another, nothing is cut at the canvas edge, no
offset or scientific notation, Japanese without missing glyphs — for every figure in both languages."""

from __future__ import annotations

import itertools
import re
import warnings

import numpy as np
import pandas as pd
import pytest

from simulate.pipeline import run_scenarios
from simulate.scenario import load_scenario

from conftest import SCENARIOS
from simulate.text.lines import balanced
from test_lines import breaks_only_at_spaces_or_wide

SCIENTIFIC = re.compile(r"\d[eE][+-]?\d|×10")


@pytest.fixture(scope="module")
def runs():
    """Every shipped scenario, run once (no files)."""
    return run_scenarios([load_scenario(p) for p in sorted(SCENARIOS.glob("*.yaml"))])


def _shown_ticks(axis):
    low, high = sorted(axis.get_view_interval())
    span = high - low
    return [t.label1 for t in axis.get_major_ticks()
            if low - 1e-9 * span <= t.get_loc() <= high + 1e-9 * span and t.label1.get_visible()]


def texts(fig):
    """(text, window extent) of every visible, non-empty text a drawn figure shows: titles, axis
    labels, tick labels inside the view, annotations and legend entries."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    artists = list(fig.texts)
    for legend in fig.legends:
        artists += legend.get_texts()
    for ax in fig.axes:
        artists += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        artists += _shown_ticks(ax.xaxis) + _shown_ticks(ax.yaxis)
        if ax.get_legend() is not None:
            artists += ax.get_legend().get_texts()
    found = []
    for artist in artists:
        if artist.get_visible() and artist.get_text().strip():
            box = artist.get_window_extent(renderer)
            if box.width > 0 and box.height > 0:
                found.append((artist.get_text(), box))
    return found


def check_layout(fig, name: str) -> None:
    """No text cut by the canvas edge, no two texts overlapping, no offset or scientific notation."""
    import matplotlib.pyplot as plt

    canvas = fig.bbox
    found = texts(fig)
    for text, box in found:
        assert (box.x0 >= canvas.x0 - 0.5 and box.y0 >= canvas.y0 - 0.5 and box.x1 <= canvas.x1 + 0.5
                and box.y1 <= canvas.y1 + 0.5), f"{name}: {text!r} is cut at the edge ({box} vs {canvas})"
        assert not SCIENTIFIC.search(text), f"{name}: {text!r} uses scientific notation"
        if "\n" in text and balanced(text.removesuffix("…")):
            assert all(balanced(line.removesuffix("…")) for line in text.split("\n")), f"{name}: {text!r} breaks a bracket"
    title = getattr(fig, "_house_title", None)
    if title is not None and fig._suptitle is not None:
        wrapped = fig._suptitle.get_text().removesuffix("…")
        assert breaks_only_at_spaces_or_wide(title, wrapped), f"{name}: {wrapped!r} breaks inside a word"
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            assert axis.get_offset_text().get_text() == "", f"{name}: offset text {axis.get_offset_text().get_text()!r}"
    for (a, box_a), (b, box_b) in itertools.combinations(found, 2):
        overlap_w = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        overlap_h = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        assert overlap_w <= 1 or overlap_h <= 1, f"{name}: {a!r} overlaps {b!r}"
    plt.close(fig)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_scenario_figures_lay_out_cleanly(runs, lang):
    from simulate.plots.figures import SCENARIO_FIGURES
    from simulate.plots.style import house_style

    for result in runs:
        s = result.scenario
        with house_style(), warnings.catch_warnings():
            warnings.simplefilter("error")  # a missing glyph is a UserWarning
            for stem, (build, needs_population) in SCENARIO_FIGURES.items():
                fig = build(result.population if needs_population else result.indicators, s.label,
                            (s.base_year, s.history_end), lang)
                check_layout(fig, f"{s.name}/{stem}/{lang}")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_comparison_of_every_shipped_scenario_lays_out_cleanly(runs, lang):
    from simulate.plots import comparison
    from simulate.plots.style import house_style
    from simulate.report.outputs import COMPARISON_YEARS, comparison_long

    long = comparison_long(runs)
    titles = {r.scenario.name: r.scenario.label for r in runs}
    bases = {r.scenario.name: r.scenario.base_year for r in runs}
    with house_style(), warnings.catch_warnings():
        warnings.simplefilter("error")
        check_layout(comparison.lines(long, "all", titles, lang, bases), f"lines/{lang}")
        check_layout(comparison.dots(long, COMPARISON_YEARS, "all", titles, lang, bases), f"dots/{lang}")


def test_comparison_styles_are_all_different_and_the_first_is_emphasised():
    from simulate.plots.comparison import line_style

    styles = [line_style(i) for i in range(19)]
    assert len({(s["color"], s["ls"]) for s in styles}) == 19
    assert styles[0]["color"] == "black" and styles[0]["lw"] > max(s["lw"] for s in styles[1:])


def test_indices_on_different_bases_are_rebased_to_one(runs):
    from simulate.plots.comparison import rebased
    from simulate.report.outputs import comparison_long

    pair = [r for r in runs if r.scenario.name in ("baseline", "current")]
    long = comparison_long(pair)
    out, base = rebased(long, {r.scenario.name: r.scenario.base_year for r in pair})
    assert base == 2024
    at = out[(out.indicator == "gdp_index") & (out.year == 2024)]
    assert np.allclose(at["value"], 100.0)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_uncertainty_backcast_and_reality_figures_lay_out_cleanly(runs, lang):
    from simulate.backcasting import solve
    from simulate.plots import uncertainty
    from simulate.plots.figures import backcast
    from simulate.plots.reality import reality_figure
    from simulate.plots.style import house_style
    from simulate.reality import reality_table
    from simulate.report.tables import lever_text
    from simulate.scenario.economy_model import Target
    from simulate.uncertainty.ensemble import quantile_table, run_design, sample
    from simulate.uncertainty.sensitivity import sensitivity

    baseline = next(r for r in runs if r.scenario.name == "baseline")
    scenario = baseline.scenario
    parameters = scenario.uncertainty.parameters
    quantiles = quantile_table(run_design(scenario, sample(parameters, 64, 1), parameters))
    table, _, _ = sensitivity(scenario, "morris", 4, 1)
    sobol, _, _ = sensitivity(scenario, "sobol", 8, 1)
    solution = solve(scenario, "net_migration", [Target.parse("labour_force@2040>=60e6")])
    solved = run_scenarios([type(baseline.loaded)(solution.scenario, (), "")])[0].indicators
    grid = np.arange(12.0).reshape(3, 4) * 1234.5
    with house_style(), warnings.catch_warnings():
        warnings.simplefilter("error")
        for stem, panels in uncertainty.FANS.items():
            check_layout(uncertainty.fan(quantiles, panels, scenario.label, lang), f"{stem}/{lang}")
        for method, frame in (("morris", table), ("sobol", sobol)):
            for indicator in dict.fromkeys(frame["indicator"]):
                check_layout(uncertainty.tornado(frame, indicator, [2030, 2040], method, scenario.label, lang),
                             f"tornado {method} {indicator}/{lang}")
        check_layout(uncertainty.heatmap(grid, [0.0, 10.0, 20.0, 30.0], [1.2, 1.4, 1.6], "seniors_uplift", "tfr",
                                         "GDP per capita 2040 (USD)", scenario.label, ), f"heatmap/{lang}")
        check_layout(backcast(solved, baseline.indicators, "labour_force", 2040, 60e6,
                              lever_text("net_migration", solution.value, lang), scenario.label, (2017, 2017), lang),
                     f"backcast/{lang}")
        check_layout(reality_figure(reality_table(baseline), scenario.label, 2017), f"reality/{lang}")


@pytest.mark.slow
def test_a_long_japanese_title_wraps_inside_the_canvas(runs):
    from simulate.plots.figures import SCENARIO_FIGURES
    from simulate.plots.style import house_style

    baseline = next(r for r in runs if r.scenario.name == "baseline")
    title = "静かなる有事：出生率の回復と外国人労働者の受け入れ拡大、高齢者と女性の就業促進を組み合わせたシナリオ" * 2
    with house_style(), warnings.catch_warnings():
        warnings.simplefilter("error")
        for stem, (build, needs_population) in SCENARIO_FIGURES.items():
            fig = build(baseline.population if needs_population else baseline.indicators, title, (2017, 2017), "ja")
            check_layout(fig, f"{stem}/long japanese title")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_forecast_and_backtest_figures_lay_out_cleanly(lang):
    import simulate
    from simulate.plots import uncertainty
    from simulate.plots.style import house_style
    from simulate.api.odds import forecast_title

    found = simulate.forecast("current", n=64, seed=1)
    scores = simulate.backtest("1980:2010:10", n=64).scores
    title = forecast_title(found.inputs, lang)
    with house_style(), warnings.catch_warnings():
        warnings.simplefilter("error")
        for stem, panels in uncertainty.FANS.items():
            check_layout(uncertainty.fan(found.quantiles, panels, title, lang), f"forecast {stem}/{lang}")
        check_layout(uncertainty.coverage(scores, lang), f"coverage/{lang}")
        table = simulate.api.frontier("current", "seniors_uplift", "productivity_growth", ["gdp@2040>=1x2024"]).table
        check_layout(uncertainty.frontier(table, "seniors_uplift", "productivity_growth", "GDP 2040 ≥ 2024", 0.8,
                                          lang), f"frontier/{lang}")
