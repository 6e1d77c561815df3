"""The second install job: the tests on the newest, or the lowest, versions that pyproject.toml allows.

The README's two commands install the locked versions (``requirements/lock.txt``).  This script
checks the ranges around the lock instead, in a fresh virtual environment in a temporary folder:

- ``newest``: the newest release of every dependency that the ranges allow (what a user who
  installs the wheel without the lock gets next month);
- ``lowest``: the lowest allowed version of every direct dependency (``uv``'s ``lowest-direct``
  resolution), which proves the floors in pyproject.toml.

It resolves with ``uv`` (installed into the temporary environment from the package index), prints
the versions that changed against the lock, then runs the fast tests (``-m "not slow"``) there.
Exit status: pytest's.  Usage::

    python scripts/check_versions.py newest|lowest [--keep DIR] [-- PYTEST ARGS]

Refreshing the lock (after a green ``newest`` run) is one command, in the README ("Set-up").
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "lock.txt"
KNOWN_GOOD = ROOT / "requirements" / "known-good.txt"
RESOLUTION = {"newest": "highest", "lowest": "lowest-direct"}


def pins(text: str) -> dict[str, str]:
    """``name==version`` lines of a requirements file -> {normalised name: version}."""
    out = {}
    for line in text.splitlines():
        name, sep, version = line.split(";")[0].strip().partition("==")
        if sep and not name.startswith("#"):
            out[name.lower().replace("_", "-")] = version.strip()
    return out


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    print("$", " ".join(command), flush=True)
    return subprocess.run(command, check=True, **kwargs)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", choices=sorted(RESOLUTION))
    parser.add_argument("--keep", type=Path, help="build the environment in DIR and keep it")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="quiet-crisis-versions-") as tmp:
        where = args.keep or Path(tmp)
        venv = where / "venv"
        run([sys.executable, "-m", "venv", str(venv)])
        python = str(venv / "bin" / "python")
        run([python, "-m", "pip", "install", "-q", "uv"])
        resolved = where / f"{args.which}.txt"
        # pyam's database layer resolves only as the known-good set in either direction (README)
        run([python, "-m", "uv", "pip", "compile", str(ROOT / "pyproject.toml"), "--extra", "test", "--extra", "dask",
             "--resolution", RESOLUTION[args.which], "-c", str(KNOWN_GOOD), "-o", str(resolved), "-q"])
        found, locked = pins(resolved.read_text(encoding="utf-8")), pins(LOCK.read_text(encoding="utf-8"))
        changed = sorted(name for name in found if locked.get(name) != found[name])
        print(f"{args.which}: {len(changed)} of {len(found)} packages differ from the lock")
        for name in changed:
            print(f"  {name:<28} {locked.get(name, '-'):>12} -> {found[name]}")
        run([python, "-m", "uv", "pip", "install", "--python", python, "-q", "-r", str(resolved), "-e", str(ROOT)])
        tests = subprocess.run([python, "-m", "pytest", "-q", "-m", "not slow", "-p", "no:cacheprovider",
                                *args.pytest_args], cwd=ROOT)
        print(f"{args.which} versions: pytest exit {tests.returncode}")
        return tests.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
