"""Schools, buildings, school years and the people who work in them."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Order(models.TextChoices):
    PRIMARY = "primaire", _("Primaire")
    SECONDARY = "secondaire", _("Secondaire")


# The seed releases one teacher per primary school and two per secondary school.
DEFAULT_MENTOR_QUOTA = {Order.PRIMARY: 1, Order.SECONDARY: 2}


class ServiceCentre(models.Model):
    """The organisation running the programme (one row)."""

    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(_("sigle"), max_length=20)

    class Meta:
        verbose_name = _("centre de services scolaire")
        verbose_name_plural = _("centres de services scolaires")

    def __str__(self) -> str:
        return self.name


class SchoolQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class School(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    order = models.CharField(_("ordre d'enseignement"), max_length=20, choices=Order.choices)
    cycle_length_days = models.PositiveSmallIntegerField(
        _("durée du cycle d'enseignement (jours)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    release_days_per_cycle = models.DecimalField(
        _("jours de libération par cycle"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    mentor_quota = models.PositiveSmallIntegerField(
        _("nombre de personnes mentores"),
        blank=True,
        help_text=_("Laisser vide pour la valeur par défaut : 1 au primaire, 2 au secondaire."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Optimistic locking of the settings form: each save through the pages checks and bumps it.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("école")
        verbose_name_plural = _("écoles")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(release_days_per_cycle__lte=models.F("cycle_length_days")),
                name="school_release_within_cycle",
                violation_error_message=_("Les jours de libération dépassent la durée du cycle."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        if self.mentor_quota is None:
            self.mentor_quota = self.default_quota()
        super().save(*args, **kwargs)

    def default_quota(self) -> int:
        """The seed's quota: one mentor in primary, two in secondary."""
        return DEFAULT_MENTOR_QUOTA.get(self.order, 1)

    @property
    def release_fraction(self) -> Decimal:
        """Share of a mentor's task released, e.g. 2 days of a 10-day cycle = 0.2."""
        return Decimal(self.release_days_per_cycle) / Decimal(self.cycle_length_days)


class Building(models.Model):
    """A school's building; the seed names one mentor per building ("par bâtisse")."""

    school = models.ForeignKey(School, models.CASCADE, related_name="buildings", verbose_name=_("école"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("nom"), max_length=200)

    class Meta:
        verbose_name = _("bâtiment")
        verbose_name_plural = _("bâtiments")
        ordering = ["school__name", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "code"], name="building_code_per_school")]

    def __str__(self) -> str:
        return self.name


class SchoolYearQuerySet(models.QuerySet):
    def current(self, today: datetime.date | None = None) -> SchoolYear | None:
        """The year HR marked as current, else the year whose dates hold today (one query).

        Every page reads the year through this function: the mark lets HR switch the
        centre to the new year on the day of their choosing around 1 July.
        """
        today = today or timezone.localdate()
        by_dates = Q(starts_on__lte=today, ends_on__gte=today)
        return self.filter(Q(is_current=True) | by_dates).order_by("-is_current", "-starts_on").first()


def _date(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


def add_years(value, years: int):
    """The same date (or datetime) some years later; 29 February becomes 28 February."""
    try:
        return value.replace(year=value.year + years)
    except ValueError:
        return value.replace(year=value.year + years, day=28)


class SchoolYear(models.Model):
    """A school year (1 July → 30 June) with the milestones of the yearly cycle.

    Only the dates that belong to no other object live here: the nomination window
    is the next year's ``ProgrammeSettings``, the half-days are calendar events and
    the survey campaign is the year's surveys. ``schools.cycle.milestones`` reads
    each from its one place.
    """

    label = models.CharField(_("année scolaire"), max_length=9, unique=True, help_text="2026-2027")
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    budget_from = models.DateField(_("paramètres de l'an prochain : début"), null=True, blank=True)
    budget_until = models.DateField(_("paramètres de l'an prochain : fin"), null=True, blank=True)
    survey_opens_on = models.DateField(_("sondage de satisfaction : ouverture"), null=True, blank=True)
    survey_closes_on = models.DateField(_("sondage de satisfaction : fermeture"), null=True, blank=True)
    profile_published_on = models.DateField(_("publication du rôle et de la répartition"), null=True, blank=True)
    nominations_decided_by = models.DateField(_("nomination des personnes mentores"), null=True, blank=True)
    accompaniment_plan_by = models.DateField(_("plan d'accompagnement et cohortes"), null=True, blank=True)
    model_starts_on = models.DateField(_("début de l'accompagnement"), null=True, blank=True)
    is_current = models.BooleanField(
        _("année en cours (choisie)"),
        default=False,
        help_text=_("Remplace la règle des dates : une seule année peut être marquée."),
    )
    # Optimistic lock of HR's « Modifier les dates » form.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SchoolYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("année scolaire")
        verbose_name_plural = _("années scolaires")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lt=models.F("ends_on")), name="school_year_dates_in_order"),
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_year"),
        ]

    def __str__(self) -> str:
        return self.label

    @classmethod
    def with_seed_milestones(cls, start_year: int) -> SchoolYear:
        """An unsaved year whose milestones follow the seed's timeline."""
        end_year = start_year + 1
        return cls(
            label=f"{start_year}-{end_year}",
            starts_on=_date(start_year, 7, 1),
            ends_on=_date(end_year, 6, 30),
            budget_from=_date(start_year, 12, 1),
            budget_until=_date(end_year, 2, 28),
            survey_opens_on=_date(end_year, 2, 1),
            survey_closes_on=_date(end_year, 2, 28),
            profile_published_on=_date(end_year, 3, 15),
            nominations_decided_by=_date(end_year, 5, 31),
            accompaniment_plan_by=_date(end_year, 6, 20),
            model_starts_on=_date(start_year, 9, 1),
        )

    # The dates a year carries, moved together when next year is created from this one.
    MILESTONE_FIELDS = [
        "budget_from",
        "budget_until",
        "survey_opens_on",
        "survey_closes_on",
        "profile_published_on",
        "nominations_decided_by",
        "accompaniment_plan_by",
        "model_starts_on",
    ]

    def next_year(self) -> SchoolYear:
        """An unsaved year after this one: its milestones moved a year (the seed's where this one has none)."""
        start = self.starts_on.year + 1
        following = SchoolYear.with_seed_milestones(start)
        for name in self.MILESTONE_FIELDS:
            value = getattr(self, name)
            if value is not None:
                setattr(following, name, add_years(value, 1))
        return following


