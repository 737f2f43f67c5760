"""The « qui fait quoi » editing URLs × every persona: HR, the PANE (services éducatifs) and administrators only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorat.testing import LOGIN, PERSONAS, check_access
from roles.models import Actor


def _row(default=403, anonymous=LOGIN, **expected):
    row = {persona: default for persona in PERSONAS}
    row["anonymous"] = anonymous
    row.update(expected)
    return row


EDITORS_GET = _row(hr=200, pane=200, admin_user=200)
EDITORS_POST = _row(hr=302, pane=302, admin_user=302)

# (url name, target, method, expected by persona, POST data built from the target)
ACCESS_TABLE = [
    ("referential_edit", None, "get", EDITORS_GET, None),
    ("referential_history", None, "get", EDITORS_GET, None),
    ("responsibility_add", "actor", "post", EDITORS_POST, lambda o: {f"add-{o.pk}-text": "en accueillant"}),
    ("responsibility_reword", "responsibility", "post", EDITORS_POST, lambda o: {f"resp-{o.pk}-text": "en écoutant"}),
    ("responsibility_move", "responsibility", "post", EDITORS_POST, lambda o: {"direction": "down"}),
    ("responsibility_retire", "responsibility", "post", EDITORS_POST, lambda o: {}),
]


@pytest.fixture
def objects(db):
    actor = Actor.objects.get(name="La personne mentore")
    return {"actor": actor, "responsibility": actor.responsibilities.order_by("position").first()}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name,target,method,expected,data", ACCESS_TABLE, ids=[row[0] for row in ACCESS_TABLE])
def test_access_table(request, client, objects, year, url_name, target, method, expected, data, persona):
    user = request.getfixturevalue(persona)
    obj = objects[target] if target else None
    url = reverse(url_name, kwargs={"pk": obj.pk}) if obj else reverse(url_name)
    check_access(client, user, url, expected[persona], method=method, data=data(obj) if data else None)
