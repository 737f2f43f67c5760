"""Mentoring pairs and the PANE's cohorts of mentors."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PairingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_on__isnull=True)

    def for_year(self, year):
        return self.filter(year=year)


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

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("jumelage")
        verbose_name_plural = _("jumelages")
        ordering = ["-started_on"]
        constraints = [
            # A novice has at most one active mentor.
            models.UniqueConstraint(fields=["mentee"], condition=Q(ended_on__isnull=True), name="one_active_mentor"),
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="pairing_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee}"


class Cohort(models.Model):
    """A group of mentors followed over the year by one PANE."""

    year = models.ForeignKey("schools.SchoolYear", models.PROTECT, related_name="cohorts", verbose_name=_("année"))
    name = models.CharField(_("nom"), max_length=100)
    pane = models.ForeignKey(
        "schools.Person", models.PROTECT, related_name="cohorts_led", verbose_name=_("PANE responsable")
    )
    mentors = models.ManyToManyField(
        "schools.Person", related_name="cohorts", blank=True, verbose_name=_("personnes mentores")
    )

    class Meta:
        verbose_name = _("cohorte")
        verbose_name_plural = _("cohortes")
        ordering = ["year", "name"]
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="cohort_name_per_year")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"