class PersonQuerySet(models.QuerySet):
    def at_school(self, school: School, year: SchoolYear):
        return self.filter(assignments__school=school, assignments__year=year).distinct()

    def at_schools(self, school_ids, year: SchoolYear):
        """The people assigned at these schools this year, each once (a semi-join: no DISTINCT over the page)."""
        return self.filter(
            models.Exists(
                StaffAssignment.objects.filter(person=models.OuterRef("pk"), school_id__in=school_ids, year=year)
            )
        )


class Person(models.Model):
    """A staff record; imported from HR's lists and linked to an account when invited."""

    employee_number = models.CharField(_("matricule"), max_length=20, unique=True)
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("courriel"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("compte"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    # Set by the retention schedule once the record of a person long gone is anonymised.
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["email"], condition=~Q(email=""), name="person_email_unique_when_set")
        ]
        # The staff list's order: a page of 50 read from the index instead of sorting 150 000 people.
        indexes = [models.Index(fields=["last_name", "first_name", "id"], name="person_name_order")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class StaffAssignment(models.Model):
    """A person's assignment to a school for a year; a shared task has several."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="assignments", verbose_name=_("personne"))
    school = models.ForeignKey(School, models.PROTECT, related_name="assignments", verbose_name=_("école"))
    year = models.ForeignKey(SchoolYear, models.PROTECT, related_name="assignments", verbose_name=_("année"))
    building = models.ForeignKey(
        Building, models.SET_NULL, null=True, blank=True, related_name="assignments", verbose_name=_("bâtiment")
    )
    job_title = models.CharField(_("fonction"), max_length=100, default="Enseignant(e)")
    task_share = models.PositiveSmallIntegerField(
        _("part de la tâche (%)"), default=100, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("affectation")
        verbose_name_plural = _("affectations")
        # A school's staff of the year; the year's distinct staff (the total's rebuild); a page of schools'
        # counts (year, school in …, with each person) read from the index alone.
        indexes = [
            models.Index(fields=["school", "year"]),
            models.Index(fields=["year", "person"]),
            models.Index(fields=["year", "school", "person"], name="assignment_year_school_person"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "school", "year"], name="one_assignment_per_school_year"),
            models.CheckConstraint(
                condition=Q(task_share__gte=1, task_share__lte=100), name="assignment_task_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.school.code} ({self.task_share} %)"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What the year's staff total counted, so a save moving the row to another person or year adjusts it.
        instance.counted_as = (instance.__dict__.get("person_id"), instance.__dict__.get("year_id"))
        return instance


class YearStaffTotal(models.Model):
    """The year's staff counted once each (a shared task is one person), kept in step by ``schools.counts``.

    The home pages show it: counting the distinct people of 150,000 assignments on
    each request took most of their time.
    """

    year = models.OneToOneField(
        SchoolYear, models.CASCADE, primary_key=True, related_name="staff_total", verbose_name=_("année")
    )
    staff = models.PositiveIntegerField(_("membres du personnel"), default=0)

    class Meta:
        verbose_name = _("effectif de l'année")
        verbose_name_plural = _("effectifs des années")

    def __str__(self) -> str:
        return f"{self.year_id}: {self.staff}"


class Entitlement(models.Model):
    """A novice teacher in professional induction (PE en IP), entitled to a mentor that year."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="entitlements", verbose_name=_("personne"))
    year = models.ForeignKey(SchoolYear, models.PROTECT, related_name="entitlements", verbose_name=_("année"))
    started_on = models.DateField(_("date d'entrée en fonction"), null=True, blank=True)

    class Meta:
        verbose_name = _("admissibilité (insertion professionnelle)")
        verbose_name_plural = _("admissibilités (insertion professionnelle)")
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="one_entitlement_per_year")]
        # The pairing page lists the year's unpaired novices longest waiting first: a page reads the
        # year's entitlements in this order up to its end, never sorting the whole year.
        indexes = [models.Index(fields=["year", "started_on"], name="entitlement_year_started")]

    def __str__(self) -> str:
        return f"{self.person} — {self.year}"


