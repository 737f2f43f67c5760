"""Forms of the calendars: the centre-wide filters and the attendance report's year and cohort."""

from __future__ import annotations

from django import forms
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from mentors.models import Cohort, EventKind
from schools.models import Order


class CentreFilterForm(forms.Form):
    """GET filters of the centre's calendar: kind, cohort, order (all optional)."""

    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Tous les types")), *EventKind.choices])
    cohort = forms.ModelChoiceField(
        label=_("Cohorte"), required=False, queryset=Cohort.objects.none(), empty_label=_("Toutes les cohortes")
    )
    order = forms.ChoiceField(
        label=_("Ordre d'enseignement"), required=False, choices=[("", _("Tous les ordres")), *Order.choices]
    )

    def __init__(self, *args, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        cohorts = Cohort.objects.select_related("year").order_by("-year__starts_on", "name")
        self.fields["cohort"].queryset = cohorts.filter(year=year) if year else cohorts

    def filter(self, events):
        """The events the valid filters keep (an invalid value filters nothing and shows its error)."""
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data["kind"]:
            events = events.filter(kind=data["kind"])
        if data["cohort"]:
            events = events.filter(cohort=data["cohort"])
        if data["order"]:
            events = events.filter(cohort__order=data["order"])
        return events

    def query(self) -> str:
        """The filters as a query string, kept by the month and page links."""
        if not self.is_valid():
            return ""
        return urlencode({name: self.data.get(name) for name in self.fields if self.data.get(name)})
