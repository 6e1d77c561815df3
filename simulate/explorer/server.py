"""Serving the explorer: uvicorn on 127.0.0.1 by default; Ctrl-C and SIGTERM stop it cleanly
(uvicorn finishes the requests under way, the odds queue is dropped)."""

from __future__ import annotations

import signal
import socket
import threading
import time
import webbrowser
from typing import Callable

import uvicorn

from simulate.explorer.app import make_app
from simulate.explorer.words import font_bytes

#: Where the explorer listens unless told otherwise.
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8050


def serve(scenario: str, given: str | None = None, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          lang: str = "en", open_browser: bool = True, started: Callable[[str], None] | None = None) -> None:
    """Run the explorer on ``scenario`` (its name; ``given``: what the library loads it from, if not
    the name: a file's path or a what-if) until Ctrl-C or SIGTERM; ``started(address)`` is called once
    it listens (the command line prints the address), and the browser opens there unless told not to."""
    font_bytes()  # the Japanese subset, made once before the first page asks for it
    config = uvicorn.Config(make_app(scenario, lang, given), host=host, port=port, log_level="warning",
                            access_log=False, timeout_graceful_shutdown=5, limit_concurrency=256)
    server = uvicorn.Server(config)
    shown = socket.gethostname() if host in ("0.0.0.0", "::") else host  # a classroom opens this machine's name
    address = f"http://{shown}:{port}/?s={scenario}&lang={lang}"

    def announce() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            if started is not None:
                started(address)
            if open_browser:
                webbrowser.open(address.replace(shown, "127.0.0.1", 1) if shown != host else address)
    threading.Thread(target=announce, daemon=True).start()
    # uvicorn answers Ctrl-C and SIGTERM by shutting down, then hands each signal on to the handler
    # that was there before: a quiet one here, so that a requested stop is a clean exit (status 0).
    previous = {number: signal.signal(number, lambda *_: None) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
