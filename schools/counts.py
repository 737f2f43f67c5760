"""Staff and novice counts for the home pages and the schools list, without counting every school.

The year's staff, each person once, is an aggregate (``YearStaffTotal``) kept in
step here on every write path:

- saves and deletes of one assignment (forms, admin, factories, a person's
  deletion cascading): the signals below, in the writer's transaction;
- bulk writes, which send no signals (the staff import, the demo seed, the
  benchmark's COPY): the writer calls ``recount_year_staff`` before committing;
- a year whose total has never been read is counted on first read;
- ``manage.py rebuild_staff_totals`` recounts every year from the assignments.

A school's counts are not kept: a page shows at most 50 schools, counted in one
grouped query read from the (year, school, person) index.
"""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.signals import post_delete, post_save

from schools.models import Entitlement, StaffAssignment, YearStaffTotal


def school_counts(schools, year) -> list:
    """The schools (a page, or one's own) with ``staff_count`` and ``novice_count`` for the year (two queries).

    A person has one assignment per school and year and one entitlement per year,
    so counting rows counts people.
    """
    schools = list(schools.order_by("order", "name"))
    entitled = Exists(Entitlement.objects.filter(person=OuterRef("person"), year=year))
    rows = (
        StaffAssignment.objects.filter(year=year, school__in=[school.pk for school in schools])
        .values("school_id")
        # Count people, not ids: the (year, school, person) index answers without reading the table.
        .annotate(staff=Count("person"), novices=Count("person", filter=Q(entitled)))
        .order_by()
    )
    counts = {row["school_id"]: row for row in rows}
    for school in schools:
        row = counts.get(school.pk, {})
        school.staff_count, school.novice_count = row.get("staff", 0), row.get("novices", 0)
    return schools


def year_staff(year) -> int:
    """The year's staff, each person once (counted now if this year's total was never kept)."""
    total = YearStaffTotal.objects.filter(year=year).values_list("staff", flat=True).first()
    return recount_year_staff(year.pk) if total is None else total


def recount_year_staff(year_id: int) -> int:
    """Count the year's people from the assignments and keep the figure (after bulk writes, and the rebuild)."""
    staff = StaffAssignment.objects.filter(year_id=year_id).values("person_id").distinct().count()
    # One INSERT … ON CONFLICT UPDATE: no read, no savepoint.
    total = YearStaffTotal(year_id=year_id, staff=staff)
    YearStaffTotal.objects.bulk_create([total], update_conflicts=True, unique_fields=["year"], update_fields=["staff"])
    return staff


def _adjust(year_id: int, delta: int) -> None:
    # No row yet: nothing to adjust, the first read counts the year.
    YearStaffTotal.objects.filter(year_id=year_id).update(staff=F("staff") + delta)


def _has_assignment(person_id, year_id, exclude_pk=None) -> bool:
    others = StaffAssignment.objects.filter(person_id=person_id, year_id=year_id)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def _joined(person_id, year_id, pk) -> None:
    if not _has_assignment(person_id, year_id, exclude_pk=pk):
        _adjust(year_id, +1)


def _left(person_id, year_id, origin) -> None:
    # One deletion can remove several of a person's assignments of the year (a shared task, the person's
    # own deletion): their signals all come after the rows are gone, so the person leaves once per origin.
    left = origin.__dict__.setdefault("_staff_left", set()) if origin is not None else set()
    if (person_id, year_id) in left or _has_assignment(person_id, year_id):
        return
    left.add((person_id, year_id))
    _adjust(year_id, -1)


def _on_save(sender, instance, created, raw=False, **kwargs):
    now = (instance.person_id, instance.year_id)
    before = None if created else getattr(instance, "counted_as", None)
    if created:
        _joined(*now, instance.pk)
    elif before is None or None in before:
        recount_year_staff(instance.year_id)  # loaded without its person or year: count again
    elif before != now:
        _left(*before, origin=None)
        _joined(*now, instance.pk)
    instance.counted_as = now


def _on_delete(sender, instance, origin=None, **kwargs):
    _left(instance.person_id, instance.year_id, origin)


def connect() -> None:
    """Called from SchoolsConfig.ready()."""
    post_save.connect(_on_save, sender=StaffAssignment, dispatch_uid="year_staff_total_save")
    post_delete.connect(_on_delete, sender=StaffAssignment, dispatch_uid="year_staff_total_delete")
