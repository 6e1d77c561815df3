"""The words of reports and figures by key, in English, looked up in the message catalogue
(:mod:`simulate.text.messages`; indicator labels live in the registry, :mod:`simulate.indicators`)."""

from __future__ import annotations

import textwrap

from simulate.text.messages import N_, t

WORDS: dict[str, str] = {
    "story": N_("The quiet crisis in this scenario's numbers"),
    "headline": N_("Headline outcomes"),
    "seed": N_("The White Paper's figures and this scenario"),
    "targets": N_("Targets"),
    "participation": N_("Participation by age"),
    "figures": N_("Figures"),
    "assumptions": N_("Assumptions"),
    "assumptions_open": N_("Show every setting (resolved, including inherited values)"),
    "sources": N_("Data sources and licences"),
    "metadata": N_("Run metadata"),
    "indicator": N_("indicator"),
    "setting": N_("setting"),
    "value": N_("value"),
    "figure": N_("figure"),
    "published": N_("White Paper"),
    "this_scenario": N_("this scenario"),
    "difference": N_("difference"),
    "target": N_("target"),
    "achieved": N_("achieved"),
    "status": N_("status"),
    "met": N_("met"),
    "notice": N_("Note"),
    "what_if": N_("What-if: set on top of the scenario's files"),
    "not_met": N_("not met"),
    "scenario": N_("scenario"),
    "title": N_("title"),
    "comparison": N_("Scenario comparison"),
    "outcomes_in": N_("Outcomes in"),
    "age_group": N_("age group"),
    "men": N_("M"),
    "women": N_("W"),
    "participation_note": N_("Participation rate, % (M men, W women); labour.csv "
                                "has population, labour force, employed and hours by"
                                " group."),
    "also_png": N_("also"),
    "fig_population": N_("Population by age group"),
    "fig_pyramids": N_("Population pyramids"),
    "fig_dependency": N_("Dependency"),
    "fig_labour": N_("Labour"),
    "fig_economy": N_("Output and productivity"),
    "fig_care": N_("Care and social security"),
    "care": N_("Who cares and who pays"),
    "care_note": N_("Benefits in nominal trillion yen of each year (GDP at 2018 prices x the scenario's deflator, "
                    "or its nominal GDP path); shares of GDP do not depend on prices. Costs per person of each age "
                    "are FY2018's relative to GDP per person; the care workers per person certified, FY2022's."),
    "outlook_2018": N_("2018 outlook (plan-based)"),
    "people_millions": N_("million persons"),
    "share_of_gdp": N_("% of GDP"),
    "fig_backcast": N_("Backcast"),
    "fig_compared": N_("Scenarios compared"),
    "fig_outcomes": N_("Outcomes in"),
    "total": N_("Total"),
    "white_paper": N_("White Paper figures"),
    "observed": N_("observed"),
    "age_axis": N_("age (years; 100 = 100+)"),
    "pyramid_axis": N_("thousand persons (males left, females right)"),
    "two_percent": N_("productivity +2 %/yr"),
    "target_2037": N_("1.5× by 2037 target"),
    "without_lever": N_("without the lever"),
    "with": N_("with"),
    "target_mark": N_("target"),
    "sixty_million": N_("60 M"),
    # reports of ensembles, sensitivity analyses and sweeps
    "ensemble": N_("Ensemble"),
    "sensitivity": N_("Sensitivity"),
    "sweep": N_("Sweep"),
    "forecast": N_("Forecast"),
    "backtest": N_("Back-test"),
    "found": N_("What it found"),
    "parameters": N_("What was varied"),
    "parameter": N_("parameter"),
    "distribution": N_("distribution or values"),
    "table": N_("Key numbers"),
    "median_band": N_("median [80 % band]"),
    "metric": N_("metric"),
    "fan": N_("Fan chart: median and 80 % / 95 % bands of the trajectories."),
    "tornado": N_("How much of the indicator's variance each parameter explains."),
    "heatmap": N_("The metric over the grid of the two varied settings."),
    "coverage": N_("How often the 80 % interval held what happened, by years ahead; the grey band is 70-90 %."),
    "horizon": N_("years ahead"),
    "coverage_axis": N_("share of outcomes inside the 80 % interval (%)"),
    "nominal": N_("80 % (calibrated)"),
    "official": N_("Official projections beside this forecast"),
    "projection": N_("projection"),
    "official_cell": N_("{value} (percentile {percentile})"),
    "children_per_woman": N_("{value} children per woman"),
    "years_of_life": N_("{value} years"),
}


def word(key: str, lang: str, **fields: object) -> str:
    """The word or phrase ``key`` in ``lang`` (``en`` or ``ja``), from the message catalogue, with
    its ``{name}`` fields filled from ``fields``."""
    return t(WORDS[key], lang, **fields)


def short_labels(texts: list[str], names: list[str], width: int = 60) -> list[str]:
    """Labels of at most about ``width`` characters that tell ``texts`` apart (legends).

    Each text is cut at a word with '…'; texts that then read the same keep their beginning and
    their end ('Current (2020 census, obs…after) + migration.net=300000'), where titles of
    what-ifs differ; texts that still read the same end in their ``names`` (unique by rule)."""
    def cut(text: str) -> str:
        return textwrap.shorten(text, width, placeholder="…")

    def ends(text: str) -> str:
        if len(text) <= width:
            return text
        head = width // 3
        return text[:head].rstrip() + "…" + text[len(text) - (width - head - 1):].lstrip()

    labels = [cut(t) for t in texts]
    for step in (ends, lambda t: t):
        counts = {label: labels.count(label) for label in labels}
        for i, text in enumerate(texts):
            if counts[labels[i]] > 1:
                labels[i] = step(text) if step is ends else (
                    textwrap.shorten(text, max(width - len(names[i]) - 3, 12), placeholder="…") + f" [{names[i]}]")
    return labels
