"""Signing in and out through the real forms."""

from __future__ import annotations

from tests.conftest import PASSWORD, csrf_token, sign_in


def test_sign_in_then_out(app, client, make_user) -> None:
    _, email = make_user("panel_admin", "herefordshire")
    response = sign_in(client, email)
    # a clerk of one council: to their desk (tests/core/desk), by way of /admin/start
    assert response.status_code == 302 and response.location == "/admin/start"
    assert client.get("/admin/start").location == "/admin/herefordshire/desk"
    page = client.get("/admin/").get_data(as_text=True)
    assert f"Signed in as {email}" in page
    assert 'href="/admin/herefordshire/"' in page
    token = csrf_token(page)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302  # back to the sign-in page


def test_wrong_password_shows_an_error_summary_linked_to_the_field(app, client, make_user
                                                                  ) -> None:
    _, email = make_user()
    response = sign_in(client, email, "not the password")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert 'href="#email"' in page
    assert "Enter a correct email address and password" in page
    assert "<title>Error: Sign in" in page


def test_empty_fields_are_named(app, client) -> None:
    response = client.post("/login", data={
        "csrf_token": csrf_token(client.get("/login").get_data(as_text=True))})
    page = response.get_data(as_text=True)
    assert "Enter your email address" in page and "Enter your password" in page


def test_a_form_without_its_csrf_token_is_refused(app, client, make_user) -> None:
    _, email = make_user()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_after_sign_in_only_paths_on_this_site_are_followed(app, make_user) -> None:
    _, email = make_user()
    for target, expected in [("/admin/herefordshire/", "/admin/herefordshire/"),
                             ("https://evil.example/", "/admin/start"),
                             ("//evil.example/", "/admin/start"),
                             ("/\\evil.example/", "/admin/start")]:
        client = app.test_client()
        token = csrf_token(client.get("/login").get_data(as_text=True))
        response = client.post(f"/login?next={target}",
                               data={"csrf_token": token, "email": email, "password": PASSWORD})
        assert response.location == expected, target


def test_a_next_page_holding_a_line_break_is_refused(app, client, make_user) -> None:
    _, email = make_user()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login?next=/admin/%0D%0ASet-Cookie:%20x=1",
                           data={"csrf_token": token, "email": email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Set-Cookie" not in response.headers
    assert client.get("/admin/").status_code == 302  # not signed in
