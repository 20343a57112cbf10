"""Flask-Login's manager, without hashing the client's address and browser for a request
that has no session to protect.

Flask-Login checks its session protection before it loads a user, on every request that
asks who the user is (every page's template does): it first hashes the client's address
and ``User-Agent`` (SHA-512), then skips the check when the session is empty, an anonymous
visitor's. Asked the other way round, an empty session is answered at once, as Flask-Login
answers it (not failed), and a session with anything in it is checked exactly as before.
"""

from __future__ import annotations

from flask import session
from flask_login import LoginManager


class SessionLoginManager(LoginManager):
    """:class:`flask_login.LoginManager`, its session protection skipped as Flask-Login
    skips it, before the hashing, for an empty session (see the module's docstring)."""

    def _session_protection_failed(self) -> bool:
        if not session:  # nothing to protect: Flask-Login's own answer for an empty session
            return False
        return bool(super()._session_protection_failed())
