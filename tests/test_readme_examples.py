"""Every example in both READMEs and the documentation (docs/) runs: each command of a shell block and each concrete command
quoted in the text exits 0, each Python block runs, and each YAML block is a valid scenario (as
a file extending ``baseline`` when it is a fragment).  Run in a scratch folder with ``scenarios/``
linked in, results written there.  What cannot run here is listed with the reason."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from simulate.errors import InputError
from simulate.scenario import load_scenario
from conftest import ROOT

#: Where examples live: the READMEs and the documentation's pages (English first, so that the
#: Japanese pages' copies of an English example are not run twice).
READMES = ("README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md")), "README.ja.md",
           *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs" / "ja").glob("*.md")))
#: Commands of the READMEs that are not run here, and why (matched at the start of a command).
NOT_RUN = {
    "python3 -m venv": "the set-up itself: CI runs the README's two commands on a clean clone",
    ". .venv/bin/activate": "the set-up itself: CI runs the README's two commands on a clean clone",
    "pip install": "the set-up itself: CI runs the README's two commands on a clean clone",
    "python -m pytest": "the test command: this test is part of it",
    "uv pip compile": "refreshing the lock: needs the package index, and changes requirements/lock.txt",
    "pip install uv": "refreshing the lock: needs the package index",
    "python scripts/check_versions.py": "the newest/lowest versions job: fresh environments with uv (minutes each)",
    "python run.py explore": "serves until it is stopped: tests/test_explorer.py starts it, drives the page in "
                             "chromium and stops it with SIGTERM",
    "python run.py ensemble baseline --n 1000000": "a million trajectories (11 GB of disk, minutes): "
                                                   "benchmarks/bench_uncertainty.py runs it",
}
#: Python blocks not run here (a phrase of the block -> why).
PYTHON_NOT_RUN = {"SLURMCluster": "needs a SLURM cluster (dask-jobqueue)"}
COMMAND = re.compile(r"^(python run\.py|quiet-crisis|python -m simulate)\b")


def blocks(readme: str) -> list[tuple[str, str]]:
    """The fenced blocks of a README: (language, text)."""
    return re.findall(r"```(\w*)\n(.*?)```", (ROOT / readme).read_text(encoding="utf-8"), re.S)


def shell_commands(text: str) -> list[str]:
    """Commands of a shell block: comments dropped, continued lines joined, '&&' chains split."""
    joined = re.sub(r"\\\n\s*", " ", text)
    found = []
    for line in joined.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", line).strip()
        found += [part.strip() for part in line.split("&&") if part.strip()]
    return found


def inline_commands(readme: str) -> list[str]:
    """Concrete commands quoted in the text (not syntax templates with FILE, [options] or '...')."""
    text = re.sub(r"```.*?```", "", (ROOT / readme).read_text(encoding="utf-8"), flags=re.S)
    quoted = re.findall(r"`((?:python run\.py|quiet-crisis|python -m simulate)(?![/\w])[^`]*)`", text)
    return [c for c in quoted if not re.search(r"[A-Z]{2,}|\[|\.\.\.|…|<|ファイル|フォルダ|名前|回数|施策|目標", c)]


def examples() -> list[tuple[str, str, str]]:
    """Every example of both READMEs, each once: a command or block the English README already has
    is not run again for the Japanese one."""
    found, seen = [], set()
    for readme in READMES:
        mine = []
        for language, text in blocks(readme):
            if language == "bash":
                mine += [(readme, "shell", c) for c in shell_commands(text)]
            elif language in ("python", "yaml"):
                mine.append((readme, language, text))
        mine += [(readme, "shell", c) for c in inline_commands(readme)]
        for example in mine:
            if example[1:] not in seen:
                seen.add(example[1:])
                found.append(example)
    return found


@pytest.fixture()
def scratch(tmp_path, monkeypatch):
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def environment() -> dict:
    """PATH with this interpreter's scripts first (the installed quiet-crisis), and a fresh results folder."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def test_the_examples_are_found():
    kinds = [kind for _, kind, _ in examples()]
    assert kinds.count("shell") >= 15 and kinds.count("python") >= 3 and kinds.count("yaml") >= 4


@pytest.mark.slow
@pytest.mark.parametrize("readme,kind,example", examples(), ids=lambda v: str(v)[:60])
def test_every_readme_example_runs(readme, kind, example, scratch):
    if kind == "shell":
        skipped = next((why for start, why in NOT_RUN.items() if example.startswith(start)), None)
        if skipped or not COMMAND.match(example) and not example.startswith("python "):
            assert skipped, f"{readme}: not a command this test knows how to run: {example}"
            return
        command = re.sub(r"^python run\.py", f"{shlex.quote(sys.executable)} {ROOT / 'run.py'}", example)
        command = re.sub(r"^python -m simulate", f"{shlex.quote(sys.executable)} -m simulate", command)
        command = re.sub(r"^python ", f"{shlex.quote(sys.executable)} {ROOT}/", command)
        proc = subprocess.run(["bash", "-c", command], cwd=scratch, env=environment(), capture_output=True,
                              text=True, timeout=600)
        assert proc.returncode == 0, f"{readme}: {example}\n{proc.stderr[-2000:]}"
    elif kind == "python":
        if any(phrase in example for phrase in PYTHON_NOT_RUN):
            return
        proc = subprocess.run([sys.executable, "-c", example], cwd=scratch, env=environment(), capture_output=True,
                              text=True, timeout=600)
        assert proc.returncode == 0, f"{readme}:\n{example}\n{proc.stderr[-2000:]}"
    else:
        text = example if re.search(r"^name:", example, re.M) else "name: readme_example\n" + example
        if not re.search(r"^extends:", text, re.M) and not re.search(r"^jump_off:", text, re.M):
            text = "extends: baseline\n" + text
        path = scratch / "example.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            load_scenario(path)
        except InputError as error:
            raise AssertionError(f"{readme}: a YAML example is not a valid scenario:\n{example}\n{error}") from None
