"""Writes of the mentoring area: candidacies, decisions, assignments, pairings.

Every function is keyword-only, validates, saves inside one transaction and
sends its e-mails after commit. Errors carry a French message for the user.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.emails import queue_email
from mentorat.templatetags.formatting import long_datetime
from mentors.models import (
    Candidacy,
    CandidacyStatus,
    Decision,
    DecisionLog,
    MentorAssignment,
    Opinion,
    Pairing,
    PairingStatus,
    ProgrammeSettings,
    ReflectiveAnswers,
)
from roles.models import Membership, Role
from schools.models import Entitlement, Person, School, SchoolYear, StaffAssignment

# Fields the teacher fills; a renewal copies them from last year.
CANDIDATE_FIELDS = [
    "school",
    "building",
    "order",
    "years_of_experience",
    "subjects_levels",
    "motivation",
    "availability",
    "capacity",
]


class MentoringError(Exception):
    """A rule of the programme refused the write; str(error) is the French message."""


class ConflictError(MentoringError):
    """Someone else changed the object since it was displayed; nothing was written."""


class CrossSchoolConfirmationNeeded(MentoringError):
    """The mentor works at none of the novice's schools: the user must confirm."""


class QuotaConfirmationNeeded(MentoringError):
    """Nominating beyond the school's quota: HR must confirm with a reason, kept in the decision history."""


def _conflict() -> ConflictError:
    return ConflictError(
        _(
            "Cette candidature a été modifiée par une autre personne pendant que vous la consultiez. "
            "Rien n'a été enregistré : rechargez la page et vérifiez avant de recommencer."
        )
    )


def _save_versioned(candidacy: Candidacy, expected_version: int, **fields) -> None:
    """Write the fields only if nobody changed the candidacy since expected_version was read."""
    from schools.privacy import audit

    before = audit.values_of(candidacy, [name for name in fields if name != "updated_at"])
    fields["updated_at"] = timezone.now()
    updated = Candidacy.objects.filter(pk=candidacy.pk, version=expected_version).update(
        version=F("version") + 1, **fields
    )
    if not updated:
        raise _conflict()
    for name, value in fields.items():
        setattr(candidacy, name, value)
    candidacy.version = expected_version + 1
    audit.log_update(candidacy, before)  # update() sends no signal (Law 25 audit trail)


def _require_open_window(year: SchoolYear, now: datetime.datetime | None = None) -> ProgrammeSettings:
    programme = ProgrammeSettings.for_year(year)
    state = programme.window_state(now)
    if state == "open":
        return programme
    if state == "upcoming":
        raise MentoringError(
            _("La période de mise en candidature n'est pas encore ouverte : elle ouvre le %(date)s.")
            % {"date": long_datetime(programme.opens_at)}
        )
    if state == "closed":
        raise MentoringError(_("La période de mise en candidature est terminée."))
    raise MentoringError(_("La période de mise en candidature n'est pas encore annoncée."))


# --- The year's settings ---


@transaction.atomic
def programme_settings_save(*, form, expected_version: int | None) -> ProgrammeSettings:
    """Save HR's window and rates, unless someone saved them since the form was shown."""
    programme = form.instance
    if programme.pk:
        if expected_version is None or not ProgrammeSettings.objects.filter(
            pk=programme.pk, version=expected_version
        ).update(version=F("version") + 1):
            raise ConflictError(
                _(
                    "Ces paramètres ont été modifiés par une autre personne pendant que vous les consultiez. "
                    "Rien n'a été enregistré : rechargez la page et vérifiez avant de recommencer."
                )
            )
        programme.version = expected_version + 1
    return form.save()


# --- Candidacies ---


@transaction.atomic
def candidacy_submit(
    *, candidacy: Candidacy, expected_version: int | None = None, now: datetime.datetime | None = None
) -> Candidacy:
    """Save a new or edited candidacy as submitted, while the window is open."""
    _require_open_window(candidacy.year, now)
    if not ReflectiveAnswers.objects.filter(person=candidacy.person, year=candidacy.year).exists() and not (
        candidacy.is_renewal
    ):
        raise MentoringError(_("Remplissez d'abord l'outil réflexif « Moi mentore, pourquoi pas ? »."))
    if candidacy.decision:
        raise MentoringError(_("Une décision a déjà été rendue : communiquez avec les ressources humaines."))
    if candidacy.building_id and candidacy.building.school_id != candidacy.school_id:
        raise MentoringError(_("Ce bâtiment n'appartient pas à l'école choisie."))
    submitted_at = candidacy.submitted_at or timezone.now()
    if candidacy.pk is None:
        candidacy.status = CandidacyStatus.SUBMITTED
        candidacy.submitted_at = submitted_at
        try:
            with transaction.atomic():
                candidacy.save()
        except IntegrityError:
            raise MentoringError(_("Vous avez déjà une candidature pour cette année.")) from None
        return candidacy
    fields = {name: getattr(candidacy, name) for name in CANDIDATE_FIELDS}
    fields["school_id"] = fields.pop("school").pk
    building = fields.pop("building")
    fields["building_id"] = building.pk if building else None
    if expected_version is None:
        raise _conflict()  # a form that did not say which version it shows cannot overwrite
    _save_versioned(
        candidacy,
        expected_version,
        status=CandidacyStatus.SUBMITTED,
        submitted_at=submitted_at,
        **fields,
    )
    return candidacy


