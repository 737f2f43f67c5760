"""The retention schedule applied: what is past its period, a dry run of it, and the run itself.

Every period comes from the ``RetentionRule`` table (the centre's *calendrier de
conservation*, edited by the administrator); nothing here knows a duration. Each
kind of record says which rows are due (a queryset and the date its period counts
from) and what destroying or anonymising them means. Running twice changes
nothing the second time: a destroyed row is gone, an anonymised one no longer
matches its queryset.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from schools.law25.models import RecordKind, RetentionAction, RetentionRule


@dataclass(frozen=True)
class Due:
    """What one rule would remove now: how many records and the date of the oldest."""

    rule: RetentionRule
    count: int
    oldest: datetime.date | datetime.datetime | None


def _as_date(cutoff: datetime.datetime) -> datetime.date:
    return timezone.localdate(cutoff)


# --- Each kind: the due rows, the field their period counts from, what the action does ---


def _survey_drafts(cutoff):
    from surveys.models import Invitation

    return Invitation.objects.filter(draft__isnull=False, survey__closes_at__lte=cutoff), "survey__closes_at"


def _survey_invitations(cutoff):
    from surveys.models import Invitation

    return Invitation.objects.filter(survey__closes_at__lte=cutoff), "survey__closes_at"


def _survey_responses(cutoff):
    from surveys.models import Response

    # Only the respondent's school can narrow a response down to a few people: it goes.
    return Response.objects.filter(school__isnull=False, survey__closes_at__lte=cutoff), "survey__closes_at"


def _event_invitations(cutoff):
    from mentors.models import EventInvitation

    return EventInvitation.objects.filter(event__date__lt=_as_date(cutoff)), "event__date"


def _candidacies(cutoff):
    from mentors.models import Candidacy, Decision

    not_retained = Candidacy.objects.filter(Q(decision__isnull=True) | ~Q(decision=Decision.NOMINATED))
    return not_retained.filter(year__ends_on__lt=_as_date(cutoff)), "year__ends_on"


def _tracking_table(cutoff):
    from schools.plans.models import Newcomer

    return Newcomer.objects.filter(year__ends_on__lt=_as_date(cutoff)), "year__ends_on"


def _staff_records(cutoff):
    from roles.models import Membership
    from schools.models import Person

    day = _as_date(cutoff)
    # A permanent role still in force (HR, administrators…) keeps the record.
    holding = Membership.objects.filter(year__isnull=True).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    gone = (
        Person.objects.filter(anonymised_at__isnull=True)
        .exclude(pk__in=holding.values("person_id"))
        .annotate(last_seen=Max("assignments__year__ends_on"))
        .filter(Q(last_seen__lt=day) | Q(last_seen__isnull=True, created_at__lt=cutoff))
    )
    return gone, "last_seen"


def _audit_entries(cutoff):
    from auditlog.models import LogEntry

    return LogEntry.objects.filter(timestamp__lt=cutoff), "timestamp"


def _outbound_emails(cutoff):
    from mentorat.models import OutboundEmail

    # Only finished messages: one still queued or retrying is on its way.
    finished = OutboundEmail.objects.exclude(status__in=[OutboundEmail.Status.QUEUED, OutboundEmail.Status.SENDING])
    return finished.filter(created_at__lt=cutoff), "created_at"


QUERIES: dict[str, Callable] = {
    RecordKind.SURVEY_DRAFTS: _survey_drafts,
    RecordKind.SURVEY_INVITATIONS: _survey_invitations,
    RecordKind.SURVEY_RESPONSES: _survey_responses,
    RecordKind.EVENT_INVITATIONS: _event_invitations,
    RecordKind.CANDIDACIES_NOT_RETAINED: _candidacies,
    RecordKind.TRACKING_TABLE: _tracking_table,
    RecordKind.STAFF_RECORDS: _staff_records,
    RecordKind.AUDIT_ENTRIES: _audit_entries,
    RecordKind.OUTBOUND_EMAILS: _outbound_emails,
}


def _anonymise_people(queryset, now) -> int:
    from roles.models import User
    from schools.models import Person

    count = 0
    for person in Person.objects.filter(pk__in=list(queryset.values_list("pk", flat=True))).select_related("user"):
        if person.user_id:
            User.objects.filter(pk=person.user_id).update(
                email=f"anonyme-{person.user_id}@anonyme.invalid",
                first_name="",
                last_name="",
                is_active=False,
                password=make_password(None),
            )
        Person.objects.filter(pk=person.pk).update(
            first_name="Personne",
            last_name=f"anonymisée {person.pk}",
            employee_number=f"ANON-{person.pk}",
            email="",
            anonymised_at=now,
        )
        count += 1
    return count


def _anonymise_responses(queryset) -> int:
    """Drop the respondent's school, then recount those surveys: no kept figure still names the school."""
    from surveys.aggregates import survey_rebuild
    from surveys.models import Survey

    survey_ids = set(queryset.values_list("survey_id", flat=True))
    count = queryset.update(school=None)
    for survey in Survey.objects.filter(pk__in=survey_ids):
        survey_rebuild(survey=survey)
    return count


