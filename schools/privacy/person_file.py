"""Everything held about one person, for an access or portability request (Law 25).

One ``Section`` per kind of record: the page shows them as tables, the export
writes them as one JSON file and one CSV file per kind. Survey responses and
answers are anonymous and are not linked to anyone: they cannot and do not
appear here (only the invitations do). A mentor's follow-up notes are readable
by their author only: the file lists the entries without their notes.
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorat.spreadsheets import csv_text
from schools.models import Person
from schools.privacy import journal


@dataclass
class Section:
    key: str  # file name of its CSV, key of its JSON
    title: str
    columns: list[tuple[str, str]]  # (key, label)
    rows: list[dict] = field(default_factory=list)


def _value(obj, name: str):
    """A field's value as plain data: the label of a choice, the name of a related object, ISO dates."""
    model_field = obj._meta.get_field(name)
    if model_field.choices:
        return str(getattr(obj, f"get_{name}_display")()) if getattr(obj, name) not in (None, "") else ""
    value = getattr(obj, name)
    if isinstance(model_field, models.ForeignKey):
        return str(value) if value is not None else ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return value


def _section(key: str, title, queryset, names: list[str], extra=None) -> Section:
    model = queryset.model
    columns = [(name, str(model._meta.get_field(name).verbose_name)) for name in names]
    rows = []
    for obj in queryset:
        row = {name: _value(obj, name) for name in names}
        rows.append(row)
    section = Section(key, str(title), columns, rows)
    if extra:
        extra(section, queryset)
    return section


def person_file(person: Person) -> list[Section]:
    """Every kind of record held about this person, in a fixed number of queries."""
    from mentors.models import (
        Candidacy,
        CohortMember,
        DecisionLog,
        EventInvitation,
        FollowUpEntry,
        MentorAssignment,
        Pairing,
        ReflectiveAnswers,
    )
    from roles.models import Membership, User
    from schools.models import AccessRequest, Entitlement, StaffAssignment
    from schools.plans.models import Newcomer, NewcomerFollowUp, PlanStep
    from surveys.models import Invitation

    pairings = Pairing.objects.select_related("year", "mentor", "mentee")
    return [
        _section(
            "fiche",
            _("Fiche du personnel"),
            Person.objects.filter(pk=person.pk),
            ["employee_number", "first_name", "last_name", "email", "created_at", "updated_at"],
        ),
        _section(
            "compte",
            _("Compte de connexion"),
            User.objects.filter(person=person),
            ["email", "language", "is_active", "date_joined", "last_login"],
        ),
        _section(
            "affectations",
            _("Affectations"),
            StaffAssignment.objects.filter(person=person).select_related("year", "school", "building"),
            ["year", "school", "building", "job_title", "task_share"],
        ),
        _section(
            "insertion_professionnelle",
            _("Admissibilité (insertion professionnelle)"),
            Entitlement.objects.filter(person=person).select_related("year"),
            ["year", "started_on"],
        ),
        _section(
            "roles",
            _("Rôles attribués"),
            Membership.objects.filter(person=person).select_related("school", "year"),
            ["role", "school", "year", "starts_on", "ends_on"],
        ),
        _section(
            "outil_reflexif",
            _("Outil réflexif"),
            ReflectiveAnswers.objects.filter(person=person).select_related("year"),
            ["year", "motivation", "availability", "listening", "sharing_practice", "collaboration", "comment"],
        ),
        _section(
            "candidatures",
            _("Candidatures"),
            Candidacy.objects.filter(person=person).select_related("year", "school", "building"),
            [
                "year",
                "school",
                "building",
                "order",
                "years_of_experience",
                "subjects_levels",
                "motivation",
                "availability",
                "capacity",
                "status",
                "is_renewal",
                "submitted_at",
                "director_opinion",
                "director_comment",
                "opinion_at",
                "decision",
                "decision_reason",
                "decided_at",
            ],
        ),
        _section(
            "decisions",
            _("Historique des décisions de nomination"),
            DecisionLog.objects.filter(candidacy__person=person).select_related("candidacy__person"),
            ["candidacy", "at", "from_decision", "to_decision", "reason", "over_quota_reason"],
        ),
        _section(
            "affectations_mentor",
            _("Affectations comme personne mentore"),
            MentorAssignment.objects.filter(person=person).select_related("year", "school", "building"),
            ["year", "school", "building", "cycle_length_days", "release_days_per_cycle", "capacity"],
        ),
        _section(
            "jumelages_mentor",
            _("Jumelages comme personne mentore"),
            pairings.filter(mentor=person),
            ["year", "mentee", "started_on", "ended_on", "status", "end_reason"],
        ),
        _section(
            "jumelages_mentore",
            _("Jumelages comme personne mentorée"),
            pairings.filter(mentee=person),
            ["year", "mentor", "started_on", "ended_on", "status", "end_reason"],
        ),
        _section(
            "suivi",
            _("Entrées du suivi (sans les notes personnelles, lisibles par leur auteur seulement)"),
            FollowUpEntry.objects.filter(
                models.Q(pairing__mentor=person) | models.Q(pairing__mentee=person)
            ).select_related("pairing__mentor", "pairing__mentee"),
            ["pairing", "date", "duration_minutes", "kind", "topics"],
        ),
        _section(
            "cohortes",
            _("Cohortes"),
            CohortMember.objects.filter(person=person).select_related("cohort", "year"),
            ["cohort", "year", "added_on"],
        ),
        _section(
            "evenements",
            _("Invitations aux rencontres et présences"),
            EventInvitation.objects.filter(person=person).select_related("event"),
            ["event", "rsvp", "responded_at", "sent_at", "attended", "attendance_at"],
        ),
        _section(
            "plans",
            _("Mentions dans les plans de déploiement"),
            PlanStep.objects.filter(people_persons=person).select_related("plan__school", "plan__year"),
            ["plan", "title", "when_on", "when_text", "status"],
        ),
        _section(
            "tableau_de_suivi",
            _("Tableau de suivi du nouveau personnel"),
            Newcomer.objects.filter(person=person).select_related("school", "year", "followed_by"),
            ["school", "year", "reason", "followed_by", "status", "needs", "next_follow_up_on", "notes"],
        ),
        _section(
            "tableau_de_suivi_notes",
            _("Suivis notés au tableau de suivi"),
            NewcomerFollowUp.objects.filter(newcomer__person=person).select_related("newcomer__person"),
            ["newcomer", "date", "status", "note"],
        ),
        _section(
            "sondages",
            _("Invitations aux sondages (les réponses sont anonymes et ne sont reliées à personne)"),
            Invitation.objects.filter(person=person).select_related("survey"),
            ["survey", "sent_at", "reminded_at", "has_answered"],
        ),
        _section(
            "demandes",
            _("Demandes d'accès ou de rectification"),
            AccessRequest.objects.filter(person=person),
            ["kind", "received_on", "answered_on", "extended", "notes"],
        ),
        _audit_section(person),
    ]


