"""Writes on the roles of a year: grant, end, copy last year's roles forward.

Every write goes through save()/delete() one membership at a time so that
django-auditlog records who did it, when, and the dates before and after.
A role ended today stops giving access at once (Membership.objects.in_force).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roles.models import Membership, Role
from schools.models import Person, School, SchoolYear

# The roles HR hands out each year on these pages; mentors, mentees and teachers
# follow from nominations, pairings and the staff lists.
YEAR_ROLES = [Role.DIRECTOR, Role.PANE, Role.TRAINER, Role.HR, Role.MANAGEMENT, Role.ADMIN]


class RoleError(Exception):
    """A rule refused the write; str(error) is the French message."""


def default_start(year: SchoolYear, today: datetime.date | None = None) -> datetime.date:
    """A role granted now starts today, or on the first day of a year still to come."""
    today = today or timezone.localdate()
    return max(today, year.starts_on)


def _active_after(memberships, day: datetime.date):
    return [m for m in memberships if m.ends_on is None or m.ends_on > day]


def _end(membership: Membership, ends_on: datetime.date) -> str:
    """End a membership on that day; one that has not started by then is removed. Returns "ended" or "removed"."""
    if membership.starts_on is not None and membership.starts_on >= ends_on:
        membership.delete()
        return "removed"
    membership.ends_on = ends_on
    membership.save(update_fields=["ends_on"])
    return "ended"


def _grant(*, person: Person, role: str, school: School | None, year: SchoolYear, starts_on) -> Membership:
    """Create the membership, or reopen the same one ended earlier (one row per person, role, school, year)."""
    existing = Membership.objects.filter(person=person, role=role, school=school, year=year).first()
    if existing is None:
        membership = Membership(person=person, role=role, school=school, year=year, starts_on=starts_on)
        membership.save()
        return membership
    if existing.ends_on is None or existing.ends_on > starts_on:
        raise RoleError(_("%(name)s détient déjà ce rôle cette année.") % {"name": person.full_name})
    existing.starts_on, existing.ends_on = starts_on, None
    existing.save(update_fields=["starts_on", "ends_on"])
    return existing


@transaction.atomic
def membership_grant(
    *,
    person: Person,
    role: str,
    year: SchoolYear,
    school: School | None = None,
    starts_on: datetime.date,
    replace_school_director: bool = False,
    leave_other_schools: bool = False,
) -> Membership:
    """Give a role for the year from starts_on.

    For a director: ``replace_school_director`` ends the school's other directors,
    ``leave_other_schools`` ends the person's directions of other schools (a
    director who changes school keeps nothing of the old one).
    """
    if role == Role.DIRECTOR:
        directors = Membership.objects.select_for_update().filter(role=Role.DIRECTOR, year=year)
        if replace_school_director:
            for other in _active_after(directors.filter(school=school).exclude(person=person), starts_on):
                _end(other, starts_on)
        if leave_other_schools:
            for other in _active_after(directors.filter(person=person).exclude(school=school), starts_on):
                _end(other, starts_on)
    return _grant(person=person, role=role, school=school, year=year, starts_on=starts_on)


@transaction.atomic
def membership_end(*, membership: Membership, ends_on: datetime.date) -> str:
    """End a role on ends_on (today: access stops at once); a role not started yet is removed."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.ends_on is not None and membership.ends_on <= ends_on:
        raise RoleError(_("Ce rôle a déjà pris fin."))
    today = timezone.localdate()
    not_started = membership.starts_on is not None and membership.starts_on > today
    if not not_started and membership.starts_on is not None and ends_on <= membership.starts_on:
        raise RoleError(_("La fin doit suivre le début du rôle (%(date)s).") % {"date": membership.starts_on})
    return _end(membership, membership.starts_on if not_started else ends_on)


# --- Copying last year's roles forward ---


def previous_year(year: SchoolYear) -> SchoolYear | None:
    return SchoolYear.objects.filter(ends_on__lt=year.starts_on).order_by("-starts_on").first()


@dataclass
class CopyPlan:
    """What copying the source year's roles into the target year would do, for review before confirming."""

    source: SchoolYear
    target: SchoolYear
    to_copy: list[Membership] = field(default_factory=list)
    already: list[Membership] = field(default_factory=list)
    changed_school: list[tuple[Membership, list[Membership]]] = field(default_factory=list)
    replaced: list[tuple[Membership, list[Membership]]] = field(default_factory=list)
    not_renewed: list[Membership] = field(default_factory=list)
    new_in_target: list[Membership] = field(default_factory=list)
    needs_admin: list[Membership] = field(default_factory=list)

    @property
    def digest(self) -> str:
        """Fingerprint of the copies: confirming checks that the review still holds."""
        parts = [f"{self.source.pk}>{self.target.pk}"]
        parts += sorted(f"{m.person_id}|{m.role}|{m.school_id}" for m in self.to_copy)
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _year_memberships(year: SchoolYear):
    return list(
        Membership.objects.filter(year=year, role__in=YEAR_ROLES)
        .select_related("person", "school")
        .order_by("role", "school__name", "person__last_name", "person__first_name")
    )


def copy_plan(*, source: SchoolYear, target: SchoolYear, may_grant_admin_roles: bool) -> CopyPlan:
    """Compare the source year's roles with the target's: who is copied, new, gone, or changed school."""
    plan = CopyPlan(source, target)
    target_rows = _active_after(_year_memberships(target), target.starts_on)
    in_target = {(m.person_id, m.role, m.school_id) for m in target_rows}
    directors_at = {}
    schools_of = {}
    for m in target_rows:
        if m.role == Role.DIRECTOR:
            directors_at.setdefault(m.school_id, []).append(m)
            schools_of.setdefault(m.person_id, []).append(m)
    source_rows = _year_memberships(source)
    in_source = {(m.person_id, m.role, m.school_id) for m in source_rows}
    for m in source_rows:
        if m.ends_on is not None and m.ends_on <= source.ends_on:
            plan.not_renewed.append(m)
        elif (m.person_id, m.role, m.school_id) in in_target:
            plan.already.append(m)
        elif m.role == Role.DIRECTOR and m.person_id in schools_of:
            plan.changed_school.append((m, schools_of[m.person_id]))
        elif m.role == Role.DIRECTOR and m.school_id in directors_at:
            plan.replaced.append((m, directors_at[m.school_id]))
        elif m.role in (Role.HR, Role.ADMIN) and not may_grant_admin_roles:
            plan.needs_admin.append(m)
        else:
            plan.to_copy.append(m)
    plan.new_in_target = [m for m in target_rows if (m.person_id, m.role, m.school_id) not in in_source]
    return plan


@transaction.atomic
def memberships_copy_forward(*, plan: CopyPlan) -> int:
    """Create the plan's copies in the target year, from its first day. Returns how many."""
    for m in plan.to_copy:
        _grant(person=m.person, role=m.role, school=m.school, year=plan.target, starts_on=plan.target.starts_on)
    return len(plan.to_copy)
