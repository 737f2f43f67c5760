"""The retention schedule (calendrier de conservation) and the confidentiality incident register.

Defined here and imported by schools.models, so they belong to the ``schools`` app.
"""

from __future__ import annotations

import datetime

from auditlog.registry import auditlog
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    """The kinds of record the retention task knows how to destroy or anonymise."""

    IMPORT_UPLOADS = "import_uploads", _("Fichiers importés par les RH (aperçu d'importation)")
    SURVEY_DRAFTS = "survey_drafts", _("Brouillons de réponse non soumis, après la fermeture du sondage")
    SURVEY_INVITATIONS = "survey_invitations", _("Invitations aux sondages (lien personnel, a répondu ou non)")
    SURVEY_RESPONSES = "survey_responses", _("Réponses aux sondages (école du répondant)")
    EVENT_INVITATIONS = "event_invitations", _("Invitations et présences aux activités d'accompagnement")
    CANDIDACIES_NOT_RETAINED = "candidacies_not_retained", _("Candidatures non retenues (mentorat)")
    TRACKING_TABLE = "tracking_table", _("Tableau de suivi du nouveau personnel (lignes et suivis)")
    STAFF_RECORDS = "staff_records", _("Dossiers du personnel parti (sans affectation)")
    AUDIT_ENTRIES = "audit_entries", _("Entrées du journal d'audit")
    OUTBOUND_EMAILS = "outbound_emails", _("Courriels envoyés par l'application (destinataire et contenu)")


class RetentionAction(models.TextChoices):
    DESTROY = "destroy", _("Détruire")
    ANONYMISE = "anonymise", _("Anonymiser")


class PeriodUnit(models.TextChoices):
    DAYS = "days", _("jours")
    MONTHS = "months", _("mois")


# What each kind may undergo: survey answers are only ever anonymised, a draft is only
# unlinked from its invitation, a staff record is anonymised (other records point to it).
ALLOWED_ACTIONS = {
    RecordKind.IMPORT_UPLOADS: {RetentionAction.DESTROY},
    RecordKind.SURVEY_DRAFTS: {RetentionAction.ANONYMISE},
    RecordKind.SURVEY_INVITATIONS: {RetentionAction.DESTROY},
    RecordKind.SURVEY_RESPONSES: {RetentionAction.ANONYMISE},
    RecordKind.EVENT_INVITATIONS: {RetentionAction.DESTROY},
    RecordKind.CANDIDACIES_NOT_RETAINED: {RetentionAction.DESTROY},
    RecordKind.TRACKING_TABLE: {RetentionAction.DESTROY},
    RecordKind.STAFF_RECORDS: {RetentionAction.ANONYMISE},
    RecordKind.AUDIT_ENTRIES: {RetentionAction.DESTROY},
    RecordKind.OUTBOUND_EMAILS: {RetentionAction.DESTROY},
}


class RetentionRule(models.Model):
    """One line of the centre's retention schedule: how long a kind of record is kept, then what happens."""

    kind = models.CharField(_("type de renseignement"), max_length=40, choices=RecordKind.choices, unique=True)
    period = models.PositiveIntegerField(_("durée de conservation"))
    unit = models.CharField(_("unité"), max_length=10, choices=PeriodUnit.choices, default=PeriodUnit.MONTHS)
    starts_from = models.CharField(_("à compter de"), max_length=200, blank=True)
    action = models.CharField(_("à l'échéance"), max_length=10, choices=RetentionAction.choices)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("par")
    )

    class Meta:
        verbose_name = _("règle de conservation")
        verbose_name_plural = _("calendrier de conservation")
        ordering = ["kind"]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def delta(self) -> relativedelta:
        if self.unit == PeriodUnit.DAYS:
            return relativedelta(days=self.period)
        return relativedelta(months=self.period)

    def cutoff(self, now: datetime.datetime) -> datetime.datetime:
        """Records whose reference date is before this moment are past their period."""
        return now - self.delta

    def allowed_actions(self) -> set[str]:
        return ALLOWED_ACTIONS.get(self.kind, set(RetentionAction.values))


class RiskLevel(models.TextChoices):
    LOW = "low", _("Faible : pas de risque de préjudice sérieux")
    SERIOUS = "serious", _("Risque de préjudice sérieux")
    TO_ASSESS = "to_assess", _("À évaluer")


class ConfidentialityIncident(models.Model):
    """An entry of the register of confidentiality incidents (Law 25, art. 63.11 of the Access Act)."""

    title = models.CharField(_("titre"), max_length=200)
    information_concerned = models.TextField(
        _("renseignements personnels visés"),
        help_text=_("Description des renseignements personnels visés par l'incident (ou pourquoi on ne peut pas)."),
    )
    circumstances = models.TextField(_("circonstances de l'incident"))
    occurred_from = models.DateField(_("date de l'incident (ou début de la période)"))
    occurred_until = models.DateField(_("fin de la période"), null=True, blank=True)
    learned_on = models.DateField(_("date de la prise de connaissance par le centre"))
    people_count = models.PositiveIntegerField(
        _("nombre de personnes concernées"), help_text=_("Nombre exact ou, à défaut, approximatif.")
    )
    risk_level = models.CharField(
        _("évaluation du risque de préjudice sérieux"),
        max_length=20,
        choices=RiskLevel.choices,
        default=RiskLevel.TO_ASSESS,
    )
    risk_justification = models.TextField(
        _("justification de l'évaluation"),
        blank=True,
        help_text=_("Sensibilité des renseignements, conséquences appréhendées et probabilité qu'ils soient utilisés."),
    )
    commission_notified_on = models.DateField(
        _("avis à la Commission d'accès à l'information le"), null=True, blank=True
    )
    people_notified_on = models.DateField(_("avis aux personnes concernées le"), null=True, blank=True)
    measures = models.TextField(
        _("mesures prises"), blank=True, help_text=_("Mesures prises pour diminuer les risques de préjudice.")
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("créé par")
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("incident de confidentialité")
        verbose_name_plural = _("registre des incidents de confidentialité")
        ordering = ["-learned_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(occurred_until__isnull=True) | Q(occurred_until__gte=models.F("occurred_from")),
                name="incident_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title


# Creations and deletions reach the audit trail through django-auditlog; edits go through
# services.py, whose update() writes its own before/after entry.
auditlog.register(RetentionRule)
auditlog.register(ConfidentialityIncident)
