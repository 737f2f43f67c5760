"""Forms of the roles of the year: grant a role, end one."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from roles.models import Role
from roles.services import default_start
from schools.forms import SchoolChoiceField, SchoolSearchField
from schools.models import Person, School, SchoolYear


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class GrantForm(forms.Form):
    person = forms.CharField(
        label=_("Personne (matricule ou courriel)"),
        max_length=254,
        help_text=_("La personne doit figurer dans la liste du personnel."),
    )
    role = forms.ChoiceField(label=_("Rôle"))
    school = SchoolChoiceField(
        queryset=School.objects.active(),
        required=False,
        help_text=_("Pour une direction d'établissement seulement."),
    )
    starts_on = forms.DateField(label=_("Début"), widget=DateInput())
    replace_school_director = forms.BooleanField(
        label=_("Remplace la direction actuelle de cette école (son rôle prend fin à cette date)"), required=False
    )
    leave_other_schools = forms.BooleanField(
        label=_("Change d'école : met fin à ses autres directions de l'année à cette date"), required=False
    )

    def __init__(self, *args, year: SchoolYear, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["role"].choices = [(value, label) for value, label in Role.choices if value in roles]
        self.fields["starts_on"].initial = default_start(year)

    def clean_person(self):
        text = self.cleaned_data["person"].strip()
        person = Person.objects.filter(Q(employee_number=text) | Q(email__iexact=text)).first()
        if person is None:
            raise forms.ValidationError(
                _("Aucune personne du personnel n'a le matricule ou le courriel « %(value)s ».") % {"value": text}
            )
        return person

    def clean_starts_on(self):
        starts_on = self.cleaned_data["starts_on"]
        if not self.year.starts_on <= starts_on <= self.year.ends_on:
            raise forms.ValidationError(
                _("Choisissez une date de l'année %(label)s (du %(start)s au %(end)s).")
                % {"label": self.year.label, "start": self.year.starts_on, "end": self.year.ends_on}
            )
        return starts_on

    def clean(self):
        cleaned = super().clean()
        role, school = cleaned.get("role"), cleaned.get("school")
        if role == Role.DIRECTOR and school is None and "school" not in self.errors:
            self.add_error("school", _("Choisissez l'école de cette direction."))
        if role and role != Role.DIRECTOR and school is not None:
            self.add_error("school", _("Seule une direction d'établissement est rattachée à une école."))
        if role != Role.DIRECTOR:
            cleaned["school"] = None
        return cleaned


class DirectorsFilterForm(forms.Form):
    """The roles page's filter on the directors' table: a school's code or part of its name."""

    ecole = SchoolSearchField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ecole"].queryset = School.objects.active()


class EndForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Prend fin le"),
        widget=DateInput(),
        help_text=_("Le rôle ne donne plus accès à partir de ce jour : aujourd'hui, l'accès cesse tout de suite."),
    )


class NudgeSettingsForm(forms.ModelForm):
    """A person's own choice: automatic reminders (nudges) or not; required notices are always sent."""

    class Meta:
        from roles.models import User

        model = User
        fields = ["receives_nudges"]
