"""One look for every figure: colours, the 2030-2040 focus band, the observed history, the base year
and seed markers, saving.

matplotlib is imported here, lazily, with the non-interactive Agg backend: commands that draw
nothing never import this module.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from simulate.text.fonts import JAPANESE_FONT, japanese_font_file
from simulate.text.lines import wrap
from simulate.text.messages import t

def _register_japanese_font() -> list[str]:
    """Latin text stays in DejaVu Sans and falls back to IPAexGothic glyph by glyph (matplotlib >= 3.6)."""
    font = japanese_font_file()
    if font is None:
        return ["DejaVu Sans"]
    font_manager.fontManager.addfont(str(font))
    return ["DejaVu Sans", JAPANESE_FONT]


FONT_FAMILY = _register_japanese_font()
#: IPAexGothic has no bold face; matplotlib uses the regular one and would log that on every title.
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

FOCUS = (2030, 2040)
PALETTE = ["#1b4f72", "#c0392b", "#239b56", "#b9770e", "#6c3483", "#117a65", "#7f8c8d", "#d35400",
           "#2e86c1", "#a93226", "#1e8449", "#9a7d0a", "#5b2c6f", "#0e6655"]
RC = {
    "figure.figsize": (8.0, 4.5), "figure.dpi": 100, "savefig.dpi": 100, "font.size": 10,
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3,
    "axes.titleweight": "bold", "axes.titlesize": 11, "legend.frameon": False, "legend.fontsize": 9,
    "svg.fonttype": "none", "svg.hashsalt": "quiet-crisis", "path.simplify": True,
    "font.family": FONT_FAMILY,
    # numbers people read: no offset text and no scientific notation on any axis
    "axes.formatter.useoffset": False, "axes.formatter.limits": (-20, 20),
}
#: Seed figures (persons) marked on population charts: (indicator, year, value, label).
SEED_MARKS = [
    ("population_total", 2017, 126.71e6, "126.71 M (2017)"),
    ("population_total", 2040, 110.92e6, "110.92 M (2040)"),
    ("population_15_64", 2017, 75.96e6, "≈76 M"),
    ("population_15_64", 2040, 59.78e6, "≈60 M"),
    ("population_65_plus", 2017, 35.15e6, "35.15 M"),
    ("population_65_plus", 2040, 39.20e6, "39.20 M"),
]


#: Fixed margins (fractions of the figure): a layout engine would cost a layout pass per save.
MARGINS = {"left": 0.08, "right": 0.965, "top": 0.88, "bottom": 0.11, "wspace": 0.25, "hspace": 0.35}


def house_style():
    """A context in which figures get the house style: fonts (Japanese included), sizes, number formats."""
    return plt.rc_context(RC)


#: Most lines a figure title takes (the margins leave room for two).
TITLE_LINES = 2


#: Saved figures kept for the next figure of the same layout, by layout: building a figure's axes
#: and tick marks anew costs about a third of drawing it.  :func:`save` keeps a figure only if it
#: is made of its grid of axes alone (no figure legend, colour bar or hidden panel).
_KEPT: dict[str, tuple[Figure, object]] = {}


def _cleared(fig: Figure, axes) -> tuple[Figure, object]:
    """``fig`` and ``axes`` as new: every axes cleared to the current style, keeping its tick
    objects (each draw sets their positions and labels again), which matplotlib would otherwise
    throw away and build anew (``Axis.reset_ticks``)."""
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            axis.reset_ticks = _keep_ticks  # shadows the method while the axes is cleared
        ax.cla()
        for axis in (ax.xaxis, ax.yaxis):
            del axis.reset_ticks
    fig.suptitle("")
    return fig, axes


def _keep_ticks() -> None:
    """Stands in for ``Axis.reset_ticks`` in :func:`_cleared`."""


def literal(text: str) -> str:
    """Text drawn as written: a ``$`` a person typed (``Budget $5 bn``) is not matplotlib's mathtext."""
    return text.replace("$", r"\$")


def new_figure(title: str, ylabel: str, nrows: int = 1, ncols: int = 1, legend_below: bool = False,
               **kwargs) -> tuple[Figure, object]:
    """A figure in the house style with fixed margins (room below for a legend if asked); returns
    (figure, axes).  The last saved figure of the same layout is cleared and used again, if any."""
    layout = repr((nrows, ncols, sorted(kwargs.items())))
    with plt.rc_context(RC):
        kept = _KEPT.pop(layout, None)
        fig, axes = _cleared(*kept) if kept else plt.subplots(nrows, ncols, **kwargs)
    fig._house_layout = (layout, axes, nrows * ncols)
    fig.subplots_adjust(**(MARGINS | ({"bottom": 0.2, "top": 0.9} if legend_below else {})))
    # at most TITLE_LINES lines: the full title is in the report; the figure keeps its layout
    fig._house_title = literal(title)  # as asked, before wrapping (the layout test compares)
    fig.suptitle(wrap(literal(title), int(10 * fig.get_figwidth()), TITLE_LINES), fontweight="bold", fontsize=11)
    for ax in fig.axes:
        ax.set_ylabel(ylabel)
    return fig, axes


def decorate_years(ax, first: int, last: int, calendar: tuple[int, int] | None = None, lang: str = "en") -> None:
    """Shade 2030-2040; for a scenario's ``calendar`` (base year, last observed year) mark the base
    year and shade the observed history grey; limit the x axis to the run."""
    ax.axvspan(*FOCUS, color="#f4d03f", alpha=0.18, lw=0, label="_focus")
    if calendar is not None:
        base_year, observed_until = calendar
        ax.axvline(base_year, color="#555555", lw=0.8, ls=":", label="_base")
        if observed_until > first:
            ax.axvspan(first, observed_until, color="#bbbbbb", alpha=0.25, lw=0, label="_observed")
            ax.text(first + 0.3, 0.01, t("observed", lang), transform=ax.get_xaxis_transform(), ha="left", va="bottom",
                    fontsize=7, color="#555555")
    ax.set_xlim(first, last)
    ax.text(sum(FOCUS) / 2, 0.99, "2030-2040", transform=ax.get_xaxis_transform(), ha="center",
            va="top", fontsize=8, color="#7d6608")


_FORMATS: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("formats", default=("svg",))


@contextlib.contextmanager
def saving(formats: tuple[str, ...]):
    """A context in which :func:`save` writes ``formats`` (a subset of svg and png)."""
    token = _FORMATS.set(tuple(formats))
    try:
        yield
    finally:
        _FORMATS.reset(token)


def save(fig: Figure, folder: Path, stem: str) -> list[Path]:
    """Write ``stem.svg`` and/or ``stem.png`` (the formats of :func:`saving`) into ``folder``; close
    the figure; return the paths.  The figure is kept to draw the next one of its layout on
    (:func:`new_figure`): do not use it after saving."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{stem}.{suffix}" for suffix in _FORMATS.get()]
    with plt.rc_context(RC):
        for path in paths:
            fig.savefig(path, metadata={"Date": None} if path.suffix == ".svg" else None)
    plt.close(fig)  # out of pyplot's hands (notebooks would show it again); kept here, if it can be
    layout, axes, panels = getattr(fig, "_house_layout", (None, None, 0))
    if layout and len(fig.axes) == panels and not fig.legends and all(text is fig._suptitle for text in fig.texts) \
            and all(ax.get_visible() for ax in fig.axes):
        _KEPT[layout] = (fig, axes)
    return paths
