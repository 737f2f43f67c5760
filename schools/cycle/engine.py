"""The yearly cycle's engine: beat only wakes it; what is due is read from the database.

A **step** is a named piece of the cycle (open the nomination window, remind two
days before it closes, roll the year over…). Each step says, for a year and a
moment, which of its occurrences are due (``due``), and does one occurrence
(``run``), returning a summary for the cycle page. ``tick`` runs every due
occurrence of every step of the years in play, each in its own transaction
with its ``CycleEffect`` row: a doubled, late or missed tick changes nothing,
and a step that fails is retried at the next tick without stopping the others.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from schools.cycle.models import CycleEffect, Lease
from schools.models import SchoolYear

logger = logging.getLogger(__name__)

Summary = dict


@dataclass(frozen=True)
class Step:
    key: str  # "nominations-open"
    label: Callable[[], str]  # lazy French label for the cycle page
    milestone: str  # the milestones.Kind it belongs to, for the cycle page
    # (year, now) -> occurrences due at ``now`` ("" for a step that happens once a year)
    due: Callable[[SchoolYear, datetime.datetime], list[str]]
    # (year, occurrence) -> summary of what it did ({"emails": 41})
    run: Callable[[SchoolYear, str], Summary]


STEPS: dict[str, Step] = {}


def step(key: str, label, milestone: str):
    """Register a step: decorate its ``run`` function, give ``due`` with ``.due``."""

    def decorator(run):
        def register_due(due):
            STEPS[key] = Step(key=key, label=label, milestone=milestone, due=due, run=run)
            return due

        run.due = register_due
        return run

    return decorator


def years_in_play(now: datetime.datetime) -> list[SchoolYear]:
    """The years whose steps may be due: the current one and its neighbours."""
    today = timezone.localdate(now)
    around = SchoolYear.objects.filter(
        starts_on__lte=today + datetime.timedelta(days=400), ends_on__gte=today - datetime.timedelta(days=400)
    )
    return list(around.order_by("starts_on"))


def run_once(step: Step, year: SchoolYear, occurrence: str, by=None) -> CycleEffect | None:
    """Do one occurrence of a step and record it, in one transaction; None when it was already done."""
    if CycleEffect.objects.filter(year=year, step=step.key, occurrence=occurrence).exists():
        return None
    try:
        with transaction.atomic():
            # The row first: a second worker doing the same waits on it, then fails the constraint.
            effect = CycleEffect.objects.create(year=year, step=step.key, occurrence=occurrence, done_by=by)
            effect.summary = step.run(year, occurrence) or {}
            effect.save(update_fields=["summary"])
    except IntegrityError:
        return None
    logger.info("cycle: %s %s %s done: %s", year, step.key, occurrence, effect.summary)
    return effect


def tick(now: datetime.datetime | None = None) -> list[CycleEffect]:
    """Do everything due at ``now``; returns the effects made by this call."""
    now = now or timezone.now()
    done = []
    for year in years_in_play(now):
        for step in STEPS.values():
            try:
                occurrences = step.due(year, now)
                for occurrence in occurrences:
                    effect = run_once(step, year, occurrence)
                    if effect is not None:
                        done.append(effect)
            except Exception:  # one broken step must not stop the others; the next tick retries it
                logger.exception("cycle: step %s of %s failed", step.key, year)
    return done


def run_step(*, year: SchoolYear, key: str, by, now: datetime.datetime | None = None) -> list[CycleEffect]:
    """HR's « lancer maintenant » on the cycle page: do the due occurrences of one step now."""
    step = STEPS[key]
    now = now or timezone.now()
    return [effect for occurrence in step.due(year, now) if (effect := run_once(step, year, occurrence, by=by))]


@contextlib.contextmanager
def lease(name: str = "cycle-tick", seconds: int = 10 * 60) -> Iterator[bool]:
    """Hold the named lease while the block runs; yields False (and does nothing) when someone else holds it.

    The unique constraint of CycleEffect already makes each effect once; the lease
    keeps two ticks at once (two beats, a slow tick overtaken by the next) from
    doing the same work side by side and failing on the constraint.
    """
    holder = uuid.uuid4().hex
    now = timezone.now()
    Lease.objects.get_or_create(name=name, defaults={"held_until": now - datetime.timedelta(seconds=1)})
    taken = Lease.objects.filter(name=name, held_until__lte=now).update(
        held_until=now + datetime.timedelta(seconds=seconds), holder=holder
    )
    try:
        yield bool(taken)
    finally:
        if taken:
            Lease.objects.filter(name=name, holder=holder).update(held_until=timezone.now(), holder="")
