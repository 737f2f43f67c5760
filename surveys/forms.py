"""The respondent's form (built from a survey's questions) and the builder's forms."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schools.models import Person, SchoolYear
from surveys import rules
from surveys.models import (
    CONDITION_KINDS,
    NO,
    YES,
    Audience,
    Question,
    QuestionKind,
    Survey,
)

OTHER = "autre"
TEXT_MAX = 5000
SEPARATOR = "|"  # joins several options in one CSV cell, so labels may not contain it


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def rank_field_name(question: Question, choice) -> str:
    return f"q{question.pk}_c{choice.pk}"


class ResponseForm(forms.Form):
    """One field per question (one per option for rankings); conditions decide what is required."""

    def __init__(self, questions: list[Question], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self._add_fields(question)

    def _add_fields(self, question: Question) -> None:
        # The question's text is the legend of its fieldset in the page; the field itself has no visible label.
        name = field_name(question)
        common = {"label": "", "required": False, "help_text": question.help}
        choices = [(str(choice.pk), choice.label) for choice in question.choices.all()]
        kind = question.kind
        if kind == QuestionKind.SINGLE:
            if question.allow_other:
                choices.append((OTHER, _("Autre (précisez)")))
            self.fields[name] = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        elif kind == QuestionKind.MULTIPLE:
            if question.allow_other:
                choices.append((OTHER, _("Autre (précisez)")))
            self.fields[name] = forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        elif kind == QuestionKind.YES_NO:
            self.fields[name] = forms.ChoiceField(
                choices=[(YES, _("Oui")), (NO, _("Non"))], widget=forms.RadioSelect, **common
            )
        elif kind == QuestionKind.NUMBER:
            self.fields[name] = forms.DecimalField(
                max_digits=12,
                decimal_places=2,
                min_value=Decimal(0),
                widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
                **common,
            )
        elif kind == QuestionKind.SCALE_10:
            scale = [(str(value), str(value)) for value in range(1, 11)]
            self.fields[name] = forms.ChoiceField(choices=scale, widget=forms.RadioSelect, **common)
        elif kind == QuestionKind.TEXT:
            self.fields[name] = forms.CharField(max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}), **common)
        elif kind == QuestionKind.RANKING:
            ranks = [("", "—")] + [(str(rank), str(rank)) for rank in range(1, len(choices) + 1)]
            for choice in question.choices.all():
                self.fields[rank_field_name(question, choice)] = forms.TypedChoiceField(
                    label=choice.label, choices=ranks, coerce=int, empty_value=None, required=False
                )
        if name in self.fields and not isinstance(
            self.fields[name].widget, forms.RadioSelect | forms.CheckboxSelectMultiple
        ):
            self.fields[name].widget.attrs["aria-label"] = question.text
        # Announce what is required (the legend also says it in words). Not on checkboxes:
        # `required` there would mean every box. The form is `novalidate`: the server decides,
        # so a hidden conditional question never blocks the submission.
        if (
            question.required
            and name in self.fields
            and not isinstance(self.fields[name].widget, forms.CheckboxSelectMultiple)
        ):
            self.fields[name].widget.attrs["required"] = True
        if question.allow_other and kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YES_NO):
            other_label = _("Pourquoi ?") if kind == QuestionKind.YES_NO else _("Précisez")
            self.fields[f"{name}_other"] = forms.CharField(
                label=other_label,
                required=False,
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}) if kind == QuestionKind.YES_NO else forms.TextInput,
            )

    def describe_errors(self) -> None:
        """Tie each field's error message to its inputs (aria-describedby), as the page renders it."""
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                # crispy-bootstrap5 gives the first message of a field this id.
                attrs["aria-describedby"] = f"error_1_{self[name].auto_id}"
                attrs["aria-invalid"] = "true"

    # Conditions

    def _selected_labels(self, question: Question, data) -> set[str]:
        value = data.get(field_name(question))
        if question.kind == QuestionKind.YES_NO:
            return {value} if value else set()
        values = value if isinstance(value, (list, tuple)) else [value]
        labels = {str(choice.pk): choice.label for choice in question.choices.all()}
        return {labels[v] for v in values if v in labels}

    def selected(self, data=None) -> dict[int, set[str]]:
        """Each question's chosen values (« oui »/« non » or option labels), for the conditions."""
        data = self.cleaned_data if data is None else data
        return {question.pk: self._selected_labels(question, data) for question in self.questions}

    def answered(self, data=None) -> set[int]:
        data = self.cleaned_data if data is None else data
        answered = set()
        for question in self.questions:
            if question.kind == QuestionKind.RANKING:
                if any(data.get(rank_field_name(question, c)) is not None for c in question.choices.all()):
                    answered.add(question.pk)
            elif data.get(field_name(question)) not in (None, "", []):
                answered.add(question.pk)
        return answered

    def shown_ids(self, data=None) -> set[int]:
        return rules.shown_ids(self.questions, self.selected(data))

    def is_shown(self, question: Question, data=None) -> bool:
        """A question is shown when it has no condition, or its condition question is shown and matches."""
        return question.pk in self.shown_ids(data)

    def condition_target(self, question: Question) -> tuple[str, str] | None:
        """(field name, value) that shows this question, for the page's small script."""
        condition = question.show_if_question
        if condition is None:
            return None
        if condition.kind == QuestionKind.YES_NO:
            return field_name(condition), question.show_if_value
        choice = next((c for c in condition.choices.all() if c.label == question.show_if_value), None)
        return field_name(condition), str(choice.pk) if choice else ""

    def clean(self):
        data = super().clean()
        # The same rules as the raw import; an answer to a hidden question is simply left out
        # here (the respondent changed an earlier answer), while the import refuses it.
        problems = rules.answer_problems(self.questions, self.selected(data), self.answered(data))
        missing = {question.pk for question, problem in problems if problem == rules.REQUIRED}
        shown = self.shown_ids(data)
        for question in self.questions:
            if question.pk not in shown:
                continue
            if question.kind == QuestionKind.RANKING:
                self._clean_ranking(question, data, missing=question.pk in missing)
            elif question.pk in missing:
                self.add_error(field_name(question), _("Cette question est obligatoire."))
            self._clean_other(question, data)
        return data

    def _clean_other(self, question: Question, data) -> None:
        value = data.get(field_name(question))
        chose_other = value == OTHER or (isinstance(value, list) and OTHER in value)
        if chose_other and not (data.get(f"{field_name(question)}_other") or "").strip():
            self.add_error(f"{field_name(question)}_other", _("Précisez votre réponse « Autre »."))

    def _clean_ranking(self, question: Question, data, *, missing: bool) -> None:
        ranks = [data.get(rank_field_name(question, c)) for c in question.choices.all()]
        given = sorted(rank for rank in ranks if rank is not None)
        first = rank_field_name(question, question.choices.all()[0]) if ranks else None
        if not given:
            if missing and first:
                self.add_error(first, _("Classez au moins votre premier choix."))
            return
        if given != list(range(1, len(given) + 1)):
            self.add_error(first, _("Utilisez chaque rang une seule fois, à partir de 1, sans en sauter."))

    # Typed answers

    def typed_answers(self) -> list[dict]:
        """Answer field values (question, choice, number, rank, boolean, text) for the shown questions."""
        answers, shown = [], self.shown_ids()
        for question in self.questions:
            if question.pk in shown:
                answers.extend(self._answers_for(question))
        return answers

    def _answers_for(self, question: Question) -> list[dict]:
        data, name = self.cleaned_data, field_name(question)
        value, other = data.get(name), (data.get(f"{name}_other") or "").strip() or None
        base = {"question": question}
        kind = question.kind
        if kind == QuestionKind.RANKING:
            return [
                {**base, "choice": choice, "rank": data[rank_field_name(question, choice)]}
                for choice in question.choices.all()
                if data.get(rank_field_name(question, choice))
            ]
        if value in (None, "", []):
            return []
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            values = value if isinstance(value, list) else [value]
            by_pk = {str(choice.pk): choice for choice in question.choices.all()}
            rows = [{**base, "choice": by_pk[v]} for v in values if v in by_pk]
            if OTHER in values:
                rows.append({**base, "choice": None, "text": other})
            return rows
        if kind == QuestionKind.YES_NO:
            return [{**base, "boolean": value == YES, "text": other}]
        if kind in (QuestionKind.NUMBER, QuestionKind.SCALE_10):
            return [{**base, "number": Decimal(value)}]
        return [{**base, "text": value.strip()}] if value.strip() else []

    def draft_data(self) -> dict:
        """The posted values of this form's fields, to save and come back later."""
        data = {}
        for name in self.fields:
            values = [value[:TEXT_MAX] for value in self.data.getlist(name)] if hasattr(self.data, "getlist") else []
            if any(values):
                data[name] = values
        return data

    @staticmethod
    def initial_from_draft(draft: dict | None, form_fields) -> dict:
        initial = {}
        for name, values in (draft or {}).items():
            field = form_fields.get(name)
            if field is not None:
                initial[name] = values if isinstance(field, forms.MultipleChoiceField) else values[0]
        return initial


