"""The cycle page: the year's timeline, what the system did, HR's « Lancer maintenant »."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from mentorat.models import OutboundEmail
from schools.cycle import engine
from schools.cycle.models import CycleEffect
from schools.models import SchoolYear

pytestmark = pytest.mark.django_db

# session, user, person, current year, memberships (5); effects with their launcher (1); e-mails counted by
# origin and state (1); milestones: following year, surveys, events, settings (4); following year for the
# window's link (1); the selector's years (1); and each registered step asking whether it is due (the cycle's
# steps read their dates: about one query each, a fixed number that does not grow with effects or e-mails).
QUERY_BOUND = 23


@pytest.fixture
def seeded_year(db):
    """2026-2027 with the seed's dates (today, 24 November 2026, is after the start of the accompaniment)."""
    year = SchoolYear.with_seed_milestones(2026)
    year.save()
    return year


@pytest.fixture
def invitation_step():
    """A step of the budget milestone (December → February), due whenever asked."""
    calls = []

    @engine.step("test-invitations", label=lambda: "Invitations d'essai", milestone="budget")
    def run(year, occurrence):
        calls.append(occurrence)
        return {"emails": 2}

    run.due(lambda year, now: [""])
    yield calls
    engine.STEPS.pop("test-invitations")


def _page(client, user, year=None) -> str:
    client.force_login(user)
    url = reverse("cycle:overview") + (f"?annee={year.pk}" if year else "")
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _emails(year, step, status, n, start=0):
    OutboundEmail.objects.bulk_create(
        OutboundEmail(
            key=f"{step}:{status}:{start + i}",
            kind="essai",
            to=f"p{start + i}@example.org",
            source=f"cycle:{year.label}:{step}",
            status=status,
        )
        for i in range(n)
    )


def test_the_timeline_lists_milestones_in_order_with_dates_and_states_in_words(client, hr, seeded_year):
    page = _page(client, hr)
    order = [
        "Début de l'accompagnement",
        "Pourcentage de libération",
        "Sondage de satisfaction",
        "Publication du rôle",
        "Nomination des personnes mentores par les RH",
        "Fin de l'année",
    ]
    positions = [page.index(label) for label in order]
    assert positions == sorted(positions)
    assert "1er septembre 2026" in page and "Du 1er décembre 2026 au 28 février 2027" in page
    assert "Décembre 2026 à février 2027" in page  # the seed's « La démarche d'implantation » headings
    start = page[page.index('data-milestone="start"') :]
    assert "terminé" in start[: start.index("</li>")]
    budget = page[page.index('data-milestone="budget"') :]
    assert "à venir" in budget[: budget.index("</h2>") + 200]
    # The regulation half-day window (Oct–Nov) holds today: it is the milestone « en cours ».
    regulation = page[page.index('data-milestone="regulation"') :]
    assert 'aria-current="step"' in regulation[:200] and "en cours" in regulation[: regulation.index("</p>", 300)]


def test_what_the_system_did_is_shown_with_counts_in_french(client, hr, seeded_year, invitation_step):
    CycleEffect.objects.create(year=seeded_year, step="test-invitations", occurrence="", summary={"emails": 44})
    _emails(seeded_year, "test-invitations", OutboundEmail.Status.SENT, 41)
    _emails(seeded_year, "test-invitations", OutboundEmail.Status.FAILED, 3, start=100)
    _emails(seeded_year, "test-invitations", OutboundEmail.Status.FAILED, 1, start=200)
    OutboundEmail.objects.filter(key="test-invitations:failed:200").update(source="autre:chose")
    page = _page(client, hr)
    step = page[page.index('data-step="test-invitations"') :]
    assert "41 courriels envoyés" in step and "3 courriels en échec" in step
    assert "44 courriels mis en file" in step and "automatiquement" in step
    assert "3 courriels du cycle sont en échec." in page  # the e-mail of another origin is not counted


def test_hr_runs_a_due_step_by_hand_once(client, hr, seeded_year, invitation_step):
    page = _page(client, hr)
    assert "Lancer maintenant" in page.split('data-step="test-invitations"')[1].split("</li>")[0]
    url = reverse("cycle:run", args=["test-invitations"])
    response = client.post(url, {"annee": seeded_year.pk}, follow=True)
    effect = CycleEffect.objects.get(step="test-invitations")
    assert effect.done_by == hr and effect.summary == {"emails": 2}
    text = html.unescape(response.content.decode())
    assert "a été fait pour l'année 2026-2027" in text
    step = text.split('data-step="test-invitations"')[1].split("</li>")[0]
    assert "automatiquement" not in step and (hr.get_full_name() or hr.email) in step
    assert "Lancer maintenant" not in step  # done: no button any more
    client.post(url, {"annee": seeded_year.pk})
    assert invitation_step == [""]  # a second click does nothing


@pytest.mark.parametrize("persona", ["management", "pane"])
def test_readers_see_no_run_button(request, client, seeded_year, invitation_step, persona):
    assert "Lancer maintenant" not in _page(client, request.getfixturevalue(persona))


def test_an_unknown_step_is_a_404(client, hr, seeded_year):
    client.force_login(hr)
    assert client.post(reverse("cycle:run", args=["inconnue"]), {"annee": seeded_year.pk}).status_code == 404


@pytest.mark.parametrize("effects", [1, 60])
def test_the_page_queries_do_not_grow_with_effects_and_emails(
    client, hr, seeded_year, invitation_step, django_assert_max_num_queries, effects
):
    for i in range(effects):
        CycleEffect.objects.create(year=seeded_year, step="test-invitations", occurrence=f"o{i}", done_by=hr)
        _emails(seeded_year, "test-invitations", OutboundEmail.Status.SENT, 2, start=i * 10)
    client.force_login(hr)
    with django_assert_max_num_queries(QUERY_BOUND):
        response = client.get(reverse("cycle:overview"))
    assert response.status_code == 200


def test_the_selector_shows_next_year(client, hr, seeded_year):
    following = seeded_year.next_year()
    following.save()
    page = _page(client, hr, following)
    assert 'data-testid="year-selector"' in page
    assert "Le cycle de l'année 2027-2028" in page and "1er septembre 2027" in page


def test_the_failed_emails_link_is_there_when_the_page_exists(client, hr, seeded_year):
    _emails(seeded_year, "nominations-open", OutboundEmail.Status.FAILED, 2)
    page = _page(client, hr)
    assert "2 courriels du cycle sont en échec." in page
    try:
        url = reverse("outbox:list")
    except Exception:  # the mail helper's page is not on this branch
        return
    assert f'href="{url}"' in page


def test_a_step_of_a_milestone_without_date_is_still_shown(client, hr, seeded_year):
    @engine.step("test-window", label=lambda: "Ouverture d'essai", milestone="nominations")
    def run(year, occurrence):
        return {}

    run.due(lambda year, now: [""])
    try:
        page = _page(client, hr)  # no next year: the nomination window has no date
        assert "Autres étapes" in page and "Ouverture d'essai" in page
    finally:
        engine.STEPS.pop("test-window")
