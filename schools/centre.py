"""Writes of the centre's administration pages: school settings, buildings and school years.

Changes go through save()/delete() one object at a time so that django-auditlog
records who changed which field, when, before and after (roles.apps / schools.apps).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from schools.models import Building, School, SchoolYear, add_years

# The school inputs of the release fraction, the budget and the nomination board.
BUDGET_FIELDS = ["cycle_length_days", "release_days_per_cycle", "mentor_quota"]


class CentreError(Exception):
    """A rule refused the write; str(error) is the French message shown to the user."""


class SchoolConflict(CentreError):
    """Someone saved the school since the form was displayed; nothing was written."""

    def __init__(self, current: School):
        super().__init__(
            _(
                "Une autre personne a modifié cette école pendant que vous la consultiez. Rien n'a été enregistré : "
                "vos saisies sont conservées ci-dessous ; comparez-les aux valeurs enregistrées puis enregistrez de "
                "nouveau."
            )
        )
        self.current = current


# --- Schools ---


@dataclass
class YearFigures:
    """What a change of the school touches in one year that has not ended."""

    year: SchoolYear
    assignments: int
    nominated: int


@dataclass
class SchoolImpact:
    """The effect of new settings on the assignments and budget of this year and the next."""

    changes: list[tuple[str, object, object]] = field(default_factory=list)
    years: list[YearFigures] = field(default_factory=list)
    old_fraction: Decimal = Decimal(0)
    new_fraction: Decimal = Decimal(0)
    old_quota: int = 0
    new_quota: int = 0

    @property
    def assignment_count(self) -> int:
        return sum(y.assignments for y in self.years)

    @property
    def needs_confirmation(self) -> bool:
        """Only a change of a budget input, when this year or the next already has mentors or nominations."""
        return bool(self.changes) and any(y.assignments or y.nominated for y in self.years)

    @property
    def release_changes(self) -> bool:
        return self.old_fraction != self.new_fraction

    @property
    def quota_changes(self) -> bool:
        return self.old_quota != self.new_quota

    @property
    def signature(self) -> str:
        """Fingerprint of the changes the user confirmed: a different change asks again."""
        text = "|".join(f"{name}={before}>{after}" for name, before, after in self.changes)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def school_change_impact(school: School, data: dict) -> SchoolImpact:
    """Compare the stored school with the form's data (an unsaved school has no impact)."""
    impact = SchoolImpact()
    if school.pk is None:
        return impact
    for name in BUDGET_FIELDS:
        before, after = getattr(school, name), data.get(name)
        if name == "mentor_quota" and after is None:
            after = School(order=data.get("order", school.order)).default_quota()
        if after is not None and Decimal(before) != Decimal(after):
            impact.changes.append((name, before, after))
    impact.old_fraction = school.release_fraction
    cycle = data.get("cycle_length_days") or school.cycle_length_days
    release = data.get("release_days_per_cycle")
    impact.new_fraction = Decimal(release if release is not None else school.release_days_per_cycle) / Decimal(cycle)
    impact.old_quota = school.mentor_quota
    impact.new_quota = dict((n, a) for n, _b, a in impact.changes).get("mentor_quota", school.mentor_quota)
    if impact.changes:
        impact.years = _open_year_figures(school)
    return impact


