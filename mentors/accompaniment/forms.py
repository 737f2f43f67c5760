"""Forms of the cohorts and planning pages."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.forms import IdsChoiceField
from mentors.forms import DateInput
from mentors.models import Cohort, Event, EventPeriod, NonSchoolDay
from mentors.models.accompaniment import DEFAULT_TIMES, NUMBERED_KINDS
from roles.models import Membership, Role
from schools.models import Person


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class PersonChoices(IdsChoiceField):
    def label_from_instance(self, person):
        return person.full_name


def people_with_role(role: str, year):
    """People holding the role this year (or permanently)."""
    ids = Membership.objects.in_force(year).filter(role=role).values("person_id")
    return Person.objects.filter(id__in=ids).order_by("last_name", "first_name")


class CohortForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    panes = PersonChoices(
        label=_("PANE responsables"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    trainers = PersonChoices(
        label=_("Formatrices universitaires qui accompagnent la cohorte"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Cohort
        fields = ["name", "order"]
        help_texts = {"order": _("Laisser vide pour une cohorte qui réunit le primaire et le secondaire.")}

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panes"].queryset = people_with_role(Role.PANE, year)
        self.fields["trainers"].queryset = people_with_role(Role.TRAINER, year)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["panes"].initial = list(self.instance.panes.all())
            self.fields["trainers"].initial = list(self.instance.trainers.all())


class PlacementForm(forms.Form):
    """The nominated mentors not placed yet; the suggestion comes checked."""

    mentors = forms.MultipleChoiceField(
        label=_("Personnes mentores à placer dans cette cohorte"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, profiles, suggested_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.profiles = {str(p.person.pk): p for p in profiles}
        self.fields["mentors"].choices = [
            (str(p.person.pk), f"{p.person.full_name} — {p.school.name}") for p in profiles
        ]
        self.fields["mentors"].initial = [str(pk) for pk in suggested_ids]

    def chosen(self) -> list[Person]:
        return [self.profiles[pk].person for pk in self.cleaned_data["mentors"]]


# Which field a planning rule's message belongs to.
RULE_FIELDS = {"number": "number", "cohort": "number"}


class EventForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    meeting_url = forms.URLField(
        label=Event._meta.get_field("meeting_url").verbose_name, required=False, assume_scheme="https"
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "number",
            "title",
            "date",
            "period",
            "starts_at",
            "ends_at",
            "place",
            "meeting_url",
            "agenda",
        ]
        widgets = {
            "date": DateInput(),
            "starts_at": TimeInput(),
            "ends_at": TimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "title": _("Facultatif : par défaut, le type et le numéro (« Journée de cohorte 3 »)."),
            "starts_at": _("Laisser vide pour l'heure habituelle du moment choisi (8 h 30, 13 h)."),
            "ends_at": _("Laisser vide pour l'heure habituelle du moment choisi (11 h 45, 16 h)."),
        }

    def __init__(self, *args, can_override: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].required = False
        self.fields["ends_at"].required = False
        self.fields["number"].widget.attrs.update(min=1, max=6)
        self.previous_period = self.instance.period if self.instance.pk else None
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        if can_override:
            self.fields["override_reason"] = forms.CharField(
                label=_("Motif de la dérogation (RH)"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=self.instance.override_reason,
                help_text=_(
                    "Seulement si l'événement enfreint une règle de planification : "
                    "le motif, votre nom et la date sont conservés et affichés sur l'événement."
                ),
            )

    def clean(self):
        data = super().clean()
        period = data.get("period")
        if period:
            default_start, default_end = DEFAULT_TIMES[EventPeriod(period)]
            # A new period keeps custom hours but replaces the previous period's usual ones.
            if self.previous_period and period != self.previous_period:
                old_start, old_end = DEFAULT_TIMES[EventPeriod(self.previous_period)]
                if (data.get("starts_at"), data.get("ends_at")) == (old_start, old_end):
                    data["starts_at"], data["ends_at"] = default_start, default_end
            data["starts_at"] = data.get("starts_at") or default_start
            data["ends_at"] = data.get("ends_at") or default_end
            self.instance.starts_at, self.instance.ends_at = data["starts_at"], data["ends_at"]
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and starts_at >= ends_at:
            self.add_error("ends_at", _("L'heure de fin doit suivre l'heure de début."))
        if data.get("kind") and data["kind"] not in NUMBERED_KINDS:
            data["number"] = None
        return data

    def add_conflicts(self, conflicts) -> None:
        """Show each planning rule's refusal at its field (the date by default)."""
        for conflict in conflicts:
            self.add_error(RULE_FIELDS.get(conflict.rule, "date"), conflict.message)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titre du document"), max_length=200, required=False)
    url = forms.URLField(label=_("Lien"), required=False, assume_scheme="https")

    def clean(self):
        data = super().clean()
        if data.get("title") and not data.get("url"):
            self.add_error("url", _("Indiquez le lien du document."))
        if data.get("url") and not data.get("title"):
            self.add_error("title", _("Donnez un titre au document."))
        return data


DocumentFormSet = forms.formset_factory(DocumentForm, extra=2, can_delete=True, max_num=20)


def documents_from(formset) -> list[tuple[str, str]]:
    return [
        (form.cleaned_data["title"], form.cleaned_data["url"])
        for form in formset.forms
        if form.cleaned_data.get("url") and not form.cleaned_data.get("DELETE")
    ]


class NonSchoolDayForm(forms.ModelForm):
    class Meta:
        model = NonSchoolDay
        fields = ["date", "kind", "label"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_date(self) -> datetime.date:
        date = self.cleaned_data["date"]
        if not self.year.starts_on <= date <= self.year.ends_on:
            raise forms.ValidationError(
                _("Cette date n'appartient pas à l'année scolaire %(year)s.") % {"year": self.year.label}
            )
        twin = NonSchoolDay.objects.filter(date=date).exclude(pk=self.instance.pk).first()
        if twin is not None:
            raise forms.ValidationError(
                _("Cette date figure déjà au calendrier : %(day)s.") % {"day": twin.get_kind_display()}
            )
        return date

    def save(self, commit=True):
        self.instance.year = self.year
        return super().save(commit)
