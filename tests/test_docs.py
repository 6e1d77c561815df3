"""The documentation: READMEs that start people in a minute (both languages, under 300 lines, the two
commands first, three next steps and a picture) and a site built from docs/ with MkDocs, offline and
strict, so that a broken link, a missing anchor or a page left out of the navigation fails."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT

READMES = ("README.md", "README.ja.md")


@pytest.mark.parametrize("readme", READMES)
def test_the_readme_starts_people_in_a_minute(readme):
    text = (ROOT / readme).read_text(encoding="utf-8")
    lines = text.splitlines()
    assert len(lines) < 300
    first_block = next(i for i, line in enumerate(lines) if line.startswith("```bash"))
    assert first_block < 60 and "python run.py" in lines[first_block + 2] and "python -m pytest" in text
    for step in ("python run.py explore", "python run.py compare", "python run.py backcast"):
        assert step in text, f"{readme} does not show {step}"
    assert re.search(r"!\[[^\]]+\]\(docs/explorer_(en|ja)\.png\)", text)


@pytest.mark.parametrize("readme", READMES)
def test_every_link_of_the_readmes_leads_to_a_file(readme):
    text = (ROOT / readme).read_text(encoding="utf-8")
    targets = [t.split("#")[0] for t in re.findall(r"\]\(([^)\s]+)\)", text) if not t.startswith("http")]
    assert targets and all((ROOT / target).exists() for target in targets), [t for t in targets if not (ROOT / t).exists()]


def test_the_site_builds_offline_with_every_link_checked(tmp_path):
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    pages = {p.relative_to(ROOT / "docs").with_suffix(".html") for p in (ROOT / "docs").rglob("*.md")}
    assert pages and all((tmp_path / "site" / page).is_file() for page in pages)


def test_a_broken_link_fails_the_build(tmp_path):
    """The check the site's build makes is real: a copy of docs/ with one link broken is refused."""
    import shutil
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    page = tmp_path / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[gone](no-such-page.md)\n", encoding="utf-8")
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                           cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert built.returncode != 0 and "no-such-page.md" in built.stderr
