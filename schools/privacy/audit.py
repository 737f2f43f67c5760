"""The Law 25 audit trail: what django-auditlog records, who each entry is about, and the events that are not saves.

Every model holding personal information or a decision is registered here (School,
Building, SchoolYear stay in schools/apps.py and Membership in roles/apps.py, where
they were first). Survey responses and answers are anonymous: they are never
registered, and the invitation's draft answers are excluded.

Each entry is linked to the people it is about through ``AuditSubject`` rows, so
the « personne concernée » filter is a plain join on any database. Events that
are not saves (sign-ins, failed sign-ins, refused pages, exports and imports)
are LogEntry rows too, with the ACCESS action and ``additional_data["event"]``:
one table, one page, one read-only admin, the same filters.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _


class AuditEvent:
    """The events recorded beside model changes (``additional_data["event"]``)."""

    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    REFUSED = "refused"
    EXPORT = "export"
    IMPORT = "import"

    LABELS = {
        SIGN_IN: _("Connexion"),
        SIGN_IN_FAILED: _("Échec de connexion"),
        REFUSED: _("Accès refusé (403)"),
        EXPORT: _("Exportation de renseignements personnels"),
        IMPORT: _("Importation confirmée"),
    }


def _one(*ids) -> list[int]:
    return [pk for pk in ids if pk]


def _register_all():
    from mentors.models import (
        CalendarFeed,
        Candidacy,
        Cohort,
        CohortMember,
        DecisionLog,
        EventInvitation,
        FollowUpEntry,
        MentorAssignment,
        Pairing,
        ProgrammeSettings,
        ReflectiveAnswers,
    )
    from mentors.models import (
        Event as CalendarEvent,
    )
    from roles.models import Actor, Responsibility, User
    from schools.models import AccessRequest, Entitlement, Person, StaffAssignment
    from schools.plans.models import DeploymentPlan, Newcomer, NewcomerFollowUp, PlanStep, StepComment, StepDocument
    from surveys.models import Invitation, Survey

    # (model, register options, the people an entry is about)
    table = [
        (Person, {"exclude_fields": ["updated_at"]}, lambda o: [o.pk]),
        (User, {"exclude_fields": ["password", "last_login"]}, lambda o: _people_of_users([o.pk])),
        (StaffAssignment, {}, lambda o: [o.person_id]),
        (Entitlement, {}, lambda o: [o.person_id]),
        (AccessRequest, {"exclude_fields": ["version", "reminded_on"]}, lambda o: [o.person_id]),
        (ReflectiveAnswers, {}, lambda o: [o.person_id]),
        (Candidacy, {"exclude_fields": ["version", "updated_at"]}, lambda o: [o.person_id]),
        (DecisionLog, {}, lambda o: _one(getattr(o.candidacy, "person_id", None))),
        (MentorAssignment, {}, lambda o: [o.person_id]),
        (ProgrammeSettings, {"exclude_fields": ["version"]}, lambda o: []),
        (Pairing, {}, lambda o: _one(o.mentor_id, o.mentee_id)),
        # The notes are their author's alone (not even HR reads them): only that an entry exists is audited.
        (FollowUpEntry, {"exclude_fields": ["notes"]}, lambda o: _one(o.author_id, *_pairing_people(o.pairing_id))),
        (
            Cohort,
            {"exclude_fields": ["version"], "m2m_fields": {"panes", "trainers"}},
            lambda o: [],
        ),
        (CohortMember, {}, lambda o: [o.person_id]),
        (CalendarEvent, {"exclude_fields": ["version", "sequence", "uid", "updated_at"]}, lambda o: []),
        (EventInvitation, {"exclude_fields": ["token", "sent_sequence"]}, lambda o: [o.person_id]),
        (CalendarFeed, {"exclude_fields": ["token"]}, lambda o: [o.person_id]),
        (DeploymentPlan, {}, lambda o: []),
        (
            PlanStep,
            {"exclude_fields": ["version", "updated_at"], "m2m_fields": {"people_persons"}},
            lambda o: [],
        ),
        (StepComment, {}, lambda o: _people_of_users(_one(o.author_id))),
        (StepDocument, {}, lambda o: []),
        (Newcomer, {"exclude_fields": ["version", "updated_at"]}, lambda o: _one(o.person_id, o.followed_by_id)),
        (NewcomerFollowUp, {}, lambda o: _newcomer_person(o.newcomer_id)),
        (Actor, {}, lambda o: []),
        (Responsibility, {}, lambda o: []),
        (Survey, {"exclude_fields": ["version", "updated_at", "introduction_to_review"]}, lambda o: []),
        # The draft holds answers in progress: never in the trail (answers are anonymous).
        (Invitation, {"exclude_fields": ["token", "draft"]}, lambda o: [o.person_id]),
    ]
    for model, options, people in table:
        auditlog.register(model, **options)
        SUBJECTS[model] = people


def _people_of_users(user_ids) -> list[int]:
    from schools.models import Person

    return list(Person.objects.filter(user_id__in=user_ids).values_list("pk", flat=True)) if user_ids else []


def _pairing_people(pairing_id) -> list[int]:
    from mentors.models import Pairing

    row = Pairing.objects.filter(pk=pairing_id).values_list("mentor_id", "mentee_id").first()
    return list(row or [])


def _newcomer_person(newcomer_id) -> list[int]:
    from schools.plans.models import Newcomer

    return list(Newcomer.objects.filter(pk=newcomer_id).values_list("person_id", flat=True))


# model class → function(instance) → ids of the people an entry about it concerns
SUBJECTS: dict = {}


def link_subjects(entry: LogEntry, person_ids: Iterable[int]) -> None:
    from schools.models import AuditSubject

    ids = {int(pk) for pk in person_ids if pk}
    AuditSubject.objects.bulk_create([AuditSubject(log_entry=entry, person_id=pk) for pk in ids], ignore_conflicts=True)


def _on_post_log(sender, instance, log_entry=None, **kwargs):
    people = SUBJECTS.get(sender)
    if log_entry is None or people is None:
        return
    try:
        ids = people(instance)
    except Exception:  # a deleted parent: the entry stays, unlinked
        ids = []
    link_subjects(log_entry, ids)


def _on_m2m_changed(sender, instance, action, model, pk_set, **kwargs):
    """People added to or removed from a step, cohort…: the entry auditlog just wrote concerns them."""
    from schools.models import Person

    if model is not Person or action not in ("post_add", "post_remove") or not pk_set:
        return
    if type(instance) not in SUBJECTS:
        return
    entry = LogEntry.objects.get_for_object(instance).order_by("-pk").first()
    if entry is not None:
        link_subjects(entry, pk_set)


def record_event(
    request,
    event: str,
    obj=None,
    *,
    people: Iterable[int] = (),
    detail: str = "",
    user=None,
    label: str = "",
) -> LogEntry:
    """Write one event (sign-in, refusal, export, import) to the trail, with who, when and from where."""
    from auditlog.middleware import AuditlogMiddleware

    from roles.models import User

    user = user if user is not None else getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    target = obj if obj is not None else actor
    content_type = ContentType.objects.get_for_model(target if target is not None else User)
    pk = getattr(target, "pk", None)
    entry = LogEntry.objects.create(
        content_type=content_type,
        object_pk=str(pk or ""),
        object_id=pk if isinstance(pk, int) else None,
        object_repr=(label or str(target or ""))[:500],
        action=LogEntry.Action.ACCESS,
        changes={},
        actor=actor,
        actor_email=getattr(actor, "email", "") or "",
        remote_addr=AuditlogMiddleware._get_remote_addr(request) if request is not None else None,
        additional_data={"event": event, "path": request.path[:300] if request is not None else "", "detail": detail},
    )
    link_subjects(entry, people)
    return entry


def _on_signed_in(sender, request, user, **kwargs):
    record_event(request, AuditEvent.SIGN_IN, user, user=user, people=_people_of_users([user.pk]))


def _on_sign_in_failed(sender, credentials, request=None, **kwargs):
    from roles.models import User

    tried = str(credentials.get("email") or credentials.get("username") or credentials.get("login") or "")[:254]
    account = User.objects.filter(email__iexact=tried).first() if tried else None
    record_event(
        request,
        AuditEvent.SIGN_IN_FAILED,
        account,
        user=account,
        people=_people_of_users([account.pk]) if account else [],
        label=tried,
    )


class RefusalAuditMiddleware:
    """Records every 403 answer (a page refused to a signed-in or anonymous visitor)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            record_event(request, AuditEvent.REFUSED, label=request.path[:300], detail=request.method)
        return response


