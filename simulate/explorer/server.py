"""Serving the explorer: uvicorn on 127.0.0.1 by default; Ctrl-C and SIGTERM stop it cleanly
(uvicorn finishes the requests under way, those still waiting are answered "stopping", the odds
queue is dropped).

A real server's manners: a connection must send a whole request's headers within
:data:`HEADER_TIMEOUT_S` of opening (or of its last answer), however slowly it trickles them, and
an idle keep-alive connection is closed after :data:`KEEP_ALIVE_S`; so clients that hold
connections open cannot fill the :data:`CONNECTIONS` a browser needs.  Only the host names the
server was started for are answered (:func:`host_names`).  The server's log says one line per
problem, never a traceback.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import threading
import time
import webbrowser
from typing import Callable

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from simulate.explorer.app import LOCAL_HOSTS, make_app
from simulate.explorer.words import font_bytes

#: Where the explorer listens unless told otherwise.
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8050
#: Seconds a connection has to send a whole request's headers; seconds an idle one is kept.
HEADER_TIMEOUT_S, KEEP_ALIVE_S = 10.0, 5.0
#: Open connections at most (a browser opens about 6; beyond this, new ones are answered 503).
CONNECTIONS = 1000
#: Seconds the requests under way get to finish once the server is told to stop.
STOP_GRACE_S = 30


class Guarded(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a deadline for each request's headers: trickled bytes do not
    extend it (uvicorn's own keep-alive timer is reset by every byte)."""

    deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self.deadline = self.loop.call_later(HEADER_TIMEOUT_S, self._too_slow)

    def _disarm(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None

    def _too_slow(self) -> None:
        self.deadline = None
        if (self.cycle is None or self.cycle.response_complete) and not self.transport.is_closing():
            self.transport.close()  # no request under way: nothing is cut off

    def handle_events(self) -> None:
        before = self.cycle
        super().handle_events()
        if self.cycle is not before:  # a request's headers arrived: it is being answered
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)


class OneLine(logging.Filter):
    """The server's log without tracebacks: a problem is one line (its first)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            kind = record.exc_info[0].__name__ if record.exc_info[0] else ""
            record.msg = f"{str(record.getMessage()).strip().splitlines()[0]} ({kind})"
            record.args, record.exc_info, record.exc_text = (), None, None
        return True


def host_names(host: str) -> tuple[str, ...]:
    """The Host header values answered when listening on ``host``: this computer's own names, and
    for every address (``0.0.0.0``, a classroom) also its host name, full name and addresses."""
    names = set(LOCAL_HOSTS) | {host}
    if host in ("0.0.0.0", "::"):
        own = socket.gethostname()
        names |= {own, socket.getfqdn()}
        try:
            names |= {info[4][0] for info in socket.getaddrinfo(own, None)}
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:  # the address others reach (no packet sent)
                probe.connect(("10.255.255.255", 1))
                names.add(probe.getsockname()[0])
        except OSError:
            pass
    return tuple(sorted(n for n in names if n and n not in ("0.0.0.0", "::")))


class Server(uvicorn.Server):
    """uvicorn's server that tells the explorer when it is asked to stop, so that waiting requests
    are answered at once instead of being cancelled."""

    def __init__(self, config: uvicorn.Config, explorer) -> None:
        super().__init__(config)
        self.explorer = explorer

    def handle_exit(self, sig, frame) -> None:
        self.explorer.stopping = True
        super().handle_exit(sig, frame)


def serve(scenario: str, given: str | None = None, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          lang: str = "en", open_browser: bool = True, started: Callable[[str], None] | None = None,
          allowed: tuple[str, ...] = ()) -> None:
    """Run the explorer on ``scenario`` (its name; ``given``: what the library loads it from, if not
    the name: a file's path or a what-if) until Ctrl-C or SIGTERM; ``started(address)`` is called once
    it listens (the command line prints the address), and the browser opens there unless told not to.
    Requests for host names other than :func:`host_names` and ``allowed`` are refused (400)."""
    font_bytes()  # the Japanese subset, made once before the first page asks for it
    app = make_app(scenario, lang, given, hosts=host_names(host) + tuple(allowed))
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, http=Guarded,
                            timeout_graceful_shutdown=STOP_GRACE_S, limit_concurrency=CONNECTIONS,
                            timeout_keep_alive=KEEP_ALIVE_S)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.asgi", "asyncio"):
        logging.getLogger(name).addFilter(OneLine())
    server = Server(config, app.state.explorer)
    scenario = app.state.explorer.scenario  # the page's name (a user's file named like a shipped one is named apart)
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
