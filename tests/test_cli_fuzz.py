"""Hypothesis fuzzing of the command line: any option value gives a result or one clean line, never a
traceback or an internal error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulate.cli import main

from conftest import SCENARIOS

#: Values that have broken option parsing before, and ordinary ones.
VALUES = ["-1", "0", "1", "2", "3", "nan", "inf", "-inf", "1e309", "", " ", "abc", "1,2", "0:1:0", "1:0:3", "0:1:2",
          "tfr=nan,1", "tfr=0:1:0", "tfr=1,2", "X=", "=1", "tfr", "seniors_uplift=0,10", "a=b=c", "\x00", "\x1b[2J",
          "labour_force@2040>=60e6", "gdp@2040>=1x2017", "gdp@2040>=1xbase", "gdp@1800>=1", "nonsense@2040>=1",
          "gdp_per_capita@2040", "gdp@", "@2040", "2040", "tcp://", "garbage", "local" * 0 + "tcp://127.0.0.1:1",
          "sobol", "morris", "fast", "-0", "1e-300", "99999999999999999999", "١٢", "５"]
OPTIONS = {
    "ensemble": ["--n", "--seed", "--chunk", "--workers", "--max-memory-gb", "--dask"],
    "sweep": ["--grid", "--metric", "--seed", "--chunk", "--max-memory-gb"],
    "sensitivity": ["--n", "--method", "--indicator", "--year", "--seed", "--max-memory-gb"],
    "backcast": ["--lever", "--target", "--range", "--odds", "--n"],
    "validate": [],
    "forecast": ["--n", "--seed", "--origin", "--chunk", "--max-memory-gb"],
    "backtest": ["--origins", "--n", "--seed"],
}
#: Values that mean something to one option, added to its pool.
MEANINGFUL = {"--origin": ["2000", "1969", "2020", "2022", "2024", "２０００"],
              "--origins": ["1990,2000", "2000:2010:5", "1969:1980", "2019", "2020"],
              "--odds": ["0.5", "0.99", "1", "0"]}
#: Options whose values would make a valid run large: kept small so that the fuzz stays fast.
SMALL = {"--n": ["1", "2", "4", "8"], "--workers": ["1", "2"], "--chunk": ["1", "7", "1024"]}


@st.composite
def command_lines(draw):
    command = draw(st.sampled_from(sorted(OPTIONS)))
    arguments = [command] if command == "backtest" else [command, str(SCENARIOS / "baseline.yaml")]
    for option in draw(st.lists(st.sampled_from(OPTIONS[command]), max_size=3, unique=True)) if OPTIONS[command] else []:
        pool = VALUES + MEANINGFUL.get(option, []) if option not in SMALL else SMALL[option] + ["-1", "0", "nan", "x"]
        arguments += [option, draw(st.sampled_from(pool))]
    if command == "backcast" and "--lever" not in arguments:
        arguments += ["--lever", "tfr"]
    if command == "sweep" and "--grid" not in arguments:
        arguments += ["--grid", "tfr=1,2"]
    return arguments


@pytest.mark.slow
@pytest.mark.filterwarnings("error::RuntimeWarning")  # a numeric warning on the terminal is a failure too
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(arguments=command_lines())
def test_any_option_value_gives_a_result_or_one_clean_line(tmp_path, capsys, arguments):
    try:
        code = main(arguments + ["--out", str(tmp_path / "out"), "--no-figures", "--quiet"]
                    if arguments[0] != "validate" else arguments)
    except SystemExit as stop:  # argparse: usage and one error line
        code = stop.code
    err = capsys.readouterr().err
    assert code in (0, 1, 2), (arguments, code, err)
    assert "internal error" not in err and "内部エラー" not in err and "Traceback" not in err, (arguments, err)
    if code == 1:
        assert len(err.strip().splitlines()) == 1, (arguments, err)
