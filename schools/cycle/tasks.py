"""Background work of the yearly cycle: beat wakes ``tick`` every few minutes."""

from __future__ import annotations

from celery import shared_task


@shared_task
def tick() -> int:
    """Do what the cycle has due now; returns how many effects were made."""
    from schools.cycle.engine import tick as run_due

    return len(run_due())
