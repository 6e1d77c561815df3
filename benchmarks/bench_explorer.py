"""Explorer benchmark: start-up to the first chart, a slider move to the charts redrawn (both in
headless Chromium, Debian's package, driven by Playwright), and 20 concurrent sessions moving
sliders.  Prints medians; the machines are shared, so run it more than once before quoting.

    python benchmarks/bench_explorer.py [--repeats 3] [--moves 20] [--sessions 20] [--requests 25] [--record]

Goals (issue 26): slider move to redrawn charts <= 150 ms; start-up to first chart <= 3 s;
20 sessions without an error, with the latency they see reported.
"""

from __future__ import annotations

import argparse
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from record import emit  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "run.py", "explore", "--no-browser", "--port", str(port), "--quiet"],
                            cwd=ROOT, env={**__import__("os").environ, "OPENBLAS_NUM_THREADS": "1"})


def wait_listening(port: int, process: subprocess.Popen) -> None:
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if process.poll() is not None:
                raise SystemExit("the explorer did not start")
            time.sleep(0.02)


def startup(browser, repeats: int) -> list[float]:
    """Seconds from launching ``run.py explore`` to the first chart drawn in the page."""
    found = []
    for _ in range(repeats):
        port = free_port()
        began = time.perf_counter()
        process = start(port)
        try:
            wait_listening(port, process)
            page = browser.new_page(viewport={"width": 1400, "height": 1600})
            page.goto(f"http://127.0.0.1:{port}/?s=current&lang=ja")
            page.wait_for_function("Number(document.body.dataset.ready) >= 1", timeout=60_000)
            found.append(time.perf_counter() - began)
            page.close()
        finally:
            process.terminate()
            process.wait(20)
    return found


def slider_moves(browser, port: int, moves: int) -> list[float]:
    """Milliseconds from a slider's input event to the frame after every chart was redrawn."""
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    page.goto(f"http://127.0.0.1:{port}/?s=current&lang=en")
    page.wait_for_function("Number(document.body.dataset.ready) >= 1", timeout=60_000)
    page.focus('[data-lever="migration.net"]')
    for i in range(moves):
        page.keyboard.press("ArrowRight" if i % 4 != 3 else "ArrowLeft")
        page.wait_for_function(f"Number(document.body.dataset.ready) >= {i + 2}", timeout=30_000)
    timings = page.evaluate("window.explorerTimings")[1:]
    page.close()
    return timings


def sessions(port: int, count: int, requests: int) -> tuple[list[float], int]:
    """``count`` clients, each asking ``requests`` views with random lever settings, all at once:
    the latencies (ms) they saw and the number of errors."""
    latencies, errors, lock = [], [0], threading.Lock()

    def session(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            for _ in range(requests):
                params = {"s": "current", "y": str(rng.randint(2028, 2050)),
                          "migration.net": str(rng.randrange(0, 800_000, 10_000)),
                          "fertility.tfr": f"{rng.uniform(0.9, 2.0):.2f}",
                          "labour.seniors.rate": f"{rng.uniform(40, 80):.1f}"}
                began = time.perf_counter()
                answer = client.get("/api/view", params=params)
                with lock:
                    latencies.append(1000 * (time.perf_counter() - began))
                    errors[0] += answer.status_code != 200
    threads = [threading.Thread(target=session, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25)
    parser.add_argument("--record", action="store_true", help="also keep the figures in benchmarks/results/")
    args = parser.parse_args()
    if CHROMIUM is None:
        raise SystemExit("needs Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        up = startup(browser, args.repeats)
        port = free_port()
        process = start(port)
        try:
            wait_listening(port, process)
            moves = sorted(slider_moves(browser, port, args.moves))
            latencies, errors = sessions(port, args.sessions, args.requests)
            latencies.sort()
        finally:
            process.terminate()
            process.wait(20)
        browser.close()
    emit(__file__, {
        "startup_to_first_chart_s": round(statistics.median(up), 2),
        "startups": len(up),
        "slider_to_redrawn_ms": round(statistics.median(moves)),
        "slider_to_redrawn_p90_ms": round(moves[int(0.9 * (len(moves) - 1))]),
        "slider_moves": len(moves),
        "sessions": args.sessions,
        "requests_per_session": args.requests,
        "session_errors": errors,
        "session_latency_ms": round(statistics.median(latencies)),
        "session_latency_p90_ms": round(latencies[int(0.9 * (len(latencies) - 1))]),
        "session_latency_max_ms": round(latencies[-1]),
        "targets": {"startup_to_first_chart_s": 3.0, "slider_to_redrawn_ms": 150, "session_errors": 0},
    })


if __name__ == "__main__":
    main()
