"""Security headers on every response.

Every response carries a Content-Security-Policy with no ``unsafe-inline``: scripts and styles
come from the app's own files, and the one inline script the GOV.UK page template writes
(the ``js-enabled`` class on ``<body>``, fixed text) is allowed by its hash. Pages may not be
framed, types are never sniffed, and the referrer leaves the site as its origin only. Over
HTTPS, browsers are told to use HTTPS alone (HSTS). Files a browser might otherwise render or
run (calendars, spreadsheets, PDFs) are sent as attachments.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import govuk_frontend_jinja
from flask import Flask, Response, request

#: Media types served as downloads, never rendered in the page's origin.
ATTACHMENTS = frozenset({"text/calendar", "text/csv", "application/pdf",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})

#: The policy of an SVG chart (core/charts): its own inline styles, nothing else. Set here,
#: by type, so that a chart answered from the page cache (which keeps no headers) has it too.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'"

#: Seconds a browser keeps to HTTPS after one HTTPS response (two years).
HSTS_MAX_AGE = 63072000


def vary_on(response: Response, name: str) -> None:
    """Add the request header ``name`` to the response's ``Vary``, unless it (or ``*``) is
    there already: read and written as the header's text, as Werkzeug writes it
    (``Accept, Cookie``), rather than through ``response.vary``, which parses the header
    into a set and writes it back (10 µs a call; an API answer took two)."""
    headers = response.headers
    values = headers.getlist("Vary")
    if not values:
        headers["Vary"] = name
        return
    wanted = name.lower()
    for value in values:
        for token in value.split(","):
            token = token.strip().lower()
            if token == wanted or token == "*":
                return
    headers["Vary"] = ", ".join([*values, name])


def govuk_inline_script_hash() -> str:
    """The CSP source for the GOV.UK template's inline script, from the installed template
    (so that an upgrade of govuk-frontend-jinja cannot silently break it)."""
    template = (Path(govuk_frontend_jinja.__file__).parent / "templates"
                / "template.html").read_text(encoding="utf-8")
    match = re.search(r">(document\.body\.className[^<]*)</script>", template)
    if match is None:
        raise RuntimeError("govuk_frontend_jinja's template.html no longer has the inline "
                           "js-enabled script this policy allows: update core/headers.py")
    digest = hashlib.sha256(match[1].encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def content_security_policy() -> str:
    """The policy every response carries."""
    return "; ".join((
        "default-src 'self'",
        f"script-src 'self' {govuk_inline_script_hash()}",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))


#: The headers every response carries as they are, whatever a view set (set once each).
FIXED_HEADERS = (("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
                 ("Referrer-Policy", "strict-origin-when-cross-origin"),
                 ("Cross-Origin-Opener-Policy", "same-origin"))
_FIXED_NAMES = frozenset(name.lower() for name, _value in FIXED_HEADERS)


def init_security_headers(app: Flask) -> None:
    """Add the headers to every response of ``app``."""
    policy = content_security_policy()

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        # the names set so far, found in one pass (Werkzeug's ``in`` and ``setdefault``
        # raise and catch an HTTP exception for each missing header)
        present = {name.lower() for name, _value in headers.items()}
        if "content-security-policy" not in present:  # a view's own policy stands
            headers["Content-Security-Policy"] = (
                SVG_POLICY if response.mimetype == "image/svg+xml" else policy)
        if _FIXED_NAMES.isdisjoint(present):
            headers.extend(FIXED_HEADERS)  # the usual case: none of them set by the view
        else:
            for name, value in FIXED_HEADERS:
                headers[name] = value
        if request.is_secure:
            headers["Strict-Transport-Security"] = f"max-age={HSTS_MAX_AGE}; includeSubDomains"
        if response.mimetype in ATTACHMENTS and "content-disposition" not in present:
            headers["Content-Disposition"] = "attachment"
        return response