def _open_year_figures(school: School) -> list[YearFigures]:
    from mentors.models import Candidacy, Decision, MentorAssignment

    today = timezone.localdate()
    years = list(SchoolYear.objects.filter(ends_on__gte=today).order_by("starts_on"))
    assignments = dict(
        MentorAssignment.objects.filter(school=school, year__in=years)
        .values_list("year")
        .annotate(n=Count("id"))
        .order_by()
    )
    nominated = dict(
        Candidacy.objects.filter(school=school, year__in=years, decision=Decision.NOMINATED)
        .values_list("year")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [YearFigures(y, assignments.get(y.pk, 0), nominated.get(y.pk, 0)) for y in years]


@transaction.atomic
def school_save(*, school_id: int, data: dict, expected_version: int) -> School:
    """Write the school's settings unless someone saved it since expected_version was read."""
    current = School.objects.select_for_update().get(pk=school_id)
    if current.version != expected_version:
        raise SchoolConflict(current)
    for name, value in data.items():
        if getattr(current, name) != value:  # 2.0 and 2 are the same: no change recorded in the history
            setattr(current, name, value)
    if data.get("mentor_quota") is None:
        current.mentor_quota = current.default_quota()
    current.version += 1
    current.save()
    return current


# --- Buildings ---


def building_delete(*, building: Building) -> None:
    """Delete a building nobody refers to; refused (French message) otherwise."""
    from mentors.models import Candidacy, MentorAssignment
    from schools.models import StaffAssignment

    used = (
        StaffAssignment.objects.filter(building=building).exists()
        or Candidacy.objects.filter(building=building).exists()
        or MentorAssignment.objects.filter(building=building).exists()
    )
    if used:
        raise CentreError(
            _(
                "Ce bâtiment est utilisé par des affectations ou des candidatures : il ne peut pas être supprimé. "
                "Renommez-le plutôt."
            )
        )
    building.delete()


# --- School years ---


def next_year_source() -> SchoolYear | None:
    """The year next year is created from: the current one, else the latest one."""
    return SchoolYear.objects.current() or SchoolYear.objects.order_by("-starts_on").first()


def next_year_preview(source: SchoolYear | None) -> SchoolYear:
    """The unsaved year the « create next year » button would create from source."""
    if source is None:
        today = timezone.localdate()
        return SchoolYear.with_seed_milestones(today.year if today.month >= 7 else today.year - 1)
    return source.next_year()


class YearConflict(CentreError):
    """Someone saved the year's dates since the form was shown."""


@transaction.atomic
def school_year_save_dates(*, year: SchoolYear, dates: dict, expected_version: int | None) -> SchoolYear:
    """Save HR's milestone dates of a year, unless someone saved them since the form was shown."""
    from django.db.models import F

    updated = SchoolYear.objects.filter(pk=year.pk, version=expected_version).update(**dates, version=F("version") + 1)
    if expected_version is None or not updated:
        raise YearConflict(
            _(
                "Les dates de cette année ont été modifiées par une autre personne pendant que vous les consultiez. "
                "Rien n'a été enregistré : vérifiez les dates enregistrées avant de recommencer."
            )
        )
    year.refresh_from_db()
    return year


def _seed_window(year: SchoolYear) -> dict:
    """The seed's nomination window for the mentors serving in ``year``: 20 April 8 h → 30 April 17 h before it."""
    import datetime

    before = year.starts_on.year
    zone = timezone.get_current_timezone()
    return {
        "opens_at": datetime.datetime(before, 4, 20, 8, tzinfo=zone),
        "closes_at": datetime.datetime(before, 4, 30, 17, tzinfo=zone),
    }


@transaction.atomic
def school_year_create_next() -> SchoolYear:
    """Create next year from the current one: milestones moved a year, the programme settings carried over.

    Quotas, cycle lengths and release days are the schools' settings: they carry
    over by nature. The nomination window and the half-day windows move a year.
    """
    source = next_year_source()
    year = next_year_preview(source)
    if SchoolYear.objects.filter(label=year.label).exists():
        raise CentreError(_("L'année %(label)s existe déjà.") % {"label": year.label})
    return _create_after(source, year)


def school_year_ensure_next(*, year: SchoolYear) -> SchoolYear | None:
    """The yearly roll-over: create the year after ``year`` when missing; returns it, or None when it existed."""
    following = year.next_year()
    if SchoolYear.objects.filter(label=following.label).exists():
        return None
    return _create_after(year, following)


def _create_after(source: SchoolYear | None, year: SchoolYear) -> SchoolYear:
    from mentors.models import ProgrammeSettings

    year.save()
    settings = ProgrammeSettings.objects.filter(year=source).first() if source else None
    if settings is None:
        # The window's one place is the serving year's settings: the seed's dates until HR sets them.
        ProgrammeSettings.objects.create(year=year, **_seed_window(year))
        return year
    moved = {
        name: add_years(getattr(settings, name), 1) if getattr(settings, name) else None
        for name in ("opens_at", "closes_at", "regulation_from", "regulation_until", "bilan_from", "bilan_until")
    }
    if moved["opens_at"] is None or moved["closes_at"] is None:
        moved.update(_seed_window(year))
    ProgrammeSettings.objects.create(
        year=year,
        substitute_daily_rate=settings.substitute_daily_rate,
        compensation=settings.compensation,
        teaching_days=settings.teaching_days,
        cohort_days_in_release=settings.cohort_days_in_release,
        **moved,
    )
    return year


def year_data(year: SchoolYear) -> list[str]:
    """The kinds of data a year holds (its programme settings aside): a year holding any is never deleted."""
    from mentors.models import ProgrammeSettings

    found = []
    for relation in SchoolYear._meta.related_objects:
        model = relation.related_model
        if model is ProgrammeSettings:
            continue
        if model._default_manager.filter(**{relation.field.name: year}).exists():
            found.append(str(model._meta.verbose_name_plural))
    return found


@transaction.atomic
def school_year_delete(*, year: SchoolYear) -> None:
    held = year_data(year)
    if held:
        raise CentreError(
            _("L'année %(label)s contient déjà des données (%(kinds)s) : elle ne peut pas être supprimée.")
            % {"label": year.label, "kinds": ", ".join(held)}
        )
    year.delete()


@transaction.atomic
def school_year_mark_current(*, year: SchoolYear | None) -> None:
    """Mark one year as current (it overrides the dates), or None to go back to the dates."""
    for marked in SchoolYear.objects.select_for_update().filter(is_current=True):
        marked.is_current = False
        marked.save(update_fields=["is_current"])
    if year is not None:
        year.is_current = True
        year.save(update_fields=["is_current"])
