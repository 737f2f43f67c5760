"""The cycle's e-mails: template pairs whose JSON context carries dates as ISO text, made dates again to render."""

from __future__ import annotations

import datetime

from mentorat import outbox
from mentorat.emails import build_templated

KINDS = [
    "cycle-nominations-open",
    "cycle-nominations-closing",
    "cycle-opinions-pending",
    "cycle-nominations-closed",
    "cycle-decisions-reminder",
    "cycle-event-reminder",
    "cycle-half-day-plan",
    "cycle-renewal",
]
MOMENTS = {"opens_at", "closes_at", "starts_at"}
DAYS = {"decided_by", "from", "until"}


def _context(context: dict) -> dict:
    parsed = dict(context)
    for key, value in context.items():
        if value and key in MOMENTS:
            parsed[key] = datetime.datetime.fromisoformat(value)
        elif value and key in DAYS:
            parsed[key] = datetime.date.fromisoformat(value)
    return parsed


def build(row):
    return build_templated(row.kind, row.to, _context(row.context), row.language or None)


def register() -> None:
    for kind in KINDS:
        outbox.register(kind, build)