@transaction.atomic
def candidacy_withdraw(*, candidacy: Candidacy, expected_version: int, now: datetime.datetime | None = None) -> None:
    """The teacher withdraws their candidacy; only while the window is open and before a decision."""
    _require_open_window(candidacy.year, now)
    if candidacy.decision:
        raise MentoringError(_("Une décision a déjà été rendue : communiquez avec les ressources humaines."))
    _save_versioned(candidacy, expected_version, status=CandidacyStatus.WITHDRAWN)


@transaction.atomic
def candidacy_give_opinion(*, candidacy: Candidacy, opinion: str, comment: str, by, expected_version: int) -> None:
    """The director's opinion on a candidacy of their school."""
    if opinion not in Opinion.values:
        raise MentoringError(_("Choisissez un avis."))
    if candidacy.status == CandidacyStatus.WITHDRAWN:
        raise MentoringError(_("Cette candidature a été retirée."))
    if opinion != Opinion.FAVOURABLE and not comment.strip():
        raise MentoringError(_("Expliquez en commentaire un avis réservé ou défavorable."))
    _save_versioned(
        candidacy,
        expected_version,
        director_opinion=opinion,
        director_comment=comment.strip(),
        opinion_by=by,
        opinion_at=timezone.now(),
    )


def quota_seat(candidacy: Candidacy) -> tuple[int, int]:
    """(quota, already nominated) for the candidacy's seat, as the HR board counts them.

    The quota applies per building when the school has several (a candidacy without a building
    there has no seat: quota 0), otherwise to the whole school. The candidacy itself is not counted.
    """
    school = candidacy.school
    nominated = Candidacy.objects.filter(year=candidacy.year, school=school, decision=Decision.NOMINATED).exclude(
        pk=candidacy.pk
    )
    if school.buildings.count() > 1:
        quota = school.mentor_quota if candidacy.building_id else 0
        return quota, nominated.filter(building_id=candidacy.building_id).count()
    return school.mentor_quota, nominated.count()


def _check_quota(candidacy: Candidacy, quota_reason: str) -> str:
    """Refuse a nomination beyond the quota unless HR gave a reason; the reason to record, or ""."""
    # One nomination at a time per school, so that two HR officers cannot both take the last seat.
    School.objects.select_for_update().filter(pk=candidacy.school_id).first()
    quota, nominated = quota_seat(candidacy)
    if nominated < quota:
        return ""
    if not quota_reason.strip():
        raise QuotaConfirmationNeeded(
            _(
                "Quota atteint (places pourvues : %(n)s sur %(quota)s) : "
                "indiquez le motif du dépassement pour confirmer la nomination."
            )
            % {"n": nominated, "quota": quota}
        )
    return quota_reason.strip()


@transaction.atomic
def candidacy_decide(
    *, candidacy: Candidacy, decision: str, reason: str, by, expected_version: int, quota_reason: str = ""
) -> Candidacy:
    """HR's decision: log it, create or remove the mentor's assignment and role, e-mail the teacher.

    A nomination beyond the school's quota needs `quota_reason`, recorded in the decision history."""
    if decision not in Decision.values:
        raise MentoringError(_("Choisissez une décision."))
    if candidacy.status != CandidacyStatus.SUBMITTED:
        raise MentoringError(_("Seule une candidature déposée peut recevoir une décision."))
    if decision == Decision.DECLINED and not reason.strip():
        raise MentoringError(_("Indiquez le motif d'une candidature non retenue."))
    previous = candidacy.decision
    over_quota = ""
    if decision == Decision.NOMINATED and previous != Decision.NOMINATED:
        over_quota = _check_quota(candidacy, quota_reason)
    _save_versioned(
        candidacy,
        expected_version,
        decision=decision,
        decision_reason=reason.strip(),
        decided_by=by,
        decided_at=timezone.now(),
    )
    log = DecisionLog.objects.create(
        candidacy=candidacy,
        by=by,
        from_decision=previous,
        to_decision=decision,
        reason=reason.strip(),
        over_quota_reason=over_quota,
    )
    if decision == Decision.NOMINATED and previous != Decision.NOMINATED:
        _nominate(candidacy)
    elif previous == Decision.NOMINATED and decision != Decision.NOMINATED:
        _unnominate(candidacy)
    if decision != previous and candidacy.person.email:
        _queue_decision_email(candidacy, log, decision, reason.strip())
    return candidacy


