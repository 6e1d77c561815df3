"""Reality check: the 2017-based projection next to what happened after 2017.

The seed's baseline (IPSS 2017 medium, history through 2017) projected 2018 onwards; the data
pack holds what was observed through the newest year (``data/observed/``).  For each indicator
and year the table gives the projected and the observed value; :func:`reality_sentences` says in
one sentence per indicator how far reality ran from the projection in the newest year.

Like with like: projected births are the model's births to all residents divided by the
non-Japanese allowance (:func:`~simulate.demography.history.birth_allowance`), because registered
births count Japanese nationals only; TFR and life expectancy are the scenario's assumed paths in
each calendar year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulate import data
from simulate.calendar import last_observed_year
from simulate.indicators import REALITY_CHECKS
from simulate.demography.history import birth_allowance, history_fit
from simulate.pipeline import RunResult
from simulate.scenario.paths import evaluate
from simulate.text.messages import N_, t

#: The reality check's indicators, in the indicator registry's module (one home).
INDICATORS = REALITY_CHECKS
#: Indicators observed in the Labour Force Survey (survey years only), in millions.
SURVEYED = {"labour_force"}


def projected(result: RunResult, indicator: str, years: np.ndarray) -> np.ndarray:
    """The projection's value of a reality-check indicator in each of ``years``."""
    scenario = result.scenario
    by_year = result.indicators.set_index("year")
    if indicator == "births":
        return by_year.loc[years, "births"].to_numpy() / birth_allowance()
    if indicator == "tfr":
        return evaluate(scenario.fertility.tfr, years.astype(float))
    if indicator.startswith("e0_"):
        return evaluate(getattr(scenario.mortality.e0, indicator[3:]), years.astype(float))
    return by_year.loc[years, indicator].to_numpy()


def reality_table(result: RunResult) -> pd.DataFrame:
    """indicator, year, projected, observed, deviation_pct (observed vs projected) for every year
    after the projection's history end that has observations."""
    frames = []
    for indicator, _, _, column, _, _ in INDICATORS:
        observed = data.labour_force_survey() * 1e6 if indicator in SURVEYED else data.observed()
        years = np.array([y for y in observed.index if result.scenario.history_end < y <= result.scenario.horizon])
        model = projected(result, indicator, years)
        actual = observed.loc[years, column].to_numpy()
        frames.append(pd.DataFrame({"indicator": indicator, "year": years, "projected": model,
                                    "observed": actual, "deviation_pct": 100.0 * (actual / model - 1.0)}))
    return pd.concat(frames, ignore_index=True)


def migration_sentence(result: RunResult, lang: str | None = None) -> str:
    """Net migration after the history end: the projection's assumption against the residual that
    makes the observed totals add up (all observations, same jump-off)."""
    scenario = result.scenario
    fit = history_fit(scenario.jump_off, last_observed_year()).set_index("year")
    years = [y for y in fit.index if y > scenario.history_end]
    observed = fit.loc[years, "net_migration_residual"].mean()
    assumed = result.indicators.set_index("year").loc[years, "net_migration"].mean()
    return t("Net international migration {first}-{last}: {observed} persons a year (the residual that makes the "
             "observed totals add up) against {assumed} assumed, {times} times the {end}-based assumption.", lang,
             first=years[0], last=years[-1], observed=f"{observed:,.0f}", assumed=f"{assumed:,.0f}",
             times=f"{observed / assumed:.1f}", end=scenario.history_end)


def reality_sentences(table: pd.DataFrame, history_end: int, lang: str | None = None) -> list[str]:
    """One sentence per indicator, for the newest observed year; ``history_end``: the projection's
    last observed year (2017 for the seed's baseline)."""
    lines = []
    for indicator, label, unit, _, divisor, fmt in INDICATORS:
        rows = table[table["indicator"] == indicator]
        if rows.empty:
            continue
        last = rows.iloc[-1]
        message = (N_("{indicator} {year}: {observed} {unit} observed against {projected} {unit} projected, {gap} % "
                      "above the {end}-based projection.") if last.deviation_pct > 0 else
                   N_("{indicator} {year}: {observed} {unit} observed against {projected} {unit} projected, {gap} % "
                      "below the {end}-based projection."))
        lines.append(t(message, lang, indicator=t(label, lang), year=int(last.year), unit=t(unit, lang),
                       observed=fmt.format(last.observed / divisor), projected=fmt.format(last.projected / divisor),
                       gap=f"{abs(last.deviation_pct):.1f}", end=history_end))
    return lines
