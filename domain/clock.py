"""The office's clock, alone in its module: the register and the archive read it as `clock.now()`, so a test sets
the time for all of them at once."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The instant of an action; the register turns it into the office's date and year."""
    return datetime.now(UTC)
