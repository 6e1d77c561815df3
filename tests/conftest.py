"""Shared fixtures: the baseline is projected once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Tests read English output unless they ask for Japanese: the language default follows the locale.
os.environ["LC_ALL"] = "C.UTF-8"
# As the command line does (simulate/__main__.py): the engine runs chunks on parallel threads, and
# multi-threaded BLAS inside their small matrix products oversubscribes the cores (an odds backcast
# took 30 s instead of 5).  Set before numpy loads; the golden files hold either way.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from simulate.pipeline import run_scenarios
from simulate.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="session")
def baseline_result():
    """The shipped baseline scenario, run once."""
    return run_scenarios([load_scenario(SCENARIOS / "baseline.yaml")])[0]


@pytest.fixture(scope="session")
def baseline_indicators(baseline_result):
    return baseline_result.indicators.set_index("year")


@pytest.fixture(scope="session")
def current_indicators():
    """The shipped 'current' scenario's indicators by year, run once."""
    return run_scenarios([load_scenario(SCENARIOS / "current.yaml")])[0].indicators.set_index("year")
