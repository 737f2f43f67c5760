"""Access rules of the surveys area, merged into roles.access.RULES (the one access module)."""

from __future__ import annotations

from roles.models import Role  # noqa: F401

RULES: dict = {}
