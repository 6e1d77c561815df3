"""Every word the explorer's page shows, from the message catalogue, and the Japanese font subset
that lets them render on a machine with no Japanese system font."""

from __future__ import annotations

import functools

from simulate import api
from simulate.api.explore import BAND, CHARTS, DIALS, HEADLINES, explicit_below
from simulate.indicators import REGISTRY
from simulate.report.fonts import needed, woff_subset
from simulate.text.fonts import JAPANESE_FONT
from simulate.text.messages import N_, catalogue, t
from simulate.text.numbers import LANGUAGES

#: Words the page and its script use, by the name the template and script read them under.
WORDS = {
    "title": N_("Quiet Crisis Explorer"),
    "subtitle": N_("Move a lever: the projection to 2070 is recomputed at once. Years up to the last observed year "
                   "stay as observed."),
    "levers": N_("Levers"),
    "reached_in": N_("Values are reached in"),
    "reached_note": N_("At once: each lever's value holds from the first projected year, as --set KEY=VALUE gives "
                       "it. A year: each lever moves linearly from the last observed year to its value in that year, "
                       "then holds it, as --set KEY=VALUE@YEAR gives it."),
    "at_once": N_("at once ({year})"),
    "under_each": N_("Under each number, in grey: {other}"),
    "reset": N_("Reset all levers"),
    "scenario": N_("Scenario"),
    "headlines": N_("Headline numbers"),
    "population": N_("Population by age group (million persons)"),
    "pyramid": N_("Population pyramid"),
    "labour": N_("Labour force and employed (million persons)"),
    "economy": N_("GDP and GDP per capita (index)"),
    "support": N_("Workers per elderly person"),
    "care": N_("People certified as needing care and care workers needed (million persons)"),
    "benefits": N_("Social-security benefits (% of GDP)"),
    "observed": N_("observed"),
    "assumed": N_("assumed"),
    "band": N_("2030-2040"),
    "male": N_("Men"),
    "female": N_("Women"),
    "age": N_("age"),
    "thousand_persons": N_("thousand persons"),
    "pyramid_year": N_("Year shown"),
    "play": N_("Play"),
    "pause": N_("Pause"),
    "reference": N_("White Paper figure (IPSS 2017 medium)"),
    "targets": N_("Targets"),
    "no_targets": N_("This scenario sets no targets."),
    "met": N_("met"),
    "not_met": N_("not met"),
    "take": N_("What would it take?"),
    "take_lever": N_("Lever to solve for"),
    "take_indicator": N_("Indicator"),
    "take_year": N_("in year"),
    "take_at_least": N_("at least"),
    "take_solve": N_("Solve"),
    "take_needs": N_("Needs"),
    "odds": N_("Odds: how sure is it?"),
    "odds_note": N_("Fertility, mortality and migration wander around the levers as set (the TFR, life "
                    "expectancy and migration included), by the deviations of models fitted on Japan's history "
                    "(1,000 futures)."),
    "odds_start": N_("Compute the odds"),
    "odds_progress": N_("computing: part {done} of {total}"),
    "odds_queued": N_("waiting for the computer"),
    "odds_stale": N_("These bands are for earlier settings: compute again."),
    "median": N_("median"),
    "band80": N_("80 % band"),
    "band95": N_("95 % band"),
    "compare": N_("Compare"),
    "compare_with": N_("Compare with"),
    "compare_none": N_("nothing"),
    "compare_pinned": N_("the pinned state"),
    "pin": N_("Pin this state"),
    "downloads": N_("Downloads"),
    "download_yaml": N_("Scenario file (YAML)"),
    "download_report": N_("Report (HTML)"),
    "link": N_("The address of this page holds every setting: copy it to share this view."),
    "busy": N_("the explorer is busy; try again in a moment"),
    "this_state": N_("this state"),
    "unit_persons": N_("million persons"),
}
#: The language link's target (the other language) and its name, written in itself.
OTHER = {"en": "ja", "ja": "en"}
OWN_NAMES = {"en": "English", "ja": "日本語"}


def _dials(lang: str) -> list[dict]:
    return [{"key": dial.key, "label": t(dial.label, lang), "unit": t(dial.unit, lang), "low": dial.low,
             "high": dial.high, "step": dial.step, "decimals": dial.decimals, "needs_mode": dial.needs_mode,
             "explicit": explicit_below(tuple(dial.key.split(".")))}  # a slider's 0.05 is sent as '0.05 %'
            for dial in DIALS.values()]


def page_words(lang: str, scenarios: list[str]) -> dict:
    """The page's words in ``lang``: ``text`` for the template, ``js`` for its script, dials, the
    backcast panel's levers and indicators, and the scenario names the page may choose from."""
    text = {key: t(message, lang) for key, message in WORDS.items()}
    text["language"] = OWN_NAMES[OTHER[lang]]
    levers = [{"name": name, "label": lever.name_in(lang)} for name, lever in api.LEVERS.items()]
    indicators = [{"name": name, "label": t(REGISTRY[name].en, lang)}
                  for name in dict.fromkeys(HEADLINES + [n for names in CHARTS.values() for n in names])]
    return {"text": text, "dials": _dials(lang), "levers": levers, "indicators": indicators, "scenarios": scenarios,
            "other": OTHER[lang], "font": JAPANESE_FONT, "band": BAND,
            "js": {"text": text, "dials": _dials(lang), "font": JAPANESE_FONT, "lang": lang}}


@functools.cache
def font_bytes() -> bytes:
    """IPAexGothic cut down to every character beyond ASCII the explorer can show: the Japanese
    catalogue, the shipped scenarios' titles, the page's own words (WOFF)."""
    texts = [str(v) for v in catalogue("ja")._catalog.values()]
    texts += [api.load(name).scenario.label_in(lang) for name in api.shipped_names() for lang in LANGUAGES]
    texts += [t(message, lang) for message in WORDS.values() for lang in LANGUAGES] + list(OWN_NAMES.values())
    return woff_subset(needed("".join(texts) + "０１２３４５６７８９％（）・〜"))
