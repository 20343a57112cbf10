"""The plugin contract: every hook a council plugin may implement.

All hooks are called with keyword arguments only. ``council`` is always a council's slug.

*Definition hooks* (``*_for_council``, listed once in
:data:`core.plugins.definitions.DEFINITION_HOOKS`) are asked once, when the app starts, and
only of the plugin that registered the council; ``cpt sync`` then writes the answers to the
database, where every page reads them. A plugin returns ``None`` for any other council (the
contract tests check it), and when the owner says nothing the core's default stands. An
answer may be the shapes of :mod:`core.content` or the same data as plain dicts and lists;
the core validates it strictly before use (no type is coerced). A plugin that raises or
answers with data that does not fit is reported (plugin, hook, field, what is wrong) and
refused: its councils keep their last good definitions, and other councils keep working.

*Behaviour hooks* decide rules where councils differ, while the app serves: what to warn
about in a panel's membership. They are asked of the council's own plugin and the core's
defaults (:mod:`core.defaults`); a plugin that raises there is counted and shown on the
plugins page, and keeps serving.

This module imports only pluggy, so that a plugin importing ``core.hookimpl`` pulls in
neither Flask nor the database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from collections.abc import Sequence

    from core.content.shapes import (
        Council,
        IndicatorSet,
        MembershipFinding,
        MembershipView,
        Panel,
        PartnerBody,
        PledgeSet,
        Priority,
        Protocol,
        ReviewCycle,
        Seat,
        StatusRule,
        Strategy,
        Vocabulary,
    )

#: The pluggy project name, which is also the entry-point group third-party plugins use.
PROJECT = "corporate_parenting"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# --- councils ----------------------------------------------------------------------------


@hookspec
def register_councils() -> Sequence[Council | dict[str, Any]]:
    """Return the councils this plugin defines (usually one).

    Every plugin is asked. A council's ``slug`` must be unique across plugins and, for a
    plugin installed through an entry point, equal to the entry-point name: a slug another
    plugin already registered is refused with an error naming both plugins.
    """


@hookspec(firstresult=True)
def vocabulary_for_council(council: str) -> Vocabulary | dict[str, Any] | None:
    """Return the words the council uses: "pledge" or "promise", "panel" or "board".

    Default: pledge/pledges, panel/panels.
    """


# --- strategy ----------------------------------------------------------------------------


@hookspec(firstresult=True)
def strategy_for_council(council: str) -> Strategy | dict[str, Any] | None:
    """Return the council's corporate parenting strategy: title, period, vision, purpose,
    local principles and any further sections, in the council's own words.

    Default: no strategy (the council's page says none is published).
    """


@hookspec(firstresult=True)
def priorities_for_council(council: str) -> Sequence[Priority | dict[str, Any]] | None:
    """Return the strategy's priorities in order, each with a stable ``key``.

    Default: no priorities.
    """


@hookspec(firstresult=True)
def pledges_for_council(council: str) -> PledgeSet | dict[str, Any] | None:
    """Return the council's pledges or promises, each with its actions, and how many the
    strategy declares.

    When ``declared`` exceeds the items given, the rest are shown as declared but not yet
    recorded, and a council administrator may record them. Default: none.
    """


# --- panels ------------------------------------------------------------------------------


@hookspec(firstresult=True)
def panels_for_council(council: str) -> Sequence[Panel | dict[str, Any]] | None:
    """Return the council's corporate parenting panels or boards: purpose, meeting cycle,
    quorum rule, seats (role, how many, voting, chair, young people's seat, partner agency)
    and standing agenda items (the items that open every meeting's agenda, e.g. time for
    the children in care council).

    Default: no panels.
    """


@hookspec
def check_panel_membership(
    council: str,
    panel: str,
    seats: Sequence[Seat],
    memberships: Sequence[MembershipView],
) -> Sequence[MembershipFinding] | None:
    """Return warnings about the current membership of ``panel`` (its key).

    ``seats`` are the panel's seats and ``memberships`` who holds them now. The council's
    own plugin is asked, then the core's default; every answer is shown. The core's default
    warns when the chair's seat or a young people's seat is empty and when a seat holds more
    people than its ``count``.
    """


# --- reviews and partners ----------------------------------------------------------------


@hookspec(firstresult=True)
def review_cycles_for_council(council: str) -> Sequence[ReviewCycle | dict[str, Any]] | None:
    """Return what the council reviews on a cycle: subject, interval, owner, next due date.

    Default: none.
    """


@hookspec(firstresult=True)
def partners_for_council(council: str) -> Sequence[PartnerBody | dict[str, Any]] | None:
    """Return the bodies the council's panel works with (e.g. the safeguarding children
    partnership).

    Default: none.
    """


@hookspec(firstresult=True)
def protocols_for_council(council: str) -> Sequence[Protocol | dict[str, Any]] | None:
    """Return written protocols between a panel and partner bodies: joint areas of interest,
    each party's role, reporting lines, escalation route and the review cycle that governs
    the protocol.

    Default: none.
    """


# --- status ------------------------------------------------------------------------------


@hookspec(firstresult=True)
def status_rule_for_council(council: str) -> StatusRule | dict[str, Any] | None:
    """Return how the council rolls its actions' statuses up into each pledge's status:
    what a past-due, incomplete action counts as at least (``at_risk`` or ``off_track``;
    never on track) and how many days' grace it has after its due date.

    The pledges page describes the council's rule in plain words. Default: a past-due action
    counts as at risk from the day after its due date.
    """


# --- indicators --------------------------------------------------------------------------


@hookspec(firstresult=True)
def indicators_for_council(council: str) -> IndicatorSet | dict[str, Any] | None:
    """Return the indicators the council's board reviews (its report card): measures of the
    core's default set it adopts by key (:data:`core.content.measures.MEASURES`, published
    by the Department for Education from the SSDA903 return), its own indicators (key,
    title, definition in words, unit, whether higher is better, period, the priorities and
    pledges each evidences, source), and its red/amber/green rule.

    Indicators are aggregate figures, never a child's record; their figures are entered or
    imported in the admin. Default: no indicators, and the core's red/amber/green rule.
    """
