"""The mutation check (``scripts/mutation_check.py``): every mutant still applies, and the tests kill
every one (the slow case runs the whole check, as CI does)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "mutation_check.py"


def load_script():
    spec = importlib.util.spec_from_file_location("mutation_check", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


mutation = load_script()


def test_every_mutant_still_applies_to_the_code():
    """A refactor that moves or rewrites a mutated expression fails here, not silently later."""
    assert mutation.check(mutation.MUTANTS) == []
    assert len({m.name for m in mutation.MUTANTS}) == len(mutation.MUTANTS)


def test_mutants_are_found_by_syntax_not_by_text():
    source = "def f(x):\n    y = 2 * (x  +  1)  # comment\n    return y\n\ndef g(x):\n    return x + 1\n"
    mutant = mutation.Mutant("m", "f.py", "f", "x + 1", "x + 2", ())
    assert "y = 2 * (x + 2)" in mutation.mutate(source, mutant)
    assert "return x + 1" in mutation.mutate(source, mutant)  # g is another scope


@pytest.mark.parametrize("where,find,problem", [
    ("f", "x + 3", "occurs 0 times"), ("h", "x + 1", "0 definitions"), ("<module>", "x + 1", "occurs 2 times")])
def test_a_mutant_that_no_longer_applies_is_an_error(where, find, problem):
    source = "def f(x):\n    return x + 1\n\ndef g(x):\n    return x + 1\n"
    with pytest.raises(mutation.Stale, match=problem):
        mutation.mutate(source, mutation.Mutant("m", "f.py", where, find, "x", ()))


def test_positions_are_utf8_columns_and_statements_keep_their_indent():
    source = "def f(x):\n    s = 'ä' ; y = x * 2\n    return y\n"
    out = mutation.mutate(source, mutation.Mutant("m", "f.py", "f", "x * 2", "x * 3", ()))
    assert "s = 'ä' ; y = x * 3" in out
    out = mutation.mutate(source, mutation.Mutant("m", "f.py", "f", "return y", "y += 1\nreturn y", ()))
    assert "    y += 1\n    return y\n" in out


@pytest.mark.slow
def test_every_mutant_is_killed(tmp_path):
    """The whole check (about two minutes on two workers); its score is the README's."""
    score = tmp_path / "score.json"
    proc = subprocess.run([sys.executable, str(SCRIPT), "--json", str(score)], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    found = json.loads(score.read_text(encoding="utf-8"))
    assert found["killed"] == found["mutants"] == len(mutation.MUTANTS) and not found["survived"]
    recorded = json.loads((ROOT / "scripts" / "figures" / "mutation.json").read_text(encoding="utf-8"))
    assert recorded == found, "scripts/figures/mutation.json is stale: python scripts/mutation_check.py --json it"
