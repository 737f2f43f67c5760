"""Quebec conventions: 1 600 $, 20 %, ISO dates and 24-hour time in French; English on request."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from mentorat.templatetags.formatting import long_date, long_datetime, money, percent, thousands


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


def test_long_date_writes_1er_for_the_first_of_the_month():
    with translation.override("fr-ca"):
        assert long_date(datetime.date(2026, 9, 1)) == "1er septembre 2026"
        assert long_date(datetime.date(2026, 12, 1), weekday=True) == "mardi 1er décembre 2026"
        assert Template('{% load formatting %}{{ d|long_date:"month" }}').render(
            Context({"d": datetime.date(2026, 9, 1)})
        ) == ("1er septembre")


def test_long_date_writes_other_days_as_plain_numbers():
    with translation.override("fr-ca"):
        assert long_date(datetime.date(2026, 9, 3)) == "3 septembre 2026"
        assert long_date(datetime.date(2026, 9, 21)) == "21 septembre 2026"
        assert long_date(None) == ""


def test_long_date_in_english_is_the_english_long_form():
    with translation.override("en"):
        assert long_date(datetime.date(2026, 9, 1)) == "September 1, 2026"
        assert long_date(datetime.date(2026, 12, 1), weekday=True) == "Tuesday, December 1, 2026"


def test_long_datetime_reads_in_the_centres_time_zone():
    # 20:00 UTC on 28 April is 16:00 in Montréal (EDT).
    moment = datetime.datetime(2026, 4, 28, 20, 0, tzinfo=datetime.UTC)
    with translation.override("fr-ca"):
        assert long_datetime(moment) == "28 avril 2026 à 16 h"
        assert long_datetime(moment.replace(day=1, minute=30)) == "1er avril 2026 à 16 h 30"
        rendered = Template("{% load formatting %}{{ m|long_datetime }}").render(Context({"m": moment}))
    assert rendered == "28 avril 2026 à 16 h"
    with translation.override("en"):
        assert long_datetime(moment) == "April 28, 2026 at 16:00"


def test_the_calendar_library_gives_the_same_long_date():
    day = datetime.date(2026, 9, 1)
    with translation.override("fr-ca"):
        calendar = Template("{% load accompaniment %}{{ d|long_date }}").render(Context({"d": day}))
        project = Template("{% load formatting %}{{ d|long_date }}").render(Context({"d": day}))
    assert calendar == project == "1er septembre 2026"
