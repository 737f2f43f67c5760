"""Forms of the Law 25 pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from schools.models import AccessRequest, Person


class AccessRequestForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31)

    class Meta:
        model = AccessRequest
        fields = ["kind", "received_on", "answered_on", "extended", "notes"]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "answered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_notes(self):
        return self.cleaned_data["notes"].replace("\x00", "")

    def clean(self):
        cleaned = super().clean()
        received, answered = cleaned.get("received_on"), cleaned.get("answered_on")
        if received and answered and answered < received:
            self.add_error("answered_on", _("La réponse ne peut précéder la réception."))
        return cleaned


class PersonCorrectionForm(forms.ModelForm):
    """HR's correction of the staff record; the hidden stamp refuses a silent overwrite."""

    updated_at = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    class Meta:
        model = Person
        fields = ["employee_number", "first_name", "last_name", "email"]
