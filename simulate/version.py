"""The package's version (foundation: every writer records it; ``simulate.__version__`` re-exports it)."""

__version__ = "0.1.0"
