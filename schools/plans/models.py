"""Deployment action plans of the schools, their templates, and the tracking table of new staff.

A plan belongs to a school and a school year and is made of ordered steps in
the seed's columns (étape détaillée, intentions, responsable, personnes
impliquées, quand, commentaires), each tied to a step of the *cycle de
l'action*. Every change to a step is kept in PlanChange (who, when, which
field, from what, to what).
"""

from __future__ import annotations

import secrets
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _


class CycleStep(models.TextChoices):
    """The action cycle of the seed (Poirel, Lauzon et Clément, 2020), in its order."""

    NAME = "1", _("1. Nommer les enjeux et les besoins")
    ANALYSE = "2", _("2. Analyser et prioriser")
    PLAN = "3", _("3. Planifier les actions")
    ACT = "4", _("4. Mettre les moyens en place")
    REGULATION = "regulation", _("Régulation")


class Category(models.TextChoices):
    STRUCTURE = "structure", _("Structure du programme")
    PRACTICES = "pratiques", _("Pratiques")


class StepStatus(models.TextChoices):
    UPCOMING = "a_venir", _("À venir")
    ONGOING = "en_cours", _("En cours")
    DONE = "realise", _("Réalisé")


# --- Templates (the seed's two examples) ---


class PlanTemplate(models.Model):
    """A model plan a school may start from; its text is French data from the seed, not UI strings."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    order = models.CharField(_("ordre d'enseignement"), max_length=20, blank=True)
    notes = models.TextField(_("notes importantes"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("modèle de plan")
        verbose_name_plural = _("modèles de plan")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class TemplateStep(models.Model):
    template = models.ForeignKey(PlanTemplate, models.CASCADE, related_name="steps", verbose_name=_("modèle"))
    position = models.PositiveSmallIntegerField(_("ordre"))
    title = models.TextField(_("étape détaillée de mise en œuvre"))
    intentions = models.JSONField(_("intentions"), default=list, blank=True)
    # Names as the seed writes them ("Direction", "Mentores", "PANE"); matched to
    # the referential's actors when a plan is started from the template.
    responsible = models.JSONField(_("responsable"), default=list, blank=True)
    people = models.JSONField(_("personnes impliquées"), default=list, blank=True)
    when_text = models.CharField(_("quand"), max_length=100, blank=True)
    comments = models.TextField(_("commentaires"), blank=True)
    cycle_step = models.CharField(_("étape du cycle de l'action"), max_length=20, choices=CycleStep.choices)
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices, blank=True)

    class Meta:
        verbose_name = _("étape de modèle")
        verbose_name_plural = _("étapes de modèle")
        ordering = ["template", "position"]

    def __str__(self) -> str:
        return self.title[:80]


# --- Plans and steps ---


class PlanSource(models.TextChoices):
    EMPTY = "vide", _("Plan vide")
    TEMPLATE = "modele", _("À partir d'un modèle")
    COPY = "copie", _("Copie du plan de l'an dernier")


class DeploymentPlanQuerySet(models.QuerySet):
    def for_year(self, year):
        return self.filter(year=year)


class DeploymentPlan(models.Model):
    school = models.ForeignKey("schools.School", models.CASCADE, related_name="plans", verbose_name=_("école"))
    year = models.ForeignKey("schools.SchoolYear", models.PROTECT, related_name="plans", verbose_name=_("année"))
    source = models.CharField(_("origine"), max_length=10, choices=PlanSource.choices, default=PlanSource.EMPTY)
    template = models.ForeignKey(
        PlanTemplate, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("modèle")
    )
    notes = models.TextField(_("notes importantes"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("créé par")
    )
    # The last change to the plan or one of its steps, for the overview (no join on the history).
    changed_at = models.DateTimeField(_("dernière modification"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modifié par"),
    )

    objects = DeploymentPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan de déploiement")
        verbose_name_plural = _("plans de déploiement")
        ordering = ["school__name", "-year__starts_on"]
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="one_plan_per_school_year")]

    def __str__(self) -> str:
        return f"{self.school.name} — {self.year.label}"


class PlanStep(models.Model):
    plan = models.ForeignKey(DeploymentPlan, models.CASCADE, related_name="steps", verbose_name=_("plan"))
    position = models.PositiveIntegerField(_("ordre"), default=0)
    title = models.TextField(_("étape détaillée de mise en œuvre"))
    intentions = models.JSONField(_("intentions"), default=list, blank=True)
    responsible_actors = models.ManyToManyField(
        "roles.Actor", blank=True, related_name="+", verbose_name=_("responsable (acteurs)")
    )
    responsible_other = models.CharField(_("responsable (autre)"), max_length=200, blank=True)
    people_actors = models.ManyToManyField(
        "roles.Actor", blank=True, related_name="+", verbose_name=_("personnes impliquées (acteurs)")
    )
    people_persons = models.ManyToManyField(
        "schools.Person", blank=True, related_name="+", verbose_name=_("personnes impliquées (personnel de l'école)")
    )
    people_other = models.TextField(_("personnes impliquées (autres)"), blank=True)
    when_on = models.DateField(_("quand (date)"), null=True, blank=True)
    when_text = models.CharField(_("quand (période)"), max_length=100, blank=True)
    comments = models.TextField(_("commentaires"), blank=True)
    cycle_step = models.CharField(_("étape du cycle de l'action"), max_length=20, choices=CycleStep.choices)
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices, blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=StepStatus.choices, default=StepStatus.UPCOMING)
    # Optimistic locking: a save names the version it was read at.
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modifiée par"),
    )

    # What a person edits in a step, in the order of the form (the history compares the same fields).
    EDITABLE_FIELDS = [
        "title",
        "intentions",
        "responsible_actors",
        "responsible_other",
        "people_actors",
        "people_persons",
        "people_other",
        "when_on",
        "when_text",
        "comments",
        "cycle_step",
        "category",
        "status",
    ]

    class Meta:
        verbose_name = _("étape du plan")
        verbose_name_plural = _("étapes du plan")
        ordering = ["plan", "position", "pk"]
        indexes = [models.Index(fields=["plan", "position"])]

    def __str__(self) -> str:
        return self.title[:80]


class PlanChange(models.Model):
    """One change to a plan: who, when, which field, from what, to what."""

    class Action(models.TextChoices):
        CREATED = "created", _("Étape ajoutée")
        UPDATED = "updated", _("Étape modifiée")
        DELETED = "deleted", _("Étape supprimée")
        MOVED = "moved", _("Étape déplacée")
        PLAN = "plan", _("Plan modifié")

    plan = models.ForeignKey(DeploymentPlan, models.CASCADE, related_name="changes", verbose_name=_("plan"))
    step = models.ForeignKey(
        PlanStep, models.SET_NULL, null=True, blank=True, related_name="changes", verbose_name=_("étape")
    )
    step_title = models.CharField(_("étape"), max_length=200, blank=True)  # survives the step's deletion
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    field = models.CharField(_("champ"), max_length=50, blank=True)
    old_value = models.TextField(_("avant"), blank=True)
    new_value = models.TextField(_("après"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("par")
    )
    at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("modification du plan")
        verbose_name_plural = _("modifications du plan")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} — {self.field}"


def document_upload_path(document: StepDocument, filename: str) -> str:
    """plans/<random>/<name>: the path cannot be guessed; files are served only through the access-checked view."""
    name = get_valid_filename(PurePath(filename).name)[-100:] or "document"
    return f"plans/{secrets.token_urlsafe(24)}/{name}"


class StepDocument(models.Model):
    """A document of a step: a link, or a file stored through Django's storage API."""

    step = models.ForeignKey(PlanStep, models.CASCADE, related_name="documents", verbose_name=_("étape"))
    title = models.CharField(_("titre"), max_length=200)
    url = models.URLField(_("lien"), max_length=500, blank=True)
    file = models.FileField(_("fichier"), upload_to=document_upload_path, max_length=300, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("ajouté par")
    )
    added_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")), name="document_link_or_file"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return PurePath(self.file.name).name if self.file else ""


