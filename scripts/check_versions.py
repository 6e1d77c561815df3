"""The second install job: the tests on the newest, or the lowest, versions that pyproject.toml allows.

The README's two commands install the locked versions (``requirements/lock.txt``).  This script
checks the ranges around the lock instead, in a fresh virtual environment in a temporary folder:

- ``newest``: the newest release of every dependency that the ranges allow (what a user who
  installs the wheel without the lock gets next month);
- ``lowest``: the lowest allowed version of every direct dependency (``uv``'s ``lowest-direct``
  resolution), which proves the floors in pyproject.toml;
- ``locked``: the locked versions themselves, for running them on another Python (``--python``).

``--python 3.12`` (a version that pyenv or the system knows, or a path to an interpreter) builds the
environment on that Python instead of this one: ``locked --python 3.13`` is the fast tests of the
README's install on Python 3.13.

It resolves with ``uv`` (installed into the temporary environment from the package index), prints
the versions that changed against the lock, then runs the fast tests (``-m "not slow"``) there.
Exit status: pytest's.  Usage::

    python scripts/check_versions.py newest|lowest|locked [--python VERSION] [--keep DIR] [-- PYTEST ARGS]

Refreshing the lock (after a green ``newest`` run) is one command, in the README ("Set-up").
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "lock.txt"
KNOWN_GOOD = ROOT / "requirements" / "known-good.txt"
RESOLUTION = {"newest": "highest", "lowest": "lowest-direct", "locked": None}


def interpreter(version: str | None) -> str:
    """The Python to build the environment with: this one, a path, pyenv's newest ``X.Y.*``, or
    ``pythonX.Y`` on the PATH; exits with a one-line message when none is found."""
    if not version:
        return sys.executable
    if os.sep in version:
        return version
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = sorted(root.glob(f"{version}.*/bin/python"), key=lambda p: [int(x) for x in
                        p.parent.parent.name.split(".") if x.isdigit()])
    if candidates:
        return str(candidates[-1])
    found = shutil.which(f"python{version}")  # pyenv's shims run only the versions it has selected
    if found and "shims" not in Path(found).parts:
        return found
    sys.exit(f"check_versions: no Python {version} found (neither python{version} on the PATH nor pyenv's {root})")


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
    parser.add_argument("--python", help="build the environment on this Python (3.12, 3.13 or a path)")
    parser.add_argument("--keep", type=Path, help="build the environment in DIR and keep it")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="quiet-crisis-versions-") as tmp:
        where = args.keep or Path(tmp)
        venv = where / "venv"
        run([interpreter(args.python), "-m", "venv", str(venv)])
        python = str(venv / "bin" / "python")
        run([python, "-m", "pip", "install", "-q", "uv"])
        if args.which == "locked":
            run([python, "-m", "uv", "pip", "install", "--python", python, "-q", "-c", str(LOCK), "-e",
                 f"{ROOT}[test]"])
        else:
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
        # caches of its own: pint (under pyam's iam_units) keeps parsed unit files in the user's cache
        # by their path, and a cache left by an earlier temporary environment points at files gone
        cache = where / "cache"
        tests = subprocess.run([python, "-m", "pytest", "-q", "-m", "not slow", "-p", "no:cacheprovider",
                                *args.pytest_args], cwd=ROOT, env=os.environ | {"XDG_CACHE_HOME": str(cache)})
        version = subprocess.run([python, "-c", "import platform; print(platform.python_version())"],
                                 capture_output=True, text=True).stdout.strip()
        print(f"{args.which} versions on Python {version}: pytest exit {tests.returncode}")
        return tests.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
