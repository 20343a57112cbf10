"""Young people's representatives are recorded by first name, initials or either, as the
council's policy says, and never named on the public pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.content import ContentError, validate
from core.content import Council as CouncilShape
from core.extensions import db
from core.models import Council, Membership, Person, Seat
from core.panels.membership import MembershipError, appoint
from core.panels.services import panel_or_404
from core.panels.young_people import is_first_name, is_initials, name_allowed
from tests.conftest import csrf_token, sign_in
from tests.core.fakes import DictCouncil, small_council
from tests.core.growth import main, page

SLUG = "testshire"
APPOINT = f"/admin/{SLUG}/panels/panel/appoint"


@pytest.mark.parametrize(("name", "initials", "first_name"), [
    ("J.B.", True, False), ("J. B.", True, False), ("J B", True, False), ("JB", True, True),
    ("J", True, True), ("Jo", False, True), ("Mary-Jane", False, True), ("D'Arcy", False, True),
    ("Jo Bloggs", False, False), ("J. Bloggs", False, False), ("Jo B.", False, False),
    ("Jo2", False, False), ("", False, False),
])
def test_initials_and_first_names(name: str, initials: bool, first_name: bool) -> None:
    assert is_initials(name) is initials
    assert is_first_name(name) is first_name


@pytest.mark.parametrize(("policy", "allowed", "refused"), [
    ("either", ["Jo", "J.B.", "Mary-Jane"], ["Jo Bloggs", "J. Bloggs"]),
    ("first_name", ["Jo", "Mary-Jane"], ["J.B.", "Jo Bloggs"]),
    ("initials", ["J.B.", "JB"], ["Jo", "Jo Bloggs"]),
])
def test_the_policy_decides_what_is_allowed(policy: str, allowed: list[str],
                                            refused: list[str]) -> None:
    assert all(name_allowed(policy, name) for name in allowed)
    assert not any(name_allowed(policy, name) for name in refused)


def test_the_council_shape_takes_a_policy_and_defaults_to_either() -> None:
    assert validate(CouncilShape, {"slug": "x", "name": "X"}).young_people_names == "either"
    shape = validate(CouncilShape, {"slug": "x", "name": "X", "young_people_names": "initials"})
    assert shape.young_people_names == "initials"
    with pytest.raises(ContentError) as raised:
        validate(CouncilShape, {"slug": "x", "name": "X", "young_people_names": "full_name"})
    assert "young_people_names" in raised.value.problems


@pytest.mark.parametrize("slug", ["bracknell_forest", "herefordshire", "isle_of_wight",
                                  "staffordshire"])
def test_no_reference_council_states_a_policy_so_each_keeps_the_default(app: Flask,
                                                                        slug: str) -> None:
    # None of the published documents (../shared/seeds) says how young people are named.
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == slug))
        assert council.young_people_names == "either"


# --- through sync and the appointment form -------------------------------------------------


def council_with(policy: str | None) -> dict[str, Any]:
    council: dict[str, Any] = {"slug": SLUG, "name": "Testshire Council"}
    if policy:
        council["young_people_names"] = policy
    return small_council(SLUG, council=council)


@pytest.fixture
def make_testshire(make_app: Any, make_user: Any):
    def factory(policy: str | None) -> tuple[Flask, FlaskClient]:
        app = make_app(plugins={SLUG: DictCouncil(council_with(policy))})
        client = app.test_client()
        _, email = make_user("panel_admin", SLUG)
        assert sign_in(client, email).status_code == 302
        return app, client
    return factory


def post(client: FlaskClient, seat: str, new_name: str = "", person: str = "") -> Any:
    token = csrf_token(client.get(APPOINT).get_data(as_text=True))
    return client.post(APPOINT, data={
        "csrf_token": token, "seat": seat, "person": person, "new_name": new_name,
        "start": ["1", "5", "2026"], "end": ["", "", ""], "on_behalf_of": ""})


@pytest.mark.parametrize(("policy", "refused", "message", "allowed"), [
    (None, "Jo Bloggs", "records by first name or initials only: enter one name or initials, "
     "for example Jo or J.B., not a full name.", "Jo"),
    ("first_name", "J.B.", "records by first name only: enter one name, for example Jo, not a "
     "full name or initials.", "Jo"),
    ("initials", "Jo", "records by initials only: enter initials, for example J.B., not a "
     "name.", "J.B."),
])
def test_the_appointment_form_refuses_more_than_the_policy_allows(
        make_testshire: Any, policy: str | None, refused: str, message: str,
        allowed: str) -> None:
    app, client = make_testshire(policy)
    with app.app_context():
        assert db.session.scalar(select(Council.young_people_names).where(
            Council.slug == SLUG)) == (policy or "either")
    form = client.get(APPOINT).get_data(as_text=True)
    assert "Young people are recorded by their" in form
    response = post(client, "young-people", new_name=refused)
    assert response.status_code == 400
    text = response.get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"')
    assert message in text
    assert 'href="#new_name"' in text and 'id="new_name-error"' in text
    with app.app_context():
        assert db.session.scalar(select(Person)) is None
    assert post(client, "young-people", new_name=allowed).status_code == 302


def test_someone_recorded_by_full_name_cannot_take_a_young_peoples_seat(make_testshire: Any
                                                                       ) -> None:
    app, client = make_testshire(None)
    # a full name is fine for other seats
    assert post(client, "chair", new_name="Cllr Ann Chair").status_code == 302
    with app.app_context():
        person_id = db.session.scalar(select(Person.id))
    response = post(client, "young-people", person=str(person_id))
    assert response.status_code == 400
    assert 'href="#person"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Membership).join(Seat).where(
            Seat.key == "young-people")) is None


def test_the_service_refuses_too(make_testshire: Any) -> None:
    app, _ = make_testshire("initials")
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == SLUG))
        panel = panel_or_404(council, "panel")
        with pytest.raises(MembershipError) as refused:
            appoint(council, panel, seat_key="young-people", person_id=None,
                    new_name="Jo Bloggs", start=dt.date(2026, 5, 1), end=None,
                    on_behalf_of=None)
        assert refused.value.field == "new_name"


def test_public_pages_count_young_people_and_never_name_them(make_testshire: Any) -> None:
    app, client = make_testshire(None)
    assert post(client, "young-people", new_name="Zebedee").status_code == 302
    assert post(client, "chair", new_name="Cllr Ann Chair").status_code == 302
    public = app.test_client()
    text = main(page(public, f"/{SLUG}/panels/panel"))
    assert "1 young person" in text
    assert "Zebedee" not in text
    for url in (f"/{SLUG}/", f"/{SLUG}/panels", f"/api/councils/{SLUG}/panels",
                f"/api/councils/{SLUG}/panels/panel"):
        assert "Zebedee" not in public.get(url).get_data(as_text=True), url
