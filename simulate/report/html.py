"""Self-contained HTML reports: inline CSS and SVG figures, no scripts, no network requests."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from simulate.report.tables import headline_table

SOURCES = [
    ("Population by single age, census 2015 jump-off; IPSS medium projection", "IPSS, Population "
     "Projections for Japan (2017)", "Government of Japan standard terms of use (CC BY 4.0 compatible)"),
    ("Age-specific fertility rates", "Human Fertility Database (MPIDR, VID)", "CC BY 4.0"),
    ("Female life tables", "Human Mortality Database (MPIDR, UC Berkeley, INED)", "CC BY 4.0"),
    ("Death rates by sex and 5-year group", "MHLW Vital Statistics via e-Stat",
     "Government of Japan standard terms of use"),
    ("Labour-force participation by sex and age", "OECD Labour Force Statistics", "OECD terms (attribution)"),
    ("Headline figures (2017 population, 2040 projection, GDP 2018, productivity goals)",
     "White Paper on Information and Communications in Japan 2018, ch. 6 s. 1", "quoted with attribution"),
]
CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#1c2833;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;border-bottom:2px solid #1b4f72;padding-bottom:.2em;
margin-top:1.8em}table{border-collapse:collapse;margin:.6em 0;font-size:.92em}
th,td{border:1px solid #d5d8dc;padding:.25em .6em;text-align:right}th{background:#eaf2f8}
td.k,th.k{text-align:left}h3{font-size:1em;margin:1.2em 0 .2em}figure{margin:1.2em 0}figure svg{max-width:100%;height:auto}
figcaption{font-size:.9em;color:#566573}.met{color:#1e8449}.missed{color:#a93226}
.note{color:#566573;font-size:.9em}
"""
_XML_PROLOGUE = re.compile(r"^\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?", re.S)


def inline_svg(path: Path) -> str:
    """An SVG file's markup without its XML prologue, ready to embed in HTML."""
    return _XML_PROLOGUE.sub("", path.read_text(encoding="utf-8"))


def number(value: float) -> str:
    """A figure for people: thousands separated when large, six significant digits otherwise."""
    return f"{value:,.0f}" if abs(value) >= 1e4 else f"{value:.6g}"


def _e(value: object) -> str:
    return html.escape(str(value))


def describe_value(value: object) -> str:
    """Keyframes as 'year: value → …', a path written as one number as 'value (constant)'."""
    if isinstance(value, dict) and value and all(str(k).isdigit() for k in value):
        if len(value) == 1 and int(next(iter(value))) == 1950:
            return f"{next(iter(value.values())):g} (constant)"
        return " → ".join(f"{k}: {v:g}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(describe_value(v) for v in value) or "none"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {describe_value(v)}" for k, v in value.items() if v is not None)
    return "—" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def assumption_rows(resolved: dict, prefix: str = "") -> list[tuple[str, str]]:
    """Flatten a resolved scenario (JSON form) into (key path, readable value) rows."""
    rows = []
    for key, value in resolved.items():
        path = f"{prefix}{key}"
        section = isinstance(value, dict) and value and not all(str(k).isdigit() for k in value)
        if section and key not in ("productivity_target", "seniors", "women_m_curve", "women_gap"):
            rows += assumption_rows(value, path + ".")
        elif key not in ("extends", "name", "title", "description"):
            rows.append((path, describe_value(value)))
    return rows


