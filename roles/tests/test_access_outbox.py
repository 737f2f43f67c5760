"""The outbox pages (« Courriels en échec ») and « Mes rappels automatiques » × every persona."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorat.models import OutboundEmail
from mentorat.testing import PERSONAS, check_access
from roles.tests.test_access import _row

# HR and the administrator only: the list shows every person's address.
HR_ONLY = dict(
    director_a=403, director_b=403, pane=403, trainer=403, management=403, mentor_a=403, mentee_a=403, teacher=403
)

ACCESS_TABLE = [
    ("outbox:list", None, "get", _row(**HR_ONLY)),
    ("outbox:resend", "failed", "post", _row(hr=302, admin_user=302, **HR_ONLY)),
    ("outbox:resend_all", None, "post", _row(hr=302, admin_user=302, **HR_ONLY)),
    # Everyone signed in chooses for themselves.
    ("nudge_settings", None, "get", _row()),
]


@pytest.fixture
def objects(db):
    failed = OutboundEmail.objects.create(
        key="test:failed", kind="invitation", to="x@example.org", status=OutboundEmail.Status.FAILED
    )
    return {"failed": failed}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name,target,method,expected", ACCESS_TABLE, ids=[row[0] for row in ACCESS_TABLE])
def test_access_table(request, client, objects, mailoutbox, url_name, target, method, expected, persona):
    user = request.getfixturevalue(persona)
    kwargs = {"pk": objects[target].pk} if target else {}
    check_access(client, user, reverse(url_name, kwargs=kwargs), expected[persona], method=method)