# Builder


class SurveyForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    people_list = forms.CharField(
        label=_("Personnes sollicitées"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Public « Autre liste » : un courriel ou un matricule par ligne."),
    )

    class Meta:
        model = Survey
        fields = ["title", "introduction", "audience", "year", "opens_at", "closes_at", "invited_count"]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].queryset = SchoolYear.objects.all()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["people_list"].initial = "\n".join(
                person.email or person.employee_number for person in self.instance.custom_people.all()
            )

    def clean_people_list(self):
        keys = [line.strip() for line in self.cleaned_data["people_list"].splitlines() if line.strip()]
        people = list(Person.objects.filter(Q(email__in=keys) | Q(employee_number__in=keys)))
        known = {p.email for p in people} | {p.employee_number for p in people}
        unknown = [key for key in keys if key not in known]
        if unknown:
            raise forms.ValidationError(_("Personnes introuvables : %(keys)s") % {"keys": ", ".join(unknown[:10])})
        return people

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and opens >= closes:
            self.add_error("closes_at", _("La fermeture doit suivre l'ouverture."))
        if data.get("audience") == Audience.CUSTOM and not data.get("people_list"):
            self.add_error("people_list", _("Indiquez au moins une personne pour une liste personnalisée."))
        return data


BIN_LINE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:(?:-|–|à)\s*(\d+(?:[.,]\d+)?)|(\+))\s*(?:=\s*(.*))?$")


