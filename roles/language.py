"""The interface language: French until a person chooses English, and their choice kept on their account.

The browser's Accept-Language header is never read: the product is French-first, and a person who
wants English says so once with the switch in the navigation bar. Signed in, the account's choice
wins (it follows the person from browser to browser); before signing in, the switch's cookie holds
the choice, and it is kept on the account at sign-in if the account has none yet.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.views.i18n import set_language as django_set_language

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def _cookie_language(request) -> str:
    value = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return value if value in SUPPORTED else ""


def chosen_language(request) -> str:
    """The account's language, else the switch's cookie, else French (never Accept-Language)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in SUPPORTED:
        return user.language
    return _cookie_language(request) or settings.LANGUAGE_CODE


class AccountLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, but choosing the language by ``chosen_language`` (after authentication)."""

    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()


def set_language(request):
    """Django's language switch, which also keeps a signed-in person's choice on their account."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if request.method == "POST" and language in SUPPORTED and user.is_authenticated and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return response


@receiver(user_logged_in, dispatch_uid="roles.language.keep_choice_made_before_sign_in")
def keep_choice_made_before_sign_in(sender, request, user, **kwargs):
    """A person who switched to English on the sign-in page keeps English on their account."""
    language = _cookie_language(request) if request is not None else ""
    if language and not user.language:
        user.language = language
        user.save(update_fields=["language"])