# --- Law 25: who an audit entry is about, and the access requests HR answers ---


class AuditSubject(models.Model):
    """One person an auditlog entry is about (a pairing concerns two): the « personne concernée » filter reads it."""

    log_entry = models.ForeignKey("auditlog.LogEntry", models.CASCADE, related_name="subjects")
    person = models.ForeignKey(Person, models.CASCADE, related_name="audit_subjects", verbose_name=_("personne"))

    class Meta:
        verbose_name = _("personne concernée (journal)")
        verbose_name_plural = _("personnes concernées (journal)")
        constraints = [models.UniqueConstraint(fields=["log_entry", "person"], name="audit_subject_once")]

    def __str__(self) -> str:
        return f"{self.log_entry_id} → {self.person_id}"


class AccessRequestKind(models.TextChoices):
    ACCESS = "access", _("Accès")
    RECTIFICATION = "rectification", _("Rectification")
    PORTABILITY = "portability", _("Portabilité")


# The legal delay to answer (Loi sur l'accès, art. 47): 20 days, extendable once by 10.
ACCESS_REQUEST_DELAY_DAYS = 20
ACCESS_REQUEST_EXTENSION_DAYS = 10
# HR is reminded this many days before the delay runs out.
ACCESS_REQUEST_REMIND_DAYS_BEFORE = 5


def access_request_due_on(received_on: datetime.date, extended: bool) -> datetime.date:
    """The one place the legal delay is computed: 20 days after receipt, 30 when extended."""
    days = ACCESS_REQUEST_DELAY_DAYS + (ACCESS_REQUEST_EXTENSION_DAYS if extended else 0)
    return received_on + datetime.timedelta(days=days)


class AccessRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(answered_on__isnull=True)

    def to_remind(self, today: datetime.date):
        """Open requests whose delay ends within the reminder window and that were not reminded yet."""
        window = ACCESS_REQUEST_REMIND_DAYS_BEFORE
        not_extended = Q(
            extended=False,
            received_on__lte=today - datetime.timedelta(days=ACCESS_REQUEST_DELAY_DAYS - window),
        )
        extended = Q(
            extended=True,
            received_on__lte=today
            - datetime.timedelta(days=ACCESS_REQUEST_DELAY_DAYS + ACCESS_REQUEST_EXTENSION_DAYS - window),
        )
        return self.open().filter(not_extended | extended, reminded_on__isnull=True)


class AccessRequest(models.Model):
    """A person's request to see, correct or take away their information, with its legal delay."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="access_requests", verbose_name=_("personne"))
    kind = models.CharField(_("type de demande"), max_length=20, choices=AccessRequestKind.choices)
    received_on = models.DateField(_("reçue le"))
    answered_on = models.DateField(_("répondue le"), null=True, blank=True)
    extended = models.BooleanField(
        _("délai prolongé de 10 jours"), default=False, help_text=_("La personne a été avisée de la prolongation.")
    )
    notes = models.TextField(_("notes"), blank=True)
    reminded_on = models.DateField(_("rappel envoyé le"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("saisie par")
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AccessRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande d'accès ou de rectification")
        verbose_name_plural = _("demandes d'accès ou de rectification")
        ordering = ["answered_on", "received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=models.F("received_on")),
                name="access_request_answered_after_receipt",
                violation_error_message=_("La réponse ne peut précéder la réception."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.person} ({self.received_on})"

    @property
    def due_on(self) -> datetime.date:
        return access_request_due_on(self.received_on, self.extended)

    def state(self, today: datetime.date | None = None) -> str:
        """answered, late, due_soon or open."""
        today = today or timezone.localdate()
        if self.answered_on:
            return "answered" if self.answered_on <= self.due_on else "answered_late"
        if today > self.due_on:
            return "late"
        if (self.due_on - today).days <= ACCESS_REQUEST_REMIND_DAYS_BEFORE:
            return "due_soon"
        return "open"


# Law 25: the retention schedule and the incident register live in schools/law25/.
from schools.law25.models import ConfidentialityIncident, RetentionRule  # noqa: E402, F401
