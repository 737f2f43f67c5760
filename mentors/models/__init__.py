"""Mentoring: nominations (window, candidacies, decisions), mentor assignments, pairs and follow-up."""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.models import Order, Person


class PairingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_on__isnull=True)

    def for_year(self, year):
        return self.filter(year=year)

    def page(self, keys: list[tuple[str, bool]], start: int, stop: int):
        """Rows start to stop in (keys, mentor's last and first names, mentee's last name, pk) order.

        ``keys`` are ascending fields or annotations of these pairings, each with whether its NULLs come
        first. The page's ids come from nested queries, each fenced (OFFSET 0) so that PostgreSQL keeps its
        order: the pairings by their keys alone, then joined to their mentor's name, then to their mentee's.
        Each join runs under an incremental sort that stops once the page is full, so it reads the names of
        only the pairs the page reaches and of their ties, not both names of every pair of a year. Any plan
        gives the same rows.
        """
        names = [name for name, _nulls_first in keys]
        inner = self.order_by(*_ascending(keys)).values("id", "mentor_id", "mentee_id", *names)
        sql, params = inner.query.sql_with_params()
        fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
        quote = connection.ops.quote_name

        def order(table: str) -> list[str]:
            return [f"{table}.{quote(name)} ASC{' NULLS FIRST' if first else ''}" for name, first in keys]

        person = quote(Person._meta.db_table)
        by_mentor = ", ".join([*order("s"), "m.last_name", "m.first_name"])
        by_mentee = ", ".join([*order("t"), "t.mentor_last", "t.mentor_first", "e.last_name", "t.id"])
        ids = RawSQL(
            "SELECT t.id FROM ("
            "SELECT s.*, m.last_name AS mentor_last, m.first_name AS mentor_first "
            f"FROM ({sql}{fence}) s JOIN {person} m ON m.id = s.mentor_id ORDER BY {by_mentor}{fence}"
            f") t JOIN {person} e ON e.id = t.mentee_id ORDER BY {by_mentee} LIMIT %s OFFSET %s",
            (*params, max(stop - start, 0), start),
        )
        return self.filter(pk__in=ids).order_by(*_ascending(keys), *PAIR_NAMES)


PAIR_NAMES = ("mentor__last_name", "mentor__first_name", "mentee__last_name", "pk")


def _ascending(keys: list[tuple[str, bool]]) -> list:
    return [models.F(name).asc(nulls_first=True) if nulls_first else name for name, nulls_first in keys]


class PairingStatus(models.TextChoices):
    ACTIVE = "active", _("En cours")
    COMPLETED = "completed", _("Terminé")
    ENDED_EARLY = "ended_early", _("Terminé avant terme")


