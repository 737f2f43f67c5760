"""Log records without personal data: ids, never survey answers, link tokens or e-mail contents."""

from __future__ import annotations

import logging
import re

# The addresses whose token is the credential: survey links, RSVP links of invitations, calendar feeds.
TOKEN_PATHS = [
    (re.compile(r"(/sondages/r/)[^/\s?\"']+"), r"\1…"),
    (re.compile(r"(/calendrier/reponse/)[^/\s?\"']+"), r"\1…"),
    (re.compile(r"(/calendrier/abonnement/)[^/\s?\"']+\.ics"), r"\1….ics"),
]


def mask_tokens(text: str) -> str:
    for pattern, replacement in TOKEN_PATHS:
        text = pattern.sub(replacement, text)
    return text


class MaskPersonalData(logging.Filter):
    """Masks link tokens in the message and keeps a database error's text out of the traceback.

    A 500 on `/sondages/r/<token>/` names the token; the error PostgreSQL raises on a bad value
    quotes the value (a draft's answers, in its CONTEXT line). The traceback's frames stay, the
    exception shows its class only.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and record.exc_info[1] is not None and _quotes_values(record.exc_info[1]):
            kind, error, traceback = record.exc_info
            record.exc_info = (kind, kind(), traceback) if _can_build(kind) else (kind, None, traceback)
            record.exc_text = None
        return True


def _quotes_values(error: BaseException) -> bool:
    from django.db import Error as DatabaseError

    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DatabaseError) or type(error).__module__.startswith(("psycopg", "sqlite3")):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def _can_build(kind: type) -> bool:
    try:
        kind()
    except Exception:
        return False
    return True
