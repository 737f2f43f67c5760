"""The outbox: every e-mail the application sends is one row here first."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboundEmailQuerySet(models.QuerySet):
    def due(self, now):
        """Messages a worker should (re)try now: queued and due, or claimed by a worker that died."""
        waiting = Q(status=OutboundEmail.Status.QUEUED) & (
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
        )
        abandoned = Q(status=OutboundEmail.Status.SENDING, claimed_until__lt=now)
        return self.filter(waiting | abandoned)

    def failed(self):
        return self.filter(status=OutboundEmail.Status.FAILED)


class OutboundEmail(models.Model):
    """One message to one person, queued in the transaction of the change that causes it.

    ``key`` says what, to whom and for which occurrence (``survey-invitation:12:345``):
    queuing the same key twice keeps one row, so a task or a beat that runs twice
    sends once. A worker claims the row, sends it, and marks it sent; an SMTP failure
    is retried with back-off, and after the last attempt the row stays ``failed``
    for HR to see and resend.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("en attente")
        SENDING = "sending", _("en cours d'envoi")
        SENT = "sent", _("envoyé")
        SKIPPED = "skipped", _("sans objet")
        FAILED = "failed", _("en échec")

    key = models.CharField(_("clé"), max_length=200, unique=True)
    kind = models.CharField(
        _("type"), max_length=60, help_text=_("Gabarit emails/<type>-… ou constructeur enregistré.")
    )
    to = models.EmailField(_("destinataire"), max_length=254)
    context = models.JSONField(_("contenu"), default=dict, blank=True)
    # [[file name, content, MIME type], …]: the .ics of a calendar invitation, for instance.
    attachments = models.JSONField(_("pièces jointes"), default=list, blank=True)
    language = models.CharField(_("langue"), max_length=10, blank=True)
    # What caused it, for the cycle page's counts: "cycle:2026-2027:nominations-open", "survey:12"…
    source = models.CharField(_("origine"), max_length=120, blank=True, db_index=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("courriel sortant")
        verbose_name_plural = _("courriels sortants")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return self.key
