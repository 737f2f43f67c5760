"""Writes on people and accounts."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat import outbox
from schools import emails
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
def person_invite(*, person: Person, by) -> bool:
    """Create the person's account if needed and queue a link to choose a password; False if already queued today."""
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
    # The link (a password token) is made when the message leaves: the outbox keeps no credential.
    return outbox.enqueue_again(
        key=f"staff-invitation:{person.pk}:{timezone.localdate().isoformat()}",
        kind=emails.STAFF_INVITATION,
        to=person.email,
        context={"person": person.pk, "invited_by": str(by)},
        language=user.language,
        source=emails.STAFF_INVITATION,
    )


@transaction.atomic
def people_invite(*, people, by) -> int:
    """Invite each person with an e-mail address and no account yet; return how many messages were queued.

    One transaction, no SMTP: the workers send them, and the staff list shows how far they got.
    """
    invited = 0
    for person in people.filter(user__isnull=True).exclude(email="").select_related("user"):
        try:
            with transaction.atomic():
                invited += person_invite(person=person, by=by)
        except InvitationError:
            continue  # an account already holds that address: HR links it in the admin
    return invited
