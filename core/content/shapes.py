"""The shapes of a council's definitions, as its plugin returns them.

Each shape is a frozen, keyword-only dataclass; marshmallow-dataclass derives the schema that
validates it (see :mod:`core.content.validation`). Conventions shared by every shape:

- ``key`` is the item's stable key, unique among its kind within one council
  (``pledge-3``, ``action-3.2``). ``cpt sync`` matches database rows by it, so changing a
  key is a removal plus an addition; change wording freely.
- Text is the council's own wording, carried verbatim. Where the source leaves something
  out, the field is ``None`` (never a guess): the pages show it as missing or not stated.
- ``principles`` lists letters (``"a"``..``"g"``) of the statutory corporate parenting
  principles (Children and Social Work Act 2017, s.1(1)) an item serves.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from marshmallow import ValidationError, pre_load, validates

from core.content.principles import PRINCIPLE_LETTERS
from core.content.timelines import parse_timeline

Nation = Literal["england", "wales"]
#: How a young people's representative on a panel is recorded: by first name, by initials,
#: or by either, as the council decides.
YoungPeopleNames = Literal["first_name", "initials", "either"]
#: A status a past-due action may count as in a pledge's roll-up: a concern.
PastDueStatus = Literal["at_risk", "off_track"]


def _check_principles(letters: list[str]) -> None:
    unknown = sorted(set(letters) - PRINCIPLE_LETTERS)
    if unknown:
        raise ValidationError(
            f"Unknown principle letter(s) {', '.join(unknown)}: use a to g "
            "(Children and Social Work Act 2017, s.1(1))."
        )


@dataclass(frozen=True, kw_only=True)
class Council:
    """A council the plugin defines. ``slug`` must equal the plugin's entry-point name."""

    slug: str
    name: str
    nation: Nation = "england"
    locale: str = "en_GB"
    #: The council's brand colour for page headers, as ``#rrggbb``.
    colour: str = "#1d70b8"
    website: str | None = None
    #: How young people who sit on a panel are recorded; set it only where the council's
    #: published policy says, otherwise either a first name or initials are accepted.
    young_people_names: YoungPeopleNames = "either"

    @validates("slug")
    def _slug(self, value: str, **_: Any) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", value):
            raise ValidationError(
                "Use lower-case letters a-z, digits and underscores, starting with a letter.")

    @validates("colour")
    def _colour(self, value: str, **_: Any) -> None:
        if len(value) != 7 or value[0] != "#" or not all(
            c in "0123456789abcdefABCDEF" for c in value[1:]
        ):
            raise ValidationError("Give the colour as #rrggbb.")


@dataclass(frozen=True, kw_only=True)
class StatusRule:
    """How a pledge's status is rolled up from its actions (see :mod:`core.pledges.status`).

    A pledge is complete when every action is, not started when none has started, and
    otherwise takes the most concerning status among its open actions. An action that is
    not complete more than ``grace_days`` after its due date counts as at least
    ``past_due_counts_as``, whatever its latest progress update says.
    """

    #: The status a past-due, incomplete action counts as at least: always a concern.
    past_due_counts_as: PastDueStatus = "at_risk"
    #: Days after its due date before an incomplete action counts as past due (0 to 366).
    grace_days: int = 0

    @validates("grace_days")
    def _grace_days(self, value: int, **_: Any) -> None:
        if not 0 <= value <= 366:
            raise ValidationError("Give a number of days from 0 to 366.")


@dataclass(frozen=True, kw_only=True)
class Vocabulary:
    """The words a council uses for its commitments and its committee."""

    pledge: str = "pledge"
    pledges: str = "pledges"
    panel: str = "panel"
    panels: str = "panels"


@dataclass(frozen=True, kw_only=True)
class Statement:
    """A statement with optional sub-items (a bulleted list with one level of nesting)."""

    text: str
    items: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class Quote:
    """Words quoted in a published document, with who said them as the source gives it."""

    text: str
    attribution: str | None = None


@dataclass(frozen=True, kw_only=True)
class Signatory:
    """A person who signs a foreword, by name and role as published."""

    name: str
    role: str | None = None


@dataclass(frozen=True, kw_only=True)
class Section:
    """A titled part of a strategy that is neither vision, purpose nor principles."""

    key: str
    #: ``None`` continues the section before it under the same heading.
    heading: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    #: An optional lead-in to the list, e.g. "Every good parent wants the best for their child:".
    items_intro: str | None = None
    items: list[Statement] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    signatories: list[Signatory] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class Strategy:
    """The council's corporate parenting strategy: what it sets out to do and why."""

    key: str
    title: str | None = None
    period_start: int | None = None
    period_end: int | None = None
    vision: str | None = None
    #: A lead-in to ``vision_items``, e.g. "...committed to ensuring they have opportunities to
    #: experience:".
    vision_intro: str | None = None
    vision_items: list[str] = field(default_factory=list)
    purpose: list[str] = field(default_factory=list)
    principles_intro: str | None = None
    principles: list[Statement] = field(default_factory=list)
    #: A lead-in to the priorities, e.g. "Isle of Wight Council’s specific priorities".
    priorities_intro: str | None = None
    sections: list[Section] = field(default_factory=list)
    #: Where the text was published, as a citation or address.
    source: str | None = None


@dataclass(frozen=True, kw_only=True)
class Priority:
    """One of the strategy's priorities."""

    key: str
    number: int
    title: str
    description: str | None = None
    principles: list[str] = field(default_factory=list)

    @validates("principles")
    def _principles(self, value: list[str], **_: Any) -> None:
        _check_principles(value)


