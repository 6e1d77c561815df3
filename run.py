#!/usr/bin/env python3
"""Quiet Crisis Simulator command line; see ``python run.py --help``."""

import sys

from simulate.cli import main

if __name__ == "__main__":
    sys.exit(main())
