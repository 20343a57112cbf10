"""Growing a council's data, to show that pages and API endpoints run a fixed number of queries.

``grow(app, council_slug, factor)`` adds, through the models, ``factor`` of each of:

- pledges, each with 8 actions, each action with 3 progress updates (its status set from the
  latest, some actions due in the past);
- priorities;
- panels, each with 10 seats and 2 standing items;
- review cycles (dated in the past, dated in the future, and undated), and a review done
  under the council's first cycle;
- partner bodies, and protocols between a grown panel and a grown partner body, each with
  joint areas, reporting lines and a review cycle.

It also adds ``factor`` actions (with updates) to the council's first pledge, seats and
standing items to its first panel, and joint areas and reporting lines to its first
protocol, so that detail pages of rows that existed before the growth grow too.

Meetings (added last, as a signed-in user would, so they are audited): each grown panel gets
a meeting with agenda items, three members with their attendance, and an open action
arising. The first panel gets an earlier meeting with an open action, which is carried
forward to the meeting :func:`schedule_first_meeting` scheduled; that meeting gets an added
agenda item, two members (on the seats added to the first panel) with their attendance, one
of them by a substitute, and an action arising.

Indicators: ``factor`` indicators (a count, a percentage and a rate in turn), each with
three yearly figures, and ``factor`` more yearly figures (dated from 1950) on the council's
first indicator.

Every row added is ``origin="local"`` with a key starting ``grow-``; calling ``grow`` again
adds new rows with new keys.

The module also holds what several test modules share: reading a reference council's
definitions straight from its plugin (through :func:`core.content.validate`), and reading
pages (entities unescaped, tables, action cards).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import importlib
import re
from typing import Any
from urllib.parse import unquote

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from core.audit import acting_as
from core.content import PledgeSet, validate
from core.extensions import db
from core.hookspecs import hookimpl
from core.indicators.models import Indicator, IndicatorFigure
from core.meetings.models import (
    ActionArising,
    ActionArisingStatus,
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceStatus,
    Meeting,
)
from core.meetings.record_models import Declaration, Paper, PlannedItem
from core.modelbase import ORIGIN_LOCAL
from core.models import (
    Action,
    Council,
    JointArea,
    Membership,
    Panel,
    PartnerBody,
    Person,
    Pledge,
    Priority,
    ProgressUpdate,
    Protocol,
    ReportingLine,
    Review,
    ReviewCycle,
    Seat,
    StandingItem,
)
from core.pledges.models import ActionStatus

ACTIONS_PER_PLEDGE = 8
UPDATES_PER_ACTION = 3
SEATS_PER_PANEL = 10

#: Statuses given to grown actions in turn, so every status and roll-up appears.
STATUSES = [status.value for status in ActionStatus]

#: A fixed day well in the past and one well in the future, so overdue and scheduled both
#: appear whatever the date the tests run on.
PAST = dt.date(2020, 1, 31)
FUTURE = dt.date(2999, 12, 31)

#: When the meeting :func:`schedule_first_meeting` schedules starts; grown meetings come
#: before it (and after today, so they are upcoming).
FIRST_MEETING = dt.datetime(2090, 1, 10, 18, 0, tzinfo=dt.UTC)
#: Attendance given to grown members in turn.
ATTENDANCE = [status.value for status in AttendanceStatus]


def _first(model: type, council: Council) -> object | None:
    return db.session.scalar(
        select(model).where(model.council_id == council.id, model.archived_at.is_(None))
        .order_by(model.position).limit(1))


def _add_action(council: Council, pledge: Pledge, key: str, number: int, index: int
                ) -> None:
    latest = STATUSES[index % len(STATUSES)]
    action = Action(
        council_id=council.id, pledge=pledge, key=key, number=number, origin=ORIGIN_LOCAL,
        position=1000 + number, wording=f"Grown action {key}" if index % 2 else None,
        officer=f"Officer {key}", timeline_text="January 2020" if index % 3 == 0 else None,
        due=PAST if index % 3 == 0 else None, due_precision="month" if index % 3 == 0 else None,
        links=[f"Link {key}"] if index % 2 else [], outcomes=[f"Outcome {key}"],
        status=latest, status_on=dt.date(2024, 3, 1))
    db.session.add(action)
    for day in range(UPDATES_PER_ACTION):
        last = day == UPDATES_PER_ACTION - 1
        db.session.add(ProgressUpdate(
            council_id=council.id, action=action, reported_on=dt.date(2024, 1 + day, 1),
            status=latest if last else ActionStatus.ON_TRACK.value,
            note=f"Update {day} of {key}", author="Growth"))


def _add_panel(council: Council, key: str, n: int) -> Panel:
    panel = Panel(council_id=council.id, key=key, name=f"Grown panel {n}", origin=ORIGIN_LOCAL,
                  position=1000 + n, purpose=[f"Purpose of grown panel {n}"],
                  cycle_text="Every month", cycle_every_months=1)
    db.session.add(panel)
    _add_seats(council, panel, key, SEATS_PER_PANEL)
    return panel


def _add_seats(council: Council, panel: Panel, prefix: str, count: int) -> None:
    for s in range(count):
        db.session.add(Seat(council_id=council.id, panel=panel, key=f"{prefix}-seat-{s}",
                            role=f"Role {prefix} {s}", origin=ORIGIN_LOCAL, position=1000 + s,
                            count=s % 3 or None, voting=None if s % 2 else True,
                            chair=s == 0, young_people=s == 1))
    for s in range(2):
        db.session.add(StandingItem(council_id=council.id, panel=panel,
                                    key=f"{prefix}-item-{s}", title=f"Item {prefix} {s}",
                                    origin=ORIGIN_LOCAL, position=1000 + s))


def _add_protocol_parts(council: Council, protocol: Protocol, prefix: str,
                        parties: tuple[str, str]) -> None:
    for a in range(3):
        db.session.add(JointArea(council_id=council.id, protocol_id=protocol.id,
                                 key=f"{prefix}-area-{a}", title=f"Area {prefix} {a}",
                                 description=f"About area {a}", origin=ORIGIN_LOCAL,
                                 position=1000 + a))
    for r in range(2):
        db.session.add(ReportingLine(
            council_id=council.id, protocol_id=protocol.id, key=f"{prefix}-line-{r}",
            subject=f"Report {prefix} {r}", from_party=parties[r % 2] if r else None,
            to_party=parties[(r + 1) % 2], frequency="annual" if r else None,
            origin=ORIGIN_LOCAL, position=1000 + r))


def grow(app: Flask, council_slug: str, factor: int) -> None:
    """Add ``factor`` of every kind of row to the council (see the module docstring)."""
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == council_slug))
        assert council is not None, council_slug
        start = db.session.scalar(select(func.count(Pledge.id)).where(
            Pledge.council_id == council.id, Pledge.key.startswith("grow-"))) or 0
        first_pledge = _first(Pledge, council)
        first_panel = _first(Panel, council)
        first_protocol = _first(Protocol, council)
        first_cycle = _first(ReviewCycle, council)
        next_number = 1 + (db.session.scalar(select(func.max(Action.number)).where(
            Action.pledge_id == first_pledge.id)) or 0) if first_pledge else 0
        for n in range(start + 1, start + factor + 1):
            key = f"grow-{n}"
            pledge = Pledge(council_id=council.id, key=key, number=100 + n, origin=ORIGIN_LOCAL,
                            position=1000 + n, title=f"Grown pledge {n}",
                            statement=f"We promise grown thing {n}" if n % 2 else None)
            db.session.add(pledge)
            for i in range(ACTIONS_PER_PLEDGE):
                _add_action(council, pledge, f"{key}.{i + 1}", i + 1, n + i)
            if first_pledge is not None:
                _add_action(council, first_pledge, f"{key}.extra", next_number, n)
                next_number += 1

            db.session.add(Priority(council_id=council.id, key=key, number=100 + n,
                                    title=f"Grown priority {n}", principles=["a"],
                                    origin=ORIGIN_LOCAL, position=1000 + n))
            panel = _add_panel(council, key, n)
            if first_panel is not None:
                _add_seats(council, first_panel, f"{key}-first", 2)

            due = (PAST, FUTURE, None)[n % 3]
            cycle = ReviewCycle(council_id=council.id, key=key, subject=f"Grown review {n}",
                                interval_text="annually", every_months=12, owner="Growth",
                                defined_next_due=due, next_due=due, origin=ORIGIN_LOCAL,
                                position=1000 + n)
            db.session.add(cycle)
            if isinstance(first_cycle, ReviewCycle):
                db.session.add(Review(council_id=council.id, review_cycle_id=first_cycle.id,
                                      done_on=PAST - dt.timedelta(days=n),
                                      outcome=f"Grown review {n}", recorded_by="Growth"))
            partner = PartnerBody(council_id=council.id, key=f"{key}-partner",
                                  name=f"Grown partner {n}", description=[f"Partner {n}"],
                                  origin=ORIGIN_LOCAL, position=1000 + n)
            db.session.add(partner)
            db.session.flush()
            protocol = Protocol(council_id=council.id, key=key, title=f"Grown protocol {n}",
                                parties=[panel.key, partner.key], purpose=[f"Protocol {n}"],
                                roles=[{"party": panel.key, "paragraphs": [f"Role {n}"],
                                        "items_intro": None, "items": []}],
                                escalation=f"Escalate {n}", review_cycle_id=cycle.id,
                                origin=ORIGIN_LOCAL, position=1000 + n)
            db.session.add(protocol)
            db.session.flush()
            _add_protocol_parts(council, protocol, key, (panel.key, partner.key))
            if first_protocol is not None:
                _add_protocol_parts(council, first_protocol, f"{key}-first",
                                    tuple(first_protocol.parties[:2]))
        db.session.commit()
        _grow_meetings(council, first_panel, range(start + 1, start + factor + 1))
        _grow_indicators(council, range(start + 1, start + factor + 1))


#: Units given to grown indicators in turn.
UNITS = ("count", "percentage", "rate_per_10000")


def _figure(indicator: Indicator, year: int, n: int) -> IndicatorFigure:
    percentage = indicator.unit == "percentage"
    return IndicatorFigure(
        council_id=indicator.council_id, indicator_id=indicator.id,
        period_end=dt.date(year, 3, 31), value=(50.0 + n % 40) if percentage else n % 9,
        numerator=(n % 9) * 10 + 4 if percentage else None,
        denominator=100 + n if percentage else None, target=60.0,
        england=55.5 if n % 2 else None, region=None, neighbours=52.0)


def _grow_indicators(council: Council, numbers: range) -> None:
    """Indicators and figures (see the module docstring)."""
    first = _first(Indicator, council)
    for n in numbers:
        indicator = Indicator(
            council_id=council.id, key=f"grow-{n}", title=f"Grown indicator {n}",
            definition=f"What grown indicator {n} counts", unit=UNITS[n % 3],
            higher_is_better=(True, False, None)[n % 3], period="year",
            priorities=[], pledges=[], origin=ORIGIN_LOCAL, position=1000 + n)
        db.session.add(indicator)
        db.session.flush()
        for year in (2023, 2024, 2025):
            db.session.add(_figure(indicator, year, n + year))
        if isinstance(first, Indicator):
            db.session.add(_figure(first, 1950 + n, n))
    db.session.commit()


def record_local_pledge(app: Flask, council_slug: str, key: str, title: str) -> None:
    """Record a pledge of the council's own, numbered 1 and without actions, as its
    administrators would."""
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == council_slug))
        assert council is not None, council_slug
        db.session.add(Pledge(council_id=council.id, key=key, number=1, title=title,
                              origin=ORIGIN_LOCAL))
        db.session.commit()


def schedule_first_meeting(app: Flask, council_slug: str) -> int:
    """Schedule, through the service, a meeting of the council's first panel at
    :data:`FIRST_MEETING` (meeting 1 in a test that schedules nothing before)."""
    from core.meetings.services import schedule_meeting

    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == council_slug))
        panel = _first(Panel, council)
        assert isinstance(panel, Panel), council_slug
        meeting = schedule_meeting(council, panel, starts_at=FIRST_MEETING,
                                   location="Council chamber")
        # planned item 1: on the panel's work programme, planned for that meeting
        db.session.add(PlannedItem(council_id=council.id, panel_id=panel.id,
                                   title="Planned for the first meeting",
                                   planned_meeting_id=meeting.id))
        db.session.commit()
        return meeting.id


def _add_members(council: Council, meeting: Meeting, seats: list[Seat], prefix: str) -> None:
    """A member on each seat from ``PAST``, with their attendance at ``meeting``."""
    for index, seat in enumerate(seats):
        membership = Membership(council_id=council.id, seat=seat, start=PAST,
                                person=Person(council_id=council.id,
                                              name=f"Member {prefix} {index}"))
        db.session.add(membership)
        db.session.flush()
        status = ATTENDANCE[index % len(ATTENDANCE)]
        substitute = (Person(council_id=council.id, name=f"Substitute {prefix} {index}")
                      if status == AttendanceStatus.SUBSTITUTE else None)
        db.session.add(Attendance(council_id=council.id, meeting_id=meeting.id,
                                  membership_id=membership.id, status=status,
                                  substitute=substitute))


def _add_action_arising(meeting: Meeting, text: str, n: int) -> None:
    db.session.add(ActionArising(council_id=meeting.council_id, panel_id=meeting.panel_id,
                                 meeting_id=meeting.id, text=text, owner=f"Owner {n}",
                                 due=PAST if n % 2 else None,
                                 status=ActionArisingStatus.OPEN))


def _grow_meetings(council: Council, first_panel: object | None, numbers: range) -> None:
    """Meetings, agendas, attendance and actions arising (see the module docstring)."""
    first_meeting = db.session.scalar(select(Meeting).where(
        Meeting.council_id == council.id, Meeting.panel_id == first_panel.id,
        Meeting.starts_at == FIRST_MEETING)) if isinstance(first_panel, Panel) else None
    with acting_as(None, "Growth"):
        for n in numbers:
            key = f"grow-{n}"
            panel = db.session.scalar(select(Panel).where(Panel.council_id == council.id,
                                                          Panel.key == key))
            meeting = Meeting(council_id=council.id, panel_id=panel.id,
                              starts_at=FIRST_MEETING - dt.timedelta(days=n),
                              location=f"Room {n}", cancelled=False)
            db.session.add(meeting)
            db.session.flush()
            for i in range(2):
                db.session.add(AgendaItem(council_id=council.id, meeting_id=meeting.id,
                                          position=i, title=f"Grown agenda item {n}.{i}",
                                          kind=AgendaItemKind.ADDED))
            seats = list(db.session.scalars(select(Seat).where(Seat.panel_id == panel.id)
                                            .order_by(Seat.position).limit(3)))
            _add_members(council, meeting, seats, key)
            _add_action_arising(meeting, f"Grown action arising {key}", n)
            if not isinstance(first_panel, Panel):
                continue
            earlier = Meeting(council_id=council.id, panel_id=first_panel.id,
                              starts_at=FIRST_MEETING - dt.timedelta(days=400 + n),
                              location=f"Hall {n}", cancelled=False)
            db.session.add(earlier)
            db.session.flush()
            _add_action_arising(earlier, f"Carried action arising {key}", n)
            _add_planned_item(council, first_panel, key, n)
            if first_meeting is None:
                continue
            db.session.add(AgendaItem(council_id=council.id, meeting_id=first_meeting.id,
                                      position=100 + n, title=f"Added item {key}",
                                      kind=AgendaItemKind.ADDED))
            _add_action_arising(first_meeting, f"First meeting action {key}", n)
            seats = list(db.session.scalars(select(Seat).where(
                Seat.panel_id == first_panel.id, Seat.key.startswith(f"{key}-first-seat-"))
                .order_by(Seat.key)))
            _add_members(council, first_meeting, seats, f"{key}-first")
            _add_records(council, first_meeting, key, n)
        db.session.commit()


def _add_planned_item(council: Council, panel: Panel, key: str, n: int) -> None:
    """An item of the panel's forward work programme, planned for a month to come."""
    db.session.add(PlannedItem(council_id=council.id, panel_id=panel.id,
                               title=f"Planned item {key}", brought_by=f"Officer {n}",
                               planned_month=FUTURE.replace(day=1), notes=f"Notes {key}"))


