"""The core's own behaviour hook implementations: what every council gets besides what its
plugin says.

Registered first and ``trylast``, so the council's plugin answers before these. (What a
council gets when its plugin says nothing about a definition is each definition hook's
default, in :data:`core.plugins.definitions.DEFINITION_HOOKS`.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from core.content import MembershipFinding, MembershipView, Seat
from core.hookspecs import hookimpl


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
