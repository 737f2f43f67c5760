import pytest

from surveys.tests.factories import full_survey


@pytest.fixture
def survey(year):
    return full_survey(year)
