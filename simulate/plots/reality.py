"""The reality-check figure: the 2017-based projection against what happened, one panel per indicator."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from simulate.plots.style import PALETTE, new_figure
from simulate.indicators import REALITY_CHECKS as INDICATORS
from simulate.text.messages import N_, t

#: Panels: (title, [(indicator, line label: a message with {what}, projected or observed)]).
PANELS = [(N_("Births, Japanese nationals (thousand)"), [("births", N_("{what}"))]),
          (N_("Total fertility rate (children per woman)"), [("tfr", N_("{what}"))]),
          (N_("Population on 1 October (million)"), [("population_total", N_("{what}"))]),
          (N_("Life expectancy at birth (years)"), [("e0_male", N_("males {what}")), ("e0_female", N_("females {what}"))]),
          (N_("Labour force (million; survey years)"), [("labour_force", N_("{what}"))])]


def reality_figure(table: pd.DataFrame, title: str, history_end: int, lang: str = "en") -> Figure:
    """Projected (lines) and observed (dots) values of each reality-check indicator by year;
    ``history_end``: the projection's last observed year."""
    divisors = {indicator: divisor for indicator, _, _, _, divisor, _ in INDICATORS}
    fig, axes = new_figure(t("Reality check — {title}", lang, title=title), "", nrows=2, ncols=3, figsize=(13, 6.5))
    axes = np.ravel(axes)
    axes[-1].set_visible(False)
    for ax, (panel, lines) in zip(axes, PANELS):
        for (indicator, prefix), colour in zip(lines, PALETTE[:1] + PALETTE[1:2]):
            rows = table[table["indicator"] == indicator]
            divisor = divisors[indicator]
            ax.plot(rows["year"], rows["projected"] / divisor, color=colour, lw=1.8, ls="--",
                    label=t(prefix, lang, what=t("projected ({end}-based)", lang, end=history_end)),
                    gid=f"projected_{indicator}")
            ax.plot(rows["year"], rows["observed"] / divisor, color=colour, lw=0, marker="o", ms=5,
                    label=t(prefix, lang, what=t("observed", lang)), gid=f"observed_{indicator}")
        ax.set_title(t(panel, lang))
        ax.set_ylabel("")
        ax.set_xlim(table["year"].min() - 0.4, table["year"].max() + 0.4)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(loc="best", fontsize=8)
    return fig