def _add_records(council: Council, meeting: Meeting, key: str, n: int) -> None:
    """A public and an exempt paper on the meeting's first agenda item (sharing one stored
    name: no file is written), a declaration of interest and a decision on an item."""
    if not meeting.agenda:
        return
    first_item = min(meeting.agenda, key=lambda item: item.id)
    for public in (True, False):
        db.session.add(Paper(council_id=council.id, meeting_id=meeting.id,
                             agenda_item_id=first_item.id, title=f"Paper {key} {public}",
                             filename=f"{key}.pdf", stored_name="grown.pdf", file_type="pdf",
                             size=1000 + n, public=public,
                             exemption=None if public else "para-1"))
    person = Person(council_id=council.id, name=f"Declarer {key}")
    db.session.add(Declaration(council_id=council.id, meeting_id=meeting.id,
                               agenda_item_id=first_item.id, person=person, kind="other",
                               nature=f"Interest {key}"))
    db.session.flush()
    added = db.session.scalar(select(AgendaItem).where(
        AgendaItem.meeting_id == meeting.id, AgendaItem.title == f"Added item {key}"))
    if added is not None:
        added.decision = f"Resolved {key}"


# --- Reading what the plugins define and what the pages show ------------------------------

#: The four reference councils.
COUNCILS = ("bracknell_forest", "herefordshire", "isle_of_wight", "staffordshire")


