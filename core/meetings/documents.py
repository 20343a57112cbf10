"""A meeting's documents: its agenda pack and its minutes, as PDF files.

The agenda pack is a front sheet (council, panel, when, where), the agenda in order (each
item's presenter, expected time and papers where recorded), the papers' list, the standing
items and the actions carried forward; the minutes are the meeting's minutes with the
actions it agreed. Both are printed by :mod:`core.documents` from templates of this area
and kept under the council's revision (:func:`core.documents.cache.kept_pdf`).

What an agenda item carries in the pack is built in one place, :func:`pack_item`; whether
a meeting's minutes are public is decided in one place,
:func:`core.meetings.minutes.minutes_public`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import url_for

from core.councils.models import Council
from core.dates import day_words
from core.documents.cache import kept_pdf
from core.documents.render import render_pdf
from core.meetings.minutes import minutes_public, minutes_record
from core.meetings.models import AgendaItem, AgendaItemKinds, Meeting
from core.meetings.papers import PaperRow, papers_by_item
from core.meetings.services import (
    carried_forward,
    local_start,
    meeting_or_404,
)
from core.translations import gettext as _
from core.translations import ngettext


@dataclass(frozen=True)
class Paper:
    """A paper (report) for an agenda item, as the pack lists it: ``url`` to read it where
    it is public, ``exempt`` where it is not for publication."""

    title: str
    item_number: int
    url: str | None = None
    exempt: bool = False


@dataclass(frozen=True)
class PackItem(AgendaItemKinds):
    """An agenda item as the pack prints it, numbered in agenda order (where it came from
    told as for the model: :class:`~core.meetings.models.AgendaItemKinds`)."""

    number: int
    title: str
    description: str | None
    kind: str
    presenter: str | None = None
    #: When the item is expected, as it is to be printed (a time or a length).
    expected_time: str | None = None
    papers: tuple[Paper, ...] = ()


def pack_item(number: int, item: AgendaItem, papers: Sequence[PaperRow] = ()) -> PackItem:
    """What the pack prints of ``item``, the ``number``-th of the agenda, with its
    ``papers``: the one place an item's presenter, expected time and papers enter the
    documents. A public paper links to its download; an exempt one is listed as exempt,
    without a link."""
    minutes = item.duration_minutes
    return PackItem(
        number=number, title=item.title, description=item.description, kind=item.kind,
        presenter=item.presenter,
        expected_time=(ngettext("%(num)d minute", "%(num)d minutes", minutes)
                       if minutes else None),
        papers=tuple(Paper(title=paper.title, item_number=number, exempt=paper.exempt,
                           url=None if paper.exempt else url_for(
                               "meeting_papers.download", meeting_id=item.meeting_id,
                               paper_id=paper.id, _external=True))
                     for paper in papers))


def agenda_pack_context(meeting: Meeting) -> dict[str, Any]:
    """What the agenda pack template shows of ``meeting`` (loaded with its panel and
    agenda): two more statements, for its papers and the actions carried forward."""
    papers = papers_by_item(meeting, public_only=False)
    items = [pack_item(number, item, papers.get(item.id, ()))
             for number, item in enumerate(meeting.agenda, 1)]
    return {"meeting": meeting, "panel": meeting.panel, "start": local_start(meeting),
            "items": items, "papers": [paper for item in items for paper in item.papers],
            "standing": [item for item in items if item.standing],
            "carried": carried_forward(meeting), "today": dt.date.today()}


def minutes_context(meeting: Meeting) -> dict[str, Any]:
    """What the minutes document shows of ``meeting``: its minutes as the public page shows
    them once published (:func:`core.meetings.minutes.minutes_record`), in whatever state,
    and whether they are published (a draft says so)."""
    return {"meeting": meeting, "panel": meeting.panel, "start": local_start(meeting),
            "minutes": minutes_record(meeting), "published": minutes_public(meeting)}


def filename(council: Council, meeting_id: int, kind: str) -> str:
    """The name a meeting's document is saved under, e.g.
    ``herefordshire-meeting-12-agenda-pack.pdf`` (slugs and ids only: safe in a header)."""
    return f"{council.slug}-meeting-{int(meeting_id)}-{kind}.pdf"


def _title(meeting: Meeting, kind: str) -> str:
    return _("%(kind)s: %(panel)s, %(date)s", kind=kind, panel=meeting.panel.name,
             date=day_words(local_start(meeting).date()))


def agenda_pack_pdf(council: Council, meeting_id: int) -> bytes:
    """The agenda pack of the council's meeting, as kept or printed now (a 404 for
    another council's meeting or none)."""

    def render() -> bytes:
        meeting = meeting_or_404(council, meeting_id)
        kind = _("Agenda pack")
        return render_pdf("meetings/agenda_pack.html", council=council,
                          title=_title(meeting, kind), document_kind=kind,
                          **agenda_pack_context(meeting))

    return kept_pdf(council, f"meeting-{meeting_id}-agenda", render)


def minutes_pdf(council: Council, meeting: Meeting) -> bytes:
    """The minutes of ``meeting`` (of ``council``, loaded without its agenda), as kept or
    printed now; marked as a draft unless :func:`minutes_public`. The caller decides who
    may have them."""
    state = "published" if minutes_public(meeting) else "draft"

    def render() -> bytes:
        kind = _("Minutes")
        return render_pdf("meetings/minutes_document.html", council=council,
                          title=_title(meeting, kind), document_kind=kind,
                          **minutes_context(meeting))

    return kept_pdf(council, f"meeting-{meeting.id}-minutes-{state}", render)
