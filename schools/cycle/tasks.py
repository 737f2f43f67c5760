"""Background work of the yearly cycle: beat wakes ``tick`` every few minutes."""

from __future__ import annotations

from celery import shared_task


@shared_task
def tick() -> int:
    """Do what the cycle has due now; returns how many effects were made."""
    from schools.cycle import engine

    with engine.lease("cycle-tick") as held:
        if not held:  # another tick is running (a second beat, a slow tick): it does the work
            return 0
        return len(engine.tick())
