"""Self-contained HTML reports: inline CSS and SVG figures, no scripts, no network requests."""

from __future__ import annotations

from typing import Any

import html
import re
from pathlib import Path

import pandas as pd

from simulate.calendar import SEED_YEAR
from simulate.report.fonts import font_face_css
from simulate.report.tables import CARE_ROWS, HEADLINE, headline_rows, outcome_groups, reproduction_rows
from simulate.text.messages import N_, t
from simulate.text.numbers import SENTENCE_GAP, format_value, plain
from simulate.text.words import word

#: The data a report rests on: (what, source, licence), each a catalogue message (the Japanese gives
#: a source's official Japanese name where it has one; the two databases' names are their own).
#: The data a run may use, by key: (data, source, licence).  A report lists the rows its runs used
#: (:func:`sources_used`): every run uses the rows of :data:`ALWAYS`.
#: IPSS 2017's tables: their source and licence, shared by the rows that use them.
IPSS2017 = (N_("IPSS, Population Projections for Japan (2017)"),
            N_("Government of Japan standard terms of use (CC BY 4.0 compatible)"))
SOURCES = {
    "ipss2017": (N_("Population by single age, census 2015 jump-off; IPSS medium projection"), *IPSS2017),
    "ipss2017_shape": (N_("Net migration by sex and age (its shape), as implied by IPSS 2017 medium"), *IPSS2017),
    "census2020": (N_("Population by single age and sex, 2020 census (the jump-off)"),
                   N_("Statistics Bureau of Japan, 2020 Population Census, final counts (e-Stat)"),
                   N_("Government of Japan standard terms of use")),
    "observed": (N_("Observed years {first}-{last}: population on 1 October, births, deaths, TFR, life expectancy"),
                 N_("Statistics Bureau, Population Estimates; MHLW Vital Statistics and life tables"),
                 N_("Government of Japan standard terms of use")),
    "hfd": (N_("Age-specific fertility rates"), "Human Fertility Database (MPIDR, VID)", "CC BY 4.0"),
    "hmd": (N_("Female life tables"), "Human Mortality Database (MPIDR, UC Berkeley, INED)", "CC BY 4.0"),
    "estat": (N_("Death rates by sex and 5-year group"), N_("MHLW Vital Statistics via e-Stat"),
              N_("Government of Japan standard terms of use")),
    "oecd": (N_("Labour-force participation by sex and age"), N_("OECD Labour Force Statistics"),
             N_("OECD terms (attribution)")),
    "care": (N_("Care certification rates (2020), care workers (FY2022), social-security benefits (FY2018) and the "
                "2018 outlook"), N_("MHLW; Cabinet Secretariat, Cabinet Office and Ministry of Finance (2018 outlook)"),
             N_("Government of Japan standard terms of use")),
    "white_paper": (N_("Headline figures (2017 population, 2040 projection, GDP 2018, productivity goals)"),
                    N_("White Paper on Information and Communications in Japan 2018, ch. 6 s. 1"),
                    N_("quoted with attribution")),
    "font": (N_("Japanese glyphs embedded in this page and its figures (a subset)"),
             N_("IPAexGothic, Information-technology Promotion Agency, Japan"), N_("IPA Font License Agreement v1.0")),
}
ALWAYS = ("hfd", "hmd", "estat", "oecd", "care", "white_paper", "font")


def calendar_of(scenario: Any) -> dict:
    """What :func:`sources_used` reads of a scenario: its jump-off, last observed year, counterfactual
    past and migration shape (from a :class:`~simulate.scenario.model.Scenario`'s attributes)."""
    return {"jump_off": scenario.jump_off, "observed_until": scenario.history_end,
            "counterfactual_past": scenario.counterfactual_past,
            "migration": {"profile": {"shape": scenario.migration.profile.shape}}}


def sources_used(scenarios: list[dict]) -> list[tuple[str, int, int]]:
    """The rows of :data:`SOURCES` that runs of the resolved ``scenarios`` used, in table order, each
    with the observed years it names: (key, first observed year, last observed year); one row of
    observed years per jump-off."""
    found = {(key, 0, 0) for key in ALWAYS}
    for resolved in scenarios:
        jump_off, end = str(resolved["jump_off"]), int(resolved["observed_until"])
        first = int(jump_off.removeprefix("census")) + 1
        if jump_off == "census2015":
            found.add(("ipss2017", 0, 0))
        elif resolved.get("migration", {}).get("profile", {}).get("shape", "ipss2017") == "ipss2017":
            found.add(("ipss2017_shape", 0, 0))
        if jump_off == "census2020":
            found.add(("census2020", 0, 0))
        if end >= first and not resolved.get("counterfactual_past"):
            found.add(("observed", first, end))
    order = list(SOURCES)
    return sorted(found, key=lambda row: (order.index(row[0]), row[1]))


CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI','IPAexGothic',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#1c2833;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;border-bottom:2px solid #1b4f72;padding-bottom:.2em;
margin-top:1.8em}table{border-collapse:collapse;margin:.6em 0;font-size:.92em}
th,td{border:1px solid #d5d8dc;padding:.25em .6em;text-align:right}th{background:#eaf2f8}
td.k,th.k{text-align:left}td:not(.k){white-space:nowrap}h3{font-size:1em;margin:1.2em 0 .2em}figure{margin:1.2em 0}figure svg{max-width:100%;height:auto}
figcaption{font-size:.9em;color:#566573}.met{color:#1e8449}.missed{color:#a93226}
.note{color:#566573;font-size:.9em}.whatif{background:#fef5e7;border-left:4px solid #e67e22;padding:.4em .8em}.story{font-size:1.08em;background:#f4f6f7;padding:.6em .9em;
border-left:4px solid #1b4f72}details{margin:.6em 0}summary{cursor:pointer;color:#1b4f72}
"""
_XML_PROLOGUE = re.compile(r"^\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?", re.S)


def inline_svg(path: Path) -> str:
    """An SVG file's markup without its XML prologue, ready to embed in HTML."""
    return _XML_PROLOGUE.sub("", path.read_text(encoding="utf-8"))


def short(value: float) -> str:
    """A setting's number as written, without exponent or trailing zeros, at most six significant
    digits (1000000, 0.12, 1.4433; a ramped 88.07076923 as 88.0708)."""
    import numpy as np

    value = float(value)
    if abs(value) >= 1e5:  # counts: whole numbers
        return np.format_float_positional(round(value), trim="-")
    return np.format_float_positional(value, precision=6, fractional=False, trim="-")  # at most 6 digits


def _e(value: object) -> str:
    return html.escape(str(value))


def describe_value(value: object, lang: str = "en") -> str:
    """A setting as written in the scenario language: keyframes as 'year: value → …', a path written
    as one number as 'value (constant)' (that word in ``lang``), a mapping as 'key: value, …'."""
    if isinstance(value, dict) and value and all(str(k).isdigit() for k in value):
        if len(value) == 1 and int(next(iter(value))) == 1950:
            return t("{value} (constant)", lang, value=short(next(iter(value.values()))))
        return " → ".join(f"{k}: {short(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(describe_value(v, lang) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {describe_value(v, lang)}" for k, v in value.items()
                         if v not in (None, False, "", [], {}))
    return "" if value is None else short(value) if isinstance(value, float) else str(value)


#: Settings whose mapping is one row (a value object), not a section of rows.
ONE_ROW = ("productivity_target", "seniors", "women_m_curve", "women_gap", "profile")


def assumption_rows(resolved: dict, prefix: str = "", lang: str = "en") -> list[tuple[str, str]]:
    """Flatten a resolved scenario (JSON form) into (key path, readable value) rows; empty settings
    and the scenario's own texts (shown above the table) are left out, and each uncertainty
    parameter is one row."""
    rows = []
    for key, value in resolved.items():
        path = f"{prefix}{key}"
        if not prefix and key in ("extends", "name", "title", "description"):
            continue
        if path == "uncertainty.parameters":
            rows += [(f"{path}.{name}", describe_value(spec, lang)) for name, spec in value.items()]
            continue
        section = isinstance(value, dict) and value and not all(str(k).isdigit() for k in value)
        if section and key not in ONE_ROW:
            rows += assumption_rows(value, path + ".", lang)
        else:
            text = describe_value(value, lang)
            if text:
                rows.append((path, text))
    return rows


def _table(header: list[str], rows: list[list[str]], raw: bool = False, text_columns: int = 1,
           code: bool = False) -> str:
    """An HTML table; the first ``text_columns`` columns are left-aligned text, the rest numbers.
    ``code``: its cells are the scenario language (keys and values as written), marked
    ``translate=no`` (for browsers' translators, and for the test that finds English in Japanese)."""
    def cls(i: int) -> str:
        return " class=k" if i < text_columns else ""
    head = "".join(f"<th{cls(i)}>{_e(h)}</th>" for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(f"<td{cls(i)}>{c if raw else _e(c)}</td>" for i, c in enumerate(r)) + "</tr>"
                   for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody{' translate=no' if code else ''}>{body}</tbody></table>"


def participation_html(labour: pd.DataFrame, years: list[int], lang: str = "en") -> str:
    """Participation rates (%) by age group, men and women, in the report years (from labour.csv)."""
    rows = labour[labour["year"].isin(years)].pivot_table(index="age_group", columns=["year", "sex"],
                                                          values="participation_rate", sort=False)
    letters = {"male": word("men", lang), "female": word("women", lang)}
    header = [word("age_group", lang)] + [f"{year} {letters[sex]}" for year in years for sex in letters]
    body = [[group] + [plain(rows.at[group, (year, sex)], 1) for year in years for sex in letters]
            for group in rows.index]
    return f"<p class=note>{_e(word('participation_note', lang))}</p>" + _table(header, body)


def headline_html(indicators: pd.DataFrame, years: list[int], base_year: int, lang: str = "en",
                  old_age_threshold: int = 65, names: tuple[str, ...] = HEADLINE, table: str = "headline") -> str:
    """Headline table (or another of ``names``, with the id ``table``); each cell carries the raw
    indicators.csv value in data attributes."""
    by_year = indicators.set_index("year")
    rows = []
    for column, label, cells in headline_rows(indicators, years, base_year, lang, old_age_threshold, names):
        tds = [f'<td data-column="{column}" data-year="{y}" data-value="{float(by_year.at[y, column])!r}">'
               f"{_e(text)}</td>" for y, text in zip(years, cells)]
        rows.append(f"<tr><td class=k>{_e(label)}</td>{''.join(tds)}</tr>")
    head = f"<th class=k>{_e(word('indicator', lang))}</th>" + "".join(f"<th>{y}</th>" for y in years)
    return f'<table id="{table}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def figures_html(folder: Path, captions: dict[str, str]) -> str:
    """Every figure in ``folder``, in ``captions`` order, with its caption: the SVG inlined, or,
    when only PNG was written (``--formats png``), the PNG beside the report."""
    parts = []
    for stem, caption in captions.items():
        svg, png = folder / f"{stem}.svg", folder / f"{stem}.png"
        also = f' (also <code>figures/{stem}.png</code>)' if png.is_file() else ""
        if svg.is_file():
            parts.append(f'<figure id="fig-{stem}">{inline_svg(svg)}<figcaption>{_e(caption)}{also}'
                         '</figcaption></figure>')
        elif png.is_file():
            parts.append(f'<figure id="fig-{stem}"><img src="{folder.name}/{stem}.png" alt="{_e(caption)}" '
                         f'style="max-width:100%"><figcaption>{_e(caption)}</figcaption></figure>')
    return "".join(parts)


def page(title: str, body: str, lang: str = "en") -> str:
    """A complete HTML document in language ``lang``."""
    head = f"<title>{_e(title)}</title><meta name=viewport content='width=device-width, initial-scale=1'>"
    fonts = font_face_css(title + body)
    return (f"<!DOCTYPE html><html lang={lang}><head><meta charset=utf-8>{head}<style>{fonts}{CSS}</style></head>"
            f"<body>{body}</body></html>")


def sources_html(lang: str = "en", scenarios: list[dict] = ()) -> str:
    """The data sources the runs of the resolved ``scenarios`` used (without any: the rows every run uses)."""
    rows = [[t(data, lang, first=first, last=last), t(source, lang), t(licence, lang)]
            for key, first, last in sources_used(list(scenarios)) for data, source, licence in [SOURCES[key]]]
    return f"<h2>{_e(word('sources', lang))}</h2>" + _table(
        [t("data", lang), t("source", lang), t("licence", lang)], rows, text_columns=3)


def metadata_html(meta: dict, lang: str = "en") -> str:
    rows = [[k, meta[k]] for k in ("package", "version", "python", "numpy", "file_sha256", "resolved_sha256")
            if k in meta]
    rows += [[t("time: {step}", lang, step=k), t("{value} ms", lang, value=plain(v, 1))]
             for k, v in meta.get("timings_ms", {}).items()]
    return f"<h2>{_e(word('metadata', lang))}</h2>" + _table([t("item", lang), word("value", lang)], rows,
                                                              text_columns=2, code=True)


#: Figure captions: stem -> message.
SCENARIO_CAPTIONS = {
    "population_groups": N_("Population by broad age group; diamonds: the White Paper's figures."),
    "pyramids": N_("Population pyramids in the first report year, 2030 and 2040 "
                      "(outlines; males left, females right)."),
    "dependency": N_("Old-age dependency ratio and employed persons per elderly person."),
    "labour": N_("Labour force and employment (dashed: 60 million); total hours worked."),
    "economy": N_("GDP, GDP per capita and productivity per hour; dashed: "
                     "productivity +2 %/yr; star: 1.5× by 2037."),
    "economy_no_target": N_("GDP, GDP per capita and productivity per hour; "
                               "dashed: productivity +2 %/yr."),
    "care": N_("People aged 65+ certified as needing care and the care workers they need; benefits as a share "
               "of GDP, with the 2018 outlook's FY2018, 2025 and 2040 (plan-based, on IPSS 2017 medium) as dots."),
    "backcast": N_("Backcast: the target metric with and without the solved lever."),
}


def story(sentences: list[str], lang: str, heading: str = "story") -> str:
    """The "so what" of a run (:func:`simulate.report.story.so_what`) or of a design, under the
    heading whose word key is ``heading``."""
    joined = SENTENCE_GAP[lang].join(_e(x) for x in sentences)
    return f"<h2>{_e(word(heading, lang))}</h2><p class=story>{joined}</p>"


def seed_html(rows, lang: str) -> str:
    """The White Paper's figures next to this scenario's values: ``rows``, each with a ``label``
    (catalogue message), ``column``, ``published`` and ``model`` value
    (:class:`simulate.findings.SeedRow`; census 2015 runs only)."""
    shown = [[t(row.label, lang), format_value(row.column, row.published, lang),
              format_value(row.column, row.model, lang), f"{plain(100.0 * (row.model / row.published - 1.0), 2)} %"]
             for row in rows]
    header = [word("figure", lang), word("published", lang), word("this_scenario", lang), word("difference", lang)]
    return f"<h2>{_e(word('seed', lang))}</h2>" + _table(header, shown)


def scenario_report(result, meta: dict, report_years: list[int], figures: Path, lang: str = "en",
                    sentences: list[str] = (), seed: tuple = ()) -> str:
    """The report of one scenario run (``result``: its ``indicators``, ``labour``, ``targets`` and
    ``scenario``; ``meta``: its ``run.json``, the resolved scenario included): the story
    (``sentences``), the seed's figures where they apply (``seed``: :class:`simulate.findings.SeedRow`
    s), the key figures in ``report_years``, targets, participation, the ``figures`` folder's
    figures, then the assumptions (collapsed), sources, metadata."""
    indicators, labour, targets, resolved = result.indicators, result.labour, result.targets, meta["resolved_scenario"]
    label, description = result.scenario.label_in(lang), result.scenario.description_in(lang)
    base_year = int(resolved["base_year"])
    threshold = int(resolved["labour"]["old_age_threshold"])
    end = int(resolved["observed_until"])
    census = _e(str(resolved["jump_off"]).removeprefix("census"))  # 'census2015' -> 2015
    history = t("History: the {census} census, observed through {end}; assumptions from {first}. Indices: {base} "
                "= 100.", lang, census=census, end=end, first=end + 1, base=base_year)
    if resolved.get("counterfactual_past"):
        history = t("Counterfactual past: the scenario's assumptions apply from the {census} census on, not the "
                    "observations.", lang, census=census)
    history = f"<p class=note>{_e(history)}</p>"
    notices = "".join(f"<p class=note><strong>{_e(word('notice', lang))}:</strong> {_e(n)}</p>"
                      for n in meta.get("notices", []))
    changed = "; ".join(f"{key} = {value}" for key, value in meta.get("overrides", {}).items())
    what_if = f"<p class=whatif><strong>{_e(word('what_if', lang))}:</strong> {_e(changed)}</p>" if changed else ""
    body = [f"<h1>{_e(label)}</h1>{what_if}<p>{_e(description)}</p>", history + notices,
            story(list(sentences), lang)]
    if seed:
        body.append(seed_html(seed, lang))
    body += [f"<h2>{_e(word('headline', lang))}</h2>",
             headline_html(indicators, report_years, base_year, lang, threshold)]
    if "care_workers_needed" in indicators.columns:
        body += [f"<h2>{_e(word('care', lang))}</h2><p class=note>{_e(word('care_note', lang))}</p>",
                 headline_html(indicators, report_years, base_year, lang, threshold, CARE_ROWS, "care")]
    if targets:
        rows = [f"<tr><td class=k>{_e(t['target'])}</td>"
                f"<td>{_e(format_value(t['target'].split('@')[0], t['achieved'], lang, base_year))}</td>"
                f"<td class={'met' if t['met'] else 'missed'}>{_e(word('met' if t['met'] else 'not_met', lang))}</td></tr>"
                for t in targets]
        body.append(f"<h2>{_e(word('targets', lang))}</h2><table><thead><tr><th class=k>{_e(word('target', lang))}"
                    f"</th><th>{_e(word('achieved', lang))}</th><th>{_e(word('status', lang))}</th>"
                    f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    captions = {stem: t(text, lang) for stem, text in SCENARIO_CAPTIONS.items()}
    without_star = captions.pop("economy_no_target")
    if base_year != SEED_YEAR:  # the star of the 1.5x-by-2037 target is drawn on the seed's base year only
        captions["economy"] = without_star
    body += [f"<h2>{_e(word('participation', lang))}</h2>", participation_html(labour, report_years, lang),
             f"<h2>{_e(word('figures', lang))}</h2>", figures_html(figures, captions),
             f"<h2>{_e(word('assumptions', lang))}</h2><details id=assumptions><summary>"
             f"{_e(word('assumptions_open', lang))}</summary>",
             _table([word("setting", lang), word("value", lang)], [list(r) for r in assumption_rows(resolved, "", lang)],
                    text_columns=2, code=True), "</details>",
             sources_html(lang, [resolved]), metadata_html(meta, lang)]
    return page(label, "".join(body), lang)


COMPARISON_CAPTIONS = {
    "lines": N_("Key indicators by scenario, from the jump-off census to the "
                   "horizon; black and thick: the baseline (or the first scenario)."),
    "dots": N_("Population, labour force and GDP per capita in the report years "
                  "(the last filled), scenarios ranked by population in the last "
                  "year."),
}


def comparison_report(outcomes: pd.DataFrame, titles: dict[str, str], name: str, figures: Path, meta: dict,
                      lang: str = "en", sentences: list[str] = (), calendars: list[dict] = ()) -> str:
    """The report comparing several scenarios; ``outcomes`` is the outcome table, shown as one small
    table per indicator and definition (two definitions never share a table); ``calendars``: each
    scenario's jump-off and last observed year, for the data sources."""

    years = [c for c in outcomes.columns if c.isdigit()]
    tables = [f"<h3>{_e(heading)}</h3>" + _table([word("scenario", lang)] + years,
                                                 [[scenario] + cells for scenario, cells in rows])
              for heading, rows in outcome_groups(outcomes, lang)]
    title = f"{word('comparison', lang)}: {name}"
    captions = {stem: t(text, lang) for stem, text in COMPARISON_CAPTIONS.items()}
    body = [f"<h1>{_e(title)}</h1>", story(sentences, lang) if sentences else "",
            _table([word("scenario", lang), word("title", lang)], [[k, v] for k, v in titles.items()], text_columns=2),
            f"<h2>{_e(word('figures', lang))}</h2>", figures_html(figures, captions),
            f"<h2>{_e(word('outcomes_in', lang))} {', '.join(years)}</h2>", "".join(tables),
            sources_html(lang, list(calendars)), metadata_html(meta, lang)]
    return page(title, "".join(body), lang)


def reproduce_report(table: pd.DataFrame, sentences: list[str], figures: Path, history_end: int,
                     lang: str = "en") -> str:
    """The small report of ``reproduce``: the seed's figures against the model, the reality check in
    words and its figure, the sources."""
    title = t("Reproducing the White Paper, and what happened since", lang)
    header, rows = reproduction_rows(table, lang)
    passed = int(table["ok"].sum())
    summary = t("{passed} of {count} figures within tolerance", lang, passed=passed, count=len(table))
    reality = t("Reality check: the {end}-observed projection against what happened", lang, end=history_end)
    body = [f"<h1>{_e(title)}</h1>", f"<p class=story>{_e(summary)}</p>", _table(header, rows, text_columns=1),
            f"<h2>{_e(reality)}</h2>", "<ul>" + "".join(f"<li>{_e(s)}</li>" for s in sentences) + "</ul>",
            figures_html(figures, {"reality_check": t("Projected (dashed) and observed (dots).", lang)}),
            sources_html(lang, [{"jump_off": "census2015", "observed_until": history_end}])]
    return page(title, "".join(body), lang)