def _audit_section(person: Person) -> Section:
    columns = [
        ("timestamp", str(_("Date et heure"))),
        ("actor", str(_("Fait par"))),
        ("remote_addr", str(_("Adresse IP"))),
        ("what", str(_("Action ou événement"))),
        ("object_type", str(_("Type d'objet"))),
        ("object", str(_("Objet"))),
        ("changes", str(_("Changements"))),
    ]
    rows = []
    entries = list(journal.entries_about(person))
    names = journal.related_names(entries)
    for entry in entries:
        changes = "; ".join(f"{c.field} : {c.before} → {c.after}" for c in journal.changes_of(entry, names))
        rows.append(
            {
                "timestamp": timezone.localtime(entry.timestamp).isoformat(timespec="seconds"),
                "actor": journal.actor_of(entry),
                "remote_addr": entry.remote_addr or "",
                "what": journal.what_of(entry),
                "object_type": journal.object_type_of(entry),
                "object": entry.object_repr,
                "changes": changes,
            }
        )
    return Section("journal", str(_("Journal des accès et des modifications")), columns, rows)


def person_file_zip(person: Person, sections: list[Section]) -> bytes:
    """One JSON file with every section, and one CSV file per section (text neutralised for spreadsheets)."""
    document = {
        "person": {"id": person.pk, "employee_number": person.employee_number, "name": person.full_name},
        "produced_at": timezone.localtime().isoformat(timespec="seconds"),
        "sections": {section.key: {"title": section.title, "rows": section.rows} for section in sections},
    }
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("dossier.json", json.dumps(document, ensure_ascii=False, indent=2, default=str))
        for section in sections:
            header = [label for _key, label in section.columns]
            body = [[row[key] for key, _label in section.columns] for row in section.rows]
            archive.writestr(f"{section.key}.csv", "\ufeff" + csv_text([header, *body]))
    return output.getvalue()
