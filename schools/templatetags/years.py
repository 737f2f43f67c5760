"""``{% year_selector year %}``: the one year selector of every year-scoped page."""

from __future__ import annotations

from django import template

from schools.models import SchoolYear

register = template.Library()


@register.inclusion_tag("schools/_year_selector.html", takes_context=True)
def year_selector(context, year, label=""):
    """A GET form to this page for another year (?annee=<id>); the years that exist, the cycle's year marked."""
    request = context.get("request")
    years = list(SchoolYear.objects.order_by("-starts_on"))
    return {
        "year": year,
        "years": years,
        "access": context.get("access"),
        "action": request.path if request else "",
        "label": label,
    }