def _queue_decision_email(candidacy: Candidacy, log: DecisionLog, decision: str, reason: str) -> None:
    """The teacher's required notice (not a nudge): one per decision recorded, in the decision's transaction."""
    person = candidacy.person
    user = person.user
    queue_email(
        "decision",
        person.email,
        {
            "candidacy": {"year": {"label": candidacy.year.label}, "school": {"name": candidacy.school.name}},
            "person": {"first_name": person.first_name},
            "decision": decision,
            "reason": reason,
        },
        language=user.language if user else None,
        key=f"decision:{candidacy.pk}:{log.pk}",
        source=f"decisions:{candidacy.year_id}",
    )


def _nominate(candidacy: Candidacy) -> MentorAssignment:
    school = candidacy.school
    assignment, _created = MentorAssignment.objects.update_or_create(
        person=candidacy.person,
        year=candidacy.year,
        school=school,
        defaults={
            "building": candidacy.building,
            "candidacy": candidacy,
            "capacity": candidacy.capacity,
            "cycle_length_days": school.cycle_length_days,
            "release_days_per_cycle": school.release_days_per_cycle,
        },
    )
    Membership.objects.get_or_create(person=candidacy.person, role=Role.MENTOR, school=school, year=candidacy.year)
    return assignment


def _unnominate(candidacy: Candidacy) -> None:
    """Undo a nomination, refused while the mentor still follows novices."""
    if Pairing.objects.active().filter(mentor=candidacy.person, year=candidacy.year).exists():
        raise MentoringError(
            _("Cette personne accompagne déjà des personnes mentorées : terminez d'abord ses jumelages.")
        )
    MentorAssignment.objects.filter(candidacy=candidacy).delete()
    Membership.objects.filter(
        person=candidacy.person, role=Role.MENTOR, school=candidacy.school, year=candidacy.year
    ).delete()


@transaction.atomic
def candidacy_decide_many(
    *, versions: dict[int, int], decision: str, reason: str, by, quota_reason: str = ""
) -> list[Candidacy]:
    """The same decision on several candidacies {id: version seen}: all of them or none.

    Each nomination counts against its school's quota as if decided one by one, in the order given."""
    if not versions:
        raise MentoringError(_("Cochez au moins une candidature."))
    candidacies = Candidacy.objects.select_related("person", "school", "building").filter(pk__in=versions)
    found = {c.pk: c for c in candidacies}
    missing = set(versions) - set(found)
    if missing:
        raise _conflict()
    decided = []
    for pk, version in versions.items():
        try:
            decided.append(
                candidacy_decide(
                    candidacy=found[pk],
                    decision=decision,
                    reason=reason,
                    by=by,
                    expected_version=version,
                    quota_reason=quota_reason,
                )
            )
        except ConflictError:
            raise ConflictError(
                _(
                    "La candidature de %(name)s a été modifiée entre-temps. Aucune décision n'a été enregistrée : "
                    "rechargez la page."
                )
                % {"name": found[pk].person.full_name}
            ) from None
        except MentoringError as error:
            raise type(error)(f"{found[pk].person.full_name} : {error}") from None
    return decided


def previous_year(year: SchoolYear) -> SchoolYear | None:
    return SchoolYear.objects.filter(ends_on__lt=year.starts_on).order_by("-starts_on").first()


def renewable_assignment(*, person: Person, year: SchoolYear) -> MentorAssignment | None:
    """The person's mentor assignment of the year before, if any."""
    last_year = previous_year(year)
    if last_year is None:
        return None
    return (
        MentorAssignment.objects.filter(person=person, year=last_year)
        .select_related("school", "building", "candidacy")
        .first()
    )


