"""URL makers give what ``url_for`` gives, for ids and for text keys in a path or a query."""

from __future__ import annotations

import pytest
from flask import Flask, url_for

from core.url_makers import text_url_maker, url_maker

COUNCIL, PANEL = "herefordshire", "corporate-parenting-panel"
#: Keys that need quoting, in a path segment or in a query's value.
AWKWARD = ["seat-chair", "a b", "a+b", "a&b=c", "50%", "é/ü", "x?y#z", "'quoted'", "~tilde"]


def test_url_maker_fills_in_ids_as_url_for_would(app: Flask) -> None:
    with app.test_request_context("/"):
        person = url_maker("membership_admin.person", "person_id", council=COUNCIL)
        end = url_maker("membership_admin.end_form", "membership_id", council=COUNCIL,
                        panel=PANEL)
        for number in (1, 42, 8_675_309):
            assert person(number) == url_for("membership_admin.person", person_id=number,
                                             council=COUNCIL)
            assert end(number) == url_for("membership_admin.end_form", membership_id=number,
                                          council=COUNCIL, panel=PANEL)
        with pytest.raises(ValueError):
            person("1/../../other")  # only whole numbers go in


@pytest.mark.parametrize("key", AWKWARD)
def test_text_url_maker_quotes_a_path_segment_as_url_for_would(app: Flask, key: str) -> None:
    with app.test_request_context("/"):
        seat = text_url_maker("membership_admin.seat", "seat", council=COUNCIL, panel=PANEL)
        assert seat(key) == url_for("membership_admin.seat", seat=key, council=COUNCIL,
                                    panel=PANEL)


@pytest.mark.parametrize("key", AWKWARD)
def test_text_url_maker_quotes_a_query_argument_as_url_for_would(app: Flask, key: str) -> None:
    with app.test_request_context("/"):
        appoint = text_url_maker("membership_admin.appoint_form", "seat", council=COUNCIL,
                                 panel=PANEL)
        assert "?seat=" in appoint("x")
        assert appoint(key) == url_for("membership_admin.appoint_form", seat=key,
                                       council=COUNCIL, panel=PANEL)


def test_a_text_key_where_the_route_takes_a_number_fails_at_once(app: Flask) -> None:
    with app.test_request_context("/"), pytest.raises(ValueError):
        text_url_maker("membership_admin.person", "person_id", council=COUNCIL)
