"""Forms of the Law 25 pages: a line of the retention schedule, an incident of the register."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from schools.law25.models import ConfidentialityIncident, RetentionRule


class VersionedForm(forms.ModelForm):
    """A model form carrying the version it was read at (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class RetentionRuleForm(VersionedForm):
    class Meta:
        model = RetentionRule
        fields = ["period", "unit", "starts_from", "action", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean_period(self):
        period = self.cleaned_data["period"]
        if period is not None and period > 1200:
            raise forms.ValidationError(_("Une durée de plus de 1 200 (100 ans en mois) n'est pas plausible."))
        return period

    def clean_action(self):
        action = self.cleaned_data["action"]
        if action not in self.instance.allowed_actions():
            raise forms.ValidationError(
                _("Cette action n'est pas possible pour ce type de renseignement (« %(kind)s »).")
                % {"kind": self.instance.get_kind_display()}
            )
        return action


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IncidentForm(VersionedForm):
    class Meta:
        model = ConfidentialityIncident
        fields = [
            "title",
            "information_concerned",
            "circumstances",
            "occurred_from",
            "occurred_until",
            "learned_on",
            "people_count",
            "risk_level",
            "risk_justification",
            "commission_notified_on",
            "people_notified_on",
            "measures",
        ]
        widgets = {
            "occurred_from": DATE,
            "occurred_until": DATE,
            "learned_on": DATE,
            "commission_notified_on": DATE,
            "people_notified_on": DATE,
            "information_concerned": forms.Textarea(attrs={"rows": 3}),
            "circumstances": forms.Textarea(attrs={"rows": 3}),
            "risk_justification": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        start, end, learned = cleaned.get("occurred_from"), cleaned.get("occurred_until"), cleaned.get("learned_on")
        if start and end and end < start:
            self.add_error("occurred_until", _("La fin de la période précède son début."))
        if start and learned and learned < start:
            self.add_error("learned_on", _("Le centre ne peut pas avoir appris l'incident avant qu'il commence."))
        for field in ("commission_notified_on", "people_notified_on"):
            notified = cleaned.get(field)
            if notified and start and notified < start:
                self.add_error(field, _("Un avis ne peut pas précéder l'incident."))
        if cleaned.get("risk_level") == "serious" and not (cleaned.get("risk_justification") or "").strip():
            self.add_error("risk_justification", _("Justifiez l'évaluation d'un risque de préjudice sérieux."))
        return cleaned
