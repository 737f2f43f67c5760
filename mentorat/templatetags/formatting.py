"""Quebec formats: 1 600 $, 20 %, « 1er septembre 2026 » in French; $1,600, 20%, « September 1, 2026 » in English."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, gettext

register = template.Library()
NBSP = "\xa0"


def _is_french() -> bool:
    return (get_language() or "fr").startswith("fr")


@register.filter
def money(value, decimals=0):
    """Format an amount of dollars: « 1 600 $ » in French, « $1,600 » in English."""
    if value in (None, ""):
        return ""
    amount = Decimal(value).quantize(Decimal(1) / (10 ** int(decimals)), rounding=ROUND_HALF_UP)
    text = number_format(amount, int(decimals), use_l10n=True, force_grouping=True)
    return f"{text}{NBSP}$" if _is_french() else f"${text}"


@register.filter
def percent(value, decimals=0):
    """Format a fraction (0.2) as a percentage: « 20 % » in French, « 20% » in English."""
    if value in (None, ""):
        return ""
    number = (Decimal(value) * 100).quantize(Decimal(1) / (10 ** int(decimals)), rounding=ROUND_HALF_UP)
    text = number_format(number, int(decimals), use_l10n=True, force_grouping=True)
    return f"{text}{NBSP}%" if _is_french() else f"{text}%"


@register.filter
def thousands(value):
    """An integer with the locale's thousands separator (1 600 / 1,600)."""
    if value in (None, ""):
        return ""
    return number_format(value, 0, use_l10n=True, force_grouping=True)


# --- Dates: one style per context, the French way ---
#
# The rule for every page and e-mail:
# - A date a person reads in a sentence, a badge, a detail list or an e-mail is written long:
#   « 1er septembre 2026 » (« September 1, 2026 » in English) with ``|long_date``, and a moment
#   « 28 avril 2026 à 16 h » (« April 28, 2026 at 16:00 ») with ``|long_datetime``.
# - A table with a date in every row may use the compact numeric form instead
#   (``|date:"SHORT_DATE_FORMAT"``: 2026-09-03), provided the whole table uses it; a table never
#   mixes the two styles. History and audit tables do; short tables of a few rows read better long.
# Times follow the calendar's clock: « 16 h », « 8 h 30 » (no trailing « 00 », as the OQLF advises).


def clock(time: datetime.time) -> str:
    """« 8 h 30 », « 16 h » in French; « 8:30 », « 16:00 » in English (24-hour time)."""
    if not _is_french():
        return f"{time.hour}:{time.minute:02d}"
    return f"{time.hour} h {time.minute:02d}" if time.minute else f"{time.hour} h"


def long_date(day, weekday: bool = False, year: bool = True) -> str:
    """« 1er décembre 2026 » (« mardi 1er décembre 2026 » with the weekday, « 1er décembre » without the
    year) in French; « December 1, 2026 » (« Tuesday, December 1, 2026 », « December 1 ») in English;
    "" for no date. The project's one long date: see the rule above for where it is used.
    """
    if not isinstance(day, datetime.date):
        return ""
    if isinstance(day, datetime.datetime) and timezone.is_aware(day):
        day = timezone.localtime(day)
    if not _is_french():
        pattern = "F j" if not year else ("l, F j, Y" if weekday else "F j, Y")
        return date_format(day, pattern)
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{number} {date_format(day, 'F Y' if year else 'F')}"
    return f"{date_format(day, 'l')} {text}" if weekday else text


@register.filter("long_date", expects_localtime=True)
def long_date_filter(value, style="") -> str:
    """``|long_date``: « 1er septembre 2026 »; ``|long_date:"weekday"`` (or ``:True``) adds the weekday,
    ``|long_date:"month"`` drops the year (« 1er septembre », for ranges inside one year)."""
    if style == "month":
        return long_date(value, year=False)
    return long_date(value, weekday=style is True or style == "weekday")


@register.filter(expects_localtime=True)
def long_datetime(moment) -> str:
    """« 28 avril 2026 à 16 h » in French, « April 28, 2026 at 16:00 » in English, in the centre's time zone."""
    if not isinstance(moment, datetime.datetime):
        return long_date(moment)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return gettext("%(date)s à %(time)s") % {"date": long_date(moment), "time": clock(moment.time())}
