"""Writes on people and accounts."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from mentorat.emails import send_on_commit
from schools.models import Person


class InvitationError(Exception):
    pass


def password_set_url(user) -> str:
    """An absolute link where the user chooses a password (allauth's reset-from-key page)."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def person_invite(*, person: Person, by) -> None:
    """Create the person's account if needed and e-mail them a link to choose a password."""
    if not person.email:
        raise InvitationError(_("Cette personne n'a pas d'adresse courriel : ajoutez-la avant d'inviter."))
    User = get_user_model()
    user = person.user
    if user is None:
        if User.objects.filter(email__iexact=person.email).exists():
            raise InvitationError(_("Un compte existe déjà avec cette adresse courriel."))
        user = User.objects.create_user(email=person.email, first_name=person.first_name, last_name=person.last_name)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        person.user = user
        person.save(update_fields=["user", "updated_at"])
    elif user.has_usable_password():
        raise InvitationError(_("Cette personne a déjà choisi son mot de passe."))
    context = {"person": person, "url": password_set_url(user), "invited_by": str(by)}
    send_on_commit("invitation", person.email, context)


def people_invite(*, people, by) -> int:
    """Invite each person with an e-mail address and no account yet; return how many were invited."""
    invited = 0
    for person in people.filter(user__isnull=True).exclude(email="").select_related("user"):
        try:
            person_invite(person=person, by=by)
        except InvitationError:
            continue  # an account already holds that address: HR links it in the admin
        invited += 1
    return invited
