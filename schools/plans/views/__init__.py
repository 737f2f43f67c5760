"""Views of the deployment plans (plans.py), the overview (overview.py) and the tracking table (tracking.py)."""

from __future__ import annotations

from mentorat.parsing import as_id
from roles.access import access_for
from schools.models import SchoolYear


def selected_year(request) -> SchoolYear | None:
    """The year in ?annee=<id>, or the current one."""
    year_id = as_id(request.GET.get("annee"))
    if year_id is not None:
        year = SchoolYear.objects.filter(pk=year_id).first()
        if year:
            return year
    return access_for(request).year or SchoolYear.objects.first()
