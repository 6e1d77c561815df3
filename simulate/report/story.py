"""What a run means, in three to five plain sentences ("so what") and in one line (the terminal and
``results/index.html``), in English or Japanese: 2040 against today and against the official
projection, which of the White Paper's three concerns moves most, and, for each target, whether
it is met and what it would take (the backcast's answer)."""

from __future__ import annotations

import pandas as pd

from simulate.backcasting import solve, target_status
from simulate.errors import SimulatorError
from simulate.indicators import REGISTRY
from simulate.official import official_for
from simulate.pipeline import RunResult
from simulate.report.tables import asked, lever_text, target_phrase
from simulate.text.numbers import format_value, plain

#: The White Paper's three concerns: working age, workers per elderly person, GDP per capita.
CONCERNS = ("population_15_64", "workers_per_elderly", "gdp_per_capita_index")
#: The lever a missed target is solved with, by the target's indicator.
LEVER_FOR = {"labour_force": "seniors_uplift", "employed": "seniors_uplift", "workers_per_elderly": "seniors_uplift",
             "gdp": "productivity_growth", "gdp_index": "productivity_growth", "gdp_per_capita": "productivity_growth",
             "gdp_per_capita_index": "productivity_growth", "productivity_index": "productivity_growth",
             "population_total": "net_migration", "population_15_64": "net_migration", "births": "tfr",
             "population_0_14": "tfr"}
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
    moved = bool(text.strip("0.,"))
    if lang == "ja":
        return text + " %" + (("増" if value > 0 else "減") if moved else "")
    return ("+" if value > 0 else "−" if moved else "") + text + " %"


def lowered(label: str) -> str:
    """A label inside a sentence: 'Workers per elderly person' -> 'workers …'; 'GDP per capita' kept."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _value(result: RunResult, name: str, year: int, lang: str) -> str:
    by_year = result.indicators.set_index("year")
    return format_value(name, float(by_year.at[year, name]), lang, result.scenario.base_year)


def _raw(result: RunResult, name: str, year: int) -> float:
    return float(result.indicators.set_index("year").at[year, name])


def population_sentence(result: RunResult, lang: str) -> str:
    """2040's population against today's and against the official projection's."""
    today, then = years_of(result)
    now, later = _raw(result, "population_total", today), _raw(result, "population_total", then)
    official = official_for(result.scenario)
    v = lambda year: _value(result, "population_total", year, lang)  # noqa: E731
    against = ""
    if then in official.population and result.scenario.name != official.name:
        theirs = official.population[then]
        shown = format_value("population_total", theirs, lang)
        gap = change(theirs, later)
        if lang == "ja":
            against = f"公式推計（{official.label(lang)}）は{shown}で、このシナリオはそれより{signed(gap, 1, lang)}"
        else:
            against = f"; the official projection ({official.label(lang)}) has {shown}, so this scenario is {signed(gap)} against it"
    if lang == "ja":
        head = f"{then}年の総人口は{v(then)}で、{today}年（{v(today)}）から{signed(change(now, later), 1, lang)}。"
        return head + (against + "。" if against else "")
    return f"In {then} Japan has {v(then)} people, {signed(change(now, later))} against {today} ({v(today)}){against}."


def concern_sentence(result: RunResult, lang: str) -> str:
    """Which of the three concerns moves most from today to 2040, and how the other two move."""
    today, then = years_of(result)
    moves = {name: change(_raw(result, name, today), _raw(result, name, then)) for name in CONCERNS}
    first = max(moves, key=lambda name: abs(moves[name]))
    label = lambda name: REGISTRY[name].label(lang)  # noqa: E731
    others = [name for name in CONCERNS if name != first]
    if lang == "ja":
        rest = "、".join(f"{label(n)}は{signed(moves[n], 1, lang)}" for n in others)
        return (f"白書の3つの懸念のうち最も大きく動くのは{label(first)}で、{_value(result, first, today, lang)}から"
                f"{_value(result, first, then, lang)}へ（{signed(moves[first], 1, lang)}）。{rest}。")
    rest = " and ".join(f"{lowered(label(n))} {signed(moves[n])}" for n in others)
    return (f"Of the White Paper's three concerns, {lowered(label(first))} moves most: {_value(result, first, today, lang)} "
            f"to {_value(result, first, then, lang)} ({signed(moves[first])}); {rest}.")


def labour_sentence(result: RunResult, lang: str) -> str:
    """The labour force and employed persons per elderly person in 2040."""
    today, then = years_of(result)
    lf = lambda year: _value(result, "labour_force", year, lang)  # noqa: E731
    move = signed(change(_raw(result, "labour_force", today), _raw(result, "labour_force", then)), 1, lang)
    if lang == "ja":
        return (f"労働力人口は{today}年の{lf(today)}から{then}年に{lf(then)}（{move}）、高齢者1人を支える就業者は"
                f"{_value(result, 'workers_per_elderly', then, lang)}。")
    return (f"The labour force goes from {lf(today)} to {lf(then)} ({move}), with "
            f"{_value(result, 'workers_per_elderly', then, lang)} employed persons per elderly person in {then}.")


