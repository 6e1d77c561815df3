"""The explorer's web application (Starlette): one page, its static files, and a small JSON API
whose every answer comes from :mod:`simulate.api.explore` (no model code here).

Requests are GETs whose query string is the page's state (``s``: scenario, ``y``: the year dials
reach, ``lang``, and one dotted dial key per moved dial), so a link reproduces a view and a download
is a plain link.  Safety: only the host names the server was started for are served (a page on
another site cannot read it through DNS rebinding), and no path is redirected; the page can name
only the shipped scenarios and the one given on the command line (a user's file named like a
shipped scenario is named apart); query strings are bounded (:data:`MAX_QUERY`), bodies refused
before they are read; refusals name files, never the server's folders; at most :data:`COMPUTE`
computations run at once and at most :data:`QUEUE` wait (more get "busy", 503); odds jobs run one at
a time in the background, at most :data:`ODDS_QUEUE` waiting.  Once the server is told to stop,
requests still waiting are answered "stopping" (503) at once, so the stop never cuts one off.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import anyio
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from simulate import api
from simulate.names import short_name
from simulate.api import explore
from simulate.errors import InputError, SimulatorError
from simulate.explorer.words import page_words, font_bytes
from simulate.text.messages import t, use
from simulate.text.numbers import LANGUAGES

HERE = Path(__file__).parent
#: Longest query string accepted (bytes): a full state is about 400.
MAX_QUERY = 4096
#: Computations at once (this machine's two cores), and how many may wait for one.
COMPUTE, QUEUE = 2, 64
#: Odds jobs waiting at most, and how long a finished one is kept (s).
ODDS_QUEUE, ODDS_KEPT_S = 8, 600
#: Query keys that are not dials.
STATE_KEYS = {"s", "y", "lang", "cs", "cy", "lever", "target", "job"}
COMPARE_PREFIX = "c."
#: Host names served by default (this computer); :func:`make_app` takes others.
LOCAL_HOSTS = ("127.0.0.1", "localhost")
#: Ends the page's name of a user's file named like a shipped scenario, so both can be chosen.
OWN_SUFFIX = "_file"
#: A folder path in a message (``/home/me/plans/``), taken out so that only the file's name is shown.
FOLDERS = re.compile(r"(?<![\w.])(?:/[^\s/:'\",]+)+/(?=[^\s/])")


class Busy(Exception):
    """More requests wait than :data:`QUEUE` allows."""


class Stopping(Exception):
    """The server was told to stop: waiting requests are answered at once, not computed."""


def without_folders(text: str) -> str:
    """``text`` with every absolute folder path taken out (``/home/me/plan.yaml`` -> ``plan.yaml``)."""
    return FOLDERS.sub("", text)


@dataclass
class Job:
    """One odds computation: ``done`` of ``total`` chunks, then ``result`` or ``error``."""

    done: int = 0
    total: int = 0
    result: dict | None = None
    error: str | None = None
    finished: float | None = None


@dataclass
class Explorer:
    """The state of one server: the scenario it was started on, its language, and the queues."""

    scenario: str
    lang: str = "en"
    given: str | None = None
    limiter: anyio.CapacityLimiter = field(default_factory=lambda: anyio.CapacityLimiter(COMPUTE))
    waiting: int = 0
    jobs: dict[str, Job] = field(default_factory=dict)
    pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="odds"))
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: bool = False

    def __post_init__(self) -> None:
        if self.given is not None and self.scenario in api.shipped_names():  # a user's file named like a shipped one
            self.scenario = short_name(self.scenario + OWN_SUFFIX)

    def scenarios(self) -> list[str]:
        """What the page may name: the shipped scenarios and the one the server was started on."""
        return sorted(set(api.shipped_names()) | {self.scenario})

    def source(self, name: str) -> str:
        """The scenario argument for ``name`` (for the started scenario: what it was given as)."""
        if name not in self.scenarios():
            raise InputError(t("override: s: {value} is not one of {choices}", value=name[:40],
                               choices=", ".join(self.scenarios())))
        return self.given if self.given is not None and name == self.scenario else name


def _state(request: Request, prefix: str = "") -> tuple[dict[str, str], str]:
    """Moved dials (dotted key -> typed text) and the year, from the query string."""
    query = request.query_params
    settings = {k[len(prefix):]: v for k, v in query.multi_items()
                if k.startswith(prefix) and k[len(prefix):] not in STATE_KEYS and (prefix or not k.startswith(
                    COMPARE_PREFIX))}
    return settings, query.get("cy" if prefix else "y", "")  # none: at once, as --set KEY=VALUE


def _lang(request: Request, explorer: Explorer) -> str:
    lang = request.query_params.get("lang", explorer.lang)
    return lang if lang in LANGUAGES else explorer.lang


async def _compute(explorer: Explorer, lang: str, function: Callable, *args: Any) -> Any:
    """``function(*args)`` in a worker thread, saying messages in ``lang``; at most :data:`COMPUTE`
    at once, :class:`Busy` when :data:`QUEUE` already wait."""
    if explorer.waiting >= QUEUE:
        raise Busy
    if explorer.stopping:
        raise Stopping
    explorer.waiting += 1
    try:
        def call() -> Any:
            if explorer.stopping:  # waited while the server was told to stop: answered now, not computed
                raise Stopping
            use(lang)
            return function(*args)
        return await anyio.to_thread.run_sync(call, limiter=explorer.limiter)
    finally:
        explorer.waiting -= 1


def _refusal(error: Exception, lang: str) -> JSONResponse:
    if isinstance(error, Busy):
        return JSONResponse({"error": t("the explorer is busy; try again in a moment", lang)}, status_code=503)
    if isinstance(error, Stopping):
        return JSONResponse({"error": t("the explorer is stopping", lang)}, status_code=503,
                            headers={"Connection": "close"})
    said = without_folders(str(error))
    return JSONResponse({"error": said, "key": explore.dial_of(said)}, status_code=400)


def make_app(scenario: str = "current", lang: str = "en", given: str | None = None,
             hosts: tuple[str, ...] = LOCAL_HOSTS) -> Starlette:
    """The application for ``scenario`` (its name; ``given``: what the library loads it from when
    that is not the name, e.g. a file's path), answering requests for the host names ``hosts`` only.
    ``app.state.explorer`` is its :class:`Explorer` (the server sets ``stopping`` on it)."""
    explorer = Explorer(scenario, lang, given)
    templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))

    async def page(request: Request) -> Response:
        chosen = _lang(request, explorer)
        name = request.query_params.get("s", explorer.scenario)
        if name not in explorer.scenarios():
            name = explorer.scenario
        words = page_words(chosen, explorer.scenarios())
        html = templates.get_template("index.html").render(words=words, lang=chosen, scenario=name,
                                                           words_json=json.dumps(words["js"], ensure_ascii=False).replace("<", "\\u003c"))
        return Response(html, media_type="text/html; charset=utf-8")

    async def font(request: Request) -> Response:
        return Response(font_bytes(), media_type="font/woff", headers={"Cache-Control": "max-age=86400"})

    def refusing(handler: Callable) -> Callable:
        """``handler`` with bad input and a full queue answered as refusals (400, 503) in the page's language."""
        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except (SimulatorError, Busy, Stopping) as error:
                return _refusal(error, _lang(request, explorer))
        return handle

    def asked(request: Request, prefix: str = "") -> tuple[str, str, dict[str, str], str]:
        """The scenario's name and library source, the moved dials and the year of the query."""
        name = request.query_params.get("cs" if prefix else "s", explorer.scenario)
        return (name, explorer.source(name), *_state(request, prefix))

    @refusing
    async def view(request: Request) -> Response:
        chosen = _lang(request, explorer)
        name, *state = asked(request)
        found = await _compute(explorer, chosen, explore.view, *state, chosen)
        found["scenario"] = name  # the page's name for it (a user's file may be named apart)
        if request.query_params.get("cs"):
            _, *state = asked(request, COMPARE_PREFIX)
            found["compare"] = await _compute(explorer, chosen, explore.view, *state, chosen)
        return JSONResponse(found)

    @refusing
    async def backcast(request: Request) -> Response:
        chosen, query = _lang(request, explorer), request.query_params
        _, *state = asked(request)
        return JSONResponse(await _compute(explorer, chosen, explore.what_it_takes, *state, query.get("lever", ""),
                                           query.get("target", ""), chosen))

    def attachment(body: Any, filename: str, media: str) -> Response:
        return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    def named_yaml(source: str, settings: dict, year: str, name: str) -> tuple[str, str]:
        """The file's name (the page's name for the scenario, the dials and a hash) and its text."""
        own = explore.download_name(source, settings, year, name)
        return own, explore.scenario_yaml(source, settings, year, own)

    @refusing
    async def scenario_file(request: Request) -> Response:
        chosen = _lang(request, explorer)
        name, *state = asked(request)
        own, text = await _compute(explorer, chosen, named_yaml, *state, name)
        return attachment(text, f"{own}.yaml", "application/x-yaml; charset=utf-8")

    @refusing
    async def report(request: Request) -> Response:
        chosen = _lang(request, explorer)
        name, *state = asked(request)
        body = await _compute(explorer, chosen, explore.report_html, *state, chosen)
        return attachment(body, f"{name}_report.html", "text/html; charset=utf-8")

    def forget_old_jobs() -> None:
        now = time.monotonic()
        for key, job in list(explorer.jobs.items()):
            if job.finished is not None and now - job.finished > ODDS_KEPT_S:
                del explorer.jobs[key]

    @refusing
    async def odds_start(request: Request) -> Response:
        chosen = _lang(request, explorer)
        _, source, settings, year = asked(request)
        explore.parse_settings(settings)  # a bad value is refused now, not found by the job later
        with explorer.lock:
            forget_old_jobs()
            if sum(job.finished is None for job in explorer.jobs.values()) >= ODDS_QUEUE:
                raise Busy
            key, job = secrets.token_hex(8), Job()
            explorer.jobs[key] = job

        def follow(items, desc=None):
            job.total = len(items)
            for item in items:
                yield item
                job.done += 1

        def work() -> None:
            use(chosen)
            try:
                job.result = explore.odds(source, settings, year, progress=follow, lang=chosen)
                job.done = job.total  # the last chunk is counted when the loop ends, which zip never asks for
            except SimulatorError as error:
                job.error = without_folders(str(error))
            finally:
                job.finished = time.monotonic()
        explorer.pool.submit(work)
        return JSONResponse({"job": key})

    async def odds_state(request: Request) -> Response:
        job = explorer.jobs.get(request.path_params["job"])
        if job is None:
            return JSONResponse({"error": t("no such odds job", _lang(request, explorer))}, status_code=404)
        return JSONResponse({"done": job.done, "total": job.total, "finished": job.finished is not None,
                             "result": job.result, "error": job.error})

    @contextlib.asynccontextmanager
    async def stop(app: Starlette):
        yield
        explorer.pool.shutdown(wait=False, cancel_futures=True)

    routes = [Route("/", page), Route("/font.woff", font), Route("/api/view", view), Route("/api/backcast", backcast),
              Route("/api/odds", odds_start), Route("/api/odds/{job}", odds_state),
              Route("/download/scenario.yaml", scenario_file), Route("/download/report.html", report),
              Mount("/static", StaticFiles(directory=HERE / "static"), name="static")]
    app = Starlette(routes=routes, middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts),
                                                          www_redirect=False), Middleware(Bounded)], lifespan=stop)
    app.router.redirect_slashes = False  # a redirect is built from the Host header: none is ever sent
    app.state.explorer = explorer
    return app


class Bounded:
    """ASGI middleware: GET and HEAD only, query strings up to :data:`MAX_QUERY` bytes, no body
    (a request that announces one is refused from its headers, before any of it is read, and its
    connection closed)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            refusal = None
            if scope["method"] not in ("GET", "HEAD"):
                refusal = (405, t("only GET requests are accepted"))
            elif len(scope.get("query_string", b"")) > MAX_QUERY:
                refusal = (414, t("the query string is longer than {limit} bytes", limit=MAX_QUERY))
            elif _has_body(scope.get("headers", [])):
                refusal = (400, t("requests to the explorer carry no body"))
            if refusal is not None:
                await PlainTextResponse(refusal[1], status_code=refusal[0],
                                        headers={"Connection": "close"})(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _has_body(headers: list[tuple[bytes, bytes]]) -> bool:
    """True if the request's headers announce a body (a length other than 0, or any transfer coding)."""
    for key, value in headers:
        key = key.lower()
        if key == b"transfer-encoding" or (key == b"content-length" and value.strip() not in (b"0", b"")):
            return True
    return False
