"""« ² » passes str.isdigit() but not int(): every id or year read from a request goes through as_id()."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentors.models import EventInvitation

SUPERSCRIPT_TWO = "²"


@pytest.mark.parametrize(
    "persona,url_name,target,query",
    [
        ("pane", "mentors:cohort_list", None, {"annee": SUPERSCRIPT_TWO}),
        ("hr", "roles:membership_list", None, {"annee": SUPERSCRIPT_TWO}),
        ("director_a", "plans:school_plan", "school_a", {"annee": SUPERSCRIPT_TWO}),
        ("hr", "mentors:attendance_report", None, {"annee": SUPERSCRIPT_TWO, "cohorte": SUPERSCRIPT_TWO}),
    ],
)
def test_a_unicode_digit_in_the_year_or_cohort_filter_is_ignored(client, harness, persona, url_name, target, query):
    client.force_login(harness.objects[persona])
    kwargs = {"school_pk": harness.objects[target].pk} if target else None
    response = client.get(reverse(url_name, kwargs=kwargs), query, follow=True)
    assert response.status_code == 200


def test_a_unicode_digit_in_the_year_of_a_new_plan_falls_back_to_the_selected_year(client, harness):
    client.force_login(harness.objects["director_b"])
    url = reverse("plans:plan_create", kwargs={"school_pk": harness.objects["school_b"].pk})
    response = client.post(url, {"annee": SUPERSCRIPT_TWO, "source": "vide"})
    assert response.status_code == 302
    assert harness.objects["school_b"].plans.get().year == harness.objects["year"]


def test_a_unicode_digit_as_a_version_is_a_conflict_not_a_500(client, harness):
    client.force_login(harness.objects["director_a"])
    step = harness.objects["step"]
    response = client.post(reverse("plans:step_status", kwargs={"pk": step.pk}), {"status": "realise", "version": "²"})
    assert response.status_code in (200, 302, 409)
    step.refresh_from_db()
    assert step.status != "realise"
    client.force_login(harness.objects["pane"])
    event = harness.objects["draft"]
    response = client.post(reverse("mentors:cohort_event_cancel", kwargs={"pk": event.pk}), {"version": "²"})
    assert response.status_code in (200, 302, 409)
    assert type(event).objects.filter(pk=event.pk).exists()


def test_a_unicode_digit_among_attendance_ticks_is_ignored(client, harness):
    client.force_login(harness.objects["hr"])
    event = harness.objects["event"]
    invitation = EventInvitation.objects.get(event=event, person=harness.objects["mentor_a"].person)
    data = {f"shown-{invitation.pk}": "0", "present": [SUPERSCRIPT_TWO, str(invitation.pk)], "shown-²": "1"}
    response = client.post(reverse("mentors:attendance_record", kwargs={"pk": event.pk}), data)
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.attended is True
