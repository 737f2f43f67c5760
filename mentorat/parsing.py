"""Reading ids and numbers from URLs and forms without ever raising."""

from __future__ import annotations


def as_id(value) -> int | None:
    """A positive database id from text, or None: ASCII digits only (« ² » passes str.isdigit()
    but not int()), and short enough for a 64-bit column."""
    text = "" if value is None else str(value).strip()
    if not text or len(text) > 18 or not (text.isascii() and text.isdigit()):
        return None
    return int(text)