def connect():
    """Called from SchoolsConfig.ready()."""
    from auditlog.signals import post_log
    from django.contrib.auth.signals import user_logged_in, user_login_failed

    _register_all()
    post_log.connect(_on_post_log, dispatch_uid="privacy_audit_subjects")
    m2m_changed.connect(_on_m2m_changed, dispatch_uid="privacy_audit_m2m_subjects")
    user_logged_in.connect(_on_signed_in, dispatch_uid="privacy_audit_sign_in")
    user_login_failed.connect(_on_sign_in_failed, dispatch_uid="privacy_audit_sign_in_failed")
    # Membership is registered in roles/apps.py; its entries concern its person.
    from roles.models import Membership

    SUBJECTS[Membership] = lambda o: [o.person_id]


# --- Bulk writes (imports): bulk_create and bulk_update send no signals, so they are logged here ---


def bulk_snapshot(model, objs, fields: list[str]) -> dict:
    """The stored values of the objects about to be bulk-updated (one query): the « before » of each entry."""
    pks = [obj.pk for obj in objs if obj.pk]
    if not pks:
        return {}
    return {row["pk"]: row for row in model.objects.filter(pk__in=pks).values("pk", *fields)}


def _current_actor():
    from auditlog.context import auditlog_value
    from django.db.models.signals import pre_save

    context = auditlog_value.get(None) or {}
    # The context outlives its request (auditlog never resets it): trust it only while its receiver is connected.
    live = {receiver[0][0] for receiver in pre_save.receivers}
    if context.get("signal_duid") not in live:
        return None, None
    actor = context.get("actor")
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return actor, context.get("remote_addr")


