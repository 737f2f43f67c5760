"""The outbox pages: HR sees the e-mails that failed (or wait) and sends them again."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from mentorat import outbox
from mentorat.models import OutboundEmail
from roles.access import require

Status = OutboundEmail.Status
PER_PAGE = 50

# What each kind of message is, for HR; a kind not listed shows as it is stored.
KINDS = {
    "decision": gettext_lazy("Décision sur une candidature"),
    "invitation": gettext_lazy("Accès à Mentorat"),
    "staff-invitation": gettext_lazy("Accès à Mentorat"),
    "survey-invitation": gettext_lazy("Invitation à un sondage"),
    "survey-reminder": gettext_lazy("Rappel de sondage"),
    "event": gettext_lazy("Calendrier : invitation, changement ou annulation"),
    "plan-comment": gettext_lazy("Commentaire sur un plan de déploiement"),
    "nudge-unpaired": gettext_lazy("Rappel : personnes débutantes sans jumelage"),
    "nudge-no-meeting": gettext_lazy("Rappel : suivi des rencontres"),
}
# The state filter: failed by default, the queue (waiting or being sent), or everything.
STATES = {
    "failed": [Status.FAILED],
    "queued": [Status.QUEUED, Status.SENDING],
    "all": None,
}
STATE_LABELS = {
    "failed": gettext_lazy("En échec"),
    "queued": gettext_lazy("En attente"),
    "all": gettext_lazy("Tous"),
}


def _rows(state: str):
    rows = OutboundEmail.objects.order_by("-created_at", "-pk")
    statuses = STATES[state]
    return rows if statuses is None else rows.filter(status__in=statuses)


def _state(request) -> str:
    state = request.GET.get("etat", "failed")
    return state if state in STATES else "failed"


@require("outbox.view")
def outbox_list(request):
    state = _state(request)
    # Queries: the count, the page (the access module's own are cached on the request).
    page = Paginator(
        _rows(state).only("pk", "kind", "to", "status", "attempts", "last_error", "created_at", "next_attempt_at"),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.kind_label = KINDS.get(row.kind, row.kind)
    ctx = {"page": page, "state": state, "states": STATE_LABELS, "failed": state == "failed"}
    return render(request, "outbox/list.html", ctx)


@require_POST
@require("outbox.resend")
def outbox_resend(request, pk: int):
    row = get_object_or_404(OutboundEmail, pk=pk)
    if outbox.resend(row=row):
        messages.success(request, _("Le courriel à %(to)s est remis en file d'envoi.") % {"to": row.to})
    else:
        messages.info(request, _("Ce courriel n'est plus en échec : rien à renvoyer."))
    return redirect("outbox:list")


@require_POST
@require("outbox.resend")
def outbox_resend_all(request):
    n = outbox.resend_all(rows=OutboundEmail.objects.failed())
    messages.success(
        request,
        ngettext("%(n)s courriel remis en file d'envoi.", "%(n)s courriels remis en file d'envoi.", n) % {"n": n},
    )
    return redirect("outbox:list")
