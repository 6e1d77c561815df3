"""Headless Chromium (Debian's package) for the report tests, and a font setup without any
Chinese, Japanese or Korean font, as on a fresh Linux desktop or in Docker."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CJK_LANGUAGES = ("ja", "zh-cn", "zh-tw", "ko")


def _font_files(pattern: str, env: dict | None = None) -> set[str]:
    out = subprocess.run(["fc-list", "--format", "%{file}\n", pattern], capture_output=True, text=True,
                         env=env, check=True).stdout
    return {line for line in out.splitlines() if line}


def no_cjk_fonts(folder: Path) -> dict:
    """An environment whose fontconfig sees every system font except those covering Chinese,
    Japanese or Korean (links in ``folder``); checked with ``fc-list`` before it is returned."""
    cjk = set().union(*(_font_files(f":lang={lang}") for lang in CJK_LANGUAGES))
    fonts = folder / "fonts"
    fonts.mkdir(parents=True)
    for i, file in enumerate(sorted(_font_files(":") - cjk)):
        (fonts / f"{i}-{Path(file).name}").symlink_to(file)
    config = folder / "fonts.conf"
    config.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                      f"<dir>{fonts}</dir><cachedir>{folder / 'cache'}</cachedir></fontconfig>", encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    assert not any(_font_files(f":lang={lang}", env) for lang in CJK_LANGUAGES), "a CJK font is still visible"
    assert _font_files(":", env), "no font left at all"
    return env


def dump_dom(page: Path, profile: Path, env: dict | None = None, budget_ms: int = 5000) -> subprocess.CompletedProcess:
    """Load ``page`` and print its DOM after ``budget_ms`` of virtual time, console messages on stderr."""
    return subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr",
                           "--v=0", f"--virtual-time-budget={budget_ms}", "--dump-dom", page.as_uri()],
                          capture_output=True, text=True, timeout=120, env=env)
