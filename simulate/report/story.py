"""What a run means, in three to five plain sentences ("so what") and in one line (the terminal and
``results/index.html``), in English or Japanese: 2040 against today and against the official
projection, which of the White Paper's three concerns moves most, and, for each target, whether
it is met and what it would take (the backcast's answer)."""

from __future__ import annotations

import re

import pandas as pd

from typing import TYPE_CHECKING

from simulate.indicators import REGISTRY
from simulate.scenario.levers import LEVERS
from simulate.report.tables import asked, lever_text, target_phrase
from simulate.text.messages import t
from simulate.text.numbers import format_value, plain

if TYPE_CHECKING:  # types only: the story is told its findings (simulate.findings), it computes none
    from simulate.findings import Findings, TargetFinding
    from simulate.official import Official
    from simulate.pipeline import RunResult

#: The White Paper's three concerns: working age, workers per elderly person, GDP per capita.
CONCERNS = ("population_15_64", "workers_per_elderly", "gdp_per_capita_index")
#: The year the story looks at, when the run reaches it.
FOCUS_YEAR = 2040


def years_of(result: RunResult) -> tuple[int, int]:
    """(today, then): the last observed year (or the first year) and 2040 (or the horizon)."""
    years = result.indicators["year"].astype(int)
    today = result.scenario.history_end if result.scenario.history_end in set(years) else int(years.min())
    then = FOCUS_YEAR if FOCUS_YEAR in set(years) and FOCUS_YEAR > today else int(years.max())
    return today, then


def change(before: float, after: float) -> float:
    """Relative change in %."""
    return 100.0 * (after / before - 1.0)


def signed(value: float, decimals: int = 1, lang: str = "en") -> str:
    """'+4.2 %', '−10.0 %' (a true minus sign); in Japanese '4.2 %増', '10.0 %減'."""
    text = plain(abs(value), decimals)
    if not text.strip("0.,"):
        return t("{number} %", lang, number=text)
    return t("+{number} %", lang, number=text) if value > 0 else t("−{number} %", lang, number=text)


def lowered(label: str) -> str:
    """A label inside a sentence: 'Workers per elderly person' -> 'workers …'; 'GDP per capita' kept."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _value(result: RunResult, name: str, year: int, lang: str) -> str:
    by_year = result.indicators.set_index("year")
    return format_value(name, float(by_year.at[year, name]), lang, result.scenario.base_year)


def _raw(result: RunResult, name: str, year: int) -> float:
    return float(result.indicators.set_index("year").at[year, name])


def population_sentence(result: RunResult, official: Official, lang: str) -> str:
    """2040's population against today's and against the ``official`` projection's."""
    today, then = years_of(result)
    now, later = _raw(result, "population_total", today), _raw(result, "population_total", then)
    v = lambda year: _value(result, "population_total", year, lang)  # noqa: E731
    against = ""
    if then in official.population and result.scenario.name != official.name:
        theirs = official.population[then]
        shown = format_value("population_total", theirs, lang)
        gap = change(theirs, later)
        against = t("; the official projection ({official}) has {people}, so this scenario is {change} against it",
                    lang, official=official.label(lang), people=shown, change=signed(gap, 1, lang))
    return t("In {then} Japan has {people} people, {change} against {today} ({now}){against}.", lang, then=then,
             people=v(then), change=signed(change(now, later), 1, lang), today=today, now=v(today), against=against)


def concern_sentence(result: RunResult, lang: str) -> str:
    """Which of the three concerns moves most from today to 2040, and how the other two move."""
    today, then = years_of(result)
    moves = {name: change(_raw(result, name, today), _raw(result, name, then)) for name in CONCERNS}
    first = max(moves, key=lambda name: abs(moves[name]))
    label = lambda name: REGISTRY[name].label(lang)  # noqa: E731
    others = [name for name in CONCERNS if name != first]
    rest = t(" and ", lang).join(t("{indicator} {change}", lang, indicator=lowered(label(n)),
                                    change=signed(moves[n], 1, lang)) for n in others)
    return t("Of the White Paper's three concerns, {indicator} moves most: {before} to {after} ({change}); {rest}.",
             lang, indicator=lowered(label(first)), before=_value(result, first, today, lang),
             after=_value(result, first, then, lang), change=signed(moves[first], 1, lang), rest=rest)


