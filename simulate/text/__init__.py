"""Words and numbers people read, in English and Japanese (foundation: uses nothing above it)."""