@transaction.atomic
def candidacy_renew(*, person: Person, year: SchoolYear, now: datetime.datetime | None = None) -> Candidacy:
    """A mentor of last year renews in one step: a submitted candidacy pre-filled from last year."""
    assignment = renewable_assignment(person=person, year=year)
    if assignment is None:
        raise MentoringError(_("Aucune affectation de personne mentore l'an dernier : déposez une candidature."))
    last = assignment.candidacy
    candidacy = Candidacy(
        person=person,
        year=year,
        school=assignment.school,
        building=assignment.building,
        order=assignment.school.order,
        is_renewal=True,
        capacity=assignment.capacity,
        years_of_experience=(last.years_of_experience + 1) if last else 0,
        subjects_levels=last.subjects_levels if last else "",
        motivation=last.motivation if last else _("Renouvellement"),
        availability=last.availability if last else _("Comme l'an dernier"),
    )
    return candidacy_submit(candidacy=candidacy, now=now)


# --- Pairings ---


def schools_of(person: Person, year: SchoolYear) -> set[int]:
    return set(StaffAssignment.objects.filter(person=person, year=year).values_list("school_id", flat=True))


@transaction.atomic
@transaction.atomic
def pairing_create(
    *,
    mentor: Person,
    mentee: Person,
    year: SchoolYear,
    by,
    started_on: datetime.date | None = None,
    confirm_cross_school: bool = False,
) -> Pairing:
    """Pair an entitled novice with a nominated mentor who has room left."""
    if not Entitlement.objects.filter(person=mentee, year=year).exists():
        raise MentoringError(_("Cette personne n'est pas en insertion professionnelle cette année."))
    # Locking the mentor's assignments makes concurrent pairings of one mentor wait for each
    # other, so two of them cannot both see a free place and push the mentor over capacity.
    assignments = list(MentorAssignment.objects.select_for_update().filter(person=mentor, year=year))
    if not assignments:
        raise MentoringError(_("Cette personne n'est pas nommée mentore pour cette année."))
    if mentor.pk == mentee.pk:
        raise MentoringError(_("Une personne ne peut pas être sa propre mentore."))
    capacity = sum(a.capacity for a in assignments)
    load = Pairing.objects.active().filter(mentor=mentor, year=year).count()
    if load >= capacity:
        raise MentoringError(
            _("%(name)s accompagne déjà %(load)s personnes, sa capacité.") % {"name": mentor.full_name, "load": load}
        )
    mentee_schools = schools_of(mentee, year)
    if not confirm_cross_school and not mentee_schools & {a.school_id for a in assignments}:
        raise CrossSchoolConfirmationNeeded(
            _("%(mentor)s ne travaille pas dans l'école de %(mentee)s. Confirmez ce jumelage entre écoles.")
            % {"mentor": mentor.full_name, "mentee": mentee.full_name}
        )
    try:
        with transaction.atomic():
            pairing = Pairing.objects.create(
                year=year, mentor=mentor, mentee=mentee, started_on=started_on or timezone.localdate(), created_by=by
            )
    except IntegrityError:
        raise MentoringError(_("%(name)s a déjà une personne mentore.") % {"name": mentee.full_name}) from None
    for school_id in mentee_schools:
        Membership.objects.get_or_create(person=mentee, role=Role.MENTEE, school_id=school_id, year=year)
    return pairing


@transaction.atomic
def pairing_end(*, pairing: Pairing, status: str, reason: str, by, ended_on: datetime.date | None = None) -> Pairing:
    """End a pairing as completed or ended early (with a reason); the novice can be paired again."""
    if pairing.ended_on is not None:
        raise MentoringError(_("Ce jumelage est déjà terminé."))
    if status not in (PairingStatus.COMPLETED, PairingStatus.ENDED_EARLY):
        raise MentoringError(_("Choisissez comment le jumelage se termine."))
    if status == PairingStatus.ENDED_EARLY and not reason.strip():
        raise MentoringError(_("Indiquez le motif d'une fin avant terme."))
    ended_on = ended_on or timezone.localdate()
    if ended_on < pairing.started_on:
        raise MentoringError(_("La fin ne peut pas précéder le début du jumelage."))
    from schools.privacy import audit

    before = audit.values_of(pairing, ["ended_on", "status", "end_reason"])
    updated = Pairing.objects.filter(pk=pairing.pk, ended_on__isnull=True).update(
        ended_on=ended_on, status=status, end_reason=reason.strip()
    )
    if not updated:
        raise ConflictError(_("Ce jumelage vient d'être terminé par une autre personne."))
    pairing.ended_on, pairing.status, pairing.end_reason = ended_on, status, reason.strip()
    audit.log_update(pairing, before)  # update() sends no signal (Law 25 audit trail)
    return pairing


def pairings_complete_year(*, year: SchoolYear) -> int:
    """At the end of the year, the year's pairings still running end as completed on its last day."""
    return (
        Pairing.objects.for_year(year)
        .active()
        .update(ended_on=year.ends_on, status=PairingStatus.COMPLETED, end_reason="")
    )