def _table(header: list[str], rows: list[list[str]], raw: bool = False, text_columns: int = 1) -> str:
    """An HTML table; the first ``text_columns`` columns are left-aligned text, the rest numbers."""
    def cls(i: int) -> str:
        return " class=k" if i < text_columns else ""
    head = "".join(f"<th{cls(i)}>{_e(h)}</th>" for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(f"<td{cls(i)}>{c if raw else _e(c)}</td>" for i, c in enumerate(r)) + "</tr>"
                   for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def participation_html(labour: pd.DataFrame, years: list[int]) -> str:
    """Participation rates (%) by age group, men and women, in the report years (from labour.csv)."""
    rows = labour[labour["year"].isin(years)].pivot_table(index="age_group", columns=["year", "sex"],
                                                          values="participation_rate", sort=False)
    letters = {"male": "M", "female": "W"}
    header = ["age group"] + [f"{year} {letters[sex]}" for year in years for sex in letters]
    body = [[group] + [f"{rows.at[group, (year, sex)]:.1f}" for year in years for sex in letters]
            for group in rows.index]
    return ("<p class=note>Participation rate, % (M men, W women); labour.csv has population, labour force, "
            "employed and hours by group.</p>" + _table(header, body))


def headline_html(indicators: pd.DataFrame, years: list[int], base_year: int) -> str:
    """Headline table; each cell carries the raw indicators.csv value in data attributes."""
    table = headline_table(indicators, years, base_year)
    by_year = indicators.set_index("year")
    formats = table.attrs["rows"]
    rows = []
    for label, values in table.iterrows():
        column, fmt = formats[label]
        cells = [f'<td data-column="{column}" data-year="{y}" data-value="{float(by_year.at[y, column])!r}">'
                 f"{_e(fmt.format(v))}</td>" for y, v in zip(years, values)]
        rows.append(f"<tr><td class=k>{_e(label.strip())}</td>{''.join(cells)}</tr>")
    head = "<th class=k>indicator</th>" + "".join(f"<th>{y}</th>" for y in years)
    return f'<table id="headline"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def figures_html(folder: Path, captions: dict[str, str]) -> str:
    """Every ``*.svg`` in ``folder`` inlined, in ``captions`` order, with its caption."""
    parts = []
    for stem, caption in captions.items():
        path = folder / f"{stem}.svg"
        if path.is_file():
            parts.append(f'<figure id="fig-{stem}">{inline_svg(path)}<figcaption>{_e(caption)} '
                         f'(also <code>figures/{stem}.png</code>)</figcaption></figure>')
    return "".join(parts)


def page(title: str, body: str) -> str:
    """A complete HTML document."""
    return (f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{_e(title)}</title>"
            f"<meta name=viewport content='width=device-width, initial-scale=1'><style>{CSS}</style></head>"
            f"<body>{body}</body></html>")


def sources_html() -> str:
    return "<h2>Data sources and licences</h2>" + _table(["data", "source", "licence"], [list(s) for s in SOURCES],
                                                         text_columns=3)


def metadata_html(meta: dict) -> str:
    rows = [[k, meta[k]] for k in ("package", "version", "python", "numpy", "file_sha256", "resolved_sha256")
            if k in meta]
    rows += [[f"timing: {k}", f"{v:g} ms"] for k, v in meta.get("timings_ms", {}).items()]
    return "<h2>Run metadata</h2>" + _table(["item", "value"], rows, text_columns=2)


SCENARIO_CAPTIONS = {
    "population_groups": "Population by broad age group; diamonds: the White Paper's figures.",
    "pyramids": "Population pyramids in the first report year, 2030 and 2040 (outlines; males left, females right).",
    "dependency": "Old-age dependency ratio and employed persons per elderly person.",
    "labour": "Labour force and employment (dashed: 60 million); total hours worked.",
    "economy": "GDP, GDP per capita and productivity per hour; dashed: productivity +2 %/yr; star: 1.5× by 2037.",
    "backcast": "Backcast: the target metric with and without the solved lever.",
}


def scenario_report(indicators: pd.DataFrame, resolved: dict, meta: dict, label: str, description: str,
                    report_years: list[int], targets: list[dict], figures: Path, labour: pd.DataFrame) -> str:
    """The report of one scenario run."""
    history = (f"<p class=note>History: the {_e(resolved['jump_off'])} census, observed through "
               f"{_e(resolved['observed_until'])}; assumptions from {int(resolved['observed_until']) + 1}. "
               f"Indices: {_e(resolved['base_year'])} = 100.</p>")
    if resolved.get("counterfactual_past"):
        history = (f"<p class=note>Counterfactual past: the scenario's assumptions apply from the "
                   f"{_e(resolved['jump_off'])} census on, not the observations.</p>")
    body = [f"<h1>{_e(label)}</h1><p>{_e(description)}</p>", history,
            "<h2>Headline outcomes</h2>", headline_html(indicators, report_years, int(resolved["base_year"]))]
    if targets:
        rows = [f"<tr><td class=k>{_e(t['target'])}</td><td>{number(t['achieved'])}</td>"
                f"<td class={'met' if t['met'] else 'missed'}>{'met' if t['met'] else 'not met'}</td></tr>"
                for t in targets]
        body.append("<h2>Targets</h2><table><thead><tr><th class=k>target</th><th>achieved</th><th>status</th>"
                    f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    body += ["<h2>Participation by age</h2>", participation_html(labour, report_years),
             "<h2>Figures</h2>", figures_html(figures, SCENARIO_CAPTIONS),
             "<h2>Assumptions (resolved, including inherited values)</h2>",
             _table(["setting", "value"], [list(r) for r in assumption_rows(resolved)], text_columns=2),
             sources_html(), metadata_html(meta)]
    return page(label, "".join(body))


COMPARISON_CAPTIONS = {"lines": "Key indicators by scenario, from the jump-off census to the horizon.",
                       "bars": "Population, labour force and GDP per capita in the report years."}


def comparison_report(outcomes: pd.DataFrame, titles: dict[str, str], name: str, figures: Path, meta: dict) -> str:
    """The report comparing several scenarios; ``outcomes`` is the outcome table (scenario,
    indicator, one column per year), shown as one small table per indicator."""
    years = [c for c in outcomes.columns if c not in ("scenario", "indicator")]
    tables = []
    for indicator, rows in outcomes.groupby("indicator", sort=False):
        body = [[_e(scenario)] + [f"{v:,.2f}" for v in values]
                for scenario, values in zip(rows["scenario"], rows[years].to_numpy())]
        tables.append(f"<h3>{_e(indicator)}</h3>" + _table(["scenario"] + years, body, raw=True))
    body = [f"<h1>Scenario comparison: {_e(name)}</h1>",
            _table(["scenario", "title"], [[k, v] for k, v in titles.items()], text_columns=2),
            "<h2>Figures</h2>", figures_html(figures, COMPARISON_CAPTIONS),
            f"<h2>Outcomes in {', '.join(years)}</h2>", "".join(tables), sources_html(), metadata_html(meta)]
    return page(f"Scenario comparison: {name}", "".join(body))
