"""Calendars (mine, a cohort's, the centre's), the event page, answers, attendance and feeds."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mentorat.parsing import as_id
from mentors.accompaniment import attendance, grid, ics
from mentors.accompaniment.visibility import SHOWN, for_display, visible_events
from mentors.forms_calendar import CentreFilterForm
from mentors.models import CalendarFeed, Cohort, Event, EventDocument, EventInvitation, EventStatus, Rsvp
from mentors.models.accompaniment import _new_token
from roles.access import Access, access_for, get_person_for_user, require, selected_year
from schools.models import SchoolYear
from schools.privacy.audit import AuditEvent, record_event

EVENTS_PER_PAGE = 50
FEED_DAYS_BACK = 365  # a subscribed calendar keeps the past year
ANSWERS = {"present": Rsvp.PRESENT, "absent": Rsvp.ABSENT}


def get_event_for_user(request, pk: int) -> Event:
    """The event if this user may see it; 404 otherwise (its existence is private)."""
    event = visible_events(access_for(request)).select_related("cohort", "year").filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


def _with_my_answer(events, person):
    if person is None:
        return events
    mine = EventInvitation.objects.filter(event=OuterRef("pk"), person=person)
    return events.annotate(my_rsvp=Subquery(mine.values("rsvp")[:1]))


def _calendar(request, events, template_ctx: dict, query: str = ""):
    """Month grid (?vue=mois, default) or list (?vue=liste; upcoming first, ?quand=passes for the past)."""
    view = "liste" if request.GET.get("vue") == "liste" else "mois"
    events = for_display(_with_my_answer(events, access_for(request).person))
    ctx = {**template_ctx, "view": view, "query": query, "today": timezone.localdate()}
    if view == "mois":
        first = grid.month_from_query(request.GET.get("mois"))
        start, end = grid.grid_span(first)
        ctx["month"] = grid.month_grid(first, events.filter(date__range=(start, end)))
    else:
        past = request.GET.get("quand") == "passes"
        today = timezone.localdate()
        events = (
            events.filter(date__lt=today).order_by("-date", "-starts_at") if past else events.filter(date__gte=today)
        )
        ctx["past"] = past
        ctx["page"] = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "mentors/calendar/calendar.html", ctx)


@require("calendar.mine")
def calendar_mine(request):
    """« Mon calendrier »: the events I may see, and my private subscription address."""
    access = access_for(request)
    feed = CalendarFeed.objects.filter(person=access.person).first()
    feed_url = request.build_absolute_uri(reverse("mentors:feed", kwargs={"token": feed.token})) if feed else ""
    events = visible_events(access).filter(status__in=SHOWN)
    ctx = {"title": _("Mon calendrier"), "scope": "mine", "feed": feed, "feed_url": feed_url}
    return _calendar(request, events, ctx)


@require("calendar.centre")
def calendar_centre(request):
    """Every event of the centre, filtered by kind, cohort and order (a GET form)."""
    access = access_for(request)
    first = grid.month_from_query(request.GET.get("mois"))
    year = SchoolYear.objects.filter(starts_on__lte=first, ends_on__gte=first).first() or access.year
    form = CentreFilterForm(request.GET or None, year=year)
    events = form.filter(visible_events(access))
    ctx = {"title": _("Calendrier du centre"), "scope": "centre", "form": form}
    return _calendar(request, events, ctx, query=form.query())


@require("cohort.list")
def calendar_cohort(request, pk: int):
    """One cohort's events (its PANE, HR, the trainers who accompany it)."""
    access = access_for(request)
    cohort = Cohort.objects.select_related("year").filter(pk=pk).first()
    if cohort is None or not access.can("cohort.view", cohort):
        raise Http404
    events = visible_events(access).filter(cohort=cohort)
    ctx = {"title": _("Calendrier de la cohorte %(name)s") % {"name": cohort.name}, "scope": "cohort", "cohort": cohort}
    return _calendar(request, events, ctx)


# --- The event ---


def _answer_counts(event: Event) -> list[str]:
    counts = dict(event.invitations.values("rsvp").annotate(n=Count("id")).values_list("rsvp", "n"))
    present, absent, pending = (counts.get(key, 0) for key in (Rsvp.PRESENT, Rsvp.ABSENT, Rsvp.PENDING))
    return [
        ngettext("%(n)s personne présente", "%(n)s personnes présentes", present) % {"n": present},
        ngettext("%(n)s personne absente", "%(n)s personnes absentes", absent) % {"n": absent},
        ngettext("%(n)s personne sans réponse", "%(n)s personnes sans réponse", pending) % {"n": pending},
    ]


def _may_answer(event: Event, invitation) -> bool:
    return invitation is not None and event.status == EventStatus.PUBLISHED and event.date >= timezone.localdate()


@login_required
def event_detail(request, pk: int):
    event = get_event_for_user(request, pk)
    access = access_for(request)
    invitation = EventInvitation.objects.filter(event=event, person=access.person).first() if access.person else None
    manage = access.can("event.manage", event)
    ctx = {
        "event": event,
        "documents": EventDocument.objects.filter(event=event),
        "invitation": invitation,
        "may_answer": _may_answer(event, invitation),
        "manage": manage,
        "counts": _answer_counts(event) if manage else None,
        "may_record": event.status == EventStatus.PUBLISHED and access.can("attendance.record", event),
    }
    return render(request, "mentors/calendar/event_detail.html", ctx)


@login_required
def event_ics(request, pk: int):
    """« Télécharger (.ics) »: the event as one calendar entry (same UID as the invitations)."""
    event = get_event_for_user(request, pk)
    response = HttpResponse(ics.calendar([event], ics.PUBLISH), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="evenement-{event.date:%Y-%m-%d}.ics"'
    return response


def _save_answer(invitation: EventInvitation, answer: str) -> None:
    invitation.rsvp = ANSWERS[answer]
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["rsvp", "responded_at"])