def _anonymise(kind: str, queryset, now) -> int:
    if kind == RecordKind.SURVEY_DRAFTS:
        return queryset.update(draft=None)
    if kind == RecordKind.SURVEY_RESPONSES:
        return _anonymise_responses(queryset)
    if kind == RecordKind.STAFF_RECORDS:
        return _anonymise_people(queryset, now)
    raise ValueError(kind)


def _destroy(queryset) -> int:
    # Delete by primary keys: an annotated or joined queryset cannot always be deleted as is.
    model = queryset.model
    ids = list(queryset.values_list("pk", flat=True))
    model.objects.filter(pk__in=ids).delete()
    return len(ids)


# --- Import uploads are files, not rows ---


def _upload_due(rule, cutoff) -> Due:
    from schools.imports import stale_uploads

    stale = stale_uploads(cutoff)
    return Due(rule, len(stale), min((modified for _name, modified in stale), default=None))


def upload_cutoff(now: datetime.datetime | None = None) -> datetime.datetime | None:
    """The moment before which an import upload is past its period; None when the schedule has no line for it."""
    rule = RetentionRule.objects.filter(kind=RecordKind.IMPORT_UPLOADS).first()
    return rule.cutoff(now or timezone.now()) if rule else None


# --- Dry run and run ---


def due(rule: RetentionRule, now: datetime.datetime | None = None) -> Due:
    """How many records this rule would remove now, and the oldest one's date (two queries)."""
    cutoff = rule.cutoff(now or timezone.now())
    if rule.kind == RecordKind.IMPORT_UPLOADS:
        return _upload_due(rule, cutoff)
    queryset, date_field = QUERIES[rule.kind](cutoff)
    if rule.kind == RecordKind.STAFF_RECORDS:
        # The annotation is an aggregate: count and oldest through a subquery of ids.
        ids = list(queryset.values_list("pk", flat=True))
        oldest = (
            queryset.model.objects.filter(pk__in=ids)
            .annotate(last_seen=Max("assignments__year__ends_on"))
            .aggregate(oldest=models.Min("last_seen"))["oldest"]
        )
        return Due(rule, len(ids), oldest)
    stats = queryset.aggregate(count=models.Count("pk"), oldest=models.Min(date_field))
    return Due(rule, stats["count"], stats["oldest"])


def dry_run(now: datetime.datetime | None = None) -> list[Due]:
    """What the next run would remove, rule by rule."""
    now = now or timezone.now()
    return [due(rule, now) for rule in RetentionRule.objects.all()]


def apply_rule(rule: RetentionRule, now: datetime.datetime | None = None) -> int:
    """Destroy or anonymise what this rule says is past its period; log it in the audit trail."""
    now = now or timezone.now()
    cutoff = rule.cutoff(now)
    if rule.action not in rule.allowed_actions():
        return 0  # the form refuses it; a rule edited around it does nothing rather than delete answers
    if rule.kind == RecordKind.IMPORT_UPLOADS:
        from schools.imports import purge_stale_uploads

        count = purge_stale_uploads(now - cutoff)
    else:
        queryset, _field = QUERIES[rule.kind](cutoff)
        with transaction.atomic():
            if rule.action == RetentionAction.DESTROY:
                count = _destroy(queryset)
            else:
                count = _anonymise(rule.kind, queryset, now)
    if count:
        log_retention(rule, count, cutoff)
    return count


def apply_schedule(now: datetime.datetime | None = None) -> dict[str, int]:
    """Apply every line of the schedule; returns what each one removed."""
    now = now or timezone.now()
    return {rule.kind: apply_rule(rule, now) for rule in RetentionRule.objects.all()}


def log_retention(rule: RetentionRule, count: int, cutoff: datetime.datetime) -> None:
    """One audit entry per rule and run: which kind, what was done, to how many records, before which date."""
    from auditlog.models import LogEntry

    LogEntry.objects.log_create(
        rule,
        force_log=True,
        action=LogEntry.Action.DELETE if rule.action == RetentionAction.DESTROY else LogEntry.Action.UPDATE,
        changes={"retention": [rule.kind, rule.action]},
        additional_data={"retention": rule.kind, "action": rule.action, "count": count, "before": cutoff.isoformat()},
    )
