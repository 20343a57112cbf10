"""A NUL character anywhere in a request is a 400 naming the field, on every engine; a
refused method says which are allowed."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token


@pytest.mark.parametrize(("url", "field"), [
    ("/herefordshire%00/", "path"),
    ("/herefordshire/pledges?page=%00", "page"),
    ("/herefordshire/pledges?%00=1", "\x00"),
])
def test_a_nul_in_a_url_is_a_400_naming_it(client, url, field) -> None:
    response = client.get(url)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "holds a NUL character, which cannot be stored" in text
    assert (field in text) if field != "\x00" else True


def test_a_nul_in_a_form_is_a_400_naming_the_field(client) -> None:
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"csrf_token": token, "email": "a\x00@example.org",
                                           "password": "x"})
    assert response.status_code == 400
    assert "email holds a NUL character" in response.get_data(as_text=True)


def test_the_api_answers_json_naming_the_field(client) -> None:
    response = client.get("/api/councils?status=on%00track")
    assert response.status_code == 400
    assert response.json["errors"] == {"query": {"status": [
        "status holds a NUL character, which cannot be stored: remove it and try again."]}}


@pytest.mark.parametrize("url", ["/api/councils", "/herefordshire/pledges"])
def test_a_refused_method_names_the_allowed_ones(client, url) -> None:
    response = client.post(url)
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}
