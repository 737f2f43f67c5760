"""Attendance on the day (the PANE's checklist, two phones at once) and HR's report of attended days."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse

from mentorat import factories as f
from mentors.accompaniment.notify import sync_invitations
from mentors.models import EventInvitation, EventKind, EventPeriod
from mentors.tests.factories_calendar import EventFactory, world_fixture  # noqa: F401
from roles.models import Role


@pytest.fixture
def day(world):
    """Cohort A's day 3, held on 10 Nov 2026 (a fortnight ago), with its invitations."""
    event = EventFactory(year=world.cohort_a.year, cohort=world.cohort_a, number=3, date=datetime.date(2026, 11, 10))
    sync_invitations(event)
    return event


def _shown(client, event) -> dict:
    """The form as the page shows it: the hidden « shown » values and the ticked boxes."""
    response = client.get(reverse("mentors:attendance_record", args=[event.pk]))
    data = {}
    for invitation in response.context["rows"]:
        data[f"shown-{invitation.pk}"] = "1" if invitation.attended else "0"
    ticked = [str(i.pk) for i in response.context["rows"] if i.attended]
    return data, ticked


def _invitation(event, user) -> EventInvitation:
    return EventInvitation.objects.get(event=event, person=user.person)


def test_the_pane_ticks_who_is_there(client, day, pane, mentor_a):
    client.force_login(pane)
    page = client.get(reverse("mentors:attendance_record", args=[day.pk])).content.decode()
    assert f'id="present-{_invitation(day, mentor_a).pk}"' in page and 'type="checkbox"' in page
    data, ticked = _shown(client, day)
    response = client.post(
        reverse("mentors:attendance_record", args=[day.pk]), {**data, "present": [_invitation(day, mentor_a).pk]}
    )
    assert response.status_code == 302
    invitation = _invitation(day, mentor_a)
    assert invitation.attended is True and invitation.attendance_by == pane and invitation.attendance_at
    assert _invitation(day, pane).attended is None  # not ticked, not touched


def test_two_pane_saving_the_same_list_keep_each_others_marks(client, day, pane, mentor_a, year):
    second = f.person_with_account("pane.deux@example.org")
    f.give_role(second, Role.PANE)
    day.cohort.panes.add(second)
    url = reverse("mentors:attendance_record", args=[day.pk])
    client.force_login(pane)
    first_form, _ = _shown(client, day)
    client.force_login(second.user)
    second_form, _ = _shown(client, day)
    # The first PANE ticks the mentor; the second, on a page shown before, ticks the PANE only.
    client.force_login(pane)
    client.post(url, {**first_form, "present": [_invitation(day, mentor_a).pk]})
    client.force_login(second.user)
    client.post(url, {**second_form, "present": [_invitation(day, pane).pk]})
    assert _invitation(day, mentor_a).attended is True
    assert _invitation(day, pane).attended is True
    # Unticking is a change too (from a page that showed the box ticked).
    form, ticked = _shown(client, day)
    client.post(url, {**form, "present": [pk for pk in ticked if pk != str(_invitation(day, mentor_a).pk)]})
    assert _invitation(day, mentor_a).attended is False
    assert _invitation(day, pane).attended is True


def test_a_stale_page_does_not_undo_an_untick(client, day, pane, mentor_a):
    invitation = _invitation(day, mentor_a)
    url = reverse("mentors:attendance_record", args=[day.pk])
    client.force_login(pane)
    EventInvitation.objects.filter(pk=invitation.pk).update(attended=True)
    stale, stale_ticked = _shown(client, day)  # shows the mentor ticked
    EventInvitation.objects.filter(pk=invitation.pk).update(attended=False)  # someone else unticks
    client.post(url, {**stale, "present": stale_ticked})  # the stale page sends its box as it was
    assert _invitation(day, mentor_a).attended is False


def test_hr_sees_each_mentors_attended_days(client, world, day, hr, pane, mentor_a, year):
    half_day = EventFactory(
        year=year,
        cohort=world.cohort_a,
        kind=EventKind.BILAN,
        number=None,
        date=datetime.date(2026, 11, 12),
        period=EventPeriod.MORNING,
        starts_at=datetime.time(8, 30),
        ends_at=datetime.time(11, 45),
    )
    sync_invitations(half_day)
    earlier = EventFactory(year=year, cohort=world.cohort_a, number=4, date=datetime.date(2026, 10, 6))
    sync_invitations(earlier)
    EventInvitation.objects.filter(event__in=[day, half_day], person=mentor_a.person).update(attended=True)
    client.force_login(hr)
    response = client.get(reverse("mentors:attendance_report"), {"annee": year.pk})
    rows = {row.member.person_id: row for row in response.context["rows"]}
    mine = rows[mentor_a.person.pk]
    # Held: days 3 and 4 (day 1 on 8 Dec is to come); the regulation half-day of 26 Nov is to come, the bilan held.
    assert (mine.cohort_days_attended, mine.cohort_days_held) == (1, 2)
    assert (mine.half_days_attended, mine.half_days_held) == (1, 1)
    assert mine.schools == ["École des Érables"]
    assert rows[world.mentor_b.pk].cohort_days_held == 0
    html = response.content.decode()
    assert "1 / 2" in html
    only_b = client.get(reverse("mentors:attendance_report"), {"annee": year.pk, "cohorte": world.cohort_b.pk})
    assert [row.member.person_id for row in only_b.context["rows"]] == [world.mentor_b.pk]
    text = client.get(reverse("mentors:attendance_report"), {"annee": year.pk, "format": "csv"}).content
    table = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    line = next(r for r in table if r[0] == mentor_a.person.employee_number)
    assert line[4:] == ["1", "2", "1", "1"]


def test_the_report_csv_neutralises_formulas(client, world, hr, year, mentor_a):
    person = mentor_a.person
    person.first_name = "=SUM(1;2)"
    person.save()
    client.force_login(hr)
    text = client.get(reverse("mentors:attendance_report"), {"format": "csv"}).content.decode("utf-8-sig")
    line = next(r for r in csv.reader(io.StringIO(text)) if r and r[0] == person.employee_number)
    assert line[1].startswith("'=SUM")
    assert line[4] == "0"  # numbers stay numbers
