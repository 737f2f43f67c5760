"""The "qui fait quoi" referential: the data migration and its page."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from mentorat.testing import LOGIN, PERSONAS, check_access
from roles.models import Actor, Responsibility

# Counted from the seed's last pages ("Pour une insertion professionnelle réussie").
EXPECTED_COUNTS = [
    ("La personne mentore", 22),
    ("La personne mentorée", 15),
    ("La direction d’école", 13),
    ("L’équipe-école", 10),
    ("Le ou la conseillère pédagogique", 11),
    ("Le service des ressources éducatives", 11),
    ("Le service des ressources humaines", 10),
    ("La direction générale", 8),
]

URL = reverse("referential")


@pytest.mark.django_db
def test_migration_loaded_every_actor_with_its_responsibilities():
    actors = Actor.objects.prefetch_related("responsibilities")
    assert [(actor.name, len(actor.responsibilities.all())) for actor in actors] == EXPECTED_COUNTS
    assert {actor.intro for actor in actors} == {"joue son rôle…"}
    assert Responsibility.objects.count() == 100


@pytest.mark.django_db
def test_reverse_migration_deletes_the_referential_and_forward_reloads_it():
    migration = importlib.import_module("roles.migrations.0003_referential")
    migration.unload_referential(apps, None)
    assert not Actor.objects.exists() and not Responsibility.objects.exists()
    migration.load_referential(apps, None)
    migration.load_referential(apps, None)
    assert Responsibility.objects.count() == 100


@pytest.mark.django_db
def test_texts_are_copied_from_the_seed_with_line_wraps_joined():
    mentor = Actor.objects.get(name="La personne mentore")
    texts = [r.text for r in mentor.responsibilities.all()]
    assert texts[0] == "en accueillant la personne mentorée"
    # Wrapped over two lines in the seed.
    assert texts[4] == "en mettant la personne mentorée en contact avec des personnes ressources selon ses besoins"
    assert texts[-1] == "en étant à l’écoute des signaux de détresse de la personne mentorée"
    assert not Responsibility.objects.filter(text__contains="  ").exists()
    assert not Responsibility.objects.filter(text__endswith=" ").exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_signed_in_persona_sees_the_page(client, request, persona):
    user = request.getfixturevalue(persona)
    check_access(client, user, URL, LOGIN if persona == "anonymous" else 200)


def test_page_lists_each_actor_and_the_complementarity_note(client, teacher):
    client.force_login(teacher)
    response = client.get(URL)
    html = response.content.decode()
    assert "Qui fait quoi" in html
    for name, _count in EXPECTED_COUNTS:
        assert name in html
    assert html.count('class="list-group-item"') == 100
    assert "Bien que les différents rôles soient décrits individuellement" in html
    assert "en assurant la pérennité du programme du mentorat" in html


def test_page_query_count_does_not_grow_with_responsibilities(client, teacher, django_assert_max_num_queries):
    client.force_login(teacher)
    actor = Actor.objects.create(name="Acteur d'essai", position=99)
    Responsibility.objects.bulk_create(
        Responsibility(actor=actor, position=i, text=f"en testant {i}") for i in range(50)
    )
    # 7 today: session, user, person, current year, memberships, actors, responsibilities
    # (one prefetch whatever their number); a little room for the menu's access checks.
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert response.status_code == 200
    assert "en testant 49" in response.content.decode()
