"""Numbers people read: one value of an indicator in English or Japanese, with its unit, never in
scientific notation.

English: ``110.66 M``, ``961 thousand``, ``38.7 %``, ``USD 4,941 bn``.  Japanese, the way planners
read them: ``1億1,066万人``, ``5,956万人``, ``96.1万人``, ``38.7 %``, ``4兆9,410億ドル``.
"""

from __future__ import annotations

import locale
import math
import os
import unicodedata

from simulate.indicators import REGISTRY
from simulate.text.messages import N_, t

LANGUAGES = ("en", "ja")


def default_language(environ: dict[str, str] | None = None) -> str:
    """``ja`` when the locale (``LC_ALL``, ``LC_MESSAGES`` or ``LANG``, first set wins) is Japanese,
    else ``en``."""
    environ = os.environ if environ is None else environ
    for key in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(key)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    try:
        name = locale.getlocale()[0] or ""
    except ValueError:
        name = ""
    return "ja" if name.lower().startswith("ja") else "en"


def plain(value: float, decimals: int = 0) -> str:
    """``value`` with thousands separators and ``decimals`` decimals; never ``-0``; '—' if missing."""
    if value is None or not math.isfinite(value):
        return "—"
    text = f"{value:,.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text[1:].replace(",", "")) == 0 else text


def compact(value: float) -> str:
    """Any number for the terminal or a chart, no scientific notation: 1,550,000 / 12.3 / 0.058 / <0.001."""
    if value is None or not math.isfinite(value):
        return "—"
    size = abs(value)
    if size >= 1000:
        return plain(value)
    if size >= 1 or size == 0:
        return f"{value:.3g}"
    return f"{value:.3f}" if size >= 0.001 else ("<0.001" if value > 0 else ">-0.001")


def plain_factor(value: float) -> str:
    """A multiple such as 1.3 or 1.25 without trailing zeros or exponents."""
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def oku_man(value: float, unit: str = "人") -> str:
    """A count the Japanese way: 1億1,066万人, 5,956万人, 96.1万人, 8,500人."""
    if not math.isfinite(value):
        return "—"
    sign, size = ("-" if value < 0 else ""), abs(value)
    man_total = round(size / 1e4)
    if man_total >= 10_000:
        oku, man = divmod(man_total, 10_000)
        return f"{sign}{oku:,}億" + (f"{man:,}万" if man else "") + unit
    if size >= 1e6:
        return f"{sign}{man_total:,}万{unit}"
    if size >= 1e4:
        return f"{sign}{size / 1e4:,.1f}万{unit}"
    return f"{sign}{size:,.0f}{unit}"


def cho_oku(value_bn: float, unit: str = "ドル") -> str:
    """Money given in billions, the Japanese way: 4兆9,410億ドル (1兆 = 1,000 bn, 1億 = 0.1 bn)."""
    if not math.isfinite(value_bn):
        return "—"
    oku = round(value_bn * 10)  # 1 bn = 10億
    sign, oku = ("-" if oku < 0 else ""), abs(oku)
    cho, rest = divmod(oku, 10_000)
    if cho:
        return f"{sign}{cho:,}兆" + (f"{rest:,}億" if rest else "") + unit
    return f"{sign}{rest:,}億{unit}"


def format_value(name: str, value: float, lang: str = "en", base_year: int | None = None) -> str:
    """One value of indicator ``name`` with its unit, for a person to read."""
    kind = REGISTRY[name].kind
    if value is None or not math.isfinite(value):
        return "—"
    if lang == "ja":
        return {
            "persons": lambda: oku_man(value),
            "flow": lambda: oku_man(value),
            "percent": lambda: f"{plain(value, 1)} %",
            "per100": lambda: f"{plain(value, 1)}",
            "years": lambda: f"{plain(value, 1)}歳",
            "index": lambda: plain(value, 1),
            "usd_bn": lambda: cho_oku(value),
            "usd": lambda: f"{plain(value)}ドル",
            "hours": lambda: f"{plain(value)}時間",
            "hours_total": lambda: f"{plain(value / 1e8)}億時間",
            "ratio": lambda: f"{plain(value, 2)}人",
            "yen_tn": lambda: f"{plain(value, 1)}兆円",
        }[kind]()
    return {
        "persons": lambda: f"{plain(value / 1e6, 2)} M",
        "flow": lambda: f"{plain(value / 1e3)} thousand",
        "percent": lambda: f"{plain(value, 1)} %",
        "per100": lambda: plain(value, 1),
        "years": lambda: f"{plain(value, 1)} years",
        "index": lambda: plain(value, 1),
        "usd_bn": lambda: f"USD {plain(value)} bn",
        "usd": lambda: f"USD {plain(value)}",
        "hours": lambda: f"{plain(value)} h",
        "hours_total": lambda: f"{plain(value / 1e9, 1)} bn h",
        "ratio": lambda: plain(value, 2),
        "yen_tn": lambda: f"JPY {plain(value, 1)} tn",
    }[kind]()


