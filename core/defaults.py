"""What a council gets when its plugin says nothing: the core's own hook implementations.

Registered first and ``trylast``, so any plugin's answer comes before these.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from core.content import MembershipFinding, MembershipView, Seat, Vocabulary
from core.hookspecs import hookimpl


@hookimpl(trylast=True)
def vocabulary_for_council(council: str) -> Vocabulary:
    return Vocabulary()


@hookimpl(trylast=True)
def strategy_for_council(council: str) -> None:
    return None


@hookimpl(trylast=True)
def priorities_for_council(council: str) -> list[object]:
    return []


@hookimpl(trylast=True)
def pledges_for_council(council: str) -> dict[str, object]:
    return {"items": []}


@hookimpl(trylast=True)
def panels_for_council(council: str) -> list[object]:
    return []


@hookimpl(trylast=True)
def standing_agenda_items(council: str, panel: str, meeting_date: dt.date) -> list[object]:
    return []


@hookimpl(trylast=True)
def review_cycles_for_council(council: str) -> list[object]:
    return []


@hookimpl(trylast=True)
def partners_for_council(council: str) -> list[object]:
    return []


@hookimpl(trylast=True)
def protocols_for_council(council: str) -> list[object]:
    return []


@hookimpl(trylast=True)
def check_panel_membership(
    council: str, panel: str, seats: Sequence[Seat], memberships: Sequence[MembershipView]
) -> list[MembershipFinding]:
    held = Counter(membership.seat for membership in memberships)
    findings = []
    for seat in seats:
        if seat.chair and not held[seat.key]:
            findings.append(MembershipFinding(
                level="warning", seat=seat.key,
                message=f"The chair's seat ({seat.role}) is empty."))
        elif seat.young_people and not held[seat.key]:
            findings.append(MembershipFinding(
                level="warning", seat=seat.key,
                message=f"No one holds the young people's seat ({seat.role})."))
        if seat.count is not None and held[seat.key] > seat.count:
            findings.append(MembershipFinding(
                level="warning", seat=seat.key,
                message=f"{seat.role} has {held[seat.key]} members for {seat.count} places."))
    return findings
