"""Every command that projects many futures checks memory and time before it starts (issue 34):
an absurd ``--n`` is refused in one line naming ``--n``, exit 2, nothing written, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulate.cli import main
from simulate.errors import ParameterError
from simulate.uncertainty import budget

ABSURD = "1000000000000"
COMMANDS = {
    "forecast": ["forecast", "current"],
    "ensemble": ["ensemble", "scenarios/baseline.yaml"],
    "backtest": ["backtest", "--origins", "2000"],
    "backtest residents": ["backtest", "--origins", "2017", "--universe", "residents"],
    "backcast --odds": ["backcast", "current", "--lever", "tfr", "--odds", "0.8", "--target", "gdp@2040>=1x2024"],
    "frontier with odds": ["backcast", "current", "--lever", "tfr", "--lever", "productivity_growth", "--odds",
                           "0.8", "--target", "gdp@2040>=1x2024"],
    "sensitivity": ["sensitivity", "scenarios/baseline.yaml", "--method", "sobol"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_an_absurd_n_is_refused_before_any_work(command, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(Path(__file__).parents[1])
    assert main(COMMANDS[command] + ["--n", ABSURD, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("--n:") and ("GB" in err or "hours" in err), err
    assert "Traceback" not in err and "e+" not in err
    assert not (tmp_path / "out").exists()


def test_the_time_check_refuses_what_memory_allows(monkeypatch):
    """Few futures but very many evaluations: refused for time, not memory; and the limit is read
    when asked (a larger one lets the same work through)."""
    with pytest.raises(ParameterError, match="hours"):
        budget.check_batch(10_000, 50, 100_000, limit_gb=4.0)
    monkeypatch.setattr(budget, "MAX_HOURS", 1e9)
    budget.check_batch(10_000, 50, 100_000, limit_gb=4.0)


def test_a_back_test_of_a_size_that_fits_is_not_refused():
    """The default back-test, and a forecast of 1,000,000 paths (1.1 GB measured), pass the checks."""
    from simulate.futures.backtest import MAX_HORIZON
    from simulate.futures.questions import BISECTIONS, GRID_POINTS

    budget.check_batch(2000, MAX_HORIZON + 1, 12, 4.0)
    budget.check_batch(10_000, 51, GRID_POINTS + BISECTIONS, 4.0, budget.COUNT_BYTES)
    with pytest.raises(ParameterError, match="GB"):
        budget.check_batch(10_000_000, MAX_HORIZON + 1, 1, 4.0)
