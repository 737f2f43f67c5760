"""Concurrent submissions on PostgreSQL: none lost, none doubled, counts equal to a recount (issue 12, point 5).

SQLite serialises writers, so this only means something on PostgreSQL; the
500-submission run through HTTP is ``bench/survey_load_bench.py``.
"""

from __future__ import annotations

import random
import threading

import pytest
from django.db import connection

from mentorat import factories as f
from schools.models import Order
from surveys import aggregates
from surveys.models import Invitation, Response
from surveys.results import Scope, survey_results
from surveys.services import SurveyError, response_submit
from surveys.tests.factories import OPENS, add_question, answer_values, full_survey, invite, questions
from surveys.tests.test_aggregates import random_values, signature

SUBMISSIONS = 50
DOUBLED = 10  # a thread holds a connection: 60 stays under PostgreSQL's default 100


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_lose_and_double_nothing(year):
    survey = full_survey(year)
    add_question(survey, "text", "Combien ?", show_if_question=questions(survey)[4], show_if_value="Argent")
    by_position = questions(survey)
    schools = [
        f.SchoolFactory(code=f"L{i}", name=f"École {i}", order=Order.PRIMARY if i % 2 else Order.SECONDARY)
        for i in range(4)
    ]
    invitations = []
    for i in range(SUBMISSIONS):
        person = f.PersonFactory()
        f.StaffAssignmentFactory(person=person, school=schools[i % 4], year=year)
        invitations.append(invite(survey, person))
    rng = random.Random(12)
    jobs = [(invitation.pk, random_values(rng)) for invitation in invitations]
    # Ten links are posted twice at once (a double click): one of the two must be refused.
    jobs += jobs[:DOUBLED]
    rng.shuffle(jobs)
    barrier = threading.Barrier(len(jobs))
    refused, failed = [], []

    def submit(invitation_pk, values):
        try:
            invitation = Invitation.objects.select_related("survey", "survey__year", "person").get(pk=invitation_pk)
            barrier.wait()
            response_submit(invitation=invitation, answers=answer_values(by_position, values), now=OPENS)
        except SurveyError:
            refused.append(invitation_pk)
        except Exception as error:  # noqa: BLE001 (reported below)
            failed.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failed == []
    assert sorted(refused) == sorted(invitation.pk for invitation in invitations[:DOUBLED])
    assert Response.objects.filter(survey=survey).count() == SUBMISSIONS
    assert Invitation.objects.filter(survey=survey, has_answered=True).count() == SUBMISSIONS
    assert aggregates.stored_counts(survey) == aggregates.count_stored(survey)
    for scope in [Scope(), Scope(order=Order.PRIMARY), *(Scope(school=school) for school in schools)]:
        assert signature(survey_results(survey, scope)) == signature(survey_results(survey, scope, recount=True))
