"""The table of a council's pledges, as Python writes it: each cell as the overview and the
admin action plan show it, the council's data escaped, the council's own word."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

from flask import Flask, g

from core.pledges.reads import ActionLine, LatestUpdate, PledgeLine
from core.pledges.tables import pledge_table

TODAY = dt.date(2026, 3, 1)
COUNCIL = SimpleNamespace(slug="isle-of-wight", locale="en_GB",
                          word={"pledge": "promise"}.__getitem__)
ROLL_UP = SimpleNamespace(today=TODAY, of=lambda pledge: "on_track" if pledge.actions else None)
LONG_NOTE = "Word " * 40  # 200 characters: cut at a word before 120, then "..."


def _table(pledges: list[PledgeLine], endpoint: str = "pledges.show") -> str:
    g.council, g.council_slug = COUNCIL, COUNCIL.slug
    return str(pledge_table(COUNCIL, pledges, ROLL_UP, endpoint))


def _cells(table: str) -> list[list[str]]:
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', table, re.S)
    return [[cell.strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
            for row in rows]


def _pledges() -> list[PledgeLine]:
    overdue = ActionLine(1, "a-1", 1, "at_risk", TODAY - dt.timedelta(days=3))
    done = ActionLine(2, "a-2", 2, "complete", TODAY - dt.timedelta(days=3))
    return [
        PledgeLine(1, "home", 1, "A home <for> you", "plugin", [overdue, done],
                   LatestUpdate(5, dt.date(2026, 2, 27), LONG_NOTE)),
        PledgeLine(2, "new & local", 2, "Local", "local", [done],
                   LatestUpdate(6, dt.date(2026, 1, 5), "Short <note>")),
        PledgeLine(3, "empty", 3, "Nothing yet", "plugin"),
    ]


def test_each_pledge_as_a_row_of_its_cells(app: Flask) -> None:
    with app.test_request_context("/"):
        table = _table(_pledges())
    head, *rows = _cells(table)
    assert head == ["Promise", "Actions", "Past due date", "Status", "Latest update"]
    assert '<caption class="govuk-table__caption govuk-visually-hidden">Status of each ' \
           'promise</caption>' in table
    title, actions, overdue, status, latest = rows[0]
    assert title == ('<a class="govuk-link" href="/isle-of-wight/pledges/home">1. '
                     'A home &lt;for&gt; you</a>')
    assert (actions, overdue) == ("2", '<strong class="govuk-tag govuk-tag--red">1</strong>')
    assert status == '<strong class="govuk-tag govuk-tag--green">On track</strong>'
    shown = LONG_NOTE[:115].rsplit(" ", 1)[0]
    assert latest == f'27 February 2026<br><span class="govuk-body-s">{shown}...</span>'


def test_a_local_pledge_is_tagged_and_what_is_missing_said(app: Flask) -> None:
    with app.test_request_context("/"):
        rows = _cells(_table(_pledges(), "pledge_admin.pledge"))[1:]
    title, _, overdue, _, latest = rows[1]
    assert title.startswith('<a class="govuk-link" '
                            'href="/admin/isle-of-wight/pledges/new%20&amp;%20local">2. Local</a>')
    assert title.endswith('<strong class="govuk-tag govuk-tag--purple">Added locally</strong>')
    assert overdue == "0"
    assert latest == '5 January 2026<br><span class="govuk-body-s">Short &lt;note&gt;</span>'
    assert rows[2][1:] == ["0", "0", '<span class="app-missing">No actions</span>',
                           '<span class="app-missing">None yet</span>']


def test_the_table_is_kept_by_what_it_shows(app: Flask) -> None:
    """The same lines give the kept table; a status, a count past due, a latest note or the
    link's page changed is a table of its own, written afresh."""
    from core.pledges.tables import TABLES_EXTENSION

    app.extensions.pop(TABLES_EXTENSION, None)
    with app.test_request_context("/"):
        first = _table(_pledges())
        assert _table(_pledges()) == first
        pledges = _pledges()
        pledges[1].latest = LatestUpdate(7, dt.date(2026, 2, 1), "Newer <note>")
        newer = _table(pledges)
        assert "Newer &lt;note&gt;" in newer and "Short &lt;note&gt;" not in newer
        pledges[0].actions[0].status = "complete"  # no longer past due
        assert _cells(_table(pledges))[1][2] == "0" and _cells(newer)[1][2] != "0"
        admin = _table(_pledges(), "pledge_admin.pledge")
        assert admin != first and "/admin/" in admin
    memo = app.extensions[TABLES_EXTENSION]
    assert (len(memo.entries), memo.hits) == (4, 1)
