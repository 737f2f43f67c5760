"""Writes of the Law 25 pages, each checking the version the form was read at."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from schools.law25.models import ConfidentialityIncident, RetentionRule


class Conflict(Exception):
    """Someone saved the record since the form was displayed; ``current`` is what they saved."""

    def __init__(self, current):
        super().__init__("version conflict")
        self.current = current


def _save_versioned(model, *, pk: int, data: dict, expected_version: int, extra: dict):
    with transaction.atomic():
        updated = model.objects.filter(pk=pk, version=expected_version).update(
            **data, **extra, version=F("version") + 1
        )
        current = model.objects.get(pk=pk)
    if not updated:
        raise Conflict(current)
    return current


def retention_rule_save(*, rule: RetentionRule, data: dict, expected_version: int, by) -> RetentionRule:
    # update() skips auto_now: set it here.
    from django.utils import timezone

    extra = {"updated_by": by, "updated_at": timezone.now()}
    saved = _save_versioned(RetentionRule, pk=rule.pk, data=data, expected_version=expected_version, extra=extra)
    _audit(saved, rule, data, by)
    return saved


def incident_create(*, data: dict, by) -> ConfidentialityIncident:
    return ConfidentialityIncident.objects.create(**data, created_by=by)


def incident_save(*, incident: ConfidentialityIncident, data: dict, expected_version: int, by):
    from django.utils import timezone

    extra = {"updated_at": timezone.now()}
    saved = _save_versioned(
        ConfidentialityIncident, pk=incident.pk, data=data, expected_version=expected_version, extra=extra
    )
    _audit(saved, incident, data, by)
    return saved


def _audit(saved, before, data: dict, by) -> None:
    """update() sends no signal: write the before/after of the changed fields to the audit trail."""
    from auditlog.models import LogEntry

    changes = {
        name: [str(getattr(before, name)), str(getattr(saved, name))]
        for name in data
        if getattr(before, name) != getattr(saved, name)
    }
    if changes:
        LogEntry.objects.log_create(saved, action=LogEntry.Action.UPDATE, changes=changes, actor=by)
