"""Attendance on the day (the PANE's checklist) and each mentor's attended days (HR's report).

Two PANE may tick the same list on two phones. The form posts back, with each
box, whether it was ticked when the page was shown; only the rows the person
changed are written, and only if the stored value is still the one shown. So a
stale page never undoes another person's mark: a box left as it was shown
writes nothing, and a change someone else already made is not made twice.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.spreadsheets import neutralise
from mentors.models import CohortMember, Event, EventInvitation, EventKind, EventStatus, MentorAssignment
from mentors.models.accompaniment import HALF_DAY_KINDS


def attendance_rows(event: Event):
    return event.invitations.select_related("person").order_by("person__last_name", "person__first_name", "pk")


def record(*, event: Event, shown: dict[int, bool], ticked: set[int], by) -> int:
    """Write the rows whose box the person changed (if still as shown); returns how many were written."""
    from schools.privacy import audit

    now = timezone.now()
    changed = 0
    written = []
    fields = ["attended", "attendance_by", "attendance_at"]
    before = {row["pk"]: row for row in event.invitations.filter(pk__in=list(shown)).values("pk", *fields)}
    for pk, was_ticked in shown.items():
        now_ticked = pk in ticked
        if now_ticked == was_ticked:
            continue
        # Still as shown: ticked means attended=True; not ticked means False or not recorded yet.
        as_shown = Q(attended=True) if was_ticked else Q(attended=False) | Q(attended__isnull=True)
        done = (
            EventInvitation.objects.filter(pk=pk, event=event)
            .filter(as_shown)
            .update(attended=now_ticked, attendance_by=by, attendance_at=now)
        )
        changed += done
        if done:
            written.append(pk)
    if written:
        # update() sends no signal: the attendance changes are written to the Law 25 audit trail here.
        invitations = event.invitations.filter(pk__in=written).select_related("person", "event")
        audit.log_bulk(EventInvitation, updated=invitations, before=before, fields=fields)
    return changed


# --- HR's report: each mentor's attended days ---


@dataclass
class MentorAttendance:
    member: CohortMember
    schools: list[str]
    cohort_days_attended: int = 0
    cohort_days_held: int = 0
    half_days_attended: int = 0
    half_days_held: int = 0


def report(year, cohort=None) -> list[MentorAttendance]:
    """One row per mentor placed in a cohort that year (five queries, however many mentors)."""
    today = timezone.localdate()
    members = CohortMember.objects.filter(year=year).select_related("person", "cohort")
    if cohort is not None:
        members = members.filter(cohort=cohort)
    members = list(members.order_by("cohort__name", "person__last_name", "person__first_name", "pk"))
    person_ids = [m.person_id for m in members]
    held = Event.objects.filter(year=year, status=EventStatus.PUBLISHED, date__lte=today)
    cohort_days = dict(
        held.filter(kind=EventKind.COHORT_DAY).values("cohort").annotate(n=Count("id")).values_list("cohort", "n")
    )
    half_days = dict(
        held.filter(kind__in=HALF_DAY_KINDS).values("cohort").annotate(n=Count("id")).values_list("cohort", "n")
    )
    attended: dict[tuple[int, str], int] = defaultdict(int)
    for person_id, kind, n in (
        EventInvitation.objects.filter(event__in=held, person_id__in=person_ids, attended=True)
        .values("person_id", "event__kind")
        .annotate(n=Count("id"))
        .values_list("person_id", "event__kind", "n")
    ):
        attended[person_id, kind] += n
    schools: dict[int, list[str]] = defaultdict(list)
    for person_id, name in (
        MentorAssignment.objects.filter(year=year, person_id__in=person_ids)
        .order_by("school__name")
        .values_list("person_id", "school__name")
    ):
        schools[person_id].append(name)
    return [
        MentorAttendance(
            member=m,
            schools=schools[m.person_id],
            cohort_days_attended=attended[m.person_id, EventKind.COHORT_DAY],
            cohort_days_held=cohort_days.get(m.cohort_id, 0),
            half_days_attended=sum(attended[m.person_id, kind] for kind in HALF_DAY_KINDS),
            half_days_held=half_days.get(m.cohort_id, 0),
        )
        for m in members
    ]


def report_csv(rows: list[MentorAttendance]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Matricule"),
            _("Personne mentore"),
            _("École"),
            _("Cohorte"),
            _("Journées de cohorte présentes"),
            _("Journées de cohorte tenues"),
            _("Demi-journées présentes"),
            _("Demi-journées tenues"),
        ]
    )
    for row in rows:
        writer.writerow(
            [
                neutralise(row.member.person.employee_number),
                neutralise(row.member.person.full_name),
                neutralise(", ".join(row.schools)),
                neutralise(row.member.cohort.name),
                row.cohort_days_attended,
                row.cohort_days_held,
                row.half_days_attended,
                row.half_days_held,
            ]
        )
    return buffer.getvalue()
