"""``cpt demo --scale N``: a deterministic synthetic dataset of N times national size.

National size (scale 1) is 153 councils, England's councils with children's services. Each
has a strategy with five priorities, 10 pledges of 8 actions with 36 monthly progress
updates each, three review cycles (two owned by the council's demo review lead, an
account that cannot sign in), and two panels of 25 seats, each panel with 25
memberships and 18 meetings of 10 agenda items with full attendance, and two invitations
never answered; every other council has also added one indicator of its own. Scale
multiplies the number of councils; every council has the same shape (but for that one
indicator), so a page's data is the same size at every scale and only the tables around it
grow.

The same scale always gives the same rows: council ``n`` is built from a random generator
seeded with ``n``, and every date hangs from :data:`ANCHOR`, not from today. Demo councils
belong to the plugin :data:`DEMO_PLUGIN`, which ``cpt sync`` leaves alone; ``--replace``
deletes them and loads again. Rows go in with the Core's ``executemany`` in batches and ids
allocated here, which is what makes 440,000 progress updates load in well under a minute.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy import Connection, Table, delete, func, insert, select, text

from core.auth.models import Role, RoleAssignment, User
from core.auth.tokens import token_hash
from core.bench.demo_paper import DEMO_PAPER_NAME, small_pdf
from core.concurrency import begin_writing
from core.content import Indicator as IndicatorShape
from core.content.measures import MEASURES
from core.councils.models import DEMO_PLUGIN
from core.extensions import db
from core.indicators.local import LOCAL_POSITION
from core.modelbase import ORIGIN_LOCAL, ORIGIN_PLUGIN
from core.models import (
    Action,
    ActionArising,
    AgendaItem,
    Attendance,
    Council,
    Declaration,
    InAttendance,
    Indicator,
    IndicatorFigure,
    Invitation,
    Meeting,
    Membership,
    Panel,
    Paper,
    Person,
    PlannedItem,
    Pledge,
    Priority,
    ProgressUpdate,
    ReviewCycle,
    ReviewOwner,
    Seat,
    StandingItem,
    Strategy,
)
from core.pledges.models import ActionStatus
from core.revisions import touch, touch_directory

#: Councils in England with children's services: the size of scale 1.
NATIONAL_COUNCILS = 153
#: The plugin name demo councils are registered under (no such plugin is installed).
#: The first month of progress and of meetings; every date is counted from it.
ANCHOR = dt.date(2023, 11, 1)

PRIORITIES = 5
PLEDGES = 10
ACTIONS = 8
MONTHS = 36
REVIEW_CYCLES = 3
PANELS = 2
MEETINGS = 18
AGENDA_ITEMS = 10
ACTIONS_ARISING = 2
#: Officers and guests in attendance at every other meeting.
GUESTS = 2
#: Roles of the invitations each council has waiting (expired: see ``invitations``).
INVITATIONS = ("panel_admin", "viewer")
#: Seats of a panel as (role, how many); the counts add up to 25 memberships.
SEATS = (
    ("Cabinet member for children's services (chair)", 1),
    ("Elected members of all parties", 7),
    ("Director of children's services", 1),
    ("Assistant directors", 2),
    ("Virtual school head", 1),
    ("Designated nurse for children in care", 1),
    ("Designated doctor for children in care", 1),
    ("Foster carers", 2),
    ("Children in care council representatives", 4),
    ("Care leaver representatives", 3),
    ("Partner agency representatives", 2),
)
STANDING_ITEMS = ("Welcome and apologies", "Minutes and actions arising",
                  "Voice of children and young people", "Performance scorecard",
                  "Any other business")
#: Rows per ``executemany`` call.
BATCH = 20_000

_TOPICS = ("education", "health", "housing", "employment", "emotional wellbeing",
           "placements", "leisure", "transition to adulthood", "family time", "identity")
_VERBS = ("Improve", "Review", "Extend", "Co-produce", "Monitor", "Strengthen", "Publish",
          "Develop", "Embed", "Promote")
_THINGS = ("the offer to care leavers", "support for foster carers",
           "access to mental health services", "apprenticeships within the council",
           "personal education plans", "the local offer", "council tax exemption",
           "sufficiency of local placements", "training for elected members",
           "the voice of children in care")
_OUTCOMES = ("More young people say they feel listened to.",
             "Fewer placement moves in the year.", "Attendance rises in every key stage.",
             "Every care leaver has a pathway plan reviewed on time.",
             "Members can name the seven corporate parenting principles.")
_NOTES = ("Work continues as planned; the next milestone is on track.",
          "Delayed by staffing changes; a recovery plan goes to the next panel.",
          "Young people tested the draft and their changes were taken in.",
          "Figures for the quarter show steady improvement against the baseline.",
          "Partners agreed the approach at the last board; funding confirmed.",
          "Completed and handed over to business as usual.")
_OFFICERS = ("Head of Service, Children in Care", "Virtual School Head",
             "Director of Public Health", "Head of Housing Options",
             "Participation Lead", "Service Manager, Leaving Care")
_STATUSES = (ActionStatus.ON_TRACK, ActionStatus.ON_TRACK, ActionStatus.ON_TRACK,
             ActionStatus.AT_RISK, ActionStatus.OFF_TRACK, ActionStatus.COMPLETE)
_FIRST = ("Alex", "Sam", "Jo", "Chris", "Pat", "Robin", "Morgan", "Jamie", "Ash", "Kit")
_LAST = ("Evans", "Jones", "Patel", "Smith", "Okafor", "Hughes", "Khan", "Walker")


def councils_at(scale: float) -> int:
    """How many councils ``scale`` means (at least one)."""
    if scale <= 0:
        raise ValueError("scale must be more than 0")
    return max(1, round(NATIONAL_COUNCILS * scale))


def demo_slug(number: int) -> str:
    return f"demo-{number:04d}"


@dataclass
class DemoReport:
    """What a load put in, table by table."""

    councils: int = 0
    rows: dict[str, int] = field(default_factory=dict)

    def count(self, table: str, added: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + added


def _sequence_at(connection: Connection, table: Table) -> int:
    """On PostgreSQL, the last id the table's sequence gave (others' rows not yet committed
    have theirs from it); elsewhere 0."""
    if connection.dialect.name != "postgresql":
        return 0
    return connection.scalar(text(
        f"SELECT pg_sequence_last_value(pg_get_serial_sequence('{table.name}', 'id'))"
    )) or 0


class _Ids:
    """Ids handed out here, after the highest already in each table."""

    def __init__(self, connection: Connection, tables: list[Table]) -> None:
        self._next = {table.name: max(connection.scalar(select(func.max(table.c.id))) or 0,
                                      _sequence_at(connection, table)) + 1
                      for table in tables}

    def last(self, table: Table) -> int:
        """The last id taken (or the highest there was) in ``table``."""
        return self._next[table.name] - 1

    def take(self, table: Table) -> int:
        value = self._next[table.name]
        self._next[table.name] = value + 1
        return value


#: Tables in the order rows must go in (parents first); deleted in reverse.
TABLES: list[Table] = [model.__table__ for model in (  # type: ignore[attr-defined]
    Council, User, RoleAssignment, Strategy, Priority, Pledge, Action, ProgressUpdate,
    ReviewCycle, ReviewOwner, Panel, Seat, StandingItem, Person, Membership, Meeting,
    AgendaItem, Attendance, ActionArising, Paper, Declaration, PlannedItem,
    InAttendance, Invitation, Indicator, IndicatorFigure)]

#: The domain of the demo councils' accounts (``.invalid``: no mail is ever delivered).
DEMO_ACCOUNTS = ".demo.invalid"
#: How many of a demo council's review cycles its review lead owns (the rest nobody does).
OWNED_REVIEWS = 2


class _Council:
    """The rows of one demo council, generated from its own seeded random source."""

    def __init__(self, number: int, ids: _Ids, now: dt.datetime) -> None:
        self.number, self.ids, self.now = number, ids, now
        self.chair_person_id, self.chair_name = 0, ""  # set by each panel's first seat
        self.random = random.Random(number)
        self.id = ids.take(Council.__table__)

    def definition(self, key: str, position: int) -> dict[str, Any]:
        return {"council_id": self.id, "key": key, "position": position,
                "origin": ORIGIN_PLUGIN, "archived_at": None, "updated_at": self.now}

    def rows(self) -> Iterator[tuple[Table, dict[str, Any]]]:
        promise = self.number % 2 == 0
        yield Council.__table__, {
            "id": self.id, "slug": demo_slug(self.number),
            "name": f"Demo Council {self.number:04d}", "nation": "england",
            "locale": "en_GB", "colour": "#1d70b8", "website": None,
            "plugin": DEMO_PLUGIN, "pledges_intro": None, "pledges_declared": PLEDGES,
            "vocabulary": {"pledge": "promise", "pledges": "promises"} if promise else {},
            "synced_at": self.now, "archived_at": None}
        yield from self.strategy()
        yield from self.pledges()
        yield from self.review_cycles()
        yield from self.review_owners()
        for panel in range(1, PANELS + 1):
            yield from self.panel(panel)
        yield from self.indicators()
        yield from self.invitations()  # the rows before keep their random draws
        yield from self.local_indicator()  # after them all, for the same reason

    def strategy(self) -> Iterator[tuple[Table, dict[str, Any]]]:
        yield Strategy.__table__, {
            **self.definition("strategy", 0), "id": self.ids.take(Strategy.__table__),
            "title": f"Corporate Parenting Strategy {ANCHOR.year}-{ANCHOR.year + 3}",
            "period_start": ANCHOR.year, "period_end": ANCHOR.year + 3,
            "vision": "Every child in our care has the childhood a good parent would want.",
            "vision_intro": None, "vision_items": [], "purpose": [], "principles_intro": None,
            "principles": [], "priorities_intro": None, "sections": [], "source": None}
        for number in range(1, PRIORITIES + 1):
            topic = _TOPICS[(self.number + number) % len(_TOPICS)]
            yield Priority.__table__, {
                **self.definition(f"priority-{number}", number),
                "id": self.ids.take(Priority.__table__), "number": number,
                "title": f"Good {topic} for every child in care and care leaver",
                "description": None, "principles": ["a", "c"]}

    def pledges(self) -> Iterator[tuple[Table, dict[str, Any]]]:
        pick = self.random.choice
        for number in range(1, PLEDGES + 1):
            pledge_id = self.ids.take(Pledge.__table__)
            topic = _TOPICS[number - 1]
            yield Pledge.__table__, {
                **self.definition(f"pledge-{number}", number), "id": pledge_id,
                "number": number, "title": f"We will champion your {topic}",
                "statement": f"As your corporate parent we will put your {topic} first.",
                "principles": ["a", "b"], "version": 1}
            for action_number in range(1, ACTIONS + 1):
                action_id = self.ids.take(Action.__table__)
                updates = list(self.updates(action_id))
                latest = updates[-1][1]
                yield Action.__table__, {
                    **self.definition(f"{number}.{action_number}", action_number),
                    "id": action_id, "pledge_id": pledge_id, "number": action_number,
                    "wording": f"{pick(_VERBS)} {pick(_THINGS)} for {topic}.",
                    "officer": pick(_OFFICERS), "timeline_text": "By March 2027",
                    "due": dt.date(2027, 3, 31), "due_precision": "month",
                    "every_months": None, "links": [], "outcomes": [pick(_OUTCOMES)],
                    "status": latest["status"], "status_on": latest["reported_on"],
                    "latest_note": latest["note"], "latest_author": latest["author"]}
                yield from updates

    def updates(self, action_id: int) -> Iterator[tuple[Table, dict[str, Any]]]:
        pick = self.random.choice
        for month in range(MONTHS):
            yield ProgressUpdate.__table__, {
                "id": self.ids.take(ProgressUpdate.__table__), "council_id": self.id,
                "action_id": action_id, "reported_on": ANCHOR + relativedelta(months=month),
                "status": pick(_STATUSES), "note": pick(_NOTES), "author": pick(_OFFICERS),
                "created_at": self.now}

    def review_cycles(self) -> Iterator[tuple[Table, dict[str, Any]]]:
        self.review_cycle_ids: list[int] = []
        for number in range(1, REVIEW_CYCLES + 1):
            self.review_cycle_ids.append(self.ids.take(ReviewCycle.__table__))
            yield ReviewCycle.__table__, {
                **self.definition(f"review-{number}", number),
                "id": self.review_cycle_ids[-1],
                "subject": f"Review of the {_TOPICS[number]} protocol",
                "interval_text": "Every year", "every_months": 12,
                "owner": _OFFICERS[number], "next_due_text": None,
                "defined_next_due": ANCHOR + relativedelta(months=12 * number),
                "next_due": ANCHOR + relativedelta(months=12 * number)}

    def review_owners(self) -> Iterator[tuple[Table, dict[str, Any]]]:
        """The council's review lead (a contributor whose password matches nothing, so the
        account cannot sign in), owning the first :data:`OWNED_REVIEWS` review cycles."""
        user_id = self.ids.take(User.__table__)
        yield User.__table__, {
            "id": user_id, "email": f"review-lead@{demo_slug(self.number)}{DEMO_ACCOUNTS}",
            "name": f"Review lead {self.number:04d}", "password_hash": "!",
            "site_admin": False, "active": True, "session_token": f"demo-{user_id}",
            "totp_secret": None, "totp_last_step": None, "recovery_codes": None,
            "last_login_at": None, "created_at": self.now}
        yield RoleAssignment.__table__, {
            "id": self.ids.take(RoleAssignment.__table__), "user_id": user_id,
            "council_id": self.id, "role": Role.CONTRIBUTOR.value}
        for cycle_id in self.review_cycle_ids[:OWNED_REVIEWS]:
            yield ReviewOwner.__table__, {
                "id": self.ids.take(ReviewOwner.__table__), "council_id": self.id,
                "review_cycle_id": cycle_id, "user_id": user_id}

    def panel(self, number: int) -> Iterator[tuple[Table, dict[str, Any]]]:
        panel_id = self.ids.take(Panel.__table__)
        yield Panel.__table__, {
            **self.definition(f"panel-{number}", number), "id": panel_id,
            "name": ("Corporate Parenting Panel" if number == 1
                     else f"Corporate Parenting Board {number}"),
            "status": None, "purpose": ["To hold the council to account as corporate parent."],
            "responsibilities_intro": None, "responsibilities": [],
            "cycle_text": "Every two months", "cycle_every_months": 2,
            "cycle_meetings_per_year": 6, "quorum_text": "A third of voting members",
            "quorum_count": 8, "quorum_young_people_count": False, "seats_intro": None}
        memberships: list[int] = []
        self.owners: list[tuple[int, str]] = []
        for position, (role, count) in enumerate(SEATS, start=1):
            seat_id = self.ids.take(Seat.__table__)
            young = "representatives" in role and "Partner" not in role
            yield Seat.__table__, {
                **self.definition(f"seat-{position}", position), "id": seat_id,
                "panel_id": panel_id, "role": role, "count": count, "voting": not young,
                "chair": position == 1, "young_people": young, "partner": None}
            for _ in range(count):
                person_id = self.ids.take(Person.__table__)
                name = (self.random.choice(_FIRST) if young else
                        f"{self.random.choice(_FIRST)} {self.random.choice(_LAST)}")
                if position == 1:
                    self.chair_person_id, self.chair_name = person_id, name
                yield Person.__table__, {"id": person_id, "council_id": self.id,
                                         "name": name, "email": None,
                                         "created_at": self.now}
                if not young:
                    self.owners.append((person_id, name))
                membership_id = self.ids.take(Membership.__table__)
                memberships.append(membership_id)
                yield Membership.__table__, {
                    "id": membership_id, "council_id": self.id, "seat_id": seat_id,
                    "person_id": person_id, "start": ANCHOR - relativedelta(months=6),
                    "end": None, "on_behalf_of": None, "ended_reason": None, "version": 1}
        standing: list[tuple[int, str]] = []
        for position, title in enumerate(STANDING_ITEMS, start=1):
            standing_id = self.ids.take(StandingItem.__table__)
            standing.append((standing_id, title))
            yield StandingItem.__table__, {
                **self.definition(f"standing-{position}", position), "id": standing_id,
                "panel_id": panel_id, "title": title, "description": None}
        for meeting in range(MEETINGS):
            yield from self.meeting(panel_id, number, meeting, standing, memberships)

    def meeting(self, panel_id: int, panel: int, number: int,
                standing: list[tuple[int, str]], memberships: list[int]
                ) -> Iterator[tuple[Table, dict[str, Any]]]:
        meeting_id = self.ids.take(Meeting.__table__)
        day = ANCHOR + relativedelta(months=2 * number, days=7 * panel)
        starts_at = dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC)
        yield Meeting.__table__, {
            "id": meeting_id, "council_id": self.id, "panel_id": panel_id,
            "starts_at": starts_at, "location": "Council Chamber", "cancelled": False,
            "minutes": "Minutes agreed as a true record.", "version": 1,
            **self.minutes_approval(number, day)}
        published = number < MEETINGS - 1
        for position in range(1, AGENDA_ITEMS + 1):
            standing_id, title, kind = None, "", "added"
            if position <= len(standing):
                (standing_id, title), kind = standing[position - 1], "standing"
            else:
                title = f"Report: {self.random.choice(_THINGS)}"
            item_id = self.ids.take(AgendaItem.__table__)
            yield AgendaItem.__table__, {
                "id": item_id, "council_id": self.id,
                "meeting_id": meeting_id, "position": position, "title": title,
                "description": None, "standing_item_id": standing_id, "kind": kind,
                "presenter": None if kind == "standing" else self.random.choice(_OFFICERS),
                "duration_minutes": 15,
                "decision": "The panel noted the report." if published and kind == "added"
                else None, "version": 1}
            if kind == "added" and position == len(standing) + 1:
                yield from self.records(meeting_id, item_id, number)
        for membership_id in memberships:
            yield Attendance.__table__, {
                "id": self.ids.take(Attendance.__table__), "council_id": self.id,
                "meeting_id": meeting_id, "membership_id": membership_id,
                "status": "present", "substitute_id": None}
        yield from self.in_attendance(meeting_id, number)
        for _ in range(ACTIONS_ARISING):
            owner_id, owner = self.action_owner()
            yield ActionArising.__table__, {
                "id": self.ids.take(ActionArising.__table__), "council_id": self.id,
                "panel_id": panel_id, "meeting_id": meeting_id,
                "text": f"Bring a report on {self.random.choice(_THINGS)}.",
                "owner": owner, "owner_person_id": owner_id,
                "due": day + relativedelta(months=2),
                # Closed at the panel's next meeting (ids run in order), except the last's.
                "status": "done" if number < MEETINGS - 1 else "open",
                "closed_at_meeting_id": meeting_id + 1 if number < MEETINGS - 1 else None,
                "version": 1}


    def minutes_approval(self, number: int, day: dt.date) -> dict[str, Any]:
        """Each meeting's minutes approved by the chair a month later and published (an
        approval "at the next meeting" would point at a row not yet inserted); the last
        meeting's are still a draft."""
        if number == MEETINGS - 1:
            return {"minutes_state": "draft", "approved_how": None,
                    "approved_at_meeting_id": None, "approved_by": None, "approved_on": None,
                    "published_at": None, "corrected_at": None}
        approved = day + relativedelta(months=1)
        return {"minutes_state": "published", "approved_how": "chair",
                "approved_at_meeting_id": None, "approved_by": self.chair_name,
                "approved_on": approved,
                "published_at": dt.datetime(approved.year, approved.month, approved.day, 14,
                                            tzinfo=dt.UTC), "corrected_at": None}

    def records(self, meeting_id: int, item_id: int, number: int
                ) -> Iterator[tuple[Table, dict[str, Any]]]:
        """On the first added item of each meeting: a public paper (every row points at the
        one PDF :func:`write_demo_paper` writes), an exempt paper on every third meeting,
        and a declaration of interest by the panel's chair; with the panel's last meeting,
        two items of its forward work programme."""
        for public in ((True, False) if number % 3 == 0 else (True,)):
            yield Paper.__table__, {
                "id": self.ids.take(Paper.__table__), "council_id": self.id,
                "meeting_id": meeting_id, "agenda_item_id": item_id,
                "title": "Report to the panel" if public else "Placement costs (exempt)",
                "filename": "report.pdf", "stored_name": DEMO_PAPER_NAME, "file_type": "pdf",
                "size": len(small_pdf(DEMO_PAPER_TEXT)), "public": public,
                "exemption": None if public else "para-3", "uploaded_at": self.now}
        yield Declaration.__table__, {
            "id": self.ids.take(Declaration.__table__), "council_id": self.id,
            "meeting_id": meeting_id, "agenda_item_id": item_id,
            "person_id": self.chair_person_id, "kind": "other",
            "nature": "Is a foster carer for the council."}
        if number == MEETINGS - 1:
            panel_id = self.ids.last(Panel.__table__)
            for month in (3, 5):
                planned = ANCHOR + relativedelta(months=2 * number + month)
                yield PlannedItem.__table__, {
                    "id": self.ids.take(PlannedItem.__table__), "council_id": self.id,
                    "panel_id": panel_id,
                    "title": f"Annual report on {self.random.choice(_THINGS)}",
                    "brought_by": self.random.choice(_OFFICERS), "planned_meeting_id": None,
                    "planned_month": planned.replace(day=1), "notes": None,
                    "agenda_item_id": None, "version": 1}

    def action_owner(self) -> tuple[int | None, str]:
        """Who owns an action arising: a member on an adult's seat (two times in three),
        or an officer by role (free text)."""
        if self.owners and self.random.random() < 2 / 3:
            return self.random.choice(self.owners)
        return None, self.random.choice(_OFFICERS)

    def in_attendance(self, meeting_id: int, number: int
                      ) -> Iterator[tuple[Table, dict[str, Any]]]:
        """Officers and guests at every other meeting: the report authors, by role."""
        if number % 2:
            return
        for officer in self.random.sample(_OFFICERS, GUESTS):
            yield InAttendance.__table__, {
                "id": self.ids.take(InAttendance.__table__), "council_id": self.id,
                "meeting_id": meeting_id,
                "name": f"{self.random.choice(_FIRST)} {self.random.choice(_LAST)}",
                "role": officer, "created_at": self.now}

    def invitations(self) -> Iterator[tuple[Table, dict[str, Any]]]:
        """:data:`INVITATIONS` invitations never answered, expired long ago (a demo has no
        accounts, and no link of it may ever work)."""
        for number, role in enumerate(INVITATIONS, start=1):
            yield Invitation.__table__, {
                "id": self.ids.take(Invitation.__table__), "council_id": self.id,
                "email": f"{role}{number}@{demo_slug(self.number)}.example",
                "role": role, "token_hash": token_hash(f"{self.random.getrandbits(256):x}"),
                "expires_at": dt.datetime.combine(ANCHOR, dt.time(9), tzinfo=dt.UTC),
                "invited_by_id": None, "mail_id": None, "created_at": self.now,
                "accepted_at": None, "user_id": None, "withdrawn_at": None}

    def indicators(self) -> Iterator[tuple[Table, dict[str, Any]]]:
        """Every measure of the default set and two local indicators, each with yearly (or
        quarterly) figures, a target and comparators; see :data:`DEMO_INDICATORS`."""
        local = [IndicatorShape(key=key, title=title, definition=definition, unit=unit,
                           higher_is_better=higher, period=period, source="Council records")
                 for key, title, definition, unit, higher, period in _LOCAL_INDICATORS]
        for position, measure in enumerate([*MEASURES, *local]):
            indicator_id = self.ids.take(Indicator.__table__)
            yield Indicator.__table__, {
                **self.definition(measure.key, position), "id": indicator_id,
                "title": measure.title, "definition": measure.definition,
                "unit": measure.unit, "higher_is_better": measure.higher_is_better,
                "period": measure.period, "priorities": [],
                "pledges": _INDICATOR_PLEDGES.get(measure.key, []), "source": measure.source,
                "measure": measure.key if position < len(MEASURES) else None,
                "named_in": None}
            yield from self.figures(indicator_id, measure)

    def local_indicator(self) -> Iterator[tuple[Table, dict[str, Any]]]:
        """Every other council (the even-numbered) has one indicator of its own, added by
        its administrators in the admin (origin ``local``, key ``local-...``: see
        :mod:`core.indicators.local`), with quarterly figures like the others'."""
        if self.number % LOCAL_INDICATOR_EVERY:
            return
        key, title, definition, unit, higher, period = _OWN_INDICATOR
        measure = IndicatorShape(key=key, title=title, definition=definition, unit=unit,
                                 higher_is_better=higher, period=period)
        indicator_id = self.ids.take(Indicator.__table__)
        yield Indicator.__table__, {
            **self.definition(key, LOCAL_POSITION), "origin": ORIGIN_LOCAL, "id": indicator_id,
            "title": title, "definition": definition, "unit": unit, "higher_is_better": higher,
            "period": period, "priorities": [], "pledges": ["pledge-4"],
            "source": "The leaving care team's records", "measure": None, "named_in": None}
        yield from self.figures(indicator_id, measure)

    def figures(self, indicator_id: int, measure: IndicatorShape
                ) -> Iterator[tuple[Table, dict[str, Any]]]:
        """Figures of one indicator, drifting about its level (:data:`DEMO_INDICATORS`),
        with a target a little better than England's where higher or lower is better."""
        key = measure.key
        england, spread, base_low, base_high = DEMO_INDICATORS[key]
        level = england + self.random.uniform(-spread, spread)
        better = {True: 1, False: -1, None: 0}[measure.higher_is_better]
        target = round(england + better * spread / 2, 1) if better else None
        periods = ([dt.date(ANCHOR.year - 4 + i, 3, 31) for i in range(5)]
                   if measure.period == "year"
                   else [ANCHOR + relativedelta(months=3 * (i + 1), days=-1) for i in range(8)])
        for index, period_end in enumerate(periods):
            value = max(0.0, level + self.random.uniform(-spread, spread) / 2)
            numerator = denominator = None
            if base_high:  # a percentage: a count of a base of children
                denominator = self.random.randint(base_low, base_high)
                numerator = min(denominator, round(denominator * value / 100))
                value = round(100 * numerator / denominator, 1)
            elif key in _COUNTS:
                value = float(max(0, round(value)))
            else:
                value = round(value, 1)
            yield IndicatorFigure.__table__, {
                "id": self.ids.take(IndicatorFigure.__table__), "council_id": self.id,
                "indicator_id": indicator_id, "period_end": period_end, "value": value,
                "numerator": numerator, "denominator": denominator, "target": target,
                "england": round(england + index * 0.2, 1),
                "region": round(england + 1.5 - index * 0.1, 1),
                "neighbours": round(england - 1.0 + index * 0.3, 1), "note": None,
                "version": 1, "updated_at": self.now}


