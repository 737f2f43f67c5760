"""Satisfaction surveys: instruments, invitations and anonymous, typed answers."""

from __future__ import annotations

import datetime
import re
import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.models import Order


class Audience(models.TextChoices):
    MENTORS = "mentors", _("Personnes mentores")
    MENTEES = "mentees", _("Personnes mentorées")
    DIRECTORS = "directors", _("Directions d'établissement")
    CUSTOM = "custom", _("Autre liste de personnes")


class SurveyQuerySet(models.QuerySet):
    def for_year(self, year):
        return self.filter(year=year)


class Survey(models.Model):
    """A questionnaire sent to one audience for one school year."""

    title = models.CharField(_("titre"), max_length=200)
    introduction = models.TextField(_("texte d'introduction"), blank=True)
    audience = models.CharField(_("public"), max_length=20, choices=Audience.choices)
    custom_people = models.ManyToManyField(
        "schools.Person",
        blank=True,
        related_name="+",
        verbose_name=_("personnes sollicitées"),
        help_text=_("Seulement pour le public « Autre liste de personnes »."),
    )
    year = models.ForeignKey(
        "schools.SchoolYear", models.PROTECT, related_name="surveys", verbose_name=_("année scolaire")
    )
    opens_at = models.DateTimeField(_("ouverture"))
    closes_at = models.DateTimeField(_("fermeture"))
    invited_count = models.PositiveIntegerField(
        _("nombre de personnes sollicitées"),
        null=True,
        blank=True,
        help_text=_("Pour un sondage mené hors de l'application (papier, autre outil) : sert au taux de réponse."),
    )
    copied_from = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="copies", verbose_name=_("copié de")
    )
    # Set on a copy: the introduction speaks of last year (« depuis septembre 2022 ») until someone saves it.
    introduction_to_review = models.BooleanField(_("introduction à relire"), default=False, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("sondage")
        verbose_name_plural = _("sondages")
        ordering = ["-year__starts_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(opens_at__lt=models.F("closes_at")), name="survey_opens_before_close")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def is_closed(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_responses(self) -> bool:
        return self.responses.exists()

    def introduction_years(self) -> list[str]:
        """The years written in the introduction (« 2022 », « 2022-2023 »), to review on a copy."""
        return list(dict.fromkeys(YEARS.findall(self.introduction)))


YEARS = re.compile(r"(?<!\d)(?:19|20)\d{2}(?:-(?:19|20)\d{2})?(?!\d)")


def shift_years(text: str, years: int) -> str:
    """« Sondage 2023 » or « 2022-2023 » moved by the given number of years."""

    def moved(match: re.Match) -> str:
        return "-".join(str(int(part) + years) for part in match.group(0).split("-"))

    return YEARS.sub(moved, text) if years else text


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Choix unique")
    MULTIPLE = "multiple", _("Choix multiples")
    YES_NO = "yes_no", _("Oui / non")
    NUMBER = "number", _("Nombre")
    RANKING = "ranking", _("Classement")
    SCALE_10 = "scale_10", _("Échelle de 1 à 10")
    TEXT = "text", _("Texte libre")


CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING}
# Kinds whose answer can be the condition of a later question.
CONDITION_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YES_NO}
YES, NO = "oui", "non"


class Question(models.Model):
    """One question of a survey, in display order."""

    survey = models.ForeignKey(Survey, models.CASCADE, related_name="questions", verbose_name=_("sondage"))
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("type"), max_length=20, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    help = models.CharField(_("aide"), max_length=300, blank=True)
    required = models.BooleanField(_("réponse obligatoire"), default=False)
    allow_other = models.BooleanField(
        _("« Autre » ou « Pourquoi ? »"),
        default=False,
        help_text=_("Choix : ajoute « Autre (précisez) ». Oui / non : ajoute « Pourquoi ? »."),
    )
    # Number questions are reported in bins: [[low, high or null, label], ...];
    # the first bin that matches wins, so "10 à 20 %" then "20 à 30 %" may share 20.
    bins = models.JSONField(_("tranches"), default=list, blank=True)
    show_if_question = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependents",
        verbose_name=_("afficher seulement si la question"),
    )
    show_if_value = models.CharField(_("a la réponse"), max_length=200, blank=True)
    origin = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("question d'origine (année précédente)"),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position"]
        constraints = [models.UniqueConstraint(fields=["survey", "position"], name="question_position_unique")]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:60]}"

    @property
    def has_choices(self) -> bool:
        return self.kind in CHOICE_KINDS

    def bin_label(self, low, high, label) -> str:
        if label:
            return label
        return f"{low} et +" if high is None else f"{low} à {high}"


class Choice(models.Model):
    question = models.ForeignKey(Question, models.CASCADE, related_name="choices", verbose_name=_("question"))
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.CharField(_("libellé"), max_length=200)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "position"]
        constraints = [models.UniqueConstraint(fields=["question", "position"], name="choice_position_unique")]

    def __str__(self) -> str:
        return self.label


def new_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(has_answered=False)