def target_sentence(result: RunResult, target, row: dict, lang: str) -> str:
    """A target met, or missed and what it would take (solved with the lever :data:`LEVER_FOR` names)."""
    s = result.scenario
    phrase = target_phrase(target, asked(target, row), lang, s.base_year)
    shown = format_value(target.metric, row["achieved"], lang, s.base_year)
    if row["met"]:
        return f"目標「{phrase}」は達成（{shown}）。" if lang == "ja" else f"The target {lowered(phrase)} is met ({shown})."
    lever = LEVER_FOR.get(target.metric)
    answer = ""
    if lever is not None:
        try:
            solution = solve(s, lever, [target])
            answer = (f"達成には{lever_text(lever, solution.value, lang)}が必要（バックキャスト）" if lang == "ja"
                      else f"it would take {lever_text(lever, solution.value, lang)} (backcast)")
        except SimulatorError:
            answer = ("この施策だけでは届きません" if lang == "ja" else f"{lever} alone cannot reach it")
    if lang == "ja":
        return f"目標「{phrase}」は未達（{shown}）" + (f"。{answer}。" if answer else "。")
    return f"The target {lowered(phrase)} is missed ({shown})" + (f": {answer}." if answer else ".")


def so_what(result: RunResult, lang: str = "en") -> list[str]:
    """Three to five sentences: population, the concern that moves most, labour, up to two targets."""
    sentences = [population_sentence(result, lang), concern_sentence(result, lang), labour_sentence(result, lang)]
    s = result.scenario
    rows = result.targets or target_status(result.indicators, s.targets, s.base_year)
    sentences += [target_sentence(result, t, row, lang) for t, row in list(zip(s.targets, rows))[:2]]
    return sentences


def one_line(result: RunResult, lang: str = "en") -> str:
    """The run in one line: 2040's population and its change, labour force, GDP per capita index."""
    today, then = years_of(result)
    pop = signed(change(_raw(result, "population_total", today), _raw(result, "population_total", then)), 1, lang)
    v = lambda name: _value(result, name, then, lang)  # noqa: E731
    if lang == "ja":
        return (f"{then}年：総人口{v('population_total')}（{today}年から{pop}）、労働力人口{v('labour_force')}、"
                f"1人あたりGDP指数{v('gdp_per_capita_index')}（{result.scenario.base_year}年=100）")
    return (f"{then}: population {v('population_total')} ({pop} on {today}), labour force {v('labour_force')}, "
            f"GDP per capita {v('gdp_per_capita_index')} ({result.scenario.base_year} = 100)")




#: What a comparison ranks scenarios by, in order of how much they differ.
COMPARED = ("population_total", "labour_force", "workers_per_elderly", "gdp_per_capita_index")


def spreads(outcomes: pd.DataFrame, year: str) -> list[tuple[float, str, pd.Series]]:
    """(relative spread, indicator, values by scenario) of :data:`COMPARED` in ``year``, the widest
    first; an indicator with several definitions (index bases, elderly thresholds) keeps its most
    common one, so that no spread mixes two."""
    found = []
    for name in COMPARED:
        rows = outcomes[outcomes["indicator"] == name]
        if rows.empty or year not in rows.columns:
            continue
        rows = rows[rows["definition"].fillna("") == rows["definition"].fillna("").mode().iloc[0]]
        values = rows.set_index("scenario")[year].astype(float)
        if len(values) > 1 and values.abs().mean() > 0:
            found.append((float((values.max() - values.min()) / values.abs().mean()), name, values))
    return sorted(found, key=lambda item: -item[0])


def comparison_sentences(outcomes: pd.DataFrame, lang: str = "en") -> list[str]:
    """What differs most between the scenarios in the last outcome year, and the range of the rest."""
    year = [c for c in outcomes.columns if c.isdigit()][-1]
    ranked = spreads(outcomes, year)
    sentences = []
    for k, (spread, name, values) in enumerate(ranked[:3]):
        low, high = values.idxmin(), values.idxmax()
        v = lambda scenario: format_value(name, float(values[scenario]), lang)  # noqa: E731
        label = REGISTRY[name].label(lang)
        if lang == "ja":
            lead = f"{year}年にシナリオ間で最も差が大きいのは{label}で" if k == 0 else f"{label}は"
            sentences.append(f"{lead}、{v(low)}（{low}）から{v(high)}（{high}）まで（幅{plain(100 * spread, 1)} %）。")
        else:
            lead = f"In {year} the scenarios differ most in {lowered(label)}" if k == 0 else f"{label} ranges"
            sentences.append(f"{lead}: from {v(low)} ({low}) to {v(high)} ({high}), a spread of "
                             f"{plain(100 * spread, 1)} % of the mean.")
    return sentences
