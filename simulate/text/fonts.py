"""Where the Japanese font is: IPAexGothic (IPA Font License v1.0), shipped inside the
matplotlib-fontja package.  Found without importing that package, whose import changes
matplotlib's global font.  Figures draw with it; reports embed the subset of it they use."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

#: The family name figures and reports use for Japanese text.
JAPANESE_FONT = "IPAexGothic"
#: The licence the font is shipped and embedded under.
JAPANESE_FONT_LICENCE = "IPA Font License Agreement v1.0"


@functools.cache
def japanese_font_file() -> Path | None:
    """The IPAexGothic TrueType file, or None when matplotlib-fontja is not installed."""
    spec = importlib.util.find_spec("matplotlib_fontja")
    if spec is None or not spec.submodule_search_locations:
        return None
    font = Path(next(iter(spec.submodule_search_locations))) / "fonts" / "ipaexg.ttf"
    return font if font.is_file() else None