def parse_bins(text: str) -> list:
    """Lines like « 1-5 = Entre 1 et 5 » or « 16+ = 16 et + » → [[1, 5, "Entre 1 et 5"], [16, None, "16 et +"]]."""
    bins = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = BIN_LINE.match(line)
        if not match:
            raise forms.ValidationError(
                _("Ligne %(n)s : écrivez « 1-5 = libellé » ou « 16+ = libellé ».") % {"n": number}
            )
        low = _number(match.group(1))
        high = None if match.group(3) else _number(match.group(2))
        if high is not None and high < low:
            raise forms.ValidationError(
                _("Ligne %(n)s : la borne supérieure précède la borne inférieure.") % {"n": number}
            )
        bins.append([low, high, (match.group(4) or "").strip()])
    return bins


def _number(text: str):
    value = Decimal(text.replace(",", "."))
    return int(value) if value == value.to_integral_value() else float(value)


def bins_text(bins: list) -> str:
    lines = []
    for low, high, *label in bins or []:
        bounds = f"{low}+" if high is None else f"{low}-{high}"
        lines.append(f"{bounds} = {label[0]}" if label and label[0] else bounds)
    return "\n".join(lines)


class QuestionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    choices_text = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Choix et classements : une option par ligne, dans l'ordre d'affichage."),
    )
    bins_text = forms.CharField(
        label=_("Tranches"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Nombres : une tranche par ligne, p. ex. « 1-5 = Entre 1 et 5 » ou « 16+ = 16 et + »."),
    )

    class Meta:
        model = Question
        fields = ["kind", "text", "help", "required", "allow_other", "show_if_question", "show_if_value"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        earlier = survey.questions.filter(kind__in=CONDITION_KINDS)
        if self.instance.pk:
            earlier = earlier.filter(position__lt=self.instance.position)
            self.fields["choices_text"].initial = "\n".join(c.label for c in self.instance.choices.all())
            self.fields["bins_text"].initial = bins_text(self.instance.bins)
        self.fields["show_if_question"].queryset = earlier
        self.fields["show_if_value"].help_text = _("« oui », « non » ou le libellé exact d'une option.")
        self.fields["version"].initial = survey.version

    def clean_choices_text(self):
        labels = [line.strip() for line in self.cleaned_data["choices_text"].splitlines() if line.strip()]
        if any(SEPARATOR in label for label in labels):
            raise forms.ValidationError(_("Une option ne peut pas contenir le caractère « | »."))
        if len(set(labels)) != len(labels):
            raise forms.ValidationError(_("Deux options portent le même libellé."))
        return labels

    def clean_bins_text(self):
        return parse_bins(self.cleaned_data["bins_text"])

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if (
            kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING)
            and len(data.get("choices_text") or []) < 2
        ):
            self.add_error("choices_text", _("Indiquez au moins deux options."))
        condition, value = data.get("show_if_question"), (data.get("show_if_value") or "").strip()
        if condition and not value:
            self.add_error("show_if_value", _("Indiquez la réponse qui affiche cette question."))
        if condition and value:
            allowed = [YES, NO] if condition.kind == QuestionKind.YES_NO else [c.label for c in condition.choices.all()]
            if value not in allowed:
                self.add_error("show_if_value", _("Réponses possibles : %(values)s") % {"values": ", ".join(allowed)})
        data["show_if_value"] = value if condition else ""
        return data


class CopyForm(forms.Form):
    year = forms.ModelChoiceField(label=_("Année scolaire"), queryset=SchoolYear.objects.all())
    title = forms.CharField(label=_("Titre"), max_length=200)
    opens_at = forms.DateTimeField(label=_("Ouverture"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    closes_at = forms.DateTimeField(label=_("Fermeture"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["opens_at"] >= data["closes_at"]:
            self.add_error("closes_at", _("La fermeture doit suivre l'ouverture."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Fichier CSV (même format que l'export des réponses)"))
