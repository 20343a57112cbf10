"""Security headers on every kind of response."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from flask import Response

from core.headers import content_security_policy, govuk_inline_script_hash, vary_on
from tests.conftest import sign_in

PAGES = ["/", "/herefordshire/", "/herefordshire/pledges", "/herefordshire/colour.css",
         "/api/councils", "/api/openapi.json", "/login", "/no-such-page",
         "/herefordshire/panels/corporate-parenting-panel/meetings.ics"]


@pytest.mark.parametrize("url", PAGES)
def test_every_response_carries_the_security_headers(client, url) -> None:
    for _ in range(2):  # rendered, then kept by the page cache
        response = client.get(url)
        headers = response.headers
        assert headers["Content-Security-Policy"] == content_security_policy()
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "Strict-Transport-Security" not in headers


def test_hsts_only_over_https(client) -> None:
    response = client.get("/", base_url="https://cpt.example.org")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=63072000")


def test_a_calendar_is_an_attachment_of_its_own_type(client) -> None:
    response = client.get("/herefordshire/panels/corporate-parenting-panel/meetings.ics")
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"].startswith("attachment;")


def test_pages_have_no_inline_script_or_style_but_the_hashed_one(client, admin_client) -> None:
    for page in (client.get("/herefordshire/").get_data(as_text=True),
                 admin_client.get("/admin/herefordshire/").get_data(as_text=True)):
        assert ' style="' not in page
        inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", page, re.S)
        hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()
                  + "'" for s in inline}
        assert hashes == {govuk_inline_script_hash()}


def test_the_council_colour_comes_from_a_stylesheet(client) -> None:
    page = client.get("/herefordshire/").get_data(as_text=True)
    assert 'href="/herefordshire/colour.css?v=1d70b8"' in page
    css = client.get("/herefordshire/colour.css?v=1d70b8")
    assert css.mimetype == "text/css"
    assert css.get_data(as_text=True) == ".app-header { --council-colour: #1d70b8; }\n"


def test_the_signed_in_pages_carry_them_too(app, make_user) -> None:
    client = app.test_client()
    _, email = make_user("site_admin")
    response = sign_in(client, email)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in client.get("/admin/").headers


def test_a_views_own_headers_are_replaced_by_the_fixed_ones_but_its_policy_stands(
        make_app) -> None:
    """The fixed headers are set once each, replacing any a view set; a view's own
    Content-Security-Policy and Content-Disposition stand."""
    from flask import Response

    app = make_app()

    @app.get("/_headers/own")
    def own() -> Response:
        return Response("x", mimetype="text/csv", headers={
            "X-Frame-Options": "SAMEORIGIN", "Content-Security-Policy": "default-src 'none'",
            "Content-Disposition": "inline"})

    response = app.test_client().get("/_headers/own")
    assert response.headers.getlist("X-Frame-Options") == ["DENY"]
    assert response.headers.getlist("X-Content-Type-Options") == ["nosniff"]
    assert response.headers["Content-Security-Policy"] == "default-src 'none'"
    assert response.headers["Content-Disposition"] == "inline"


@pytest.mark.parametrize(("before", "name", "after"), [
    ([], "Accept", ["Accept"]),
    (["Cookie"], "Accept", ["Cookie, Accept"]),
    (["Accept-Encoding, Cookie"], "Accept", ["Accept-Encoding, Cookie, Accept"]),
    (["accept"], "Accept", ["accept"]),
    (["Cookie ,  ACCEPT"], "Accept", ["Cookie ,  ACCEPT"]),
    (["*"], "Cookie", ["*"]),
    (["Accept", "Origin"], "Cookie", ["Accept, Origin, Cookie"]),
    (["Accept", "cookie"], "Cookie", ["Accept", "cookie"]),
])
def test_vary_names_a_header_once(before: list[str], name: str, after: list[str]) -> None:
    """A request header is added to ``Vary`` once, whatever its case and however the
    header is already written (one line or several, spaces, ``*``), as Werkzeug's
    ``response.vary`` would name it."""
    response = Response()
    for value in before:
        response.headers.add("Vary", value)
    vary_on(response, name)
    assert response.headers.getlist("Vary") == after
    assert {token.strip().lower() for value in after for token in value.split(",")} >= (
        {"*"} if "*" in before else {name.lower()})
