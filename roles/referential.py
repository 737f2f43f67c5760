"""Writes of the « qui fait quoi » referential: add, reword, reorder, retire; every change is kept."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from roles.models import Actor, Responsibility, ResponsibilityChange

Action = ResponsibilityChange.Action


@transaction.atomic
def responsibility_add(*, actor: Actor, text: str, by) -> Responsibility:
    last = actor.responsibilities.aggregate(last=Max("position"))["last"] or 0
    responsibility = Responsibility.objects.create(actor=actor, text=text.strip(), position=last + 1)
    ResponsibilityChange.objects.create(responsibility=responsibility, action=Action.ADDED, new_value=text, by=by)
    return responsibility


@transaction.atomic
def responsibility_reword(*, responsibility: Responsibility, text: str, by) -> bool:
    text = text.strip()
    if text == responsibility.text:
        return False
    ResponsibilityChange.objects.create(
        responsibility=responsibility, action=Action.REWORDED, old_value=responsibility.text, new_value=text, by=by
    )
    responsibility.text = text
    responsibility.save(update_fields=["text"])
    return True


@transaction.atomic
def responsibility_move(*, responsibility: Responsibility, direction: str, by) -> bool:
    """Swap with the neighbour above ("up") or below ("down") within the actor's list."""
    items = list(
        Responsibility.objects.select_for_update().filter(actor=responsibility.actor_id).order_by("position", "pk")
    )
    index = next(i for i, item in enumerate(items) if item.pk == responsibility.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items, start=1):
        item.position = position
    Responsibility.objects.bulk_update(items, ["position"])
    ResponsibilityChange.objects.create(
        responsibility=responsibility, action=Action.MOVED, old_value=str(index + 1), new_value=str(other + 1), by=by
    )
    return True


@transaction.atomic
def responsibility_retire(*, responsibility: Responsibility, by, restore: bool = False) -> None:
    """Retire (or put back) a responsibility: it leaves the page, its history stays."""
    if restore == (responsibility.retired_at is None):
        return
    responsibility.retired_at = None if restore else timezone.now()
    responsibility.save(update_fields=["retired_at"])
    ResponsibilityChange.objects.create(
        responsibility=responsibility,
        action=Action.RESTORED if restore else Action.RETIRED,
        old_value=responsibility.text,
        by=by,
    )
