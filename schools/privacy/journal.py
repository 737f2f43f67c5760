"""Reading the audit trail: filters, one readable row per entry, and its CSV export."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schools.models import Person
from schools.privacy.audit import AuditEvent

ACTION_LABELS = {
    LogEntry.Action.CREATE: _("Création"),
    LogEntry.Action.UPDATE: _("Modification"),
    LogEntry.Action.DELETE: _("Suppression"),
}


def _kind_choices():
    choices = [("", _("Tous"))]
    choices += [(f"action:{value}", label) for value, label in ACTION_LABELS.items()]
    choices += [(f"event:{value}", label) for value, label in AuditEvent.LABELS.items()]
    return choices


def _object_type_choices():
    models = sorted(auditlog.get_models(), key=lambda model: str(model._meta.verbose_name))
    return [("", _("Tous"))] + [(model._meta.label_lower, model._meta.verbose_name) for model in models]


class JournalFilterForm(forms.Form):
    personne = forms.CharField(
        label=_("Personne concernée"),
        required=False,
        max_length=100,
        help_text=_("Nom ou matricule."),
    )
    personne_id = forms.IntegerField(required=False, min_value=1, max_value=2**62, widget=forms.HiddenInput)
    objet = forms.ChoiceField(label=_("Type d'objet"), required=False)
    action = forms.ChoiceField(label=_("Action ou événement"), required=False)
    auteur = forms.CharField(label=_("Fait par"), required=False, max_length=100, help_text=_("Nom ou courriel."))
    du = forms.DateField(label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    au = forms.DateField(label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objet"].choices = _object_type_choices()
        self.fields["action"].choices = _kind_choices()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and start > end:
            self.add_error("au", _("La fin de la période précède son début."))
        return cleaned


def _people_matching(text: str):
    words = text.split()
    people = Person.objects.all()
    for word in words:
        people = people.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(employee_number__iexact=word)
        )
    return people.values("pk")


def filtered_entries(form: JournalFilterForm):
    """The entries the filters keep, newest first (an invalid filter keeps none)."""
    entries = LogEntry.objects.select_related("content_type", "actor__person").order_by("-timestamp", "-pk")
    if not form.is_valid():
        return entries.none()
    data = form.cleaned_data
    if data.get("personne_id"):
        entries = entries.filter(subjects__person_id=data["personne_id"])
    if data.get("personne"):
        entries = entries.filter(subjects__person__in=_people_matching(data["personne"])).distinct()
    if data.get("objet"):
        app_label, _dot, model = data["objet"].partition(".")
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model)
    kind, _colon, value = (data.get("action") or "").partition(":")
    if kind == "action":
        entries = entries.filter(action=int(value))
    elif kind == "event":
        entries = entries.filter(action=LogEntry.Action.ACCESS, additional_data__event=value)
    if data.get("auteur"):
        text = data["auteur"]
        entries = entries.filter(
            Q(actor__email__icontains=text)
            | Q(actor_email__icontains=text)
            | Q(actor__person__last_name__icontains=text)
            | Q(actor__person__first_name__icontains=text)
        )
    if data.get("du"):
        entries = entries.filter(timestamp__date__gte=data["du"])
    if data.get("au"):
        entries = entries.filter(timestamp__date__lte=data["au"])
    return entries


@dataclass
class Change:
    field: str
    before: str
    after: str


def _field(model, name: str):
    """The model field a change is about; None for the id and reverse relations (noise in the trail)."""
    if model is None or name == "id":
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if getattr(field, "concrete", False) or field.many_to_many else None


def _text(value) -> str:
    if value is None or value == "None":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


BOOLEANS = {"True": _("oui"), "False": _("non")}
# Related objects whose name is read once per page (cheap __str__, no further query).
NAMED_TARGETS = ("schools.person", "schools.school", "schools.schoolyear", "schools.building")


def _shown(field, value, names: dict) -> str:
    text = _text(value)
    if text == "—":
        return text
    if field.choices:
        return str(dict(field.flatchoices).get(_typed(field, text), text))
    if text in BOOLEANS and field.get_internal_type() in ("BooleanField", "NullBooleanField"):
        return str(BOOLEANS[text])
    if field.is_relation and not field.many_to_many:
        return names.get((field.related_model._meta.label_lower, text)) or str(_("n° %(id)s") % {"id": text})
    return text


def _typed(field, text: str):
    try:
        return field.to_python(text)
    except Exception:  # a value stored by an older version of the model
        return text


def related_names(entries) -> dict:
    """{(model label, pk): name} for the people, schools, years and buildings the page's changes point to.

    One query per kind of target (four at most), whatever the number of rows.
    """
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        model = entry.content_type.model_class()
        for name, value in (entry.changes or {}).items():
            field = _field(model, name)
            if field is None or not field.is_relation or field.many_to_many or not isinstance(value, list):
                continue
            label = field.related_model._meta.label_lower
            if label in NAMED_TARGETS:
                wanted.setdefault(label, set()).update(v for v in value if v not in (None, "None", ""))
    names = {}
    from django.apps import apps

    for label, pks in wanted.items():
        model = apps.get_model(label)
        ids = [int(pk) for pk in pks if str(pk).isdigit()]
        for obj in model.objects.filter(pk__in=ids):
            names[(label, str(obj.pk))] = str(obj)
    return names


def changes_of(entry: LogEntry, names: dict | None = None) -> list[Change]:
    """Field, before and after of one entry, read from its stored JSON (names: from related_names())."""
    model = entry.content_type.model_class()
    names = names or {}
    rows = []
    for name, value in (entry.changes or {}).items():
        field = _field(model, name)
        if field is None:
            continue
        label = str(field.verbose_name)
        if isinstance(value, dict) and value.get("type") == "m2m":
            objects = _text(value.get("objects"))
            if value.get("operation") == "add":
                rows.append(Change(label, "", objects))
            else:
                rows.append(Change(label, objects, ""))
        elif isinstance(value, list | tuple) and len(value) == 2:
            rows.append(Change(label, _shown(field, value[0], names), _shown(field, value[1], names)))
    return rows


def what_of(entry: LogEntry) -> str:
    if entry.action == LogEntry.Action.ACCESS:
        event = (entry.additional_data or {}).get("event", "")
        return str(AuditEvent.LABELS.get(event, event))
    return str(ACTION_LABELS.get(entry.action, entry.action))


def actor_of(entry: LogEntry) -> str:
    actor = entry.actor
    if actor is None:
        return entry.actor_email or str(_("Système"))
    person = getattr(actor, "person", None)
    return f"{person.full_name} <{actor.email}>" if person else actor.email


def object_type_of(entry: LogEntry) -> str:
    model = entry.content_type.model_class()
    return str(model._meta.verbose_name) if model else entry.content_type.model


def csv_rows(entries):
    """The header then one row per change (an entry without field changes gives one row)."""
    yield [
        str(_("Date et heure")),
        str(_("Fait par")),
        str(_("Adresse IP")),
        str(_("Action ou événement")),
        str(_("Type d'objet")),
        str(_("Objet")),
        str(_("Champ")),
        str(_("Avant")),
        str(_("Après")),
    ]
    batch = []
    for entry in entries.iterator(chunk_size=500):
        batch.append(entry)
        if len(batch) == 500:
            yield from _csv_batch(batch)
            batch = []
    yield from _csv_batch(batch)


def _csv_batch(entries):
    names = related_names(entries)
    for entry in entries:
        base = [
            _local(entry.timestamp),
            actor_of(entry),
            entry.remote_addr or "",
            what_of(entry),
            object_type_of(entry),
            entry.object_repr,
        ]
        changes = changes_of(entry, names)
        if not changes:
            yield [*base, "", "", ""]
        for change in changes:
            yield [*base, change.field, change.before, change.after]


def _local(moment: datetime.datetime) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def entries_about(person: Person):
    return (
        LogEntry.objects.filter(subjects__person=person)
        .select_related("content_type", "actor__person")
        .order_by("-timestamp", "-pk")
    )
