"""Calendars, the event page, answers (on the page and by the e-mail's token), the .ics download, feeds."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils.translation import ngettext
from icalendar import Calendar

from mentors.accompaniment.notify import sync_invitations
from mentors.accompaniment.visibility import visible_events
from mentors.models import CalendarFeed, EventInvitation, EventKind, EventStatus, Rsvp
from mentors.tests.factories_calendar import EventFactory, world_fixture  # noqa: F401
from roles.access import Access
from schools.models import Order


@pytest.fixture
def invited(world):
    for event in (world.university_a, world.cohort_day_a, world.regulation_a, world.cohort_day_b, world.regulation_b):
        sync_invitations(event)
    return world


def _visible(user) -> set[int]:
    return set(visible_events(Access(user)).values_list("pk", flat=True))


# --- Visibility, persona by persona ---


def test_each_persona_sees_its_events(invited, hr, pane, trainer, mentor_a, director_a, director_b, mentee_a):
    w = invited
    everything = {
        w.university_a.pk,
        w.cohort_day_a.pk,
        w.regulation_a.pk,
        w.draft_a.pk,
        w.cohort_day_b.pk,
        w.regulation_b.pk,
    }
    assert _visible(hr) == everything
    assert _visible(pane) == everything  # reads all; the draft is of a cohort they lead
    assert _visible(pane.__class__.objects.get(pk=w.pane_b.user_id)) == everything - {w.draft_a.pk}
    assert _visible(trainer) == {w.university_a.pk, w.cohort_day_a.pk}
    assert _visible(mentor_a) == {w.cohort_day_a.pk, w.regulation_a.pk}
    assert _visible(w.mentor_b.user) == {w.cohort_day_b.pk, w.regulation_b.pk}
    assert _visible(director_a) == {w.regulation_a.pk}
    assert _visible(director_b) == {w.regulation_b.pk}
    assert _visible(mentee_a) == {w.regulation_a.pk}


def test_management_teacher_and_anonymous_see_none(invited, management, teacher):
    from django.contrib.auth.models import AnonymousUser

    assert _visible(management) == set()
    assert _visible(teacher) == set()
    assert _visible(AnonymousUser()) == set()


def test_a_cancelled_event_stays_visible_to_its_invitees(invited, mentor_a):
    EventInvitation.objects.filter(event=invited.cohort_day_a)  # invited above
    invited.cohort_day_a.status = EventStatus.CANCELLED
    invited.cohort_day_a.save()
    assert invited.cohort_day_a.pk in _visible(mentor_a)


def test_an_invitation_shows_an_event_outside_ones_cohort(invited, teacher):
    EventInvitation.objects.create(event=invited.cohort_day_b, person=teacher.person)
    assert _visible(teacher) == {invited.cohort_day_b.pk}


# --- « Mon calendrier » ---


def test_mentor_sees_the_cohort_day_in_the_month_grid_with_today_marked(client, invited, mentor_a):
    client.force_login(mentor_a)
    response = client.get(reverse("mentors:calendar_mine"), {"mois": "2026-12"})
    html = response.content.decode()
    assert "<caption" in html and "Décembre 2026" in html
    assert f'data-event="{invited.cohort_day_a.pk}"' in html
    assert f'data-event="{invited.cohort_day_b.pk}"' not in html
    assert 'scope="col"' in html
    november = client.get(reverse("mentors:calendar_mine")).content.decode()
    assert 'aria-current="date"' in november and "Aujourd'hui" in november  # 24 Nov 2026
    assert f'data-event="{invited.regulation_a.pk}"' in november  # 26 Nov


def test_the_list_shows_upcoming_events_first_and_my_answer(client, invited, mentor_a):
    EventInvitation.objects.filter(event=invited.cohort_day_a, person=mentor_a.person).update(rsvp=Rsvp.PRESENT)
    past = EventFactory(year=invited.cohort_a.year, cohort=invited.cohort_a, number=5, date=datetime.date(2026, 10, 6))
    client.force_login(mentor_a)
    html = client.get(reverse("mentors:calendar_mine"), {"vue": "liste"}).content.decode()
    assert html.index(f'data-event="{invited.regulation_a.pk}"') < html.index(f'data-event="{invited.cohort_day_a.pk}"')
    assert f'data-event="{past.pk}"' not in html
    assert "Votre réponse : présent(e)" in html
    assert "jeudi 26 novembre 2026, de 13 h à 16 h" in html
    older = client.get(reverse("mentors:calendar_mine"), {"vue": "liste", "quand": "passes"}).content.decode()
    assert f'data-event="{past.pk}"' in older


def test_centre_calendar_filters_by_kind_cohort_and_order(client, invited, hr, school_b):
    invited.cohort_b.order = Order.SECONDARY
    invited.cohort_b.save()
    client.force_login(hr)
    url = reverse("mentors:calendar_centre")
    html = client.get(url, {"vue": "liste", "kind": EventKind.REGULATION}).content.decode()
    assert f'data-event="{invited.regulation_a.pk}"' in html and f'data-event="{invited.regulation_b.pk}"' in html
    assert f'data-event="{invited.cohort_day_a.pk}"' not in html
    html = client.get(url, {"vue": "liste", "cohort": invited.cohort_a.pk}).content.decode()
    assert f'data-event="{invited.cohort_day_a.pk}"' in html and f'data-event="{invited.cohort_day_b.pk}"' not in html
    html = client.get(url, {"vue": "liste", "order": Order.SECONDARY}).content.decode()
    assert f'data-event="{invited.cohort_day_b.pk}"' in html and f'data-event="{invited.cohort_day_a.pk}"' not in html
    # The month links keep the filters.
    html = client.get(url, {"mois": "2026-12", "order": Order.SECONDARY}).content.decode()
    assert "mois=2027-01&order=secondaire" in html


def test_a_bad_filter_value_is_shown_at_the_field_not_a_500(client, invited, hr):
    client.force_login(hr)
    response = client.get(reverse("mentors:calendar_centre"), {"cohort": "999999", "vue": "liste"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


# --- The event page and answers ---


def test_event_page_shows_details_and_the_answer_form_to_the_invitee(client, invited, mentor_a):
    event = invited.cohort_day_a
    event.agenda = "Accueil\nCommunauté de pratique"
    event.meeting_url = "https://teams.example.org/r/123"
    event.save()
    event.documents.create(title="Gabarit de plan", url="https://docs.example.org/gabarit")
    client.force_login(mentor_a)
    html = client.get(reverse("mentors:event_detail", args=[event.pk])).content.decode()
    assert "mardi 8 décembre 2026, de 8 h 30 à 16 h" in html
    assert "Communauté de pratique" in html and "https://docs.example.org/gabarit" in html
    assert "Je serai présent(e)" in html
    assert 'data-testid="answer-counts"' not in html  # counts are for managers
    response = client.post(reverse("mentors:event_rsvp", args=[event.pk]), {"answer": "absent"})
    assert response.status_code == 302
    invitation = EventInvitation.objects.get(event=event, person=mentor_a.person)
    assert invitation.rsvp == Rsvp.ABSENT and invitation.responded_at is not None


def test_managers_see_the_answer_counts(client, invited, pane, mentor_a):
    event = invited.regulation_a
    EventInvitation.objects.filter(event=event, person=mentor_a.person).update(rsvp=Rsvp.PRESENT)
    client.force_login(pane)
    html = client.get(reverse("mentors:event_detail", args=[event.pk])).content.decode()
    pending = EventInvitation.objects.filter(event=event, rsvp=Rsvp.PENDING).count()
    assert "1 personne présente" in html
    assert ngettext("%(n)s personne absente", "%(n)s personnes absentes", 0) % {"n": 0} in html
    assert f"{pending} personnes sans réponse" in html


def test_the_token_link_asks_on_get_and_records_on_post(client, invited, mentor_a):
    invitation = EventInvitation.objects.get(event=invited.cohort_day_a, person=mentor_a.person)
    url = reverse("mentors:rsvp_token", kwargs={"token": invitation.token, "answer": "present"})
    response = client.get(url)
    assert response.status_code == 200 and "Confirmer : je serai présent(e)" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.PENDING
    response = client.post(url)
    assert "Votre présence est notée" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.PRESENT


def test_a_wrong_token_or_answer_is_404(client, invited, mentor_a):
    invitation = EventInvitation.objects.get(event=invited.cohort_day_a, person=mentor_a.person)
    assert client.post(reverse("mentors:rsvp_token", args=["faux", "present"])).status_code == 404
    assert client.get(reverse("mentors:rsvp_token", args=[invitation.token, "peut-etre"])).status_code == 404


def test_no_answer_to_a_cancelled_event(client, invited, mentor_a):
    invitation = EventInvitation.objects.get(event=invited.cohort_day_a, person=mentor_a.person)
    invited.cohort_day_a.status = EventStatus.CANCELLED
    invited.cohort_day_a.save()
    response = client.post(reverse("mentors:rsvp_token", args=[invitation.token, "present"]))
    assert "annulé" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.PENDING


def test_the_ics_download_parses_with_the_events_uid(client, invited, mentor_a):
    client.force_login(mentor_a)
    response = client.get(reverse("mentors:event_ics", args=[invited.cohort_day_a.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    vevent = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(vevent["UID"]).startswith(str(invited.cohort_day_a.uid))


# --- Feeds ---


def _feed_uids(client, token) -> set[str]:
    response = client.get(reverse("mentors:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    assert cal["METHOD"] == "PUBLISH"
    return {str(v["UID"]).split("@")[0] for v in cal.walk("VEVENT")}


def test_feed_holds_the_persons_visible_published_events(client, invited, mentor_a):
    client.force_login(mentor_a)
    client.post(reverse("mentors:feed_manage"), {"action": "create"})
    feed = CalendarFeed.objects.get(person=mentor_a.person)
    page = client.get(reverse("mentors:calendar_mine")).content.decode()
    assert feed.token in page and "Google Agenda" in page
    client.logout()
    assert _feed_uids(client, feed.token) == {str(invited.cohort_day_a.uid), str(invited.regulation_a.uid)}


def test_renewing_or_revoking_the_feed_kills_the_old_address(client, invited, mentor_a):
    client.force_login(mentor_a)
    client.post(reverse("mentors:feed_manage"), {"action": "create"})
    old = CalendarFeed.objects.get(person=mentor_a.person).token
    client.post(reverse("mentors:feed_manage"), {"action": "renew"})
    new = CalendarFeed.objects.get(person=mentor_a.person).token
    assert new != old
    assert client.get(reverse("mentors:feed", args=[old])).status_code == 404
    assert client.get(reverse("mentors:feed", args=[new])).status_code == 200
    client.post(reverse("mentors:feed_manage"), {"action": "revoke"})
    assert client.get(reverse("mentors:feed", args=[new])).status_code == 404
    assert not CalendarFeed.objects.filter(person=mentor_a.person).exists()


def test_hr_revokes_a_feed_from_the_persons_page_without_seeing_it(client, invited, hr, mentor_a):
    feed = CalendarFeed.objects.create(person=mentor_a.person)
    client.force_login(hr)
    page = client.get(reverse("schools:person_detail", args=[mentor_a.person.pk])).content.decode()
    assert "Révoquer l'abonnement" in page and feed.token not in page
    client.post(reverse("mentors:feed_revoke_for_person", args=[mentor_a.person.pk]))
    assert client.get(reverse("mentors:feed", args=[feed.token])).status_code == 404


def test_nobody_sees_another_persons_feed_address(client, invited, mentor_a, hr, pane):
    feed = CalendarFeed.objects.create(person=invited.mentor_b)
    for user in (mentor_a, hr, pane):
        client.force_login(user)
        for url in (
            reverse("mentors:calendar_mine"),
            reverse("mentors:calendar_centre"),
            reverse("schools:person_detail", args=[invited.mentor_b.pk]),
        ):
            assert feed.token not in client.get(url).content.decode(), (user, url)


def test_the_feed_of_a_person_whose_account_is_disabled_is_gone(client, invited, mentor_a):
    feed = CalendarFeed.objects.create(person=mentor_a.person)
    mentor_a.is_active = False
    mentor_a.save()
    assert client.get(reverse("mentors:feed", args=[feed.token])).status_code == 404
