"""``results/index.html``: every result in the output folder, linked, with its one-line summary
(``summary`` in its JSON record) in the report language.  Rewritten after every command that
writes; a file of that name that this simulator did not write is left alone."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

from simulate.report.html import page
from simulate.report.publishing import is_ours
from simulate.text.messages import N_, t

INDEX = "index.html"
#: What marks an index page as ours (an index.html without it is the user's, and is never replaced).
GENERATOR = "<meta name=generator content=quiet-crisis-index>"
#: A result folder's JSON record and the kind of result it tells.
RECORDS = (("run.json", "scenario"), ("ensemble.json", "ensemble"), ("sensitivity.json", "sensitivity"),
           ("sweep.json", "sweep"))
KINDS = {
    "scenario": N_("Scenario runs"),
    "comparison": N_("Comparisons"),
    "ensemble": N_("Ensembles"),
    "sensitivity": N_("Sensitivity analyses"),
    "sweep": N_("Sweeps"),
    "other": N_("Other results"),
}
HEADING = N_("Results")
NO_SUMMARY = N_("(no summary recorded)")


def _record(folder: Path) -> tuple[str, dict]:
    for name, kind in RECORDS:
        path = folder / name
        if path.is_file():
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return kind, {}
            return ("comparison" if kind == "scenario" and "resolved_scenario" not in record else kind), record
    return "other", {}


def entries(out: Path) -> list[tuple[str, str, str, str]]:
    """(kind, link, title (a text, or one by language), summary by language) of every report under ``out``
    written by this simulator: ``out/*/`` and ``out/comparison/*/``, sorted by kind then link."""
    found = []
    folders = [p for p in out.iterdir() if p.is_dir()] if out.is_dir() else []
    folders += [p for p in (out / "comparison").iterdir() if p.is_dir()] if (out / "comparison").is_dir() else []
    for folder in folders:
        if not (folder / "report.html").is_file() or not is_ours(folder):
            continue
        kind, record = _record(folder)
        title = record.get("titles") or record.get("title") or " — ".join(str(record[k]) for k in ("scenario", "question") if record.get(k)) \
            or folder.name
        found.append((kind, folder.relative_to(out).as_posix() + "/report.html", title, record.get("summary") or {}))
    order = list(KINDS)
    return sorted(found, key=lambda e: (order.index(e[0]), e[1]))


def index_page(found: list, lang: str) -> str:
    """The index as a page: one list per kind of result, each item linked with its summary."""
    parts = [f"<h1>{html.escape(t(HEADING, lang))}</h1>"]
    for kind in KINDS:
        items = [e for e in found if e[0] == kind]
        if not items:
            continue
        parts.append(f"<h2>{html.escape(t(KINDS[kind], lang))}</h2><ul class=index>")
        for _, link, title, summary in items:
            text = summary.get(lang) if isinstance(summary, dict) else None
            title = str(title.get(lang) or title.get("en") or "") if isinstance(title, dict) else str(title)
            parts.append(f'<li><a href="{html.escape(link)}">{html.escape(title)}</a>'
                         f"<br><span class=note>{html.escape(text or t(NO_SUMMARY, lang))}</span></li>")
        parts.append("</ul>")
    return page(t(HEADING, lang), "".join(parts), lang).replace("<meta charset=utf-8>", "<meta charset=utf-8>" + GENERATOR, 1)


def write_index(out: str | Path, lang: str = "en") -> Path | None:
    """Write ``out/index.html`` (atomically); None, leaving it alone, if an index.html there is not ours."""
    out = Path(out)
    target = out / INDEX
    if target.is_symlink() or (target.exists() and GENERATOR not in target.read_text(encoding="utf-8", errors="replace")):
        return None
    found = entries(out)
    if not found:
        return None
    staging = out / f".{INDEX}.{os.getpid()}.tmp"
    staging.write_text(index_page(found, lang), encoding="utf-8")
    os.replace(staging, target)
    return target