#: What the one demo paper says.
DEMO_PAPER_TEXT = "Demo report to the corporate parenting panel"


def write_demo_paper(folder: str) -> None:
    """Write the one PDF every demo paper points at (once; kept if already there)."""
    import pathlib

    path = pathlib.Path(folder) / DEMO_PAPER_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(small_pdf(DEMO_PAPER_TEXT))


#: Each demo indicator's England level, how far councils spread about it, and for a
#: percentage the range of its base (children counted): realistic orders of magnitude for
#: a council of middling size, with some bases and counts small enough to be suppressed.
DEMO_INDICATORS: dict[str, tuple[float, float, int, int]] = {
    "cla-rate": (70.0, 25.0, 0, 0),
    "placement-stability-moves": (10.0, 3.0, 150, 450),
    "placement-stability-long-term": (70.0, 8.0, 40, 140),
    "care-leavers-eet": (56.0, 8.0, 60, 200),
    "care-leavers-accommodation": (88.0, 5.0, 60, 200),
    "missing": (11.0, 4.0, 180, 600),
    "health-assessments": (90.0, 5.0, 120, 420),
    "dental-checks": (78.0, 10.0, 120, 420),
    "immunisations": (82.0, 8.0, 120, 420),
    "pep-on-time": (85.0, 10.0, 2, 20),
    "adoptions": (6.0, 4.0, 0, 0),
    "local-care-leavers-in-touch": (92.0, 5.0, 30, 120),
}
_COUNTS = {"adoptions"}
_LOCAL_INDICATORS = (
    ("pep-on-time", "Personal education plans started on time",
     "Children of school age who came into care in the quarter whose personal education plan "
     "was started within 20 school days, as a percentage of all of them.", "percentage", True,
     "quarter"),
    ("adoptions", "Children adopted from care in the year",
     "Children who left care through adoption in the year to 31 March.", "count", True,
     "year"),
)
#: The indicator of their own that every :data:`LOCAL_INDICATOR_EVERY`-th council added.
LOCAL_INDICATOR_EVERY = 2
_OWN_INDICATOR = (
    "local-care-leavers-in-touch", "Care leavers the council is in touch with",
    "Care leavers aged 19 to 21 the council was in touch with at the end of the quarter, as "
    "a percentage of all of them.", "percentage", True, "quarter")