def _shown(value) -> str:
    return "None" if value is None else str(value)


def log_bulk(model, *, created=(), updated=(), before: dict | None = None, fields: list[str]) -> None:
    """One auditlog entry per object created or changed by a bulk write, with its people linked."""
    from schools.models import AuditSubject

    if not auditlog.contains(model):
        return
    actor, remote_addr = _current_actor()
    content_type = ContentType.objects.get_for_model(model)
    people_of = SUBJECTS.get(model, lambda o: [])
    pending = []
    for obj in created:
        if obj.pk is None:  # a database that does not return the ids of a bulk insert
            continue
        changes = {name: ["None", _shown(getattr(obj, _attname(model, name)))] for name in fields}
        pending.append((obj, LogEntry.Action.CREATE, changes))
    for obj in updated:
        stored = (before or {}).get(obj.pk, {})
        changes = {
            name: [_shown(stored.get(name)), _shown(getattr(obj, _attname(model, name)))]
            for name in fields
            if _shown(stored.get(name)) != _shown(getattr(obj, _attname(model, name)))
        }
        if changes:
            pending.append((obj, LogEntry.Action.UPDATE, changes))
    entries = LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=content_type,
                object_pk=str(obj.pk),
                object_id=obj.pk if isinstance(obj.pk, int) else None,
                object_repr=str(obj)[:500],
                action=action,
                changes=changes,
                actor=actor,
                actor_email=getattr(actor, "email", None),
                remote_addr=remote_addr,
                additional_data={"bulk": True},
            )
            for obj, action, changes in pending
        ]
    )
    AuditSubject.objects.bulk_create(
        [
            AuditSubject(log_entry=entry, person_id=person_id)
            for entry, (obj, _action, _changes) in zip(entries, pending, strict=True)
            for person_id in set(people_of(obj))
            if person_id
        ],
        ignore_conflicts=True,
    )


def _attname(model, name: str) -> str:
    return model._meta.get_field(name).attname


def values_of(obj, names: list[str]) -> dict:
    """The stored form of some fields (ids for foreign keys), read before a queryset update() changes them."""
    return {name: getattr(obj, _attname(type(obj), name)) for name in names}


def log_update(obj, before: dict) -> None:
    """An update() sends no signal: write its entry (field, before, after) from values_of() taken before."""
    log_bulk(type(obj), updated=[obj], before={obj.pk: before}, fields=list(before))