class Invitation(models.Model):
    """A person's personal link to a survey; the token is the credential.

    Nothing here points to the person's response: only ``has_answered`` is kept,
    for reminders.
    """

    survey = models.ForeignKey(Survey, models.CASCADE, related_name="invitations", verbose_name=_("sondage"))
    person = models.ForeignKey(
        "schools.Person", models.CASCADE, related_name="survey_invitations", verbose_name=_("personne")
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    has_answered = models.BooleanField(_("a répondu"), default=False)
    sent_at = models.DateTimeField(_("invitation envoyée le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("dernier rappel"), null=True, blank=True)
    # Answers saved with "continuer plus tard"; deleted at submission.
    draft = models.JSONField(null=True, blank=True, editable=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["survey", "person"], name="one_invitation_per_person")]

    def __str__(self) -> str:
        return f"{self.person} — {self.survey}"


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the day's week: precise enough for trends, too coarse to match invitations."""
    return day - datetime.timedelta(days=day.weekday())


class Response(models.Model):
    """One anonymous submission. No link to the invitation or the person."""

    survey = models.ForeignKey(Survey, models.CASCADE, related_name="responses", verbose_name=_("sondage"))
    submitted_week = models.DateField(_("semaine de la réponse"))
    # The respondent's school and order at submission, for breakdowns under threshold rules.
    school = models.ForeignKey(
        "schools.School", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("école")
    )
    order = models.CharField(_("ordre d'enseignement"), max_length=20, choices=Order.choices, blank=True)
    # Its cells in the raw CSV export, written with its answers (surveys/rawlines.py), and the fingerprint
    # of the survey's layout they were written for: a line of another layout is never exported.
    raw_line = models.TextField(blank=True, default="", editable=False)
    raw_shape = models.CharField(max_length=16, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        indexes = [models.Index(fields=["survey", "order"]), models.Index(fields=["survey", "school"])]

    def __str__(self) -> str:
        return f"#{self.pk} — {self.survey_id}"


class Answer(models.Model):
    """One typed value: a selected choice, a ranked option, a number, a yes/no or a text."""

    response = models.ForeignKey(Response, models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, models.CASCADE, related_name="answers")
    choice = models.ForeignKey(Choice, models.CASCADE, null=True, blank=True, related_name="answers")
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    boolean = models.BooleanField(null=True, blank=True)
    # Free text, "Autre (précisez)" or "Pourquoi ?".
    text = models.TextField(null=True, blank=True)

    class Meta:
        verbose_name = _("valeur de réponse")
        verbose_name_plural = _("valeurs de réponse")
        indexes = [
            models.Index(fields=["question", "choice", "rank"]),
            models.Index(fields=["question", "number"]),
            # The results page lists each question's latest free texts: read from here, never a scan.
            models.Index(fields=["question", "id"], condition=Q(text__gt=""), name="answer_latest_texts"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.choice_id or self.number or self.boolean or self.text}"


class ResponseImport(models.Model):
    """A raw-response file added to a survey, kept as a fingerprint of each row so it is never added twice.

    Responses are anonymous: two people may give the same answers in the same week,
    so one repeated row proves nothing. What is refused is a file that brings back
    a whole earlier import (the same file, reordered or with more rows).
    """

    survey = models.ForeignKey(Survey, models.CASCADE, related_name="imports", verbose_name=_("sondage"))
    row_keys = models.JSONField(default=list)  # one short hash per row: week, order and typed answers
    imported_at = models.DateTimeField(_("importé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("import de réponses")
        verbose_name_plural = _("imports de réponses")
        ordering = ["imported_at"]

    def __str__(self) -> str:
        return f"{self.survey_id} — {self.imported_at:%Y-%m-%d %H:%M}"


class ResultCount(models.Model):
    """One figure of a survey's results, kept up to date with each response so results never rescan answers.

    ``key`` names the figure: ``responses`` (survey level, question_pk 0),
    ``answered``, ``texts``, ``shown`` (conditional questions), ``choice:<id>:<rank>``
    (empty id: « Autre »), ``bool:1``/``bool:0`` and ``num:<value>``.
    Each response counts twice: in its school's row (school_pk) and in its
    order's row (school_pk 0), so a whole survey or one order reads a few
    hundred rows whatever the number of schools. Plain integers rather than
    foreign keys so that the unique key holds no NULL and an upsert can add to it.
    """

    survey = models.ForeignKey(Survey, models.CASCADE, related_name="result_counts")
    question_pk = models.PositiveIntegerField(default=0)
    school_pk = models.PositiveIntegerField(default=0)
    order = models.CharField(max_length=20, blank=True)
    key = models.CharField(max_length=60)
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("décompte de résultats")
        verbose_name_plural = _("décomptes de résultats")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "school_pk", "order", "question_pk", "key"], name="result_count_unique"
            )
        ]
        # Group sizes: every school's and order's response count, without the other figures.
        indexes = [models.Index(fields=["survey", "question_pk", "key"], name="result_count_question")]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.question_pk}/{self.school_pk}/{self.order}/{self.key}: {self.count}"
