"""The rows of the attendance table on the clerk's meeting page, written by Python: the
template global ``register_rows``.

Drawn by Jinja, each member's row (a ``{% set %}`` block for what is recorded, then the
row's three cells) cost about 9 µs: some 0.2 ms of the page for a panel of twenty-five
seats held (measured in process against the code before, docs/performance.md). This
gives the same cells to the same table (``kept_component("table", …)``).
The words every row repeats are made once per locale; a member's and a substitute's names
are the council's data, escaped. A council wanting other rows replaces
``meetings/admin_show.html``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from core.meetings.forms import ATTENDANCE_CHOICES
from core.meetings.models import AttendanceStatus
from core.pledges.words import missing
from core.translations import fill, once_per_locale
from core.translations import trusted_gettext as _


@dataclass(frozen=True, slots=True)
class RegisterWords:
    """The words of the attendance table in one locale, as markup."""

    #: What is recorded, by status, for every status but a substitute's.
    recorded_as: Mapping[str, Markup]
    not_recorded: Markup
    #: "Substitute: %(name)s", the name escaped when put in.
    substitute: str


@once_per_locale
def register_words() -> RegisterWords:
    """The attendance table's words in the current locale (made once per locale)."""
    return RegisterWords(
        # the words the attendance form offers (a substitute is named instead)
        recorded_as={choice.value: escape(str(choice.label))
                     for choice in ATTENDANCE_CHOICES
                     if choice.value != AttendanceStatus.SUBSTITUTE},
        not_recorded=missing(_("Not recorded")),
        substitute=str(_("Substitute: %(name)s")))


def register_rows(memberships: Sequence[Any], attendance: Mapping[int, Any]
                  ) -> list[list[dict[str, Any]]]:
    """The attendance table's rows: each membership on the register (a
    :class:`~core.meetings.services.RegisterLine`) with its member's name, their seat and
    what ``attendance`` (by membership id: :class:`~core.meetings.services.Recorded`)
    says of them: present, apologies, absent, who came as their substitute, or nothing
    recorded yet."""
    words = register_words()
    rows = []
    for membership in memberships:
        recorded = attendance.get(membership.id)
        if not recorded:
            status = words.not_recorded
        elif recorded.status in words.recorded_as:
            status = words.recorded_as[recorded.status]
        else:
            status = Markup(fill(words.substitute, name=(
                recorded.substitute.name if recorded.substitute else "–")))
        rows.append([{"text": membership.person.name}, {"text": membership.seat.role},
                     {"html": status}])
    return rows
