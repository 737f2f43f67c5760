"""Quebec formats: 1 600 $, 20 %, in French; $1,600 and 20% in English."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

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
