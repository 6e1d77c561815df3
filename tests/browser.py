"""Headless Chromium (Debian's package) for the report tests, and a font setup without any
Chinese, Japanese or Korean font, as on a fresh Linux desktop or in Docker."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CJK_LANGUAGES = ("ja", "zh-cn", "zh-tw", "ko")
#: The project folder (``run.py`` is there).
ROOT = Path(__file__).resolve().parents[1]


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


def free_port() -> int:
    """A TCP port nobody listens on, on this computer."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serving(root: Path, env: dict | None = None) -> tuple[int, subprocess.Popen]:
    """``python run.py explore`` (in ``root``) on a free port, once it listens."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "run.py", "explore", "--no-browser", "--port", str(port)], cwd=root,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return port, process
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, process.communicate()
            time.sleep(0.1)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``python run.py explore`` on a free port, with fontconfig seeing no Japanese font: (address,
    process, environment), for a test module that imports it."""
    env = no_cjk_fonts(tmp_path_factory.mktemp("fonts")) | {"OPENBLAS_NUM_THREADS": "1"}
    port, process = serving(ROOT, env)
    yield f"http://127.0.0.1:{port}", process, env
    if process.poll() is None:
        process.terminate()
        process.wait(20)


@pytest.fixture(scope="module")
def chromium(server):
    """Debian's chromium under Playwright, with the server's fonts."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], env=server[2])
        yield launched
        launched.close()
