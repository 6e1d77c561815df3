#!/usr/bin/env python3
"""Quiet Crisis Simulator command line; see ``python run.py --help``."""

import sys

if __name__ == "__main__":
    try:
        from simulate.__main__ import main
    except KeyboardInterrupt:  # Ctrl-C while the package itself loads
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    sys.exit(main())