#: What goes between two sentences: a space in English, nothing in Japanese (。 ends a sentence).
SENTENCE_GAP: dict[str, str] = {"en": " ", "ja": ""}

#: Axis scale and unit label per kind: (divisor, unit label, a catalogue message); ``{base}``: base year.
AXES: dict[str, tuple[float, str]] = {
    "persons": (1e6, N_("million persons")),
    "flow": (1e3, N_("thousand persons a year")),
    "percent": (1.0, N_("%")),
    "per100": (1.0, N_("per 100 persons aged 15-64")),
    "years": (1.0, N_("years")),
    "index": (1.0, N_("index, {base} = 100")),
    "usd_bn": (1.0, N_("USD bn, 2018 prices")),
    "usd": (1.0, N_("USD, 2018 prices")),
    "hours": (1.0, N_("hours a year")),
    "hours_total": (1e9, N_("billion hours a year")),
    "ratio": (1.0, N_("persons")),
    "yen_tn": (1.0, N_("trillion yen, nominal")),
}


#: How tables for people (``headline.csv``, ``outcomes.csv``) give each kind: per language, (divisor,
#: decimals, unit).  Japanese counts of people are in 万人 (1万 = 10,000) as the White Paper writes
#: them; machine files (``indicators.csv``, ``iamc.csv``, the store) keep full precision in base units.
PEOPLE: dict[str, dict[str, tuple[float, int, str]]] = {
    "persons": {"en": (1e3, 0, "thousand persons"), "ja": (1e4, 1, "万人")},
    "flow": {"en": (1e3, 1, "thousand persons per year"), "ja": (1e4, 2, "万人/年")},
    "percent": {"en": (1.0, 1, "%"), "ja": (1.0, 1, "%")},
    "per100": {"en": (1.0, 1, "per 100 aged 15-64"), "ja": (1.0, 1, "15～64歳100人あたり")},
    "years": {"en": (1.0, 1, "years"), "ja": (1.0, 1, "歳")},
    "index": {"en": (1.0, 1, "{base} = 100"), "ja": (1.0, 1, "{base}年=100")},
    "usd_bn": {"en": (1.0, 0, "USD bn, 2018 prices"), "ja": (1.0, 0, "10億ドル（2018年価格）")},
    "usd": {"en": (1.0, 0, "USD, 2018 prices"), "ja": (1.0, 0, "ドル（2018年価格）")},
    "hours": {"en": (1.0, 0, "hours per year"), "ja": (1.0, 0, "時間/年")},
    "hours_total": {"en": (1e9, 1, "billion hours per year"), "ja": (1e8, 0, "億時間/年")},
    "ratio": {"en": (1.0, 2, "persons"), "ja": (1.0, 2, "人")},
    "yen_tn": {"en": (1.0, 1, "trillion yen, nominal"), "ja": (1.0, 1, "兆円（名目）")},
}


def for_people(name: str, value: float, lang: str) -> float:
    """``value`` of indicator ``name`` (base unit) in its :data:`PEOPLE` unit, rounded to its decimals."""
    divisor, decimals, _ = PEOPLE[REGISTRY[name].kind][lang]
    return round(value / divisor, decimals) if math.isfinite(value) else value


def people_unit(name: str, lang: str, base_year: int | None = None) -> str:
    """The unit :func:`for_people` gives indicator ``name`` in, in ``lang``."""
    return PEOPLE[REGISTRY[name].kind][lang][2].format(base=base_year)


def axis(name: str, lang: str, base_year: int | None = None) -> tuple[float, str]:
    """(divisor, unit label) for plotting indicator ``name``."""
    divisor, unit = AXES[REGISTRY[name].kind]
    return divisor, t(unit, lang, base=base_year)


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal (East Asian wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``columns`` terminal columns (left-aligned unless ``right``)."""
    fill = " " * max(0, columns - width(text))
    return fill + text if right else text + fill