def plugin_of(slug: str) -> Any:
    """The reference council's plugin object (read straight from its package)."""
    return importlib.import_module(f"plugins.{slug}").plugin


def defined(slug: str, hook: str, shape: type, *, many: bool = False) -> Any:
    """What the council's plugin answers to ``hook``, validated as ``shape``.

    A plugin that says nothing gets what the core's defaults give: ``[]``, an empty
    :class:`PledgeSet`, or ``None``.
    """
    raw = getattr(plugin_of(slug), hook)(council=slug)
    if raw is None:
        return [] if many else (PledgeSet() if shape is PledgeSet else None)
    return validate(shape, raw, many=many)


def pledge_set(slug: str) -> PledgeSet:
    return defined(slug, "pledges_for_council", PledgeSet)


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    """The page's HTML with entities unescaped, after checking its status."""
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    assert response.mimetype == "text/html"
    return html.unescape(response.get_data(as_text=True))


def main(text: str) -> str:
    """The ``<main>`` element of a page, without the header and footer."""
    start = text.index("<main")
    return text[start:text.index("</main>", start)]


def plain(fragment: str) -> str:
    """A fragment's text without tags, with runs of whitespace made one space."""
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def squash(text: str) -> str:
    """Runs of whitespace made one space, to compare with :func:`plain` output."""
    return " ".join(text.split())