def labour_sentence(result: RunResult, lang: str) -> str:
    """The labour force and employed persons per elderly person in 2040."""
    today, then = years_of(result)
    lf = lambda year: _value(result, "labour_force", year, lang)  # noqa: E731
    move = signed(change(_raw(result, "labour_force", today), _raw(result, "labour_force", then)), 1, lang)
    return t("The labour force goes from {before} in {today} to {after} in {then} ({change}), with {workers} employed "
             "persons per elderly person in {then}.", lang, before=lf(today), today=today, after=lf(then), then=then,
             change=move, workers=_value(result, "workers_per_elderly", then, lang))


def care_sentence(result: RunResult, lang: str) -> str:
    """Who cares and who pays in 2040: one worker in N in care, and benefits as a share of GDP."""
    today, then = years_of(result)
    share = _raw(result, "care_worker_share", then)
    if not share > 0:
        return ""
    return t("In {then}, one worker in {n} would need to work in care ({workers} care workers for {recipients} people "
             "certified as needing care), and social-security benefits would take {benefits} of GDP ({before} in "
             "{today}).", lang, then=then, n=f"{100.0 / share:,.0f}",
             workers=_value(result, "care_workers_needed", then, lang),
             recipients=_value(result, "care_recipients", then, lang),
             benefits=_value(result, "social_security_benefits_gdp", then, lang),
             before=_value(result, "social_security_benefits_gdp", today, lang), today=today)


def target_sentence(result: RunResult, found: TargetFinding, lang: str) -> str:
    """A target met, or missed and what it would take (the backcast's answer in ``found``)."""
    s, target, row = result.scenario, found.target, found.row
    phrase = target_phrase(target, asked(target, row), lang, s.base_year)
    shown = format_value(target.metric, row["achieved"], lang, s.base_year)
    if row["met"]:
        return t("The target {target} is met ({achieved}).", lang, target=lowered(phrase), achieved=shown)
    if found.lever is None:
        return t("The target {target} is missed ({achieved}).", lang, target=lowered(phrase), achieved=shown)
    answer = t("it would take {lever} (backcast)", lang, lever=lever_text(found.lever, found.solved, lang)) \
        if found.solved is not None else t("{lever} alone cannot reach it", lang, lever=LEVERS[found.lever].name_in(lang))
    return t("The target {target} is missed ({achieved}): {answer}.", lang, target=lowered(phrase), achieved=shown,
             answer=answer)


def so_what(result: RunResult, found: Findings, lang: str = "en") -> list[str]:
    """Four to six sentences: population, the concern that moves most, labour, care and benefits, up to
    two targets; ``found``: what the model found (:func:`simulate.findings.findings`)."""
    sentences = [population_sentence(result, found.official, lang), concern_sentence(result, lang),
                 labour_sentence(result, lang)]
    sentences += [care for care in [care_sentence(result, lang)] if care]
    return sentences + [target_sentence(result, target, lang) for target in found.targets]


def one_line(result: RunResult, lang: str = "en") -> str:
    """The run in one line: 2040's population and its change, labour force, GDP per capita index."""
    today, then = years_of(result)
    pop = signed(change(_raw(result, "population_total", today), _raw(result, "population_total", then)), 1, lang)
    v = lambda name: _value(result, name, then, lang)  # noqa: E731
    return t("{then}: population {people} ({change} on {today}), labour force {labour}, GDP per capita {gdp} "
             "({base} = 100)", lang, then=then, people=v("population_total"), change=pop, today=today,
             labour=v("labour_force"), gdp=v("gdp_per_capita_index"), base=result.scenario.base_year)




