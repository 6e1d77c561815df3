"""The Japanese glyphs a report needs, embedded in it: a subset of IPAexGothic made with fontTools,
as a base64 WOFF ``@font-face``.  Reports then render in a browser with no Japanese system font
(a fresh Linux desktop, Docker, JupyterHub, a CI artefact viewer); figures' inline SVG text names
the same family, so it is covered too."""

from __future__ import annotations

import base64
import functools
import io

from fontTools import subset
from fontTools.ttLib import TTFont

from simulate.text.fonts import JAPANESE_FONT, japanese_font_file


@functools.cache
def _cmap() -> frozenset[int]:
    """The code points IPAexGothic has a glyph for (empty without the font)."""
    path = japanese_font_file()
    if path is None:
        return frozenset()
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def needed(text: str) -> str:
    """The characters of ``text`` beyond ASCII that the font has, sorted: what the subset holds."""
    return "".join(sorted({c for c in text if ord(c) > 0x7F and ord(c) in _cmap()}))


@functools.lru_cache(maxsize=32)
def woff_subset(characters: str) -> bytes:
    """IPAexGothic cut down to ``characters`` as WOFF bytes; the same characters give the same bytes."""
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["vert", "palt"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # keep the copyright, names and version: the licence asks for them
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    font = TTFont(japanese_font_file(), recalcTimestamp=False)
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff"
    font.save(out)
    return out.getvalue()


def font_face_css(text: str) -> str:
    """An ``@font-face`` rule for the family figures and pages name, holding every glyph beyond ASCII
    that ``text`` (the whole page) uses; empty when it uses none or the font is not installed."""
    characters = needed(text)
    if not characters:
        return ""
    data = base64.b64encode(woff_subset(characters)).decode("ascii")
    return (f"@font-face{{font-family:'{JAPANESE_FONT}';font-style:normal;font-weight:400;font-display:block;"
            f"src:url(data:font/woff;base64,{data}) format('woff')}}")
