"""What figures there are and how jobs draw them, without matplotlib: the command line and the
report writers read this, and only a figure job imports matplotlib (:func:`styled`)."""

from __future__ import annotations

import functools
from typing import Callable

from simulate.text.messages import t

#: Figure file formats: ``svg`` (inlined in the reports) and ``png`` (for slides and documents).
FORMATS = ("svg", "png")
#: What is written unless ``--formats`` asks for more: the SVG the reports inline.  PNG costs
#: about as much again to draw (``benchmarks/bench_run.py``), so it is written when asked for.
DEFAULT_FORMATS = ("svg",)


#: Fan-chart figures of an ensemble: stem -> indicators, one panel each (here, where the command
#: line reads it without loading matplotlib).
FANS = {
    "fan_population": ["population_total", "population_15_64", "population_65_plus"],
    "fan_labour_force": ["labour_force"],
    "fan_gdp_per_capita": ["gdp_per_capita"],
}
#: The indicators the fan charts show, each once.
FAN_INDICATORS = list(dict.fromkeys(name for panels in FANS.values() for name in panels))


def parse_formats(text: str) -> tuple[str, ...]:
    """``--formats`` (``png,svg``, ``svg``, ``png``) as a tuple in :data:`FORMATS` order; ValueError
    naming the unknown format."""
    asked = [part.strip().lower().lstrip(".") for part in text.split(",") if part.strip()]
    unknown = [part for part in asked if part not in FORMATS]
    if unknown or not asked:
        raise ValueError(t("{text}: choose svg, png or both (svg,png)", text=repr(text)))
    return tuple(f for f in FORMATS if f in asked)


def styled(job: Callable) -> Callable:
    """Run a figure job in the house style (:data:`simulate.plots.style.RC`), importing matplotlib
    only when the job runs: every text it creates, legends included, gets the house fonts, and
    :func:`~simulate.plots.style.save` writes the ``formats`` asked for (default: SVG)."""
    @functools.wraps(job)
    def run(*args, formats: tuple[str, ...] = DEFAULT_FORMATS, **kwargs):
        from simulate.plots.style import house_style, saving
        with house_style(), saving(formats):
            return job(*args, **kwargs)
    return run
