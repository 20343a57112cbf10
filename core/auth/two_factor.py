"""An optional second factor for administrators: time-based one-time codes (TOTP, RFC 6238,
with pyotp) from an authenticator app, and single-use recovery codes.

Site administrators and council administrators may turn it on for their own account. Once
on, signing in asks for a code after the password. A code is accepted once (a copied code
cannot be replayed within its 30 seconds); a recovery code works once and is then spent.
Secrets and recovery codes are never written to the audit log (core/audit.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import TYPE_CHECKING

import pyotp

from core.auth.models import Role, User
from core.extensions import db

if TYPE_CHECKING:
    from core.auth.sessions import SignedIn

#: How the account is named in the authenticator app.
ISSUER = "Corporate parenting toolkit"
#: Recovery codes made at a time.
RECOVERY_CODES = 10
#: Steps of 30 seconds either side of now in which a code is accepted (clocks drift).
DRIFT = 1


def may_use(user: SignedIn) -> bool:
    """Whether ``user`` may turn the second factor on: site and council administrators."""
    return bool(user.site_admin or any(assignment.role == Role.COUNCIL_ADMIN
                                       for assignment in user.roles))


def new_secret() -> str:
    """A new shared secret (base32, 160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(user: User, secret: str) -> str:
    """The ``otpauth://`` address an authenticator app reads (typed or scanned)."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def _hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").replace(" ", "").upper().encode()).hexdigest()


def _new_recovery_codes() -> list[str]:
    return ["-".join((part[:5], part[5:])) for part in
            (secrets.token_hex(5).upper() for _ in range(RECOVERY_CODES))]


def _accepted_step(secret: str, code: str, after: int | None) -> int | None:
    """The time step at which ``code`` is valid for ``secret`` (within :data:`DRIFT`), if it
    is later than the step last used."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp, now = pyotp.TOTP(secret), int(time.time()) // 30
    for step in range(now - DRIFT, now + DRIFT + 1):
        if (after is None or step > after) and hmac.compare_digest(
                totp.generate_otp(step), code):
            return step
    return None


def enable(user: User, secret: str, code: str) -> list[str] | None:
    """Turn the second factor on with ``secret`` if ``code`` shows the app has it; the new
    recovery codes (shown once), or ``None`` when the code is wrong."""
    step = _accepted_step(secret, code, None)
    if step is None:
        return None
    codes = _new_recovery_codes()
    user.totp_secret, user.totp_last_step = secret, step
    user.recovery_codes = [_hash(recovery) for recovery in codes]
    db.session.commit()
    return codes


def disable(user: User) -> None:
    """Turn the second factor off (after the caller has checked a code)."""
    user.totp_secret, user.totp_last_step, user.recovery_codes = None, None, None
    db.session.commit()


def verify(user: User, code: str) -> bool:
    """Whether ``code`` is a fresh one-time code or an unspent recovery code of ``user``;
    either is used up."""
    if not user.totp_secret:
        return False
    step = _accepted_step(user.totp_secret, code, user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        db.session.commit()
        return True
    spent = _hash(code)
    remaining = list(user.recovery_codes or [])
    for stored in remaining:
        if hmac.compare_digest(stored, spent):
            remaining.remove(stored)
            user.recovery_codes = remaining
            db.session.commit()
            return True
    return False
