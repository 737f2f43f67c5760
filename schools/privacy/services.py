"""Writes of the Law 25 pages: access requests, their reminder, the correction of a staff record."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mentorat.emails import queue_email
from mentorat.templatetags.formatting import long_date
from roles.models import Membership, Role
from schools.models import AccessRequest, Person, SchoolYear


class StaleEdit(Exception):
    """Someone else saved the record since the form was opened."""


def access_request_save(*, request_obj: AccessRequest, expected_version: int | None, by) -> AccessRequest:
    """Create or update a request; an update checks the version the form was opened with."""
    with transaction.atomic():
        if request_obj.pk is None:
            request_obj.created_by = by
            request_obj.save()
            return request_obj
        stored = AccessRequest.objects.select_for_update().get(pk=request_obj.pk)
        if expected_version != stored.version:
            raise StaleEdit
        if stored.extended != request_obj.extended:
            # A new delay: a new reminder before it runs out.
            request_obj.reminded_on = None
        request_obj.version = stored.version + 1
        request_obj.save()
        return request_obj


def person_correct(*, person: Person, data: dict, expected_updated_at: str, by) -> Person:
    """Save HR's correction of a staff record (audited by django-auditlog: field, before, after)."""
    with transaction.atomic():
        stored = Person.objects.select_for_update().get(pk=person.pk)
        if stored.updated_at.isoformat() != expected_updated_at:
            raise StaleEdit
        for name, value in data.items():
            setattr(stored, name, value)
        stored.save()
        return stored


def _hr_addresses() -> list[str]:
    year = SchoolYear.objects.current()
    memberships = Membership.objects.in_force(year).filter(role=Role.HR).select_related("person__user")
    addresses = set()
    for membership in memberships:
        person = membership.person
        address = person.email or (person.user.email if person.user else "")
        if address:
            addresses.add(address.lower())
    return sorted(addresses)


def access_requests_remind(*, today: datetime.date | None = None) -> int:
    """E-mail HR about the open requests whose delay ends soon; each request is reminded once.

    ``reminded_on`` is set in the same transaction as the e-mails are queued (sent
    after commit), so a second run, or two at once, sends nothing more.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        due = list(
            AccessRequest.objects.to_remind(today)
            .select_for_update()
            .select_related("person")
            .order_by("received_on", "pk")
        )
        if not due:
            return 0
        claimed = AccessRequest.objects.filter(pk__in=[r.pk for r in due], reminded_on__isnull=True).update(
            reminded_on=today, version=F("version") + 1
        )
        if claimed != len(due):
            return 0
        rows = [
            {
                "person": r.person.full_name,
                "kind": str(r.get_kind_display()),
                "received_on": long_date(r.received_on),
                "due_on": long_date(r.due_on),
            }
            for r in due
        ]
        for address in _hr_addresses():
            queue_email("access-request-reminder", address, {"requests": rows})
    return len(due)
