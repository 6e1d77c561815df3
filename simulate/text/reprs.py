"""How objects show themselves in a notebook: one line of at most :data:`MAX_REPR` characters
(``repr``) and a small HTML view (``_repr_html_``), whatever the object holds."""

from __future__ import annotations

from html import escape

import pandas as pd

#: The longest one-line ``repr`` any object of the API shows, in characters.
MAX_REPR = 300


def short_repr(text: str) -> str:
    """``text`` on one line of at most :data:`MAX_REPR` characters (cut with '…', closing '>' kept)."""
    flat = " ".join(text.split())
    if len(flat) <= MAX_REPR:
        return flat
    closing = ">" if flat.endswith(">") else ""
    return flat[:MAX_REPR - 1 - len(closing)] + "…" + closing


def html_view(text: str, table: pd.DataFrame | None = None, rows: int = 12) -> str:
    """The one-line ``text`` as code, above the first ``rows`` rows of ``table`` (if any)."""
    head = f"<p><code>{escape(short_repr(text))}</code></p>"
    return head if table is None else head + table.to_html(max_rows=rows, index=False)
