"""One-time tokens sent in links (invitations, password resets): only their hash is kept.

A token is 256 random bits, written URL-safe. The database keeps its SHA-256, so whoever
reads the database (or a backup) cannot use a link still waiting to be used; a token is
looked up by its hash, which needs no constant-time comparison (the hash of a guess says
nothing about the hash of the token).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from enum import StrEnum

from core.modelbase import utcnow


def new_token() -> tuple[str, str]:
    """A fresh token and its hash: (token for the link, hash to store)."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    """The hash stored for ``token``."""
    return hashlib.sha256(token.encode()).hexdigest()


def is_past(moment: dt.datetime, now: dt.datetime | None = None) -> bool:
    """Whether ``moment`` (naive values, as SQLite gives them back, are UTC) has passed."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment <= (now or utcnow())


class Unusable(StrEnum):
    """Why a link no longer works."""

    #: No link has this token (mistyped, or replaced by a newer one).
    UNKNOWN = "unknown"
    USED = "used"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
