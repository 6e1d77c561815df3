"""JSON people and programs both read: valid for every parser, Japanese kept readable, and
nothing a terminal would obey."""

from __future__ import annotations

import json
import re

import numpy as np


def _json_safe(value):
    """``value`` with numpy scalars as Python numbers and NaN or infinities as null (valid JSON)."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, np.ndarray):
        return _json_safe(value.tolist())
    return value


#: Characters JSON allows raw in strings but a terminal obeys: C1 controls, bidirectional overrides
#: and isolates, line and paragraph separators.  :func:`json_text` writes them as ``\\uXXXX``.
HIDDEN = re.compile("[\u0080-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_text(value) -> str:
    """Indented, UTF-8-friendly JSON that every parser accepts (no NaN, no Infinity), with the
    characters a terminal would obey escaped (:data:`HIDDEN`); Japanese stays readable."""
    text = json.dumps(_json_safe(value), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    return HIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
