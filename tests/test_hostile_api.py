"""The library's public functions refuse hostile arguments with its own errors, in one line
(issue 34): one argument at a time is hostile, the others are valid, and whatever happens is either
an answer or a :class:`~simulate.errors.SimulatorError` (never a raw KeyError, TypeError,
AttributeError or ValueError)."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulate import api
from simulate.api import explore
from simulate.errors import SimulatorError

#: Values of every kind, none of them a valid argument for most parameters.
ANYTHING = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True),
                     st.text(max_size=30), st.lists(st.integers(), max_size=3),
                     st.dictionaries(st.text(max_size=8), st.integers(), max_size=2))
SETTINGS = st.one_of(ANYTHING, st.dictionaries(st.one_of(st.sampled_from(["fertility.tfr", "migration.net",
                                                                           "labour.hours"]), st.text(max_size=12),
                                                          st.integers()),
                                               st.one_of(ANYTHING, st.sampled_from(["1.5", "nan", "1e400", "", "2,0"])),
                                               max_size=3))
#: Valid arguments of each explorer call, and which of them hypothesis makes hostile.
VALID = {"scenario": "current", "settings": {}, "year": 2035, "lang": "en", "lever": "tfr",
         "target": "population_total@2060>=95e6", "n": 8, "name": "mine"}
CALLS = {
    "view": (explore.view, ("scenario", "settings", "year", "lang")),
    "what_it_takes": (explore.what_it_takes, ("scenario", "settings", "year", "lever", "target", "lang")),
    "odds": (explore.odds, ("scenario", "settings", "year", "n", "lang")),
    "scenario_yaml": (explore.scenario_yaml, ("scenario", "settings", "year", "name")),
    "overrides_for": (explore.overrides_for, ("scenario", "settings", "year")),
    "report_html": (explore.report_html, ("scenario", "settings", "year", "lang")),
    "parse_settings": (explore.parse_settings, ("settings",)),
}


def _call(name: str, hostile: str, value) -> None:
    function, parameters = CALLS[name]
    arguments = {p: value if p == hostile else VALID[p] for p in parameters}
    try:
        function(**arguments)
    except SimulatorError as error:
        text = str(error)  # one line per problem found (a mapping given as a scenario may have several)
        assert text.strip() and "Traceback" not in text
        assert all(line.strip() and len(line) < 1000 for line in text.splitlines()), text


@pytest.mark.slow
@pytest.mark.parametrize("name", CALLS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_explorer_calls_raise_only_the_librarys_errors(name, data):
    parameters = CALLS[name][1]
    hostile = data.draw(st.sampled_from(parameters))
    value = data.draw(SETTINGS if hostile == "settings" else ANYTHING)
    if hostile == "n" and isinstance(value, int) and not isinstance(value, bool) and 1 <= value:
        value = -value  # a valid n would compute; its size checks are tested elsewhere
    _call(name, hostile, value)


@pytest.mark.parametrize("origins", [[1975.5], 1975.5, [True], [], None, ["1975"], "1975.5", [float("nan")]])
def test_backtest_origins_that_are_not_whole_years_are_refused(origins):
    with pytest.raises(SimulatorError, match="origins"):
        api.backtest(origins, n=8)


@settings(max_examples=40, deadline=None)
@given(value=ANYTHING)
def test_public_calls_refuse_any_n_seed_or_odds_in_their_own_terms(value):
    for call in (lambda: api.forecast("current", n=value), lambda: api.forecast("current", n=8, seed=value),
                 lambda: api.backtest("2000", n=value), lambda: api.ensemble("baseline", n=value),
                 lambda: api.backcast_odds("current", "tfr", value, ["population_total@2060>=95e6"], n=8)):
        try:
            call()
        except SimulatorError as error:
            assert "\n" not in str(error)
        else:
            assert isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
