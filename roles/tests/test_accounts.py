"""Sign-in by e-mail, no open sign-up, rate limits, password reset and HR's invitation."""

from __future__ import annotations

import html
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from mentorat import factories as f
from mentorat.models import OutboundEmail
from roles.models import User


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def test_login_by_email(client, hr):
    response = client.post(reverse("account_login"), {"login": "rh@example.org", "password": "motdepasse-test"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_shows_french_error(client, hr):
    response = client.post(reverse("account_login"), {"login": "rh@example.org", "password": "mauvais"})
    assert response.status_code == 200
    assert "courriel" in response.content.decode().lower()  # allauth's French message names the e-mail address
    assert "_auth_user_id" not in client.session


def test_signup_is_closed(client, db):
    response = client.post(
        reverse("account_signup"),
        {"email": "intrus@example.org", "password1": "Xy12!abcdEF", "password2": "Xy12!abcdEF"},
    )
    assert not User.objects.filter(email="intrus@example.org").exists()
    assert response.status_code == 200
    assert "inscription" in response.content.decode().lower()


def test_login_page_has_no_signup_link(client, db):
    page = client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") not in page
    assert reverse("account_reset_password") in page


def test_failed_logins_are_rate_limited(client, hr):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "rh@example.org", "password": "mauvais"})
    response = client.post(reverse("account_login"), {"login": "rh@example.org", "password": "motdepasse-test"})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)


def test_password_reset_sends_an_email_through_the_outbox(client, hr, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("account_reset_password"), {"email": "rh@example.org"})
    assert mailoutbox == []  # the request only queued it
    row = OutboundEmail.objects.get(kind="password-reset")
    assert "reset" not in str(row.context) and "key" not in row.context  # no credential kept in the outbox
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["rh@example.org"]
    link = re.search(r"https?://\S+", mailoutbox[0].body).group(0)
    assert client.get(link, follow=True).status_code == 200


def test_hr_invites_a_person_who_sets_a_password_and_signs_in(
    client, hr, year, school_a, mailoutbox, django_capture_on_commit_callbacks
):
    person = f.StaffAssignmentFactory(school=school_a, year=year, person__email="nouvelle@example.org").person
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("schools:person_invite", kwargs={"pk": person.pk}))
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject == "Votre accès à Mentorat"
    link = re.search(r"https?://\S+", message.body).group(0)
    path = link.split("8000", 1)[-1] if "8000" in link else link
    client.logout()
    page = client.get(path, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else path
    response = client.post(
        form_url, {"password1": "Un-mot-de-passe-solide-42", "password2": "Un-mot-de-passe-solide-42"}
    )
    assert response.status_code == 302
    client.logout()
    assert client.login(email="nouvelle@example.org", password="Un-mot-de-passe-solide-42")


def test_invitation_without_email_is_refused_with_a_message(client, hr, year, school_a, mailoutbox):
    person = f.StaffAssignmentFactory(school=school_a, year=year, person__email="").person
    client.force_login(hr)
    response = client.post(reverse("schools:person_invite", kwargs={"pk": person.pk}), follow=True)
    assert "pas d'adresse courriel" in html.unescape(response.content.decode())
    assert person.user is None and mailoutbox == []


def test_invitation_email_is_not_sent_when_the_transaction_rolls_back(
    hr, year, school_a, mailoutbox, django_capture_on_commit_callbacks
):
    from schools.services import person_invite

    person = f.StaffAssignmentFactory(school=school_a, year=year).person
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        person_invite(person=person, by=hr)
    assert len(callbacks) == 1 and mailoutbox == []


def test_hr_invites_everyone_without_account_in_the_filtered_list(
    client, hr, year, school_a, school_b, mailoutbox, django_capture_on_commit_callbacks
):
    first = f.StaffAssignmentFactory(school=school_a, year=year).person
    second = f.StaffAssignmentFactory(school=school_a, year=year).person
    f.StaffAssignmentFactory(school=school_a, year=year, person__email="")  # no address: skipped
    elsewhere = f.StaffAssignmentFactory(school=school_b, year=year).person
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("schools:staff_invite_many"), {"ecole": school_a.pk}, follow=True)
    assert "2 invitations mises en file d&#x27;envoi." in response.content.decode()
    assert sorted(m.to[0] for m in mailoutbox) == sorted([first.email, second.email])
    assert elsewhere.email not in [m.to[0] for m in mailoutbox]
    # A second click invites nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("schools:staff_invite_many"), {"ecole": school_a.pk})
    assert len(mailoutbox) == 2
