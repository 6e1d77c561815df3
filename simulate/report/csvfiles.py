"""CSV files people can open safely: plain decimals (no scientific notation, no "-0"), and no cell a
spreadsheet would run as a formula."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


#: Significant digits kept in CSV files.
CSV_DIGITS = 10


def _plain(value: float, digits: int) -> str:
    """One float as a plain decimal with ``digits`` significant digits ("" for NaN, never "-0")."""
    if not np.isfinite(value):
        return ""
    text = np.format_float_positional(value, precision=digits, unique=False, fractional=False, trim="-")
    return "0" if text == "-0" else text


def _plain_column(values: np.ndarray, digits: int) -> np.ndarray:
    """:func:`_plain` of every value, fast: ``%.{digits}g`` prints the same text wherever it prints
    no exponent (both round correctly to ``digits`` significant digits; checked on 600,000 values),
    so only the values it would print with an exponent, and NaN, go through :func:`_plain`."""
    texts = [f"%.{digits}g" % v for v in values.tolist()]
    for i, text in enumerate(texts):
        if "e" in text or "n" in text:  # 1e-05, nan, inf
            texts[i] = _plain(values[i], digits)
    return np.array(texts, dtype=object)


#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(text: str) -> str:
    """Text a spreadsheet shows as text: a leading formula character is escaped with ``'``."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_ready(frame: pd.DataFrame, digits: int = CSV_DIGITS) -> pd.DataFrame:
    """``frame`` for ``to_csv(float_format=f"%.{digits}g")`` with no scientific notation and no "-0":
    columns whose values that format would print with an exponent become plain decimal text; -0.0
    becomes 0 everywhere.  Text cells and column names that a spreadsheet would run as a formula are
    neutralised (:func:`neutral`); numbers are numbers and stay as they are."""
    out = {}
    for name, column in frame.items():
        values = column.to_numpy()
        if values.dtype.kind == "f":
            values = values + 0.0  # -0.0 + 0.0 == +0.0
            size = np.abs(values[np.isfinite(values) & (values != 0)])
            if size.size and (size.max() >= 10.0 ** digits or size.min() < 1e-4):
                values = _plain_column(values, digits)
        elif values.dtype.kind in "OUT":
            values = np.array([neutral(v) if isinstance(v, str) else v for v in values.tolist()], dtype=object)
        out[neutral(str(name))] = values
    return pd.DataFrame(out, index=frame.index)


def write_csv(frame: pd.DataFrame, path: Path, digits: int = CSV_DIGITS, excel: bool = False) -> None:
    """A table as UTF-8 CSV (no index) that people can read: see :func:`csv_ready`.  ``excel``: with a
    byte-order mark, so that Japanese Excel opens Japanese labels as UTF-8 instead of Shift-JIS."""
    csv_ready(frame, digits).to_csv(path, index=False, float_format=f"%.{digits}g",
                                    encoding="utf-8-sig" if excel else "utf-8")
