"""What the yearly cycle has done: one row per effect, so nothing is done twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CycleEffect(models.Model):
    """One step of the cycle done for one year and one occurrence (« rappel du 2027-04-28 »).

    The unique constraint is the guarantee: a beat that fires twice, a task that
    runs twice or a worker that dies and retries finds the row and does nothing.
    The row is written in the same transaction as the step's changes and e-mails
    (which go through the outbox), so either all of it happened or none.
    """

    year = models.ForeignKey("schools.SchoolYear", models.CASCADE, related_name="cycle_effects")
    step = models.CharField(_("étape"), max_length=60)
    occurrence = models.CharField(_("occurrence"), max_length=60, blank=True)
    done_at = models.DateTimeField(_("fait le"), auto_now_add=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lancé par"),
        help_text=_("Vide quand le système l'a fait de lui-même."),
    )
    # What it did, for the cycle page: {"emails": 41, "opened": 1, …}
    summary = models.JSONField(_("résumé"), default=dict, blank=True)

    class Meta:
        verbose_name = _("effet du cycle")
        verbose_name_plural = _("effets du cycle")
        ordering = ["-done_at"]
        constraints = [
            models.UniqueConstraint(fields=["year", "step", "occurrence"], name="cycle_effect_once"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.step} {self.occurrence}".strip()


class Lease(models.Model):
    """A named lease held until a moment: two ticks at once (two beats, a slow worker) never run steps together.

    Taken and given back with conditional UPDATEs, so it works the same on
    SQLite and PostgreSQL; a worker that dies holding it frees it when it expires.
    """

    name = models.CharField(max_length=60, unique=True)
    held_until = models.DateTimeField()
    holder = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("verrou")
        verbose_name_plural = _("verrous")

    def __str__(self) -> str:
        return self.name