_INDICATOR_PLEDGES = {
    "health-assessments": ["pledge-2"], "dental-checks": ["pledge-2"],
    "immunisations": ["pledge-2"], "placement-stability-moves": ["pledge-6"],
    "placement-stability-long-term": ["pledge-6"], "care-leavers-eet": ["pledge-4"],
    "care-leavers-accommodation": ["pledge-3"], "pep-on-time": ["pledge-1"]}


def demo_council_ids(connection: Connection) -> list[int]:
    return list(connection.scalars(select(Council.id).where(Council.plugin == DEMO_PLUGIN)))


def remove_demo(connection: Connection) -> int:
    """Delete every demo council and all its rows, including what staff recorded on it since
    (roles, action owners, reviews, audit events), and the demo's own accounts; returns how
    many councils went."""
    ids = demo_council_ids(connection)
    if ids:
        accounts = list(connection.scalars(
            select(User.id).join(RoleAssignment, RoleAssignment.user_id == User.id)
            .where(RoleAssignment.council_id.in_(ids),
                   User.email.endswith(DEMO_ACCOUNTS, autoescape=True))))
        for table in reversed(db.metadata.sorted_tables):  # rows before what they point at
            column = table.c.id if table.name == "council" else table.c.get("council_id")
            if column is not None:
                connection.execute(delete(table).where(column.in_(ids)))
        if accounts:
            connection.execute(delete(User).where(User.id.in_(accounts)))
        touch_directory(connection)
    return len(ids)


