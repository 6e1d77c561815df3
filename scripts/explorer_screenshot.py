"""The README's screenshots of the explorer: on a desktop (``docs/explorer_en.png``,
``docs/explorer_ja.png``, the whole page, odds computed), on a phone (``docs/explorer_phone_*.png``,
390x844) and on a classroom projector (``docs/explorer_projector_*.png``, 1920x1080, compare mode):
``python run.py explore`` on a free port, opened in Debian's chromium (Playwright) with a few levers
moved, then captured.  Usage: ``python scripts/explorer_screenshot.py``."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
STATE = "s=current&y=2035&labour.seniors.rate=60&migration.net=300000&cs=current"
#: Screenshots: file stem -> (width, height, whole page, compute the odds).
SHOTS = {"explorer": (1400, 1000, True, True), "explorer_phone": (390, 844, False, False),
         "explorer_projector": (1920, 1080, False, False)}


def main() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "run.py", "explore", "--no-browser", "--quiet", "--port", str(port)],
                              cwd=ROOT, env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    try:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
            for (stem, (width, height, whole, odds)), lang in ((shot, lang) for shot in SHOTS.items() for lang in ("en", "ja")):
                page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
                page.goto(f"http://127.0.0.1:{port}/?{STATE}&lang={lang}")
                page.wait_for_function("Number(document.body.dataset.ready) >= 1", timeout=60_000)
                page.evaluate("document.fonts.load('16px IPAexGothic', '日本語English')")
                page.wait_for_function("document.fonts.status === 'loaded'", timeout=60_000)
                page.wait_for_timeout(500)
                if stem == "explorer_phone":  # below the levers: the headline numbers and the first charts
                    page.evaluate("document.getElementById('panels').scrollIntoView()")
                if odds:
                    page.click("#odds-start")
                    page.wait_for_function("document.body.dataset.odds === '1'", timeout=120_000)
                page.screenshot(path=str(ROOT / "docs" / f"{stem}_{lang}.png"), full_page=whole)
                page.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(20)


if __name__ == "__main__":
    main()
