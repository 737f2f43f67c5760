from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorat.parsing import as_id
from mentors.models import (
    Candidacy,
    CandidacyStatus,
    Cohort,
    Decision,
    FollowUpEntry,
    Opinion,
    PairingStatus,
    ProgrammeSettings,
    ReflectiveAnswers,
    Topic,
)
from schools.forms import SchoolChoiceField, SchoolSearchField, find_school
from schools.models import Building, Order, School


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VersionMixin(forms.Form):
    """The version of the object as displayed, to refuse a write over someone else's."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ProgrammeSettingsForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    class Meta:
        model = ProgrammeSettings
        fields = [
            "opens_at",
            "closes_at",
            "substitute_daily_rate",
            "compensation",
            "teaching_days",
            "cohort_days_in_release",
        ]
        widgets = {"opens_at": DateTimeInput(), "closes_at": DateTimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if bool(opens) != bool(closes):
            raise forms.ValidationError(_("Indiquez l'ouverture et la fermeture, ou aucune des deux."))
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("La fermeture doit suivre l'ouverture."))
        return data


class ReflectiveAnswersForm(forms.ModelForm):
    class Meta:
        model = ReflectiveAnswers
        fields = [field for field, _label in ReflectiveAnswers.DIMENSIONS] + ["comment"]
        widgets = {field: forms.RadioSelect for field, _label in ReflectiveAnswers.DIMENSIONS}
        labels = dict(ReflectiveAnswers.DIMENSIONS) | {"comment": _("Ce que je retiens de ma réflexion (facultatif)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, _label in ReflectiveAnswers.DIMENSIONS:
            self.fields[field].choices = [c for c in self.fields[field].choices if c[0] != ""]


class CandidacyForm(forms.ModelForm):
    school = SchoolChoiceField(queryset=School.objects.active(), label=_("École"), required=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Candidacy
        fields = [
            "school",
            "building",
            "order",
            "years_of_experience",
            "subjects_levels",
            "motivation",
            "availability",
            "capacity",
        ]
        widgets = {"motivation": forms.Textarea(attrs={"rows": 4}), "availability": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any building is checked against the chosen school in clean(); the drop-down offers only the buildings
        # of the candidacy's school and of the school just typed, not every building of the centre.
        self.fields["building"].queryset = Building.objects.select_related("school")
        shown = Building.objects.filter(school_id__in=self._building_school_ids()).select_related("school")
        self.fields["building"].widget.choices = [("", "---------")] + [
            (building.pk, f"{building.school.name} — {building.name}")
            for building in shown.order_by("school__name", "name")
        ]
        self.fields["order"].choices = Order.choices
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def _building_school_ids(self) -> set[int]:
        ids = {self.instance.school_id} - {None}
        typed = self.data.get(self.add_prefix("school")) if self.is_bound else None
        if typed:
            try:
                ids.add(find_school(School.objects.active(), str(typed).strip()[:200]).pk)
            except forms.ValidationError:
                pass  # the school field says why when the form is cleaned
        return ids

    def clean(self):
        data = super().clean()
        school, building = data.get("school"), data.get("building")
        if school and building and building.school_id != school.pk:
            self.add_error("building", _("Ce bâtiment n'appartient pas à l'école choisie."))
        return data


class OpinionForm(VersionMixin):
    opinion = forms.ChoiceField(label=_("Avis"), choices=Opinion.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("opinion") not in (None, Opinion.FAVOURABLE) and not data.get("comment", "").strip():
            self.add_error("comment", _("Expliquez en commentaire un avis réservé ou défavorable."))
        return data


QUOTA_REASON_HELP = _("Seulement pour nommer au-delà du quota de l'école : il est conservé dans l'historique.")


class DecisionForm(VersionMixin):
    decision = forms.ChoiceField(label=_("Décision"), choices=Decision.choices)
    reason = forms.CharField(label=_("Motif"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    quota_reason = forms.CharField(
        label=_("Motif du dépassement du quota"),
        required=False,
        max_length=1000,
        help_text=QUOTA_REASON_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.DECLINED and not data.get("reason", "").strip():
            self.add_error("reason", _("Indiquez le motif d'une candidature non retenue."))
        return data


class BulkDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Décision pour les candidatures cochées"), choices=Decision.choices)
    reason = forms.CharField(label=_("Motif"), required=False)
    quota_reason = forms.CharField(
        label=_("Motif du dépassement du quota"), required=False, max_length=1000, help_text=QUOTA_REASON_HELP
    )
    selection = forms.MultipleChoiceField(required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        # Each checkbox is "<id>:<version seen>"; the choices are whatever was sent, validated in clean_selection.
        if data is not None:
            self.fields["selection"].choices = [(v, v) for v in data.getlist("selection")]

    def clean_selection(self) -> dict[int, int]:
        versions = {}
        for value in self.cleaned_data["selection"]:
            pk, _sep, version = value.partition(":")
            if as_id(pk) is None or as_id(version) is None:
                raise forms.ValidationError(_("Sélection invalide : rechargez la page."))
            versions[int(pk)] = int(version)
        if not versions:
            raise forms.ValidationError(_("Cochez au moins une candidature."))
        return versions

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.DECLINED and not data.get("reason", "").strip():
            self.add_error("reason", _("Indiquez le motif d'une candidature non retenue."))
        return data


class BoardFilterForm(forms.Form):
    STATUS_CHOICES = (
        [("", _("Tous les statuts")), ("pending", _("Sans décision"))]
        + [(value, label) for value, label in CandidacyStatus.choices]
        + [(value, label) for value, label in Decision.choices]
    )
    SORT_CHOICES = [
        ("name", _("Nom")),
        ("experience", _("Expérience")),
        ("opinion", _("Avis de la direction")),
        ("decision", _("Décision")),
        ("submitted", _("Date de dépôt")),
    ]

    ordre = forms.ChoiceField(label=_("Ordre"), choices=[("", _("Tous les ordres"))] + Order.choices, required=False)
    ecole = SchoolSearchField()
    statut = forms.ChoiceField(label=_("Statut"), choices=STATUS_CHOICES, required=False)
    renouvellement = forms.BooleanField(label=_("Renouvellements seulement"), required=False)
    tri = forms.ChoiceField(label=_("Trier par"), choices=SORT_CHOICES, required=False)


class PairingEndForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Fin du jumelage"),
        widget=forms.RadioSelect,
        choices=[
            (PairingStatus.COMPLETED, PairingStatus.COMPLETED.label),
            (PairingStatus.ENDED_EARLY, PairingStatus.ENDED_EARLY.label),
        ],
    )
    ended_on = forms.DateField(label=_("Date de fin"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(label=_("Motif"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("status") == PairingStatus.ENDED_EARLY and not data.get("reason", "").strip():
            self.add_error("reason", _("Indiquez le motif d'une fin avant terme."))
        return data


class FollowUpEntryForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        label=_("Thèmes"), choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = FollowUpEntry
        fields = ["date", "duration_minutes", "kind", "topics", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"notes": _("Visibles par vous seulement : ni la direction, ni les RH, ni la PANE.")}

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("La date ne peut pas être dans le futur."))
        return date


class FollowUpFilterForm(forms.Form):
    """The follow-up page's filters; the year comes from the year selector (?annee)."""

    SORT_CHOICES = [
        ("derniere", _("Dernière rencontre, la plus ancienne d'abord")),
        ("nom", _("Nom de la personne mentore")),
        ("heures", _("Heures cette année, les moins nombreuses d'abord")),
    ]

    cohorte = forms.ModelChoiceField(
        label=_("Cohorte"), queryset=Cohort.objects.none(), required=False, empty_label=_("Toutes les cohortes")
    )
    ecole = SchoolSearchField()
    tri = forms.ChoiceField(label=_("Trier par"), choices=SORT_CHOICES, required=False)
    sans_rencontre = forms.BooleanField(label=_("Sans rencontre depuis 3 semaines"), required=False)

    def __init__(self, *args, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohorte"].queryset = Cohort.objects.for_year(year).order_by("name").only("id", "name")
