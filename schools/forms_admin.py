"""Forms of the centre's administration pages: a school's settings, its buildings, a year's dates."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.templatetags.formatting import long_date
from schools.models import Building, School, SchoolYear


class SchoolForm(forms.ModelForm):
    """A school's identity and the inputs of the release fraction, the budget and the nomination board."""

    # The version read when the form was displayed (optimistic locking).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The signature of the changes the user confirmed on the confirmation step.
    confirmed = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = School
        fields = ["code", "name", "order", "cycle_length_days", "release_days_per_cycle", "mentor_quota", "is_active"]
        help_texts = {
            "mentor_quota": _(
                "Laisser vide pour la valeur par défaut : 1 au primaire, 2 au secondaire. "
                "Dans une école à deux bâtiments, le nombre s'applique à chaque bâtiment."
            ),
            "is_active": _("Une école désactivée ne reçoit plus de candidatures ni d'importations de directions."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor_quota"].required = False
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        cycle, release = cleaned.get("cycle_length_days"), cleaned.get("release_days_per_cycle")
        if cycle is not None and release is not None and release > cycle:
            self.add_error(
                "release_days_per_cycle",
                _("Les jours de libération (%(release)s) dépassent la durée du cycle (%(cycle)s jours).")
                % {"release": release, "cycle": cycle},
            )
        return cleaned

    def settings_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class BuildingForm(forms.ModelForm):
    class Meta:
        model = Building
        fields = ["code", "name"]

    def __init__(self, *args, school: School, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.school = school

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        others = Building.objects.filter(school=self.instance.school, code__iexact=code).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Cette école a déjà un bâtiment avec ce code."))
        return code


class YearDatesForm(forms.ModelForm):
    """The year's own milestone dates (the nomination window and the half-days have their own pages)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = SchoolYear
        fields = [
            "model_starts_on",
            "budget_from",
            "budget_until",
            "survey_opens_on",
            "survey_closes_on",
            "profile_published_on",
            "nominations_decided_by",
            "accompaniment_plan_by",
        ]
        widgets = {name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for name in fields}

    # (start, end) pairs: the end must follow the start.
    SPANS = [("budget_from", "budget_until"), ("survey_opens_on", "survey_closes_on")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version
        self.fields["survey_opens_on"].help_text = _(
            "Dates par défaut de la campagne : les sondages de l'année, une fois créés, donnent les dates réelles."
        )

    def clean(self):
        cleaned = super().clean()
        year = self.instance
        for name in self.Meta.fields:
            value = cleaned.get(name)
            if value and not (year.starts_on <= value <= year.ends_on):
                self.add_error(
                    name,
                    _("Choisissez une date de l'année %(label)s (du %(start)s au %(end)s).")
                    % {"label": year.label, "start": long_date(year.starts_on), "end": long_date(year.ends_on)},
                )
        for start, end in self.SPANS:
            if cleaned.get(start) and cleaned.get(end) and cleaned[end] < cleaned[start]:
                self.add_error(end, _("La fin doit suivre le début."))
            elif bool(cleaned.get(start)) != bool(cleaned.get(end)) and end not in self.errors:
                self.add_error(
                    end if cleaned.get(start) else start, _("Indiquez le début et la fin, ou aucun des deux.")
                )
        return cleaned

    def dates(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
