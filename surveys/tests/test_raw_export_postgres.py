"""On PostgreSQL the raw CSV is built by the database: the same bytes as the Python path."""

from __future__ import annotations

import csv
import random

import pytest

from mentorat.spreadsheets import neutralise
from schools.models import Order
from surveys import exports
from surveys.tests.test_aggregates import make_random_survey


@pytest.mark.postgres
def test_database_built_raw_csv_equals_the_python_one(year):
    from mentorat import factories as f

    schools = [f.SchoolFactory(code=f"X{i}", order=Order.PRIMARY if i else Order.SECONDARY) for i in range(3)]
    survey = make_random_survey(year, schools, random.Random(21), n=40)
    writer = csv.writer(exports.Echo())
    python = "\ufeff" + "".join(writer.writerow([neutralise(c) for c in row]) for row in exports.raw_rows(survey))
    database = "".join(exports.raw_csv_stream(survey))
    assert database.count("\r\n") == 41
    assert "'=1+1" in database  # an « autre » text that looks like a formula is neutralised
    assert database == python
