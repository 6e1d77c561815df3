"""The scenarios shipped inside the package (``simulate/scenarios/``; ``scenarios/`` in a clone
points there), so that ``extends: baseline`` and ``simulate.run("baseline")`` work from any folder
and after a plain ``pip install``."""

from __future__ import annotations

from pathlib import Path

#: Folder of the shipped scenario files and their JSON Schema.
SHIPPED = Path(__file__).resolve().parents[1] / "scenarios"


def shipped_names() -> list[str]:
    """Names of the shipped scenarios, sorted."""
    return sorted(p.stem for p in SHIPPED.glob("*.yaml"))


def shipped_path(name: str) -> Path | None:
    """The shipped file of scenario ``name`` (a bare name, no folder), or None."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    stem = name[:-5] if name.endswith(".yaml") else name
    path = SHIPPED / f"{stem}.yaml"
    return path if path.is_file() else None