@dataclass(frozen=True, kw_only=True)
class Timeline:
    """When an action is due, as the source words it, with what can be read from that.

    A plain string is accepted in place of the mapping and parsed by
    :func:`core.content.timelines.parse_timeline`: ``"September 2025"`` is due by the end of
    that month, ``"Reviewed annually"`` recurs every 12 months, and text that is neither is kept
    with no date.
    """

    text: str
    due: dt.date | None = None
    due_precision: Literal["day", "month"] | None = None
    every_months: int | None = None

    @pre_load
    def _from_text(self, data: Any, **_: Any) -> Any:
        return parse_timeline(data) if isinstance(data, str) else data


@dataclass(frozen=True, kw_only=True)
class Action:
    """One action of an action plan, under its pledge or promise.

    ``wording`` is ``None`` where the published plan lost the action's own words: the pages
    say so and never fill it in.
    """

    key: str
    number: int
    wording: str | None = None
    officer: str | None = None
    timeline: Timeline | None = None
    #: Linked action plans or strategy initiatives, verbatim. Empty means "Not applicable".
    links: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class Pledge:
    """A pledge or promise (the council's vocabulary names it) with its actions."""

    key: str
    number: int
    #: The short form, e.g. from the list that opens a plan.
    title: str
    #: The full statement, where the source gives one beside the short form.
    statement: str | None = None
    principles: list[str] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)

    @validates("principles")
    def _principles(self, value: list[str], **_: Any) -> None:
        _check_principles(value)


@dataclass(frozen=True, kw_only=True)
class PledgeSet:
    """A council's pledges or promises, and how many its strategy declares.

    ``declared`` is the number the published text announces. When it exceeds
    ``len(items)`` the rest are "declared but not published": shown as missing and
    recordable by an administrator, never invented.
    """

    intro: str | None = None
    declared: int | None = None
    items: list[Pledge] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class Seat:
    """A seat (Popolo's Post) on a panel, by the role that fills it."""

    key: str
    role: str
    #: How many people hold this seat; ``None`` where the source does not say.
    count: int | None = None
    #: Whether holders vote; ``None`` where the source does not say.
    voting: bool | None = None
    chair: bool = False
    young_people: bool = False
    #: The partner agency the holder comes from, if not the council.
    partner: str | None = None


@dataclass(frozen=True, kw_only=True)
class MeetingCycle:
    """How often a panel meets: the source's words and, where stated, the interval."""

    text: str
    every_months: int | None = None
    meetings_per_year: int | None = None


@dataclass(frozen=True, kw_only=True)
class Quorum:
    """A panel's quorum rule as its terms of reference give it."""

    text: str
    count: int | None = None
    #: Whether young people's representatives count towards quorum; ``None`` if unstated.
    young_people_count: bool | None = None


@dataclass(frozen=True, kw_only=True)
class StandingItem:
    """An item on every agenda of a panel (e.g. time for the children in care council)."""

    key: str
    title: str
    description: str | None = None


@dataclass(frozen=True, kw_only=True)
class Panel:
    """A corporate parenting panel or board, with its seats and cycle."""

    key: str
    name: str
    #: e.g. "full committee of the council" or "advisory board", as the source puts it.
    status: str | None = None
    purpose: list[str] = field(default_factory=list)
    responsibilities_intro: str | None = None
    responsibilities: list[str] = field(default_factory=list)
    cycle: MeetingCycle | None = None
    quorum: Quorum | None = None
    #: A lead-in to the seats, e.g. "The people who are on the corporate parenting panel are:".
    seats_intro: str | None = None
    seats: list[Seat] = field(default_factory=list)
    standing_items: list[StandingItem] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class ReviewCycle:
    """Something reviewed on a cycle: what, how often, by whom, and when next."""

    key: str
    subject: str
    #: The source's words for the interval, e.g. "bi-annually" or "annually".
    interval_text: str | None = None
    every_months: int | None = None
    owner: str | None = None
    #: When it is next due, and the source's words for it (e.g. "September 2025").
    next_due: dt.date | None = None
    next_due_text: str | None = None


@dataclass(frozen=True, kw_only=True)
class PartnerBody:
    """A body the panel works with, e.g. the safeguarding children partnership."""

    key: str
    name: str
    short_name: str | None = None
    #: e.g. "statutory partnership".
    status: str | None = None
    description: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class JointArea:
    """An area of interest a protocol's parties share."""

    key: str
    title: str
    description: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReportingLine:
    """What one body reports to another (``from_party``/``to_party`` are party keys).

    ``from_party`` is ``None`` where the source does not say who reports.
    """

    key: str
    subject: str
    to_party: str
    from_party: str | None = None
    #: e.g. "annual" or "in a timely manner", as the source puts it.
    frequency: str | None = None
    text: str | None = None


@dataclass(frozen=True, kw_only=True)
class Role:
    """What one party to a protocol does, as the protocol sets it out."""

    party: str
    paragraphs: list[str] = field(default_factory=list)
    items_intro: str | None = None
    items: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class Protocol:
    """A written agreement between a panel and a partner body.

    ``parties`` and each role's ``party`` are panel or partner-body keys.
    """

    key: str
    title: str
    parties: list[str]
    purpose: list[str] = field(default_factory=list)
    joint_areas_intro: str | None = None
    joint_areas: list[JointArea] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    reporting_lines: list[ReportingLine] = field(default_factory=list)
    escalation: str | None = None
    #: The key of the review cycle that governs the protocol, if any.
    review_cycle: str | None = None
    approved_by: str | None = None
    approved_text: str | None = None


@dataclass(frozen=True, kw_only=True)
class MembershipView:
    """One current membership as membership-rule hooks see it."""

    seat: str
    person: str
    on_behalf_of: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class MembershipFinding:
    """A warning or error about a panel's membership, from a membership-rule hook."""

    level: Literal["warning", "error"]
    message: str
    seat: str | None = None
