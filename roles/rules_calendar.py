"""Access rules of the calendars (events, invitations, feeds), merged into roles.access.RULES."""

from __future__ import annotations

RULES: dict = {}
