"""The partners page: partner bodies and protocols, every rule as the protocol sets it out."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from core.content import Panel, PartnerBody, Protocol
from tests.core.growth import (
    COUNCILS,
    BareCouncil,
    defined,
    main,
    page,
    plain,
    squash,
    table_rows,
)

WIGHT = "isle_of_wight"


def party_names(slug: str) -> dict[str, str]:
    return ({p.key: p.name for p in defined(slug, "panels_for_council", Panel, many=True)}
            | {p.key: p.name for p in defined(slug, "partners_for_council", PartnerBody,
                                               many=True)})


@pytest.mark.parametrize("slug", COUNCILS)
def test_partners_page_shows_every_partner_body(client: FlaskClient, slug: str) -> None:
    text = main(page(client, f"/{slug}/partners"))
    partners = defined(slug, "partners_for_council", PartnerBody, many=True)
    for partner in partners:
        short = f" ({partner.short_name})" if partner.short_name else ""
        assert f'<h2 class="govuk-heading-l">{partner.name}{short}</h2>' in text
        if partner.status:
            assert f'<p class="govuk-body-l">{partner.status}</p>' in text
        for paragraph in partner.description:
            assert f'<p class="govuk-body">{paragraph}</p>' in text
    if not partners:
        assert '<span class="app-missing">None published.</span>' in text


@pytest.mark.parametrize("slug", COUNCILS)
def test_partners_page_shows_every_protocol_in_full(client: FlaskClient, slug: str) -> None:
    names = party_names(slug)
    text = main(page(client, f"/{slug}/partners"))
    for protocol in defined(slug, "protocols_for_council", Protocol, many=True):
        start = text.index(f'<section class="govuk-!-margin-top-9" aria-labelledby='
                           f'"{protocol.key}">')
        section = text[start:text.index("</section>", start)]
        assert f'id="{protocol.key}">{protocol.title}</h2>' in section
        parties = re.search(r"Between:</p>\s*<ul[^>]*>(.*?)</ul>", section, re.S)
        assert parties is not None
        assert re.findall(r"<li>(.*?)</li>", parties.group(1)) == [
            names[p] for p in protocol.parties]
        for paragraph in protocol.purpose:
            assert f'<p class="govuk-body">{paragraph}</p>' in section
        if protocol.joint_areas_intro:
            assert protocol.joint_areas_intro in section
        for area in protocol.joint_areas:
            assert re.search(
                re.escape(f'<dt class="govuk-summary-list__key">{area.title}</dt>') + r"\s*"
                + re.escape(f'<dd class="govuk-summary-list__value">{area.description or ""}'
                            "</dd>"), section), area.key
        for role in protocol.roles:
            assert f"The role of {names[role.party]}</h3>" in section
            for paragraph in role.paragraphs:
                assert f'<p class="govuk-body">{paragraph}</p>' in section
            if role.items_intro:
                assert role.items_intro in section
            for item in role.items:
                assert f"<li>{item}</li>" in section
        rows = table_rows(section)
        assert len(rows) == len(protocol.reporting_lines)
        for row, line in zip(rows, protocol.reporting_lines, strict=True):
            assert row == [
                squash(f"{line.subject} {line.text or ''}"),
                names[line.from_party] if line.from_party else "Not stated",
                names[line.to_party],
                line.frequency or "Not stated"]
        approval = plain(section[section.index(">Approval and review<"):])
        if protocol.escalation:
            assert f'<p class="govuk-body">{protocol.escalation}</p>' in section
        assert f"Approved by {protocol.approved_by or 'Not stated'}" in approval
        assert f"Date {protocol.approved_text or 'Not stated'}" in approval


def test_isle_of_wight_protocol_reads_as_published(client: FlaskClient) -> None:
    text = main(page(client, f"/{WIGHT}/partners"))
    approval = plain(text[text.index(">Approval and review<"):])
    assert "Approved by IOWSCP Executive" in approval
    assert "Date TBC - September 2023" in approval
    assert ('<a class="govuk-link" href="/isle_of_wight/reviews#protocol-review">The '
            "implementation of this protocol</a>") in text
    assert ("an escalation meeting will be held between the Independent Chair of the Isle of "
            "Wight Safeguarding Children Partnership, the Director of Children’s Services (or "
            "their nominated person) and the Chair of the Isle of Wight Corporate Parenting "
            "Board") in text
    for title in ("Child’s Voice", "Sufficiency of placements", "Out of Area Placements",
                  "Stability of Placements", "Children who go missing or run away from Care",
                  "Unaccompanied Asylum-Seeking Children (UASC)", "Care Planning",
                  "Health and Education Needs"):
        assert f'<dt class="govuk-summary-list__key">{title}</dt>' in text


def test_reporting_lines_without_a_sender_or_frequency_say_not_stated(client: FlaskClient
                                                                      ) -> None:
    rows = table_rows(main(page(client, f"/{WIGHT}/partners")))
    indicators = [row for row in rows if row[0].startswith("Local and National Performance")]
    assert [(row[1], row[2], row[3]) for row in indicators] == [
        ("Not stated", "Isle of Wight Corporate Parenting Board", "Not stated"),
        ("Not stated", "Isle of Wight Safeguarding Children Partnership", "Not stated")]
    annual = next(row for row in rows if row[0].startswith("annual report"))
    assert annual[1:] == ["Isle of Wight Corporate Parenting Board",
                          "Isle of Wight Safeguarding Children Partnership", "annual"]


def test_council_without_partners_or_protocols_says_none_are_published(
        make_app: Callable[..., Flask]) -> None:
    client = make_app(plugins={"testshire": BareCouncil()}).test_client()
    text = main(page(client, "/testshire/partners"))
    assert '<span class="app-missing">None published.</span>' in text
    assert "<section" not in text
