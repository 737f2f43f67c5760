"""Request guards that apply to every view."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _


def _has_nul(query_dict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query_dict.lists())


class RefuseNulCharactersMiddleware:
    """A NUL character in the path (404), the query string or a form field (400) stops the request here.

    PostgreSQL refuses NUL in text, so a view that looks up `?q=%00` or `/sondages/r/%00/`, or saves
    a draft holding one, would fail with a 500; nobody types one, and no address of ours holds one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            return render(request, "400.html", status=400)
        return self.get_response(request)


class PrivacyHeadersMiddleware:
    """Permissions-Policy on every response; ``Cache-Control: no-store`` on every page and export.

    Static files never reach this middleware (WhiteNoise answers them above it). Pages
    of signed-in people and exports hold personal data, and so do the pages reached by
    a personal link without an account (a survey draft, an event's RSVP): no page is
    kept by the browser's or a proxy's cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        # A view's own private caching is kept: the calendar feed lets the subscriber's calendar
        # (not a shared browser) keep it 15 minutes. Everything else: not stored anywhere.
        if "private" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        return response


SESSION_STARTED = "_session_started_at"
SESSION_SEEN = "_session_seen_at"


def _idle_limit(request) -> int:
    from roles.access import access_for
    from roles.models import Role

    if access_for(request).has(Role.HR, Role.ADMIN):
        return settings.SESSION_IDLE_TIMEOUT_PRIVILEGED
    return settings.SESSION_IDLE_TIMEOUT


class SessionTimeoutMiddleware:
    """Signs a person out after inactivity (shorter for HR and administrators) and after an absolute limit.

    The session remembers when it was signed in and when it was last used (to the
    minute, so a busy page does not write the session on every request).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault(SESSION_STARTED, now)
            seen = session.get(SESSION_SEEN, now)
            idle = now - seen
            # The roles are read only when the shorter of the two limits has passed.
            shortest = min(settings.SESSION_IDLE_TIMEOUT_PRIVILEGED, settings.SESSION_IDLE_TIMEOUT)
            too_idle = idle > shortest and idle > _idle_limit(request)
            if too_idle or now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                request.__dict__.pop("_access", None)  # the roles read above were the signed-out user's
                messages.info(request, _("Votre session a expiré : veuillez vous connecter de nouveau."))
            elif now - seen >= 60 or SESSION_SEEN not in session:
                session[SESSION_SEEN] = now
        return self.get_response(request)


@receiver(user_logged_in)
def _start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SESSION_STARTED] = now
        request.session[SESSION_SEEN] = now
