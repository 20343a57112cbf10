"""The sections of the page of pledges, written by Python (core.pledges.sections)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.extensions import db
from core.models import Council, Pledge
from tests.core.growth import main


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
