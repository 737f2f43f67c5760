"""The accompaniment calendar: cohorts of mentors, their events, invitations and attendance.

The seed's « Modèle d'accompagnement »: the university trainers accompany the
PANE for 6 days (university day k precedes cohort day k), the PANE accompany
the mentors of their cohort for 6 days, and the directors, mentors and mentees
of the cohort's schools meet for a regulation half-day (Oct.–Nov.) and a bilan
half-day (May–June). The half-day events are the one place where those dates
live; the year's timeline reads them.
"""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schools.models import Order

DAYS_PER_COHORT = 6  # six cohort days and six university days a year


class CohortQuerySet(models.QuerySet):
    def for_year(self, year):
        return self.filter(year=year)

    def led_by(self, person):
        return self.filter(panes=person)

    def trained_by(self, person):
        return self.filter(trainers=person)


class Cohort(models.Model):
    """A group of mentors followed over the year by one or more PANE, accompanied by trainers."""

    year = models.ForeignKey("schools.SchoolYear", models.PROTECT, related_name="cohorts", verbose_name=_("année"))
    name = models.CharField(_("nom"), max_length=100)
    order = models.CharField(_("ordre d'enseignement"), max_length=20, choices=Order.choices, blank=True)
    panes = models.ManyToManyField("schools.Person", related_name="cohorts_led", verbose_name=_("PANE responsables"))
    trainers = models.ManyToManyField(
        "schools.Person", related_name="cohorts_trained", blank=True, verbose_name=_("formatrices universitaires")
    )
    mentors = models.ManyToManyField(
        "schools.Person",
        through="CohortMember",
        related_name="cohorts",
        blank=True,
        verbose_name=_("personnes mentores"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = _("cohorte")
        verbose_name_plural = _("cohortes")
        ordering = ["year", "name"]
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="cohort_name_per_year")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class CohortMember(models.Model):
    """A mentor placed in a cohort; a mentor belongs to one cohort a year."""

    cohort = models.ForeignKey(Cohort, models.CASCADE, related_name="members", verbose_name=_("cohorte"))
    person = models.ForeignKey(
        "schools.Person", models.CASCADE, related_name="cohort_memberships", verbose_name=_("personne mentore")
    )
    # The cohort's year, copied so the database can hold "one cohort a year" itself.
    year = models.ForeignKey("schools.SchoolYear", models.PROTECT, related_name="+", verbose_name=_("année"))
    added_on = models.DateField(_("ajoutée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("membre d'une cohorte")
        verbose_name_plural = _("membres des cohortes")
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="one_cohort_per_mentor_year")]

    def __str__(self) -> str:
        return f"{self.person} — {self.cohort.name}"

    def save(self, *args, **kwargs):
        self.year_id = self.cohort.year_id
        super().save(*args, **kwargs)


class EventKind(models.TextChoices):
    UNIVERSITY_DAY = "university_day", _("Journée universitaire")
    COHORT_DAY = "cohort_day", _("Journée de cohorte")
    REGULATION = "regulation", _("Demi-journée de régulation")
    BILAN = "bilan", _("Demi-journée de bilan")
    MEETING = "meeting", _("Autre rencontre")


NUMBERED_KINDS = {EventKind.UNIVERSITY_DAY, EventKind.COHORT_DAY}
HALF_DAY_KINDS = {EventKind.REGULATION, EventKind.BILAN}


class EventPeriod(models.TextChoices):
    MORNING = "am", _("Avant-midi")
    AFTERNOON = "pm", _("Après-midi")
    FULL_DAY = "day", _("Journée complète")

    def half_days(self) -> set[str]:
        """The half-days this period occupies (used for double bookings)."""
        return {"am", "pm"} if self == EventPeriod.FULL_DAY else {self.value}


# Default times of each period (America/Toronto), editable per event.
DEFAULT_TIMES = {
    EventPeriod.MORNING: (datetime.time(8, 30), datetime.time(11, 45)),
    EventPeriod.AFTERNOON: (datetime.time(13, 0), datetime.time(16, 0)),
    EventPeriod.FULL_DAY: (datetime.time(8, 30), datetime.time(16, 0)),
}


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")
    CANCELLED = "cancelled", _("Annulé")


class EventQuerySet(models.QuerySet):
    def for_year(self, year):
        return self.filter(year=year)

    def live(self):
        """Events that still take place (drafts included)."""
        return self.exclude(status=EventStatus.CANCELLED)

    def published(self):
        return self.filter(status=EventStatus.PUBLISHED)

    def half_days(self):
        return self.filter(kind__in=HALF_DAY_KINDS)


class Event(models.Model):
    """A university day, cohort day, regulation or bilan half-day, or another meeting."""

    year = models.ForeignKey("schools.SchoolYear", models.PROTECT, related_name="events", verbose_name=_("année"))
    cohort = models.ForeignKey(
        Cohort, models.CASCADE, null=True, blank=True, related_name="events", verbose_name=_("cohorte")
    )
    kind = models.CharField(_("type"), max_length=20, choices=EventKind.choices)
    number = models.PositiveSmallIntegerField(
        _("numéro"), null=True, blank=True, help_text=_("De 1 à 6 pour les journées universitaires et de cohorte.")
    )
    title = models.CharField(_("titre"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    period = models.CharField(_("moment"), max_length=3, choices=EventPeriod.choices, default=EventPeriod.FULL_DAY)
    starts_at = models.TimeField(_("heure de début"))
    ends_at = models.TimeField(_("heure de fin"))
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    meeting_url = models.URLField(_("lien de la rencontre virtuelle"), blank=True)
    agenda = models.TextField(_("ordre du jour"), blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT)
    # Calendar identity: the UID never changes; SEQUENCE grows with each change sent to invitees.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # Optimistic locking: a save with a stale version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # A conflict rule waived by HR, with the reason (who and when are kept too).
    override_reason = models.TextField(_("motif de la dérogation"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dérogation par"),
    )
    overridden_at = models.DateTimeField(_("dérogation le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("créé par")
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["date", "starts_at", "id"]
        indexes = [models.Index(fields=["year", "date"], name="event_year_date")]
        constraints = [
            # Cohort day k and university day k exist once per cohort (cancelled ones aside).
            models.UniqueConstraint(
                fields=["cohort", "kind", "number"],
                condition=Q(number__isnull=False) & ~Q(status="cancelled"),
                name="event_number_once_per_cohort",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=1, number__lte=DAYS_PER_COHORT),
                name="event_number_range",
            ),
            models.CheckConstraint(condition=Q(starts_at__lt=models.F("ends_at")), name="event_times_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.label} — {self.date:%Y-%m-%d}"

    @property
    def label(self) -> str:
        """« Journée de cohorte 3 — Cohorte A », or the meeting's own title."""
        if self.title:
            return self.title
        name = self.get_kind_display()
        if self.number:
            name = f"{name} {self.number}"
        return f"{name} — {self.cohort.name}" if self.cohort_id else name

    @property
    def is_half_day(self) -> bool:
        return self.kind in HALF_DAY_KINDS

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    def half_day_slots(self) -> set[str]:
        return EventPeriod(self.period).half_days()


class EventDocument(models.Model):
    """A link attached to an event (slides, readings, the agenda as a file)."""

    event = models.ForeignKey(Event, models.CASCADE, related_name="documents", verbose_name=_("événement"))
    title = models.CharField(_("titre"), max_length=200)
    url = models.URLField(_("lien"))
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Rsvp(models.TextChoices):
    PENDING = "pending", _("Sans réponse")
    PRESENT = "present", _("Présent")
    ABSENT = "absent", _("Absent")


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class EventInvitation(models.Model):
    """One invitee of an event: their answer (présent / absent) and, on the day, their attendance."""

    event = models.ForeignKey(Event, models.CASCADE, related_name="invitations", verbose_name=_("événement"))
    person = models.ForeignKey(
        "schools.Person", models.CASCADE, related_name="event_invitations", verbose_name=_("personne")
    )
    rsvp = models.CharField(_("réponse"), max_length=10, choices=Rsvp.choices, default=Rsvp.PENDING)
    responded_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    # The secret of the answer links in the e-mail (no sign-in needed to answer).
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    # The SEQUENCE last sent to this invitee; None until the first e-mail leaves.
    sent_sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    attended = models.BooleanField(_("présence"), null=True, blank=True)
    attendance_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("notée par")
    )
    attendance_at = models.DateTimeField(_("notée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="one_invitation_per_event_person")]

    def __str__(self) -> str:
        return f"{self.person} — {self.event}"


class NonSchoolDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Congé")
    PEDAGOGICAL = "pedagogical", _("Journée pédagogique")
    BREAK = "break", _("Semaine de relâche ou vacances")


class NonSchoolDay(models.Model):
    """A day of the centre's calendar without classes: no accompaniment event is held on it."""

    year = models.ForeignKey(
        "schools.SchoolYear", models.CASCADE, related_name="non_school_days", verbose_name=_("année")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=20, choices=NonSchoolDayKind.choices)
    label = models.CharField(_("libellé"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("journée sans classe")
        verbose_name_plural = _("calendrier des journées sans classe")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["year", "date"], name="one_non_school_day_per_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} — {self.get_kind_display()}"


class CalendarFeed(models.Model):
    """A person's private iCalendar feed: the secret token in its URL is the credential."""

    person = models.OneToOneField(
        "schools.Person", models.CASCADE, related_name="calendar_feed", verbose_name=_("personne")
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("abonnement au calendrier")
        verbose_name_plural = _("abonnements au calendrier")

    def __str__(self) -> str:
        return str(self.person)
