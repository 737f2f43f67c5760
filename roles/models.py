"""Accounts, the roles people hold, and the "qui fait quoi" referential."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A sign-in account, identified by its e-mail address."""

    username = None
    email = models.EmailField(_("courriel"), unique=True)
    # Empty until the person chooses with the language switch: French, whatever the browser says.
    language = models.CharField(_("langue"), max_length=10, choices=settings.LANGUAGES, blank=True)
    # Nudges (mentors/nudges.py, survey reminders) honour it; required notices are always sent.
    receives_nudges = models.BooleanField(
        _("Recevoir les rappels automatiques"),
        default=True,
        help_text=_(
            "Rappels : sondage sans réponse, personnes débutantes sans jumelage. "
            "Les avis obligatoires (invitations, décisions) sont toujours envoyés."
        ),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The person's name from the staff record, else the account's, else the e-mail address."""
        person = getattr(self, "person", None) if self.pk else None
        return (person.full_name if person else "") or self.get_full_name() or self.email


class Role(models.TextChoices):
    HR = "hr", _("Ressources humaines")
    DIRECTOR = "director", _("Direction d'établissement")
    PANE = "pane", _("PANE (accompagnement des nouveaux enseignants)")
    TRAINER = "trainer", _("Formatrice universitaire")
    MENTOR = "mentor", _("Personne mentore")
    MENTEE = "mentee", _("Personne mentorée")
    TEACHER = "teacher", _("Personne enseignante")
    MANAGEMENT = "management", _("Direction générale")
    ADMIN = "admin", _("Administration")


# Roles that only make sense for a given school.
SCHOOL_SCOPED_ROLES = {Role.DIRECTOR, Role.MENTOR, Role.MENTEE}


class MembershipQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date | None = None):
        """Memberships started on that day (today by default) and not yet ended: one ended today gives nothing."""
        day = day or timezone.localdate()
        started = Q(starts_on__isnull=True) | Q(starts_on__lte=day)
        not_ended = Q(ends_on__isnull=True) | Q(ends_on__gt=day)
        return self.filter(started, not_ended)

    def in_force(self, year, day: datetime.date | None = None):
        """Memberships valid this year and today: those of the year and the permanent ones, within their dates."""
        if year is None:
            return self.filter(year__isnull=True).active_on(day)
        return self.filter(Q(year=year) | Q(year__isnull=True)).active_on(day)


class Membership(models.Model):
    """One role held by a person, possibly for one school and one school year."""

    person = models.ForeignKey("schools.Person", models.CASCADE, related_name="memberships", verbose_name=_("personne"))
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    school = models.ForeignKey(
        "schools.School", models.CASCADE, null=True, blank=True, related_name="memberships", verbose_name=_("école")
    )
    year = models.ForeignKey(
        "schools.SchoolYear",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("année scolaire"),
        help_text=_("Laisser vide pour un rôle permanent."),
    )
    starts_on = models.DateField(_("début"), null=True, blank=True, help_text=_("Vide : depuis toujours."))
    ends_on = models.DateField(
        _("prend fin le"), null=True, blank=True, help_text=_("Le rôle ne donne plus accès à partir de ce jour.")
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("rôle attribué")
        verbose_name_plural = _("rôles attribués")
        # NULL never equals NULL in a unique index, so each null combination
        # gets its own partial constraint.
        constraints = [
            models.UniqueConstraint(fields=["person", "role", "school", "year"], name="membership_unique"),
            models.UniqueConstraint(
                fields=["person", "role", "year"], condition=Q(school__isnull=True), name="membership_unique_no_school"
            ),
            models.UniqueConstraint(
                fields=["person", "role", "school"], condition=Q(year__isnull=True), name="membership_unique_no_year"
            ),
            models.UniqueConstraint(
                fields=["person", "role"],
                condition=Q(school__isnull=True, year__isnull=True),
                name="membership_unique_permanent",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(starts_on__lt=models.F("ends_on")),
                name="membership_dates_in_order",
                violation_error_message=_("La fin doit suivre le début."),
            ),
        ]

    def __str__(self) -> str:
        scope = " — ".join(str(part) for part in (self.school, self.year) if part)
        return f"{self.person} : {self.get_role_display()}" + (f" ({scope})" if scope else "")

    def is_active_on(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return (self.starts_on is None or self.starts_on <= day) and (self.ends_on is None or day < self.ends_on)


class Actor(models.Model):
    """An actor of the programme in the "qui fait quoi" referential (seed, last pages)."""

    name = models.CharField(_("acteur"), max_length=150)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    intro = models.CharField(_("introduction"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("acteur (qui fait quoi)")
        verbose_name_plural = _("acteurs (qui fait quoi)")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Responsibility(models.Model):
    actor = models.ForeignKey(Actor, models.CASCADE, related_name="responsibilities", verbose_name=_("acteur"))
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    text = models.CharField(_("responsabilité"), max_length=300)
    # A retired responsibility leaves the referential's page but stays in its history.
    retired_at = models.DateTimeField(_("retirée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("responsabilité")
        verbose_name_plural = _("responsabilités")
        ordering = ["actor", "position"]

    def __str__(self) -> str:
        return self.text


class ResponsibilityChange(models.Model):
    """One change to the referential: who, when, what, from what, to what."""

    class Action(models.TextChoices):
        ADDED = "added", _("Ajout")
        REWORDED = "reworded", _("Reformulation")
        MOVED = "moved", _("Déplacement")
        RETIRED = "retired", _("Retrait")
        RESTORED = "restored", _("Remise en place")

    responsibility = models.ForeignKey(
        Responsibility, models.CASCADE, related_name="changes", verbose_name=_("responsabilité")
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    old_value = models.TextField(_("avant"), blank=True)
    new_value = models.TextField(_("après"), blank=True)
    by = models.ForeignKey("roles.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("par"))
    at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("modification du référentiel")
        verbose_name_plural = _("modifications du référentiel")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} — {self.responsibility_id}"