@require_POST
@login_required
def event_rsvp(request, pk: int):
    """The signed-in invitee answers présent / absent on the event page."""
    event = get_event_for_user(request, pk)
    person = access_for(request).person
    invitation = EventInvitation.objects.filter(event=event, person=person).first() if person else None
    answer = request.POST.get("answer", "")
    if invitation is None or answer not in ANSWERS:
        raise Http404
    if not _may_answer(event, invitation):
        messages.error(request, _("On ne peut plus répondre à cette invitation."))
    else:
        _save_answer(invitation, answer)
        messages.success(request, _("Votre réponse est enregistrée."))
    return redirect("mentors:event_detail", pk=event.pk)


def rsvp_token(request, token: str, answer: str):
    """The answer link of the e-mail, without sign-in: GET asks to confirm, POST records."""
    if answer not in ANSWERS:
        raise Http404
    invitation = get_object_or_404(EventInvitation.objects.select_related("event__cohort", "person"), token=token)
    event = invitation.event
    may_answer = _may_answer(event, invitation)
    saved = False
    if request.method == "POST" and may_answer:
        _save_answer(invitation, answer)
        saved = True
    ctx = {"invitation": invitation, "event": event, "answer": answer, "may_answer": may_answer, "saved": saved}
    return render(request, "mentors/calendar/rsvp_token.html", ctx)


# --- Attendance ---


@login_required
def attendance_record(request, pk: int):
    """The PANE's checklist on the day: tick who is there, save; only changed rows are written."""
    event = get_event_for_user(request, pk)
    if not access_for(request).can("attendance.record", event):
        raise PermissionDenied  # the event is visible, the list is its managers'
    if event.status != EventStatus.PUBLISHED:
        raise Http404
    if request.method == "POST":
        shown = {int(row): value == "1" for row, value in _shown_values(request.POST)}
        ticked = {as_id(value) for value in request.POST.getlist("present")} - {None}
        changed = attendance.record(event=event, shown=shown, ticked=ticked, by=request.user)
        messages.success(
            request,
            ngettext("%(n)s présence modifiée.", "%(n)s présences modifiées.", changed) % {"n": changed},
        )
        return redirect("mentors:attendance_record", pk=event.pk)
    rows = list(attendance.attendance_rows(event))
    present = sum(1 for row in rows if row.attended)
    ctx = {"event": event, "rows": rows, "present": present}
    return render(request, "mentors/calendar/attendance_record.html", ctx)


def _shown_values(post):
    for key, value in post.items():
        if key.startswith("shown-") and as_id(key[6:]) is not None:
            yield key[6:], value


@require("attendance.report")
def attendance_report(request):
    """Each mentor's attended cohort days and half-days, per cohort or centre-wide; CSV export."""
    years = SchoolYear.objects.all()
    year = selected_year(request)
    cohorts = Cohort.objects.filter(year=year).order_by("name")
    cohort_id = as_id(request.GET.get("cohorte"))
    cohort = cohorts.filter(pk=cohort_id).first() if cohort_id is not None else None
    rows = attendance.report(year, cohort) if year else []
    if request.GET.get("format") == "csv":
        response = HttpResponse("\ufeff" + attendance.report_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="presences-{year.label if year else ""}.csv"'
        record_event(request, AuditEvent.EXPORT, label=f"presences-{year.label if year else ''}.csv")
        return response
    ctx = {"year": year, "years": years, "cohorts": cohorts, "cohort": cohort, "rows": rows}
    return render(request, "mentors/calendar/attendance_report.html", ctx)


# --- Feeds ---


def feed(request, token: str):
    """The private subscription feed: no sign-in, the secret token is the credential."""
    subscription = CalendarFeed.objects.select_related("person__user").filter(token=token).first()
    if subscription is None or subscription.person.user is None or not subscription.person.user.is_active:
        raise Http404
    since = timezone.localdate() - datetime.timedelta(days=FEED_DAYS_BACK)
    events = visible_events(Access(subscription.person.user)).filter(status__in=SHOWN, date__gte=since)
    events = events.select_related("cohort").prefetch_related("documents").order_by("date", "starts_at")
    body = ics.feed(events, name=_("Mentorat — %(name)s") % {"name": subscription.person.full_name})
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_POST
@require("calendar.mine")
def feed_manage(request):
    """Create, renew (a new address; the old one stops working) or revoke my feed."""
    person = access_for(request).person
    action = request.POST.get("action")
    if action == "revoke":
        CalendarFeed.objects.filter(person=person).delete()
        messages.success(request, _("Votre adresse d'abonnement est révoquée : elle ne fonctionne plus."))
    elif action in ("create", "renew"):
        updated = CalendarFeed.objects.filter(person=person).update(token=_new_token(), created_at=timezone.now())
        if not updated:
            CalendarFeed.objects.create(person=person)
        messages.success(request, _("Votre nouvelle adresse d'abonnement est prête ; l'ancienne ne fonctionne plus."))
    return redirect(reverse("mentors:calendar_mine") + "#abonnement")


@require_POST
@require("feed.revoke_for")
def feed_revoke_for_person(request, pk: int):
    """HR revokes a person's feed from the person's page, without ever seeing its address."""
    person = get_person_for_user(request, pk)
    deleted, _rows = CalendarFeed.objects.filter(person=person).delete()
    if deleted:
        messages.success(request, _("L'abonnement au calendrier de cette personne est révoqué."))
    return redirect("schools:person_detail", pk=person.pk)
