"""What a run's ``run.json`` records: the scenario as resolved, the versions and data it ran with,
its timings, and its calendar with how the observed years compare with the registered flows (which
runs the history fit, so it sits here, beside the runs, and not in the report)."""

from __future__ import annotations

import platform
from typing import TYPE_CHECKING

import numpy as np

from simulate import data
from simulate.demography.history import birth_allowance, birth_calibration, history_fit
from simulate.text.numbers import LANGUAGES
from simulate.version import __version__

if TYPE_CHECKING:
    from simulate.pipeline import RunResult


def run_metadata(result: RunResult) -> dict:
    """The contents of ``run.json`` but the wall time (``timings_ms["wall"]``), which its writer adds."""
    loaded = result.loaded
    return {
        "scenario": loaded.scenario.name,
        "title": loaded.scenario.label_in("en"),
        "titles": {language: loaded.scenario.label_in(language) for language in LANGUAGES},
        "files": [str(p) for p in loaded.files],
        "overrides": dict(loaded.overrides),
        "file_sha256": loaded.file_sha256,
        "resolved_sha256": loaded.resolved_sha256,
        "package": "quiet-crisis",
        "version": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "data_sha256": data.data_checksums(),
        "timings_ms": dict(result.timings_ms),
        "targets": result.targets,
        "notices": result.notices + result.steps,
        "history": history_metadata(loaded.scenario),
        "resolved_scenario": loaded.scenario.model_dump(mode="json"),
    }


def history_metadata(scenario) -> dict:
    """The calendar of a run and how its observed years compare with the registered flows."""

    fit = history_fit(scenario.jump_off, scenario.history_end) if scenario.history_end > scenario.basis.jump_off_year \
        else None
    return {"jump_off": scenario.jump_off, "observed_until": scenario.history_end,
            "counterfactual_past": scenario.counterfactual_past, "base_year": scenario.base_year,
            "birth_calibration": birth_calibration(scenario.jump_off), "birth_allowance": birth_allowance(),
            "observed_years": [] if fit is None else fit.round(3).to_dict(orient="records")}
