"""Clerks for the admin pages and the write path: one account per council (a role belongs to
one council, and ``cpt users create`` gives one), each signed in over HTTP as a browser
would: GET /login for the form's CSRF token and the session cookie, POST the form.

Accounts are made in-process with the same service as ``cpt users create``
(:func:`core.auth.services.create_user`), hashing with a cheap ``PASSWORD_HASH_METHOD`` so
that signing sixteen clerks in costs milliseconds; verifying reads the cost from the hash,
so the servers need no setting. They are kept in the benchmark's database for the next run.
"""

from __future__ import annotations

import http.client
import re
import urllib.parse
from dataclasses import dataclass

#: Every clerk's password.
PASSWORD = "benchmark clerk passphrase"
#: A cheap hash for the clerks' passwords (the servers verify whatever the hash says).
HASH_METHOD = "pbkdf2:sha256:1000"
#: The role a clerk has: runs the panel and may post progress on any action.
ROLE = "panel_admin"

_TOKEN = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
_VALUE = re.compile(r'value="([^"]+)"')


@dataclass(frozen=True)
class Clerk:
    """A signed-in clerk of one council: the session cookie and a CSRF token for forms."""

    council: str
    email: str
    cookie: str
    csrf_token: str


def email_of(slug: str) -> str:
    """The bench clerk's email in the council ``slug``."""
    return f"bench-clerk@{slug}.example"


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in ``html``."""
    tag = _TOKEN.search(html)
    value = _VALUE.search(tag[0]) if tag else None
    if value is None:
        raise SystemExit("no csrf_token in the page")
    return value[1]


def create_clerks(database_url: str, slugs: list[str]) -> list[str]:
    """An account with :data:`ROLE` in each council of ``slugs`` (kept if there already);
    their emails."""
    from sqlalchemy import select

    from core.app import create_app
    from core.auth.models import Role, RoleAssignment
    from core.auth.services import create_user, user_by_email
    from core.extensions import close_connections, db
    from core.models import Council

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url,
                      "PASSWORD_HASH_METHOD": HASH_METHOD})
    emails = []
    with app.app_context():
        for slug in slugs:
            email = email_of(slug)
            user = user_by_email(email)
            if user is None:
                create_user(email, PASSWORD, name=f"Bench clerk {slug}", role=Role(ROLE),
                            council_slug=slug)
            else:
                # The demo loaded again (``--replace``) took the council's roles with it.
                council_id = db.session.scalar(select(Council.id).where(Council.slug == slug))
                if not any(role.council_id == council_id for role in user.roles):
                    user.roles.append(RoleAssignment(council_id=council_id, role=Role(ROLE)))
                    db.session.commit()
            emails.append(email)
    close_connections(app)
    return emails


def _cookie(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    """Keep the cookies ``response`` sets (name and value only)."""
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, value = header.split(";", 1)[0].partition("=")
        jar[name.strip()] = value.strip()


def _request(port: int, method: str, path: str, jar: dict[str, str],
             body: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Status, Location and body of one request with the cookies in ``jar`` (updated)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())} if jar else {}
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        _cookie(response, jar)
        return (response.status, response.headers.get("Location", ""),
                response.read().decode("utf-8", "replace"))
    finally:
        connection.close()


def sign_in(port: int, council: str, email: str, form_page: str) -> Clerk:
    """Sign ``email`` in on the server at ``port``; the CSRF token comes from ``form_page``
    (an admin page with a form, read once signed in)."""
    jar: dict[str, str] = {}
    status, _, html = _request(port, "GET", "/login", jar)
    if status != 200:
        raise SystemExit(f"GET /login answered {status}")
    status, location, _ = _request(port, "POST", "/login", jar, {
        "csrf_token": csrf_token(html), "email": email, "password": PASSWORD})
    if status != 302 or "/login" in location:
        raise SystemExit(f"{email} could not sign in (answer {status} to {location!r})")
    status, _, html = _request(port, "GET", form_page, jar)
    if status != 200:
        raise SystemExit(f"{email}: {form_page} answered {status}")
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    return Clerk(council, email, cookie, csrf_token(html))
