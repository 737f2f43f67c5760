"""HR and the PANE edit the « qui fait quoi » referential: add, reword, reorder, retire, with the history."""

from __future__ import annotations

from django.urls import reverse

from roles.models import Actor, Responsibility, ResponsibilityChange


def mentor_actor() -> Actor:
    return Actor.objects.get(name="La personne mentore")


def texts(actor: Actor) -> list[str]:
    return list(
        actor.responsibilities.filter(retired_at__isnull=True).order_by("position").values_list("text", flat=True)
    )


def test_hr_adds_a_responsibility_at_the_end(client, hr):
    actor = mentor_actor()
    client.force_login(hr)
    response = client.post(
        reverse("responsibility_add", kwargs={"pk": actor.pk}), {f"add-{actor.pk}-text": "en célébrant les réussites"}
    )
    assert response.status_code == 302
    assert texts(actor)[-1] == "en célébrant les réussites"
    change = ResponsibilityChange.objects.get()
    assert (change.action, change.new_value, change.by) == ("added", "en célébrant les réussites", hr)
    assert "en célébrant les réussites" in client.get(reverse("referential")).content.decode()


def test_an_empty_responsibility_is_refused_at_its_field(client, pane):
    actor = mentor_actor()
    before = actor.responsibilities.count()
    client.force_login(pane)
    response = client.post(reverse("responsibility_add", kwargs={"pk": actor.pk}), {f"add-{actor.pk}-text": "   "})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ce champ est obligatoire." in body and f'aria-describedby="add-{actor.pk}-error"' in body
    assert actor.responsibilities.count() == before and not ResponsibilityChange.objects.exists()


def test_pane_rewords_and_history_shows_who_when_from_and_to(client, pane):
    responsibility = mentor_actor().responsibilities.order_by("position").first()
    old = responsibility.text
    client.force_login(pane)
    client.post(
        reverse("responsibility_reword", kwargs={"pk": responsibility.pk}),
        {f"resp-{responsibility.pk}-text": "en accueillant chaleureusement la personne mentorée"},
    )
    responsibility.refresh_from_db()
    assert responsibility.text == "en accueillant chaleureusement la personne mentorée"
    change = ResponsibilityChange.objects.get()
    assert (change.action, change.old_value, change.new_value, change.by) == (
        "reworded",
        old,
        responsibility.text,
        pane,
    )
    assert change.at is not None
    page = client.get(reverse("referential_history")).content.decode()
    assert old in page and "en accueillant chaleureusement" in page and "Reformulation" in page


def test_reordering_swaps_two_responsibilities(client, hr):
    actor = mentor_actor()
    first, second = texts(actor)[:2]
    client.force_login(hr)
    responsibility = actor.responsibilities.get(text=first)
    client.post(reverse("responsibility_move", kwargs={"pk": responsibility.pk}), {"direction": "down"})
    assert texts(actor)[:2] == [second, first]
    client.post(reverse("responsibility_move", kwargs={"pk": responsibility.pk}), {"direction": "up"})
    assert texts(actor)[:2] == [first, second]
    assert ResponsibilityChange.objects.filter(action="moved").count() == 2


def test_a_retired_responsibility_leaves_the_page_and_can_come_back(client, hr):
    responsibility = Responsibility.objects.get(text="en se rendant vulnérable")
    client.force_login(hr)
    client.post(reverse("responsibility_retire", kwargs={"pk": responsibility.pk}))
    assert "en se rendant vulnérable" not in client.get(reverse("referential")).content.decode()
    assert "en se rendant vulnérable" in client.get(reverse("referential_edit")).content.decode()
    client.post(reverse("responsibility_retire", kwargs={"pk": responsibility.pk}), {"restore": "1"})
    assert "en se rendant vulnérable" in client.get(reverse("referential")).content.decode()
    assert list(ResponsibilityChange.objects.order_by("pk").values_list("action", flat=True)) == ["retired", "restored"]


def test_edit_link_only_for_editors(client, hr, teacher):
    client.force_login(teacher)
    assert reverse("referential_edit") not in client.get(reverse("referential")).content.decode()
    client.force_login(hr)
    assert reverse("referential_edit") in client.get(reverse("referential")).content.decode()