def load_demo(scale: float, *, replace: bool = False,
              progress: Callable[[str], None] | None = None) -> DemoReport:
    """Load the demo councils for ``scale``, committing every :data:`BATCH` rows or so.

    A load takes seconds, so it never holds the database for all of them: each batch of
    whole councils is its own short transaction, and other writes (a clerk saving
    attendance) go in between batches instead of failing with "database is locked". Each
    batch takes its ids after the highest in each table when it starts, holding the write
    lock (SQLite) or moving the id sequences past them before inserting (PostgreSQL), so
    that rows others add meanwhile never take one of them. Refuses (``ValueError``) when
    demo councils exist, unless ``replace`` deletes them first (in its own transaction).
    """
    count = councils_at(scale)
    write_demo_paper(current_app.config["PAPERS_PATH"])
    connection = _begin_batch()
    if demo_council_ids(connection):
        if not replace:
            db.session.rollback()
            raise ValueError("demo councils are already loaded; use --replace to load again")
        remove_demo(connection)
        db.session.commit()
        connection = _begin_batch()
    now, report = dt.datetime.now(dt.UTC), DemoReport()
    number = 1
    while number <= count:
        ids = _Ids(connection, TABLES)
        pending: dict[str, list[dict[str, Any]]] = {table.name: [] for table in TABLES}
        waiting = 0
        # A council's rows go in together, so that rows pointing at later rows of the same
        # council (an action arising closed at the next meeting) find them.
        while number <= count and waiting < BATCH:
            for table, row in _Council(number, ids, now).rows():
                pending[table.name].append(row)
                waiting += 1
            report.councils += 1
            if progress and number % 10 == 0:
                progress(f"{number} of {count} councils")
            number += 1
        _advance_sequences(connection, ids)
        for table in TABLES:
            rows = pending[table.name]
            if rows:
                connection.execute(insert(table), rows)
                report.count(table.name, len(rows))
        # written with Core, so its councils' revisions and derived data are made here
        touch(connection, [row["id"] for row in pending["council"]])
        touch_directory(connection)
        db.session.commit()
        if number <= count:
            connection = _begin_batch()
    db.session.commit()
    _keep_charts(report, progress)
    _refresh_statistics()
    return report