class StepComment(models.Model):
    """A comment of the PANE (services éducatifs) on a step; the school's directors are told."""

    step = models.ForeignKey(PlanStep, models.CASCADE, related_name="comments_left", verbose_name=_("étape"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("auteur")
    )
    body = models.TextField(_("commentaire"))
    created_at = models.DateTimeField(_("écrit le"), auto_now_add=True)

    class Meta:
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:80]


class CommentsSeen(models.Model):
    """Until when a user has read the comments of a plan (what is newer is unread)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    plan = models.ForeignKey(DeploymentPlan, models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "plan"], name="comments_seen_once")]

    def __str__(self) -> str:
        return f"{self.user} — {self.plan_id}"


# --- The tracking table of new staff (tableau de suivi des nouveaux) ---


class NewcomerReason(models.TextChoices):
    ENTITLEMENT = "ip", _("Insertion professionnelle")
    FIRST_YEAR = "arrivee", _("Première année au centre de services")
    ADDED = "ajout", _("Ajoutée par la direction")


class NewcomerStatus(models.TextChoices):
    TO_MEET = "a_rencontrer", _("À rencontrer")
    FINE = "bien", _("Ça va bien")
    WATCH = "a_surveiller", _("À surveiller")
    SUPPORT = "soutien", _("Besoin de soutien")


class Newcomer(models.Model):
    """One new staff member in a school's tracking table for a year."""

    school = models.ForeignKey("schools.School", models.CASCADE, related_name="newcomers", verbose_name=_("école"))
    year = models.ForeignKey("schools.SchoolYear", models.PROTECT, related_name="newcomers", verbose_name=_("année"))
    person = models.ForeignKey(
        "schools.Person", models.CASCADE, related_name="newcomer_rows", verbose_name=_("personne")
    )
    reason = models.CharField(_("motif"), max_length=10, choices=NewcomerReason.choices)
    followed_by = models.ForeignKey(
        "schools.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="newcomers_followed",
        verbose_name=_("qui fait le suivi"),
    )
    status = models.CharField(
        _("comment ça va"), max_length=20, choices=NewcomerStatus.choices, default=NewcomerStatus.TO_MEET
    )
    needs = models.TextField(_("besoins"), blank=True)
    next_follow_up_on = models.DateField(_("prochain suivi"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modifiée par"),
    )

    class Meta:
        verbose_name = _("nouvelle personne (tableau de suivi)")
        verbose_name_plural = _("nouvelles personnes (tableau de suivi)")
        ordering = ["person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "person"], name="one_newcomer_row_per_school_year")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.school.code} ({self.year})"


class NewcomerFollowUp(models.Model):
    """A trace of one follow-up of a new staff member ("laisser des traces de nos suivis")."""

    newcomer = models.ForeignKey(Newcomer, models.CASCADE, related_name="follow_ups", verbose_name=_("personne"))
    date = models.DateField(_("date du suivi"))
    status = models.CharField(_("comment ça va"), max_length=20, choices=NewcomerStatus.choices)
    note = models.TextField(_("ce qui a été fait ou convenu"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("noté par")
    )
    created_at = models.DateTimeField(_("noté le"), auto_now_add=True)

    class Meta:
        verbose_name = _("suivi")
        verbose_name_plural = _("suivis")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.newcomer_id} — {self.date}"
