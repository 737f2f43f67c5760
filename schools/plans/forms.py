from __future__ import annotations

import zipfile
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from mentorat.forms import IdsChoiceField
from roles.models import Actor
from schools.forms import SchoolSearchField
from schools.models import Order, Person, School
from schools.plans.models import (
    Category,
    CycleStep,
    DeploymentPlan,
    Newcomer,
    NewcomerStatus,
    PlanSource,
    PlanStep,
    PlanTemplate,
    StepStatus,
)


class PersonChoiceField(IdsChoiceField):
    def label_from_instance(self, person):
        return person.full_name


class StepForm(forms.ModelForm):
    intentions = forms.CharField(
        label=_("Intentions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Une intention par ligne."),
    )
    responsible_actors = IdsChoiceField(
        label=_("Responsable"),
        queryset=Actor.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Les acteurs du référentiel « Qui fait quoi »."),
    )
    people_actors = IdsChoiceField(
        label=_("Personnes impliquées (acteurs)"),
        queryset=Actor.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people_persons = PersonChoiceField(
        label=_("Personnes impliquées (personnel de l'école)"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Maintenez Ctrl (ou Cmd) enfoncée pour en choisir plusieurs."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PlanStep
        fields = PlanStep.EDITABLE_FIELDS
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "people_other": forms.Textarea(attrs={"rows": 2}),
            "comments": forms.Textarea(attrs={"rows": 2}),
            "when_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {
            "title": _("Étape détaillée de mise en œuvre"),
            "responsible_other": _("Responsable (autre)"),
            "people_other": _("Autres personnes impliquées"),
            "when_on": _("Quand : une date"),
            "when_text": _("… ou une période"),
        }
        help_texts = {
            "people_other": _("Une par ligne, par exemple « Membres du CPE »."),
            "when_text": _("Par exemple « Novembre 2026 (et plus) »."),
        }

    def __init__(self, *args, plan: DeploymentPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people_persons"].queryset = Person.objects.at_school(plan.school, plan.year).order_by(
            "last_name", "first_name"
        )
        self.fields["category"].choices = [("", _("—"))] + list(Category.choices)
        if self.instance.pk:
            self.initial["intentions"] = "\n".join(self.instance.intentions or [])
            self.initial.setdefault("version", self.instance.version)

    def clean_intentions(self) -> list[str]:
        lines = self.cleaned_data["intentions"].splitlines()
        return [line.strip().lstrip("•-").strip() for line in lines if line.strip().lstrip("•-").strip()]

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Décrivez l'étape."))
        return title

    def clean(self):
        data = super().clean()
        if not self.instance.pk and data is not None:
            data.pop("version", None)
        return data


class PlanStartForm(forms.Form):
    source = forms.ChoiceField(label=_("Point de départ"), choices=PlanSource.choices, widget=forms.RadioSelect)
    template = forms.ModelChoiceField(
        label=_("Modèle"), queryset=PlanTemplate.objects.all(), required=False, empty_label=None
    )

    def __init__(self, *args, school, has_previous: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = list(PlanSource.choices)
        if not has_previous:
            choices = [c for c in choices if c[0] != PlanSource.COPY]
        self.fields["source"].choices = choices
        preferred = PlanTemplate.objects.filter(order=school.order).first()
        if preferred:
            self.fields["template"].initial = preferred.pk

    def clean(self):
        data = super().clean()
        if data.get("source") == PlanSource.TEMPLATE and not data.get("template"):
            self.add_error("template", _("Choisissez un modèle."))
        return data


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes importantes"), required=False, widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Votre commentaire"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


def _sniff(extension: str, upload) -> bool:
    """Cheap content checks: PDF magic bytes, an Office zip container with its part, PNG/JPEG signatures."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension in ("docx", "xlsx", "pptx"):
        if not head.startswith(b"PK\x03\x04"):
            return False
        part = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}[extension]
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return False
        finally:
            upload.seek(0)
        return "[Content_Types].xml" in names and any(name.startswith(part) for name in names)
    return False


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titre du document"), max_length=200)
    url = forms.URLField(label=_("Lien"), required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(label=_("… ou un fichier"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        types = ", ".join(ext.upper() for ext in settings.PLAN_UPLOAD_TYPES)
        self.fields["file"].help_text = _("%(types)s ; au plus %(size)s.") % {
            "types": types,
            "size": filesizeformat(settings.PLAN_UPLOAD_MAX_BYTES),
        }
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{ext}" for ext in settings.PLAN_UPLOAD_TYPES)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        extension = PurePath(upload.name).suffix.lower().lstrip(".")
        if extension not in settings.PLAN_UPLOAD_TYPES:
            raise forms.ValidationError(
                _("Ce type de fichier n'est pas accepté. Types acceptés : %(types)s.")
                % {"types": ", ".join(ext.upper() for ext in settings.PLAN_UPLOAD_TYPES)}
            )
        if upload.size > settings.PLAN_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("Ce fichier pèse %(size)s ; la limite est de %(max)s.")
                % {"size": filesizeformat(upload.size), "max": filesizeformat(settings.PLAN_UPLOAD_MAX_BYTES)}
            )
        if not _sniff(extension, upload):
            raise forms.ValidationError(
                _("Le contenu de ce fichier ne correspond pas à un fichier %(type)s.") % {"type": extension.upper()}
            )
        self.content_type = settings.PLAN_UPLOAD_TYPES[extension]
        return upload

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if bool(data.get("url")) == bool(data.get("file")):
            raise forms.ValidationError(_("Donnez un lien ou choisissez un fichier (l'un ou l'autre)."))
        return data


class NewcomerForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    followed_by = forms.ModelChoiceField(
        label=_("Qui fait le suivi"), queryset=Person.objects.none(), required=False, empty_label=_("Personne")
    )

    class Meta:
        model = Newcomer
        fields = ["followed_by", "status", "needs", "next_follow_up_on", "notes"]
        widgets = {
            "needs": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "next_follow_up_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        row = self.instance
        self.fields["followed_by"].queryset = Person.objects.at_school(row.school, row.year).order_by(
            "last_name", "first_name"
        )
        self.fields["followed_by"].label_from_instance = lambda person: person.full_name
        self.initial.setdefault("version", row.version)


class FollowUpForm(forms.Form):
    date = forms.DateField(label=_("Date du suivi"), widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Comment ça va"), choices=NewcomerStatus.choices)
    note = forms.CharField(
        label=_("Ce qui a été fait ou convenu"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class OverviewFilterForm(forms.Form):
    ordre = forms.ChoiceField(label=_("Ordre d'enseignement"), required=False)
    statut = forms.ChoiceField(label=_("Statut"), required=False)
    ecole = SchoolSearchField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ecole"].queryset = School.objects.active()
        self.fields["ordre"].choices = [("", _("Tous les ordres"))] + list(Order.choices)
        self.fields["statut"].choices = [
            ("", _("Toutes les écoles")),
            ("sans_plan", _("Sans plan")),
            ("avec_plan", _("Avec un plan")),
        ] + [(value, _("Au moins une étape « %(status)s »") % {"status": label}) for value, label in StepStatus.choices]


__all__ = ["CycleStep"]
