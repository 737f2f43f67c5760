"""What the cycle page reads: the year's milestones, the effects of their steps, their e-mails.

Bounded queries whatever the number of effects and e-mails: the milestones (five),
the effects (one, with who launched them), the e-mails counted by origin and state
(one aggregate), and each step's ``due`` for the runners (one or two per step).
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentorat.models import OutboundEmail
from schools.cycle import engine
from schools.cycle.milestones import Milestone, State, following_year, year_milestones
from schools.cycle.models import CycleEffect
from schools.models import SchoolYear

logger = logging.getLogger(__name__)

# What a step's summary counts, in French (unknown keys are shown as « clé : valeur »).
SUMMARY_TEXTS = {
    "emails": lambda n: ngettext("%(n)s courriel mis en file", "%(n)s courriels mis en file", n),
    "reminders": lambda n: ngettext("%(n)s rappel", "%(n)s rappels", n),
    "invitations": lambda n: ngettext("%(n)s invitation", "%(n)s invitations", n),
    "created": lambda n: ngettext("%(n)s élément créé", "%(n)s éléments créés", n),
    "ended": lambda n: ngettext("%(n)s jumelage terminé", "%(n)s jumelages terminés", n),
    "offers": lambda n: ngettext("%(n)s offre de renouvellement", "%(n)s offres de renouvellement", n),
    "surveys": lambda n: ngettext("%(n)s sondage", "%(n)s sondages", n),
}
EMAIL_TEXTS = {
    OutboundEmail.Status.SENT: lambda n: ngettext("%(n)s courriel envoyé", "%(n)s courriels envoyés", n),
    OutboundEmail.Status.QUEUED: lambda n: ngettext("%(n)s courriel en attente", "%(n)s courriels en attente", n),
    OutboundEmail.Status.SENDING: lambda n: ngettext(
        "%(n)s courriel en cours d'envoi", "%(n)s courriels en cours d'envoi", n
    ),
    OutboundEmail.Status.FAILED: lambda n: ngettext("%(n)s courriel en échec", "%(n)s courriels en échec", n),
    OutboundEmail.Status.SKIPPED: lambda n: ngettext("%(n)s courriel sans objet", "%(n)s courriels sans objet", n),
}


def summary_texts(summary: dict) -> list[str]:
    """A step's summary ({"emails": 41}) in French sentences."""
    texts = []
    for key, value in (summary or {}).items():
        if isinstance(value, int) and key in SUMMARY_TEXTS:
            texts.append(SUMMARY_TEXTS[key](value) % {"n": value})
        elif key not in SUMMARY_TEXTS:
            texts.append(_("%(key)s : %(value)s") % {"key": key, "value": value})
    return texts


def email_texts(counts: Counter) -> list[str]:
    return [EMAIL_TEXTS[status](counts[status]) % {"n": counts[status]} for status in EMAIL_TEXTS if counts[status]]


def email_counts(year: SchoolYear) -> dict[str, Counter]:
    """E-mails of the year's cycle by step and state, from their ``source`` "cycle:<year>:<step>[:…]" (one query)."""
    prefix = f"cycle:{year.label}:"
    rows = (
        OutboundEmail.objects.filter(source__startswith=prefix)
        .values("source", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        step_key = row["source"][len(prefix) :].split(":", 1)[0]
        counts[step_key][row["status"]] += row["n"]
    return counts


def period(milestone: Milestone) -> str:
    """« Décembre 2026 à février 2027 », like the seed's « La démarche d'implantation »."""
    start = date_format(milestone.starts, "F Y")
    end = date_format(milestone.ends, "F Y") if milestone.ends else start
    text = start if end == start else _("%(start)s à %(end)s") % {"start": start, "end": end}
    return text[:1].upper() + text[1:]


@dataclass
class EffectRow:
    effect: CycleEffect
    texts: list[str]

    @property
    def by(self) -> str:
        user = self.effect.done_by
        if user is None:
            return _("automatiquement")
        return user.get_full_name() or user.email


@dataclass
class StepRow:
    step: engine.Step
    effects: list[EffectRow] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    failed: int = 0
    due_now: bool = False  # due and not done yet: « Lancer maintenant » for the runners

    @property
    def label(self) -> str:
        return str(self.step.label())


@dataclass
class MilestoneRow:
    milestone: Milestone
    state: str
    period: str
    steps: list[StepRow]

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)


def _due_not_done(step: engine.Step, year: SchoolYear, now: datetime.datetime, done: set) -> bool:
    try:
        occurrences = step.due(year, now)
    except Exception:  # a broken step shows no button; the engine logs and retries it at its tick
        logger.exception("cycle page: due() of %s failed", step.key)
        return False
    return any((step.key, occurrence) not in done for occurrence in occurrences)


@dataclass
class Overview:
    milestones: list[MilestoneRow]
    # Steps whose milestone has no date this year (no nomination window set yet…) but that did or may do something.
    others: list[StepRow]
    failed: int
    # The year the nomination window of this year is for (its ProgrammeSettings hold the window).
    next_year: SchoolYear | None


def cycle_overview(year: SchoolYear, *, with_due: bool, now: datetime.datetime | None = None) -> Overview:
    """The year's milestones in order, each with its steps, their effects and e-mails."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    effects = list(CycleEffect.objects.filter(year=year).select_related("done_by").order_by("done_at", "id"))
    done = {(effect.step, effect.occurrence) for effect in effects}
    counts = email_counts(year)
    steps: dict[str, StepRow] = {}
    for step in engine.STEPS.values():
        row = StepRow(step, emails=email_texts(counts.get(step.key, Counter())))
        row.failed = counts.get(step.key, Counter())[OutboundEmail.Status.FAILED]
        row.due_now = with_due and _due_not_done(step, year, now, done)
        steps[step.key] = row
    for effect in effects:
        if effect.step in steps:
            steps[effect.step].effects.append(EffectRow(effect, summary_texts(effect.summary)))
    milestones = year_milestones(year)
    kinds = {milestone.kind for milestone in milestones}
    rows = [
        MilestoneRow(
            milestone,
            milestone.state(today),
            period(milestone),
            [row for row in steps.values() if row.step.milestone == milestone.kind],
        )
        for milestone in milestones
    ]
    others = [
        row for row in steps.values() if row.step.milestone not in kinds and (row.effects or row.emails or row.due_now)
    ]
    failed = sum(counter[OutboundEmail.Status.FAILED] for counter in counts.values())
    return Overview(rows, others, failed, following_year(year))
