"""Every admin route, for every role, against its own council and a foreign one."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import csrf_token, sign_in

OWN, FOREIGN = "isle_of_wight", "herefordshire"
#: Keys that exist in each council, to fill URL parameters.
KEYS = {OWN: {"key": "protocol-review"}, FOREIGN: {"key": "no-such-key"}}
ROLES = ["viewer", "contributor", "panel_admin", "council_admin"]
#: Which roles may use each write endpoint (POST) in their own council.
WRITERS = {"review_admin.record": {"panel_admin", "council_admin"}}


def admin_routes(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) for every admin route under /admin/<council>."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin/<council>"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((rule.endpoint, method, rule.rule))
    return routes


def url(rule: str, council: str) -> str:
    path = rule.replace("<council>", council)
    for name, value in KEYS[OWN].items():
        path = path.replace(f"<{name}>", value)
    return path


def test_the_walk_covers_every_admin_route(app) -> None:
    endpoints = {endpoint for endpoint, _, _ in admin_routes(app)}
    assert endpoints >= {"council_admin.home", "review_admin.index", "review_admin.show",
                         "review_admin.record"}
    posts = {endpoint for endpoint, method, _ in admin_routes(app) if method == "POST"}
    assert posts == set(WRITERS), "add each new write endpoint to WRITERS"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_its_own_council_and_never_a_foreign_one(app, make_user, role
                                                                  ) -> None:
    client = app.test_client()
    _, email = make_user(role, OWN)
    assert sign_in(client, email).status_code == 302
    token = csrf_token(client.get("/admin/").get_data(as_text=True))
    for endpoint, method, rule in admin_routes(app):
        own, foreign = url(rule, OWN), url(rule, FOREIGN)
        if method == "GET":
            assert client.get(own).status_code == 200, (role, own)
            assert client.get(foreign).status_code == 403, (role, foreign)
        else:
            data = {"csrf_token": token}  # empty form: allowed roles get field errors
            allowed = role in WRITERS[endpoint]
            assert client.post(own, data=data).status_code == (400 if allowed else 403), (
                role, own)
            assert client.post(foreign, data=data).status_code == 403, (role, foreign)


def test_signed_out_visitors_are_sent_to_sign_in(app, client) -> None:
    token = csrf_token(client.get("/login").get_data(as_text=True))
    for _, method, rule in admin_routes(app):
        data = {"csrf_token": token} if method == "POST" else None
        response = client.open(url(rule, OWN), method=method, data=data)
        assert response.status_code == 302, rule
        assert response.location.startswith("/login?next="), rule


def test_the_admin_index_lists_only_councils_with_a_role(app, make_user) -> None:
    client = app.test_client()
    _, email = make_user("viewer", OWN)
    sign_in(client, email)
    page = client.get("/admin/").get_data(as_text=True)
    assert "/admin/isle_of_wight/" in page and "/admin/herefordshire/" not in page


def test_a_site_admin_reaches_every_council(app, admin_client) -> None:
    page = admin_client.get("/admin/").get_data(as_text=True)
    for slug in (OWN, FOREIGN, "staffordshire", "bracknell_forest"):
        assert f"/admin/{slug}/" in page
        assert admin_client.get(f"/admin/{slug}/").status_code == 200
