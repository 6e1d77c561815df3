"""The explore command: the scenario is checked through the API (a bad file gets its one-line
error and exit 2 before anything listens), then the explorer serves it in the browser."""

from __future__ import annotations

import argparse
import errno
import socket
from pathlib import Path

from simulate import api
from simulate.cli.show import say
from simulate.errors import InputError
from simulate.explorer.server import DEFAULT_HOST, DEFAULT_PORT, serve
from simulate.text.messages import t


def add_commands(sub, add_out) -> None:
    """Register explore."""
    explore = sub.add_parser("explore", help=t("open the explorer in the browser: move levers, watch 2030-2040 "
                                               "change at once"))
    explore.add_argument("scenario", nargs="?", default="current", metavar="SCENARIO",
                         help=t("scenario YAML file or shipped name (default: current)"))
    explore.add_argument("--port", type=int, default=DEFAULT_PORT,
                         help=t("port to listen on (default {port})", port=DEFAULT_PORT))
    explore.add_argument("--host", default=DEFAULT_HOST,
                         help=t("address to listen on (default {host}: this computer only; 0.0.0.0 for a classroom)",
                                host=DEFAULT_HOST))
    explore.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                         help=t("also answer requests addressed to this host name (repeatable; this computer's own "
                                "names are always answered)"))
    explore.add_argument("--no-browser", action="store_true", help=t("do not open a browser"))
    add_out(explore, argparse.SUPPRESS, out=False)
    explore.set_defaults(handler=cmd_explore)


def _check_port(host: str, port: int) -> None:
    """A one-line refusal when ``port`` is out of range or already taken on ``host``."""
    if not 1 <= port <= 65535:
        raise InputError(t("--port {port} is out of range: allowed 1 to 65535", port=port))
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            reason = t("it is in use; choose another with --port") if error.errno == errno.EADDRINUSE else error.strerror
            raise InputError(t("cannot listen on {host}:{port}: {reason}", host=host, port=port, reason=reason)) from None


def cmd_explore(args: argparse.Namespace) -> int:
    """Serve the explorer on SCENARIO until Ctrl-C or SIGTERM."""
    loaded = api.load(args.scenario)
    _check_port(args.host, args.port)
    # what the page names it by, and what the library is given for it (a file by its absolute path,
    # so that a downloaded scenario's 'extends:' finds it from anywhere)
    given = str(Path(args.scenario).resolve()) if Path(args.scenario).is_file() else args.scenario
    serve(loaded.scenario.name, given, args.host, args.port, args.lang, not args.no_browser,
          lambda address: say(args, t("explorer on {address} (Ctrl-C stops it)", address=address)),
          tuple(args.allow_host))
    say(args, t("explorer stopped"))
    return 0
