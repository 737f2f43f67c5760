"""Quebec conventions: 1 600 $, 20 %, ISO dates and 24-hour time in French; English on request."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from mentorat.templatetags.formatting import money, percent, thousands


def test_money_in_french_and_english():
    with translation.override("fr-ca"):
        assert money(1600) == "1\xa0600\xa0$"
        assert money(Decimal("1234567.5"), 2) == "1\xa0234\xa0567,50\xa0$"
    with translation.override("en"):
        assert money(1600) == "$1,600"


def test_percent_from_a_fraction():
    with translation.override("fr-ca"):
        assert percent(Decimal("0.2")) == "20\xa0%"
        assert percent(Decimal("0.125"), 1) == "12,5\xa0%"
    with translation.override("en"):
        assert percent(Decimal("0.2")) == "20%"


def test_thousands():
    with translation.override("fr-ca"):
        assert thousands(2000) == "2\xa0000"


def test_dates_and_times_in_quebec_format():
    moment = datetime.datetime(2027, 4, 20, 13, 5)
    with translation.override("fr-ca"):
        rendered = Template('{{ d|date:"SHORT_DATE_FORMAT" }} {{ d|time:"TIME_FORMAT" }} {{ d|date }}').render(
            Context({"d": moment})
        )
    assert rendered == "2027-04-20 13:05 20 avril 2027"