#: What a comparison ranks scenarios by, in order of how much they differ.
COMPARED = ("population_total", "labour_force", "workers_per_elderly", "gdp_per_capita_index")


def spreads(outcomes: pd.DataFrame, year: str) -> list[tuple[float, str, pd.Series, pd.DataFrame]]:
    """(relative spread, indicator, values by scenario, the rows left out) of :data:`COMPARED` in
    ``year``, the widest first; an indicator with several definitions (index bases, elderly
    thresholds) keeps its most common one, so that no spread mixes two, and returns the others'
    rows (scenario, definition, value) to be named."""
    found = []
    for name in COMPARED:
        rows = outcomes[outcomes["indicator"] == name]
        if rows.empty or year not in rows.columns:
            continue
        same = rows["definition"].fillna("") == rows["definition"].fillna("").mode().iloc[0]
        values = rows[same].set_index("scenario")[year].astype(float)
        if len(values) > 1 and values.abs().mean() > 0:
            found.append((float((values.max() - values.min()) / values.abs().mean()), name, values,
                          rows[~same][["scenario", "definition", year]]))
    return sorted(found, key=lambda item: -item[0])


def definition_words(definition: str, lang: str) -> str:
    """An ``outcomes.csv`` definition ('elderly = 70+', '2024 = 100') in words of ``lang``, in brackets."""
    elderly, base = re.fullmatch(r"elderly = (\d+)\+", definition), re.fullmatch(r"(\d{4}) = 100", definition)
    if elderly:
        return t(" (elderly = {age}+)", lang, age=elderly.group(1))
    if base:
        return t(" ({base} = 100)", lang, base=base.group(1))
    return f" ({definition})"


def left_out_sentence(name: str, rows: pd.DataFrame, year: str, lang: str) -> str:
    """The scenarios a range leaves out because they define the indicator otherwise, with their own values."""
    shown = t(", ", lang).join(f"{scenario} {format_value(name, float(value), lang)}{definition_words(definition, lang)}"
                               for scenario, definition, value in rows.itertuples(index=False, name=None))
    return t("Defined otherwise and so outside that range: {scenarios}.", lang, scenarios=shown)


def comparison_sentences(outcomes: pd.DataFrame, lang: str = "en") -> list[str]:
    """What differs most between the scenarios in the last outcome year, and the range of the rest."""
    year = [c for c in outcomes.columns if c.isdigit()][-1]
    ranked = spreads(outcomes, year)
    sentences = []
    for k, (spread, name, values, left_out) in enumerate(ranked[:3]):
        low, high = values.idxmin(), values.idxmax()
        v = lambda scenario: format_value(name, float(values[scenario]), lang)  # noqa: E731
        label = REGISTRY[name].label(lang)
        fields = dict(year=year, indicator=lowered(label) if k == 0 else label, low=v(low), low_name=low,
                      high=v(high), high_name=high, spread=plain(100 * spread, 1))
        sentences.append(t("In {year} the scenarios differ most in {indicator}: from {low} ({low_name}) to {high} "
                           "({high_name}), a spread of {spread} % of the mean.", lang, **fields) if k == 0 else
                         t("{indicator} ranges from {low} ({low_name}) to {high} ({high_name}), a spread of {spread} "
                           "% of the mean.", lang, **fields))
        if not left_out.empty:
            sentences.append(left_out_sentence(name, left_out, year, lang))
    return sentences


def restated_sentence(names: list[str], lang: str = "en") -> list[str]:
    """What a comparison restated so that its scenarios compare: workers per elderly person of the
    scenarios that count the elderly from 70 or 75, here on the 65+ basis of the others."""
    if not names:
        return []
    return [t("For a comparable basis, workers per elderly person counts everyone aged 65 and over in every scenario "
              "here; {scenarios} count the elderly from a later age in their own reports.", lang,
              scenarios=t(", ", lang).join(names))]