def table_rows(fragment: str) -> list[list[str]]:
    """The body rows of the tables in ``fragment``, each as its cells' plain text."""
    rows = []
    for body in re.findall(r"<tbody[^>]*>(.*?)</tbody>", fragment, re.S):
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
            rows.append([plain(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>",
                                                            row, re.S)])
    return rows


def action_cards(fragment: str) -> dict[str, str]:
    """Each action's summary card (its HTML up to the end of its list), by action key."""
    parts = re.split(r'<div class="govuk-summary-card" id="([^"]+)">', fragment)
    return {key: body.split("</dl>")[0] for key, body in zip(parts[1::2], parts[2::2],
                                                              strict=True)}


def action_rows(fragment: str) -> dict[str, str]:
    """Each action's row in the page of pledges' tables (its HTML), by action key, read
    from its heading cell's link to the action's card."""
    rows = {}
    for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', fragment, re.DOTALL):
        found = re.match(r'\s*<th scope="row" class="govuk-table__header"><a class="govuk-link" '
                         r'href="[^"#]+#([^"]+)">', row)
        if found:
            rows[unquote(html.unescape(found.group(1)))] = row
    return rows


def texts(value: Any, skip: frozenset[str] = frozenset({"key"})) -> list[str]:
    """Every string in a shape (or plain data), leaving out fields named in ``skip``."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) if f.name not in skip
                for s in texts(getattr(value, f.name), skip)]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in skip for s in texts(v, skip)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in texts(item, skip)]
    return [value] if isinstance(value, str) else []


class BareCouncil:
    """A plugin that registers a council and says nothing else about it."""

    slug = "testshire"

    @hookimpl
    def register_councils(self) -> list[dict[str, str]]:
        return [{"slug": self.slug, "name": "Testshire Council"}]
