#!/usr/bin/env python3
"""Quiet Crisis Simulator command line; see ``python run.py --help``."""

import sys

if __name__ == "__main__":
    from simulate.__main__ import main

    sys.exit(main())
