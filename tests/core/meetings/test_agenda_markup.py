"""A meeting's agenda, papers and carried-forward actions as Python writes them: the
elements, classes and words the templates wrote, the council's data escaped, each paper
linked where ``url_for`` links it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from types import SimpleNamespace
from typing import Any

from flask import Flask, g, url_for
from markupsafe import Markup

from core.meetings.agenda_markup import (
    agenda_list_markup,
    carried_rows,
    item_facts_markup,
    meeting_list_markup,
    papers_list_markup,
    work_programme_markup,
)

TODAY = dt.date(2026, 3, 10)


def _item(**changes: Any) -> SimpleNamespace:
    values: dict[str, Any] = dict(id=4, title="Report <one> & two", standing=False,
                                  description=None, presenter=None, duration_minutes=None,
                                  kind="report")
    return SimpleNamespace(**{**values, **changes})


def _paper(**changes: Any) -> SimpleNamespace:
    values: dict[str, Any] = dict(id=11, title="Scorecard <Q3>", file_type="pdf", size=2048,
                                  exempt=False, exemption=None)
    return SimpleNamespace(**{**values, **changes})


def _action(**changes: Any) -> SimpleNamespace:
    values: dict[str, Any] = dict(
        id=7, text="Report <soon>", owner="Head of <Service>", due=dt.date(2026, 3, 1),
        status="open", closed_at_meeting_id=None, is_open=True,
        overdue_on=lambda day: day > dt.date(2026, 3, 1))
    return SimpleNamespace(**{**values, **changes})


def test_an_items_facts(app: Flask) -> None:
    with app.test_request_context("/"):
        assert item_facts_markup(_item()) == ""
        assert item_facts_markup(_item(presenter="Chair <A> & B")) == (
            '<p class="govuk-body-s">Presented by Chair &lt;A&gt; &amp; B</p>')
        assert item_facts_markup(_item(duration_minutes=1)) == (
            '<p class="govuk-body-s">1 minute</p>')
        assert item_facts_markup(_item(presenter="Chair", duration_minutes=20)) == (
            '<p class="govuk-body-s">Presented by Chair &middot; 20 minutes</p>')


def test_papers_are_linked_as_url_for_links_them(app: Flask) -> None:
    papers = [_paper(), _paper(id=12, title="Exempt & private", file_type=None, size=5_000_000,
                               exempt=True, exemption="para-3")]
    with app.test_request_context("/"):
        # as a council's page has it
        g.council = SimpleNamespace(slug="herefordshire", locale="en_GB")
        assert papers_list_markup([], "meeting_papers.download", 3) == ""
        public = str(papers_list_markup(papers[:1], "meeting_papers.download", 3))
        href = url_for("meeting_papers.download", meeting_id=3, paper_id=11)
        assert public == (f'<ul class="govuk-list"><li id="paper-11"><a class="govuk-link" '
                          f'href="{href}">Scorecard &lt;Q3&gt;</a> (PDF, 2.0 kB)</li></ul>')
        external = str(papers_list_markup(papers[:1], "meeting_papers.download", 3,
                                          external=True))
        assert url_for("meeting_papers.download", meeting_id=3, paper_id=11,
                       _external=True) in external
        staff = str(papers_list_markup(papers, "meeting_admin.paper", 3,
                                       {"para-3": "Information about <a person>"}))
        assert url_for("meeting_admin.paper", meeting_id=3, paper_id=12) in staff
        assert ("Exempt &amp; private</a> (NONE, 5.0 MB) <strong class=\"govuk-tag "
                "govuk-tag--orange\">Exempt</strong> Information about &lt;a person&gt;</li>"
                ) in staff
        unnamed = str(papers_list_markup(papers[1:], "meeting_admin.paper", 3))
        assert unnamed.endswith("Exempt</strong></li></ul>")


def test_the_agenda_in_order_with_its_facts_papers_and_the_link_to_carried_actions(
        app: Flask) -> None:
    items = [_item(id=1, title="Welcome", standing=True, description="Chair <opens>"),
             _item(id=2, kind="actions_arising", title="Actions arising"),
             _item(id=3, presenter="Lead", duration_minutes=15)]
    with app.test_request_context("/"):
        g.council = SimpleNamespace(slug="herefordshire", locale="en_GB")
        agenda = str(agenda_list_markup(items, {3: [_paper()]}, 9))
        assert agenda.startswith('<ol class="govuk-list govuk-list--number govuk-list--spaced">'
                                 '<li id="item-1"><strong>Welcome</strong> <strong class="'
                                 'govuk-tag govuk-tag--grey">Standing item</strong><p class='
                                 '"govuk-body">Chair &lt;opens&gt;</p></li>')
        assert ('<li id="item-2"><strong>Actions arising</strong><p class="govuk-body"><a '
                'class="govuk-link" href="#carried">Actions carried forward from earlier '
                'meetings</a></p></li>') in agenda
        assert re.search(r'<li id="item-3"><strong>Report &lt;one&gt; &amp; two</strong>'
                         r'<p class="govuk-body-s">Presented by Lead &middot; 15 minutes</p>'
                         r'<ul class="govuk-list"><li id="paper-11">.*</li></ul></li></ol>$',
                         agenda)


def test_carried_rows_say_the_due_date_status_and_closing_here(app: Flask) -> None:
    with app.test_request_context("/"):
        rows = carried_rows([_action(), _action(id=8, due=None, status="done", is_open=False,
                                                closed_at_meeting_id=9,
                                                overdue_on=lambda day: False)], TODAY, 9)
    (text, owner, due, status), (_t, _o, no_due, closed) = rows
    assert (text, owner) == ({"text": "Report <soon>"}, {"text": "Head of <Service>"})
    assert due == {"html": "1 March 2026"} and "Overdue" in status["html"]
    assert no_due["html"] == '<span class="app-missing">No due date</span>'
    assert str(closed["html"]).endswith(" closed at this meeting")
    assert "Done" in closed["html"] and "Overdue" not in closed["html"]


def test_a_panels_meetings_linked_by_their_day_and_time(app: Flask) -> None:
    meetings = [SimpleNamespace(id=5, starts_at=dt.datetime(2026, 3, 12, 18, tzinfo=dt.UTC),
                                cancelled=False),
                SimpleNamespace(id=6, starts_at=dt.datetime(2026, 6, 11, 17, tzinfo=dt.UTC),
                                cancelled=True)]
    with app.test_request_context("/"):
        g.council = SimpleNamespace(slug="herefordshire", locale="en_GB")
        listed = str(meeting_list_markup(meetings, "None <yet>"))
        href = url_for("meetings.show", meeting_id=5)
        none = str(meeting_list_markup([], "None <yet>"))
    assert listed.startswith(f'<ul class="govuk-list"><li><a class="govuk-link" href="{href}">'
                             "Thursday 12 March 2026, 18:00</a></li>")
    assert listed.endswith("Thursday 11 June 2026, 18:00</a> <strong class=\"govuk-tag "
                           "govuk-tag--red\">Cancelled</strong></li></ul>")
    assert none == '<p class="govuk-body"><span class="app-missing">None &lt;yet&gt;</span></p>'


def test_a_panels_meetings_are_kept_by_what_the_list_shows(app: Flask) -> None:
    """The same meetings give the list kept; a meeting cancelled or moved gives a list
    written again."""
    start = dt.datetime(2026, 3, 12, 18, tzinfo=dt.UTC)

    def listed(cancelled: bool = False, starts_at: dt.datetime = start) -> Markup:
        g.council = SimpleNamespace(slug="herefordshire", locale="en_GB")
        meeting = SimpleNamespace(id=5, starts_at=starts_at, cancelled=cancelled)
        return meeting_list_markup([meeting], "None")

    with app.test_request_context("/"):
        first = listed()
        assert listed() is first
        assert "Cancelled" in listed(cancelled=True) and "Cancelled" not in first
        assert "19 March" in listed(starts_at=start + dt.timedelta(days=7))
        assert listed() is first


def test_a_panels_work_programme_is_kept_by_what_it_shows(app: Flask) -> None:
    """Each item's title (tagged once on an agenda), who brings it (or "Not stated") and
    when: its meeting's day and time linking to it, its month, or "Not yet planned"; the
    council's data escaped; the same items the same kept table, a changed one a new table."""
    from core.meetings.work_programme import PlannedLine, PlannedMeeting

    planned = [PlannedLine("Report <one> & two", "Head of <Service>", None, True,
                           PlannedMeeting(5, dt.datetime(2026, 3, 12, 18, tzinfo=dt.UTC))),
               PlannedLine("Annual report", None, dt.date(2026, 7, 1), False, None),
               PlannedLine("Someday", "Virtual school head", None, False, None)]
    with app.test_request_context("/"):
        g.council = SimpleNamespace(slug="herefordshire", locale="en_GB")
        written = work_programme_markup(planned)
        again = work_programme_markup(list(planned))
        href = url_for("meetings.show", meeting_id=5)
        retitled = work_programme_markup([planned[0],
                                          dataclasses.replace(planned[1], title="Changed")])
    assert again is written  # kept
    cells = [re.findall(r'<td class="govuk-table__cell">(.*?)</td>', row)
             for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", str(written),
                                   re.DOTALL)[1:]]
    assert cells[0] == [
        'Report &lt;one&gt; &amp; two <strong class="govuk-tag govuk-tag--green">On the '
        "agenda</strong>", "Head of &lt;Service&gt;",
        f'<a class="govuk-link" href="{href}">Thursday 12 March 2026, 18:00</a>']
    assert cells[1] == ["Annual report", '<span class="app-missing">Not stated</span>',
                        "July 2026"]
    assert cells[2][2] == '<span class="app-missing">Not yet planned</span>'
    assert "Items planned for the panel's future meetings" in str(written)
    assert "Changed" in str(retitled) and "Someday" not in str(retitled)
