"""``python -m simulate`` and the ``quiet-crisis`` command: start the command line, exiting 130
(not a traceback) if Ctrl-C arrives while the libraries are still loading."""

from __future__ import annotations

import sys


def main() -> int:
    try:
        from simulate.cli import main as command_line
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return command_line()


if __name__ == "__main__":
    sys.exit(main())