class Pairing(models.Model):
    """A mentor following a novice teacher (mentee) during a school year."""

    year = models.ForeignKey("schools.SchoolYear", models.PROTECT, related_name="pairings", verbose_name=_("année"))
    mentor = models.ForeignKey(
        "schools.Person", models.PROTECT, related_name="pairings_as_mentor", verbose_name=_("personne mentore")
    )
    mentee = models.ForeignKey(
        "schools.Person", models.PROTECT, related_name="pairings_as_mentee", verbose_name=_("personne mentorée")
    )
    started_on = models.DateField(_("début"))
    ended_on = models.DateField(_("fin"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=PairingStatus.choices, default=PairingStatus.ACTIVE)
    end_reason = models.TextField(_("motif de la fin"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("créé par")
    )

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("jumelage")
        verbose_name_plural = _("jumelages")
        ordering = ["-started_on"]
        constraints = [
            # A novice has at most one active mentor.
            models.UniqueConstraint(fields=["mentee"], condition=Q(ended_on__isnull=True), name="one_active_mentor"),
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="pairing_not_self"),
            # The end date and the status tell the same story.
            models.CheckConstraint(
                condition=Q(status="active", ended_on__isnull=True) | (~Q(status="active") & Q(ended_on__isnull=False)),
                name="pairing_status_matches_end",
            ),
        ]
        indexes = [
            # The year's active pairings, by mentor: each mentor's load, and the pairing list read in mentor
            # name order, without reading the ended pairings of past years.
            models.Index(
                fields=["year", "mentor"], condition=Q(ended_on__isnull=True), name="pairing_active_year_mentor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee}"


# --- Nominations: the window and rates of a year, candidacies, decisions ---


class ProgrammeSettingsQuerySet(models.QuerySet):
    def nomination_settings(self, now: datetime.datetime | None = None) -> ProgrammeSettings | None:
        """The settings whose window is open now, else the next one to open, else the last one closed."""
        now = now or timezone.now()
        with_window = self.select_related("year").filter(opens_at__isnull=False, closes_at__isnull=False)
        return (
            with_window.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at").first()
            or with_window.filter(opens_at__gt=now).order_by("opens_at").first()
            or with_window.filter(closes_at__lte=now).order_by("-closes_at").first()
        )


class ProgrammeSettings(models.Model):
    """Settings of the programme for the year the mentors serve: nomination window and rates.

    The window of year Y (usually 20 → 30 April of the year before) receives the
    candidacies of the mentors who will serve in Y.
    """

    year = models.OneToOneField(
        "schools.SchoolYear", models.CASCADE, related_name="programme_settings", verbose_name=_("année de service")
    )
    opens_at = models.DateTimeField(_("ouverture des candidatures"), null=True, blank=True)
    closes_at = models.DateTimeField(_("fermeture des candidatures"), null=True, blank=True)
    substitute_daily_rate = models.DecimalField(
        _("taux quotidien de suppléance ($)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal(250),
        validators=[MinValueValidator(Decimal(0))],
    )
    compensation = models.DecimalField(
        _("compensation monétaire par personne mentore ($)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal(1600),
        validators=[MinValueValidator(Decimal(0))],
    )
    teaching_days = models.PositiveSmallIntegerField(
        _("jours de classe dans l'année"), default=180, validators=[MinValueValidator(1), MaxValueValidator(220)]
    )
    # The accompaniment calendar: are the six cohort days taken within the mentors' release
    # time, or do they cost substitute days on top of it (counted in the budget)?
    cohort_days_in_release = models.BooleanField(
        _("journées de cohorte prises sur le temps de libération"),
        default=True,
        help_text=_("Décocher si chaque journée de cohorte coûte une journée de suppléance en plus."),
    )
    # Windows of the two half-days; empty means the seed's defaults (see regulation_window()).
    regulation_from = models.DateField(_("demi-journée de régulation : au plus tôt"), null=True, blank=True)
    regulation_until = models.DateField(_("demi-journée de régulation : au plus tard"), null=True, blank=True)
    bilan_from = models.DateField(_("demi-journée de bilan : au plus tôt"), null=True, blank=True)
    bilan_until = models.DateField(_("demi-journée de bilan : au plus tard"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ProgrammeSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("paramètres du programme")
        verbose_name_plural = _("paramètres du programme")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(opens_at__lt=models.F("closes_at")),
                name="window_dates_in_order",
                violation_error_message=_("La fermeture doit suivre l'ouverture."),
            )
        ]

    def __str__(self) -> str:
        return str(self.year)

    @classmethod
    def for_year(cls, year) -> ProgrammeSettings:
        """The year's settings (a year or its id), or unsaved defaults when HR has not set them yet."""
        year_id = getattr(year, "pk", year)
        return cls.objects.filter(year_id=year_id).first() or cls(year_id=year_id)

    def window_state(self, now: datetime.datetime | None = None) -> str:
        """One of "unset", "upcoming", "open", "closed"."""
        now = now or timezone.now()
        if not (self.opens_at and self.closes_at):
            return "unset"
        if now < self.opens_at:
            return "upcoming"
        if now < self.closes_at:
            return "open"
        return "closed"

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        return self.window_state(now) == "open"

    def regulation_window(self) -> tuple[datetime.date, datetime.date]:
        """When the regulation half-day may fall: October–November of the year by default."""
        start = self.year.starts_on.year
        return (
            self.regulation_from or datetime.date(start, 10, 1),
            self.regulation_until or datetime.date(start, 11, 30),
        )

    def bilan_window(self) -> tuple[datetime.date, datetime.date]:
        """When the bilan half-day may fall: May–June of the year by default."""
        end = self.year.ends_on.year
        return self.bilan_from or datetime.date(end, 5, 1), self.bilan_until or datetime.date(end, 6, 30)


class Scale(models.IntegerChoices):
    """The reflective tool's four-point scale."""

    NOT_YET = 1, _("Pas encore")
    A_LITTLE = 2, _("Un peu")
    MOSTLY = 3, _("Plutôt")
    FULLY = 4, _("Tout à fait")


class ReflectiveAnswers(models.Model):
    """A teacher's answers to the reflective tool « Moi mentore, pourquoi pas ? »."""

    DIMENSIONS = [
        ("motivation", _("Ma motivation à accompagner une personne qui débute")),
        ("availability", _("Ma disponibilité pendant l'année")),
        ("listening", _("Mon écoute et mon ouverture")),
        ("sharing_practice", _("Mon goût de partager ma pratique")),
        ("collaboration", _("Ma collaboration avec la direction")),
    ]

    person = models.ForeignKey(
        "schools.Person", models.CASCADE, related_name="reflective_answers", verbose_name=_("personne")
    )
    year = models.ForeignKey("schools.SchoolYear", models.CASCADE, related_name="+", verbose_name=_("année"))
    motivation = models.PositiveSmallIntegerField(_("motivation"), choices=Scale.choices)
    availability = models.PositiveSmallIntegerField(_("disponibilité"), choices=Scale.choices)
    listening = models.PositiveSmallIntegerField(_("écoute"), choices=Scale.choices)
    sharing_practice = models.PositiveSmallIntegerField(_("partage de pratique"), choices=Scale.choices)
    collaboration = models.PositiveSmallIntegerField(_("collaboration avec la direction"), choices=Scale.choices)
    comment = models.TextField(_("commentaire"), blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("outil réflexif")
        verbose_name_plural = _("outils réflexifs")
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="one_reflective_tool_per_year")]

    def __str__(self) -> str:
        return f"{self.person} — {self.year}"

    def summary(self) -> list[tuple[str, int, str]]:
        """(dimension label, score, scale label) for each dimension."""
        return [
            (label, getattr(self, field), getattr(self, f"get_{field}_display")()) for field, label in self.DIMENSIONS
        ]

    @property
    def average(self) -> Decimal:
        scores = [getattr(self, field) for field, _label in self.DIMENSIONS]
        return (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.1"))


class CandidacyStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Déposée")
    WITHDRAWN = "withdrawn", _("Retirée")


class Opinion(models.TextChoices):
    FAVOURABLE = "favourable", _("Favorable")
    RESERVED = "reserved", _("Réservé")
    UNFAVOURABLE = "unfavourable", _("Défavorable")


class Decision(models.TextChoices):
    NOMINATED = "nominated", _("Nommée")
    WAITING_LIST = "waiting_list", _("Liste d'attente")
    DECLINED = "declined", _("Non retenue")


class CandidacyQuerySet(models.QuerySet):
    def for_year(self, year):
        return self.filter(year=year)

    def for_school(self, school):
        return self.filter(school=school)

    def submitted(self):
        return self.filter(status=CandidacyStatus.SUBMITTED)

    def nominated(self):
        return self.filter(decision=Decision.NOMINATED)


class Candidacy(models.Model):
    """A teacher's application to serve as a mentor during a school year."""

    person = models.ForeignKey("schools.Person", models.CASCADE, related_name="candidacies", verbose_name=_("personne"))
    year = models.ForeignKey(
        "schools.SchoolYear", models.PROTECT, related_name="candidacies", verbose_name=_("année de service")
    )
    school = models.ForeignKey("schools.School", models.PROTECT, related_name="candidacies", verbose_name=_("école"))
    building = models.ForeignKey(
        "schools.Building",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidacies",
        verbose_name=_("bâtiment"),
    )
    order = models.CharField(_("ordre d'enseignement"), max_length=20, choices=Order.choices)
    years_of_experience = models.PositiveSmallIntegerField(
        _("années d'expérience en enseignement"), validators=[MaxValueValidator(50)]
    )
    subjects_levels = models.CharField(
        _("disciplines ou niveaux enseignés"), max_length=200, help_text=_("Par exemple : 2e cycle, mathématiques.")
    )
    motivation = models.TextField(_("motivation"))
    availability = models.TextField(_("disponibilités"))
    capacity = models.PositiveSmallIntegerField(
        _("nombre de personnes que je peux accompagner"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=CandidacyStatus.choices, default=CandidacyStatus.DRAFT
    )
    is_renewal = models.BooleanField(_("renouvellement"), default=False)
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True)

    director_opinion = models.CharField(_("avis de la direction"), max_length=20, choices=Opinion.choices, blank=True)
    director_comment = models.TextField(_("commentaire de la direction"), blank=True)
    opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("avis donné par"),
    )
    opinion_at = models.DateTimeField(_("avis donné le"), null=True, blank=True)

    decision = models.CharField(_("décision"), max_length=20, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)

    # Optimistic locking: each write checks and bumps it, so two people never overwrite each other.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = CandidacyQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["school__name", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"],
                name="one_candidacy_per_year",
                violation_error_message=_("Vous avez déjà une candidature pour cette année."),
            )
        ]
        indexes = [models.Index(fields=["year", "school", "status"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.school.code} ({self.year})"


class DecisionLog(models.Model):
    """Who decided what on a candidacy, and when (kept for every change)."""

    candidacy = models.ForeignKey(
        Candidacy, models.CASCADE, related_name="decision_logs", verbose_name=_("candidature")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("par")
    )
    at = models.DateTimeField(_("le"), auto_now_add=True)
    from_decision = models.CharField(_("décision précédente"), max_length=20, choices=Decision.choices, blank=True)
    to_decision = models.CharField(_("nouvelle décision"), max_length=20, choices=Decision.choices)
    reason = models.TextField(_("motif"), blank=True)
    # Set when HR nominated beyond the school's quota: why, as HR confirmed it.
    over_quota_reason = models.TextField(_("motif du dépassement du quota"), blank=True)

    class Meta:
        verbose_name = _("historique de décision")
        verbose_name_plural = _("historique des décisions")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.candidacy_id}: {self.from_decision or '-'} → {self.to_decision}"


class MentorAssignmentQuerySet(models.QuerySet):
    def for_year(self, year):
        return self.filter(year=year)

    def with_load(self):
        """Annotate each assignment with its mentor's active pairings of the year."""
        # A join with a filtered count: a correlated subquery is a hundred times slower on SQLite.
        active = Q(person__pairings_as_mentor__ended_on__isnull=True, person__pairings_as_mentor__year=models.F("year"))
        return self.annotate(load=models.Count("person__pairings_as_mentor", filter=active, distinct=True))

    def by_load(self, year, start: int, stop: int):
        """The year's assignments from start to stop in (-load, mentor's last name, pk) order, with their load.

        The page's ids come from a query PostgreSQL answers without reading every mentor's name: its inner
        query orders the year's assignments by load alone (from the partial index on the active pairings),
        and the join then reads names only for the loads the page reaches. Any plan gives the same rows.
        """
        year_id = getattr(year, "pk", year)
        page = RawSQL(_PAGE_BY_LOAD, [year_id, year_id, max(stop - start, 0), start])
        return self.filter(pk__in=page).with_load().order_by("-load", "person__last_name", "pk")


_PAGE_BY_LOAD = """
    SELECT ranked.id FROM (
        SELECT a.id, a.person_id, COALESCE(active.n, 0) AS load
        FROM mentors_mentorassignment a
        LEFT JOIN (
            SELECT mentor_id, COUNT(*) AS n FROM mentors_pairing
            WHERE year_id = %s AND ended_on IS NULL
            GROUP BY mentor_id
        ) active ON active.mentor_id = a.person_id
        WHERE a.year_id = %s
        ORDER BY load DESC
    ) ranked
    JOIN schools_person p ON p.id = ranked.person_id
    ORDER BY ranked.load DESC, p.last_name, ranked.id
    LIMIT %s OFFSET %s
"""


class MentorAssignment(models.Model):
    """A nominated mentor's release for a year at a school (a shared mentor has one per school)."""

    person = models.ForeignKey(
        "schools.Person", models.CASCADE, related_name="mentor_assignments", verbose_name=_("personne mentore")
    )
    year = models.ForeignKey(
        "schools.SchoolYear", models.PROTECT, related_name="mentor_assignments", verbose_name=_("année")
    )
    school = models.ForeignKey(
        "schools.School", models.PROTECT, related_name="mentor_assignments", verbose_name=_("école")
    )
    building = models.ForeignKey(
        "schools.Building",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentor_assignments",
        verbose_name=_("bâtiment"),
    )
    candidacy = models.ForeignKey(
        Candidacy, models.SET_NULL, null=True, blank=True, related_name="assignments", verbose_name=_("candidature")
    )
    cycle_length_days = models.PositiveSmallIntegerField(
        _("durée du cycle (jours)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    release_days_per_cycle = models.DecimalField(
        _("jours de libération par cycle"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(2),
        validators=[MinValueValidator(Decimal(0))],
    )
    capacity = models.PositiveSmallIntegerField(
        _("nombre de personnes mentorées possible"), default=3, validators=[MinValueValidator(1)]
    )

    objects = MentorAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("affectation de personne mentore")
        verbose_name_plural = _("affectations de personnes mentores")
        ordering = ["school__name", "person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year", "school"], name="one_mentor_assignment_per_school"),
            models.CheckConstraint(
                condition=Q(release_days_per_cycle__lte=models.F("cycle_length_days")),
                name="mentor_release_within_cycle",
                violation_error_message=_("Les jours de libération dépassent la durée du cycle."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.school.code} ({self.year})"

    @cached_property
    def programme(self) -> ProgrammeSettings:
        """The year's rates; views listing many assignments set it once for all."""
        return ProgrammeSettings.for_year(self.year_id)

    @property
    def release_fraction(self) -> Decimal:
        """Share of the task released: 2 days of a 10-day cycle = 0.2."""
        return Decimal(self.release_days_per_cycle) / Decimal(self.cycle_length_days)

    @property
    def release_days_in_year(self) -> Decimal:
        days = self.release_fraction * self.programme.teaching_days
        return days.quantize(Decimal("0.1"))

    @property
    def cost_estimate(self) -> Decimal:
        """Release days × substitute daily rate + compensation."""
        programme = self.programme
        return (self.release_days_in_year * programme.substitute_daily_rate + programme.compensation).quantize(
            Decimal("0.01")
        )


# --- Follow-up by the mentor ---


class FollowUpKind(models.TextChoices):
    MEETING = "meeting", _("Rencontre")
    OBSERVATION = "observation", _("Observation en classe")
    CO_PLANNING = "co_planning", _("Coplanification")
    INFORMAL = "informal", _("Échange informel")


class Topic(models.TextChoices):
    CLASSROOM_MANAGEMENT = "classroom_management", _("Gestion de classe")
    PLANNING = "planning", _("Planification")
    EVALUATION = "evaluation", _("Évaluation")
    WELL_BEING = "well_being", _("Bien-être")
    SCHOOL_CULTURE = "school_culture", _("Culture de l'école")
    PARENTS = "parents", _("Relations avec les parents")
    DIFFERENTIATION = "differentiation", _("Différenciation pédagogique")
    OTHER = "other", _("Autre")


class FollowUpEntry(models.Model):
    """One entry of a mentor's follow-up log; its notes are readable by their author only."""

    pairing = models.ForeignKey(Pairing, models.CASCADE, related_name="follow_ups", verbose_name=_("jumelage"))
    author = models.ForeignKey(
        "schools.Person", models.CASCADE, related_name="follow_ups_written", verbose_name=_("auteur")
    )
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    kind = models.CharField(_("type"), max_length=20, choices=FollowUpKind.choices)
    topics = models.JSONField(_("thèmes"), default=list, blank=True)
    notes = models.TextField(_("notes personnelles"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("entrée du suivi")
        verbose_name_plural = _("entrées du suivi")
        ordering = ["-date", "-id"]
        # A pair's last meeting in one index probe: the follow-up page orders a year's pairs by it.
        indexes = [models.Index(fields=["pairing", "date"], name="followup_pairing_date")]

    def __str__(self) -> str:
        return f"{self.pairing_id} {self.date}"

    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [str(labels.get(topic, topic)) for topic in self.topics]


# The accompaniment calendar (cohorts, events, invitations) lives in its own module.
from mentors.models.accompaniment import (  # noqa: E402
    CalendarFeed,
    Cohort,
    CohortMember,
    Event,
    EventDocument,
    EventInvitation,
    EventKind,
    EventPeriod,
    EventStatus,
    NonSchoolDay,
    NonSchoolDayKind,
    Rsvp,
)

__all__ = [
    "CalendarFeed",
    "Cohort",
    "CohortMember",
    "Event",
    "EventDocument",
    "EventInvitation",
    "EventKind",
    "EventPeriod",
    "EventStatus",
    "NonSchoolDay",
    "NonSchoolDayKind",
    "Rsvp",
]
