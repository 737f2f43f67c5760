"""« Courriels en échec »: HR sees what failed, in French, and sends it again."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from mentorat.models import OutboundEmail

pytestmark = pytest.mark.django_db

Status = OutboundEmail.Status


def _row(n: int, status=Status.FAILED, kind="survey-reminder", **fields) -> OutboundEmail:
    fields.setdefault("context", {"url": "http://x/"})
    return OutboundEmail.objects.create(
        key=f"test:{status}:{n}",
        kind=kind,
        to=f"p{n}@example.org",
        status=status,
        attempts=8,
        last_error="SMTPServerDisconnected: connexion perdue",
        **fields,
    )


def test_hr_sees_failed_emails_in_french_with_their_error(client, hr):
    _row(1)
    _row(2, status=Status.SENT)
    client.force_login(hr)
    page = client.get(reverse("outbox:list")).content.decode()
    assert "Rappel de sondage" in page and "p1@example.org" in page and "connexion perdue" in page
    assert "p2@example.org" not in page  # sent: not in the failed list
    assert "Tout renvoyer" in page


def test_state_filter_shows_the_queue(client, hr):
    _row(1)
    _row(2, status=Status.QUEUED)
    client.force_login(hr)
    page = client.get(reverse("outbox:list"), {"etat": "queued"}).content.decode()
    assert "p2@example.org" in page and "p1@example.org" not in page
    # An unknown state falls back to the failed list.
    assert "p1@example.org" in client.get(reverse("outbox:list"), {"etat": "<x>"}).content.decode()


def test_resend_delivers_the_message_once(client, hr, django_capture_on_commit_callbacks):
    row = _row(1, kind="invitation", context={"url": "http://x/", "person": {"first_name": "Léa"}})
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outbox:resend", kwargs={"pk": row.pk}), follow=True)
    assert "remis en file d&#x27;envoi" in response.content.decode()
    row.refresh_from_db()
    assert row.status == Status.SENT and [m.to for m in mail.outbox] == [["p1@example.org"]]
    # Pressing again (a second tab) sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outbox:resend", kwargs={"pk": row.pk}), follow=True)
    assert "rien à renvoyer" in response.content.decode() and len(mail.outbox) == 1


def test_resend_all_puts_every_failed_message_back(client, hr, django_capture_on_commit_callbacks):
    for n in range(3):
        _row(n, kind="invitation", context={"url": "http://x/", "person": {"first_name": "Léa"}})
    _row(9, status=Status.SENT)
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outbox:resend_all"), follow=True)
    assert "3 courriels remis en file d&#x27;envoi." in response.content.decode()
    assert not OutboundEmail.objects.failed().exists()
    assert len(mail.outbox) == 3


@pytest.mark.parametrize("rows", [1, 120])
def test_list_query_count_is_bounded(client, hr, django_assert_max_num_queries, rows):
    OutboundEmail.objects.bulk_create(
        OutboundEmail(key=f"k{n}", kind="decision", to=f"p{n}@example.org", status=Status.FAILED) for n in range(rows)
    )
    client.force_login(hr)
    # Session, user, person and memberships (access), the count, the page.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("outbox:list"))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == min(rows, 50) + 1


def test_the_menu_links_to_the_page_for_hr_only(client, hr, director_a):
    client.force_login(hr)
    assert reverse("outbox:list") in client.get(reverse("home")).content.decode()
    client.force_login(director_a)
    assert reverse("outbox:list") not in client.get(reverse("home")).content.decode()