def _keep_charts(report: DemoReport, progress: Callable[[str], None] | None) -> None:
    """Draw and keep every demo council's indicator charts, as the admin does when their
    figures change (the load wrote them with Core): a council a transaction."""
    from core.indicators.charts import keep_every_trend_chart

    councils = db.session.scalars(select(Council).where(Council.plugin == DEMO_PLUGIN)
                                  .order_by(Council.id)).all()
    for number, council in enumerate(councils, 1):
        report.count("kept_drawing", keep_every_trend_chart(council))
        db.session.commit()
        if progress and number % 10 == 0:
            progress(f"charts of {number} of {len(councils)} councils")


def _refresh_statistics() -> None:
    """On PostgreSQL, vacuum and analyze the tables just filled, so that the planner has
    their statistics at once and autovacuum does not do it later, in the middle of whatever
    runs next (the benchmark measured its pages while autovacuum read 440,000 new rows)."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in TABLES:
            connection.execute(text(f"VACUUM (ANALYZE) {table.name}"))


def _begin_batch() -> Connection:
    """The session's connection in a new transaction that holds SQLite's write lock (so
    that the ids a batch takes stay free until it commits)."""
    connection = db.session.connection()
    begin_writing(connection)
    return connection


def _advance_sequences(connection: Connection, ids: _Ids) -> None:
    """On PostgreSQL, move each id sequence past the ids a batch takes, before it inserts
    them, so that rows added meanwhile by others get later ids."""
    if connection.dialect.name != "postgresql":
        return
    for table in TABLES:
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"GREATEST(:last, COALESCE((SELECT MAX(id) FROM {table.name}), 1)))"),
            {"last": ids.last(table)})
