"""The sections of the page of pledges, written by Python (core.pledges.sections)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.extensions import db
from core.models import Action, Council, Pledge
from core.pledges.reads import pledge_plans
from core.pledges.sections import SECTIONS_EXTENSION, pledge_sections
from core.pledges.status import roll_up_for
from core.widgets import keyed_memo
from tests.core.growth import COUNCILS, action_rows, main

BRACKNELL = "bracknell_forest"


def test_a_section_says_what_the_pledge_is_escaped(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == "staffordshire"))
        db.session.add(Pledge(council_id=council.id, key="promise-<1>", number=7,
                              title="Title", statement='We "will" <b>care</b> & more',
                              origin="local"))
        db.session.commit()
    response = client.get("/staffordshire/pledges")
    assert response.status_code == 200
    text = main(response.get_data(as_text=True))  # as sent, escaped
    section = re.search(r'<section class="govuk-!-margin-bottom-9" id="promise-&lt;1&gt;" '
                        r'aria-labelledby="promise-&lt;1&gt;-heading">(.*?)</section>', text,
                        re.DOTALL)
    assert section, text
    body = re.sub(r"\s+", " ", section.group(1)).strip()
    assert '<h2 class="govuk-heading-l" id="promise-&lt;1&gt;-heading">Promise 7</h2>' in body
    assert ('<p class="govuk-body-l">We &#34;will&#34; &lt;b&gt;care&lt;/b&gt; &amp; more</p>'
            in body)
    # the status, the tag of a pledge added locally, then the link to its page, apart
    assert re.search(r'<p class="govuk-body">Status: <span class="app-missing">No actions'
                     r'</span> <strong class="govuk-tag govuk-tag--purple">Added locally'
                     r'</strong> <a class="govuk-link" href="/staffordshire/pledges/'
                     r'promise-%3C1%3E">Progress on this promise</a></p>', body), body
    assert body.endswith('<p class="govuk-body"><span class="app-missing">No actions '
                         'published.</span></p>')


def test_a_kept_section_is_the_section_written_afresh(make_app: Any) -> None:
    """Every council's page of pledges is the same bytes with its sections kept (the
    second request) as written afresh (no memo at all)."""
    kept = make_app(config={"PAGE_CACHE_STORE": "off"})
    fresh = make_app(config={"PAGE_CACHE_STORE": "off", "WIDGET_MARKUP_ENTRIES": 0})
    for slug in COUNCILS:
        first = kept.test_client().get(f"/{slug}/pledges").get_data()
        again = kept.test_client().get(f"/{slug}/pledges").get_data()
        afresh = fresh.test_client().get(f"/{slug}/pledges").get_data()
        assert first == again == afresh, slug


def test_a_section_is_written_again_when_what_it_shows_changes(make_app: Any) -> None:
    app = make_app(config={"PAGE_CACHE_STORE": "off"})
    client = app.test_client()

    def section(url: str = f"/{BRACKNELL}/pledges", **kwargs: Any) -> str:
        text = main(client.get(url, **kwargs).get_data(as_text=True))
        return text[text.index('id="pledge-1"'):text.index('id="pledge-2"')]

    before = section()
    assert "Team Manager: Life Chances" in before and "Team Lead: Everything" not in before
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.key == "action-1.1"))
        action.officer, action.status = "Team Lead: Everything", "complete"
        db.session.commit()
    after = section()
    row = action_rows(after)["action-1.1"]
    assert "Team Lead: Everything" in row and "govuk-tag--blue\">Complete" in row
    assert "Due date passed" not in row  # a complete action is never past due
    assert after.count("Team Manager: Life Chances") == before.count(
        "Team Manager: Life Chances") - 1
    # the same section under a prefix links with it
    mounted = client.get(f"/{BRACKNELL}/pledges", base_url="http://localhost/cpt/").get_data(
        as_text=True)
    assert f'href="/cpt/{BRACKNELL}/pledges/pledge-1#action-1.1"' in mounted
    assert f'href="/{BRACKNELL}/pledges/pledge-1' not in mounted
    # and on another day, what is past due is worked out again
    with app.test_request_context(f"/{BRACKNELL}/pledges"):
        app.preprocess_request()  # the council's page: its URLs are made for it
        council = db.session.scalar(select(Council).where(Council.slug == BRACKNELL))
        early = pledge_sections(council, pledge_plans(council),
                                roll_up_for(council, dt.date(2020, 1, 1)))
    assert "Due date passed" not in early and "Due date passed" in after


def test_a_section_kept_in_one_language_is_not_served_in_another(app: Flask) -> None:
    from flask_babel import force_locale

    with app.test_request_context(f"/{BRACKNELL}/pledges"):
        app.preprocess_request()
        council = db.session.scalar(select(Council).where(Council.slug == BRACKNELL))
        plans, roll_up = pledge_plans(council), roll_up_for(council)
        memo = keyed_memo(SECTIONS_EXTENSION, "SECTION_MARKUP_ENTRIES")
        memo.entries.clear()
        pledge_sections(council, plans, roll_up)
        assert len(memo.entries) == len(plans) and memo.misses == len(plans)
        with force_locale("cy"):
            pledge_sections(council, plans, roll_up)
            pledge_sections(council, plans, roll_up)
        pledge_sections(council, plans, roll_up)
    # each pledge's section kept once in each language, and found again in each
    assert len(memo.entries) == 2 * len(plans) and memo.misses == 2 * len(plans)
