"""Circulating a meeting's agenda pack or approved minutes by email, from the meeting page.

One message per recipient (:mod:`core.mail.service`), in the council's name, linking to the
meeting's public page; each is logged (``SentMail``, with the meeting) and, being written
in a signed-in clerk's request, audited. Failures are kept with the server's reason and can
be sent again (:func:`resend_failed`).

Each message carries the document as a PDF (:func:`attachments_for`, from
:mod:`core.meetings.documents`); minutes go out only once :func:`minutes_ready`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select

from core.auth.models import User
from core.dates import day_words
from core.extensions import db
from core.mail.links import absolute_url
from core.mail.messages import Attachment, Message
from core.mail.models import MailStatus, SentMail
from core.mail.service import record_unsent, send
from core.meetings import documents
from core.meetings.minutes import minutes_public
from core.meetings.models import Meeting
from core.meetings.services import as_utc, local_start
from core.models import Council, Person
from core.panels.membership import current_memberships
from core.translations import gettext as _
from core.translations import lazy_gettext as _l
from core.translations import ngettext

#: What a clerk circulates, as ``SentMail.kind``, and how each is named.
AGENDA_PACK, MINUTES = "agenda_pack", "minutes"
WHAT = {AGENDA_PACK: _l("The agenda pack"), MINUTES: _l("The approved minutes")}

#: The most addresses typed in at once beside the members.
MAX_OTHERS = 50
#: Failures in a row after which the rest are logged as not sent, to be sent again, rather
#: than each waiting for a server that is down (up to its timeout, 20 s by default).
MAX_FAILURES_IN_A_ROW = 3


# --- what is sent ---------------------------------------------------------------------------


def minutes_ready(meeting: Meeting) -> bool:
    """Whether the minutes of ``meeting`` may be circulated: when the public may read them
    (:func:`core.meetings.minutes.minutes_public`, the one rule)."""
    return minutes_public(meeting)


def attachments_for(council: Council, meeting: Meeting, what: str) -> tuple[Attachment, ...]:
    """The document sent with ``what`` (:data:`AGENDA_PACK` or :data:`MINUTES`): the PDF
    the meeting's pages link to, as kept (printed once for the whole circulation)."""
    if what == AGENDA_PACK:
        return (Attachment(documents.filename(council, meeting.id, "agenda-pack"),
                           documents.agenda_pack_pdf(council, meeting.id)),)
    return (Attachment(documents.filename(council, meeting.id, "minutes"),
                       documents.minutes_pdf(council, meeting)),)


# --- who receives it ------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """Someone a circulation goes to: a member (with their name) or an address typed in."""

    email: str
    name: str | None = None


@dataclass(frozen=True)
class Members:
    """The panel's current members: those with an email address, and those without."""

    reachable: list[Recipient]
    unreachable: list[Person]


def members_of(meeting: Meeting, on: dt.date | None = None) -> Members:
    """The current members of the meeting's panel (one query): each address once, even
    for someone holding two seats; members with no address recorded are unreachable."""
    reachable: dict[str, Recipient] = {}
    unreachable: dict[int, Person] = {}
    for membership in current_memberships(meeting.panel, on or dt.date.today()):
        person = membership.person
        email = (person.email or "").strip()
        if email:
            reachable.setdefault(email.lower(), Recipient(email, person.name))
        else:
            unreachable.setdefault(person.id, person)
    return Members(list(reachable.values()), list(unreachable.values()))


def recipients(members: Members, others: Sequence[str], *, to_members: bool
               ) -> list[Recipient]:
    """The members (when chosen) then the others, each address once."""
    chosen: dict[str, Recipient] = {}
    for recipient in [*(members.reachable if to_members else []),
                      *(Recipient(email) for email in others)]:
        chosen.setdefault(recipient.email.lower(), recipient)
    return list(chosen.values())


# --- the message ---------------------------------------------------------------------------


def dedupe_key(meeting: Meeting, what: str) -> str:
    """What the log calls one circulation of ``what`` for ``meeting``."""
    return f"circulation:{meeting.id}:{what}"


def compose(council: Council, meeting: Meeting, what: str, to: str) -> Message:
    """The message circulating ``what`` to ``to``: text and HTML, in the council's
    language and name, linking to the meeting's public page."""
    start = local_start(meeting)
    attachments = attachments_for(council, meeting, what)
    context = {
        "council": council, "meeting": meeting, "panel": meeting.panel, "start": start,
        "what": what, "attachments": attachments,
        "link": absolute_url("meetings.show", council=council.slug, meeting_id=meeting.id)}
    with force_locale(council.locale or "en_GB"):
        date = day_words(start.date())
        subject = (_("%(panel)s: agenda for the meeting on %(date)s", panel=meeting.panel.name,
                     date=date) if what == AGENDA_PACK else
                   _("%(panel)s: minutes of the meeting on %(date)s", panel=meeting.panel.name,
                     date=date))
        text = render_template("meetings/mail/circulation_text.html", **context)
        html = render_template("meetings/mail/circulation.html", subject=subject, **context)
    return Message(to=to, subject=subject, text=text, html=html, attachments=attachments,
                   from_name=council.name)


# --- sending -------------------------------------------------------------------------------


@dataclass
class Circulation:
    """What a circulation (or a second try) did: the log rows, sent and failed."""

    records: list[SentMail] = field(default_factory=list)
    #: Failed messages not tried again, and why (minutes no longer ready to send).
    held_back: list[SentMail] = field(default_factory=list)
    #: How many sends in a row have just failed.
    failed_in_a_row: int = 0

    @property
    def sent(self) -> list[SentMail]:
        return [record for record in self.records if record.sent]

    @property
    def failed(self) -> list[SentMail]:
        return [record for record in self.records if not record.sent]


def _send_each(council: Council, meeting: Meeting, what: str, addresses: Iterable[str],
               done: Circulation) -> Circulation:
    """Send to each address, or, once the server has failed :data:`MAX_FAILURES_IN_A_ROW`
    times in a row, log the rest as not sent without waiting for it each time."""
    first: Message | None = None
    for address in addresses:
        # composed (and its documents printed) once; each recipient gets their own copy
        message = first = (compose(council, meeting, what, address) if first is None
                           else replace(first, to=address))
        where = {"kind": what, "council_id": council.id, "meeting_id": meeting.id,
                 "dedupe_key": dedupe_key(meeting, what)}
        if done.failed_in_a_row >= MAX_FAILURES_IN_A_ROW:
            record = record_unsent(message, ngettext(
                "not tried: the mail server failed %(num)d time in a row",
                "not tried: the mail server failed %(num)d times in a row",
                done.failed_in_a_row), **where)
        else:
            record = send(message, **where)
            done.failed_in_a_row = 0 if record.sent else done.failed_in_a_row + 1
        done.records.append(record)
        db.session.commit()  # each message's log kept, even if a later one crashes
    return done


def circulate(council: Council, meeting: Meeting, what: str,
              to: Sequence[Recipient]) -> Circulation:
    """Send ``what`` to each recipient, one message each, logging (and committing) each."""
    if what not in WHAT:
        raise ValueError(f"nothing called {what!r} is circulated")
    return _send_each(council, meeting, what, [r.email for r in to], Circulation())


def mail_log(meeting: Meeting) -> list[tuple[SentMail, str | None]]:
    """Every message sent about ``meeting`` with who sent it (their name; ``None`` for
    the toolkit itself), newest first (one query)."""
    return [(record, name) for record, name in db.session.execute(
        select(SentMail, User.name).outerjoin(User, SentMail.sent_by_id == User.id)
        .where(SentMail.council_id == meeting.council_id, SentMail.meeting_id == meeting.id)
        .order_by(SentMail.created_at.desc(), SentMail.id.desc()))]


def still_failed(log: Iterable[tuple[SentMail, str | None]]) -> list[SentMail]:
    """Of a meeting's :func:`mail_log`, each circulation message whose latest try to its
    recipient failed (oldest first)."""
    latest: dict[tuple[str, str], SentMail] = {}
    for record, _name in log:  # newest first: the first seen is the latest
        if record.kind in WHAT:
            latest.setdefault((record.kind, record.recipient.lower()), record)
    return sorted((r for r in latest.values() if r.status == MailStatus.FAILED),
                  key=lambda r: (as_utc(r.created_at), r.id))


def resend_failed(council: Council, meeting: Meeting) -> Circulation:
    """Send again each circulation message whose latest try failed; minutes that may no
    longer be circulated (:func:`minutes_ready`) are held back."""
    done = Circulation()
    for record in still_failed(mail_log(meeting)):
        if record.kind == MINUTES and not minutes_ready(meeting):
            done.held_back.append(record)
            continue
        _send_each(council, meeting, record.kind, [record.recipient], done)
    return done
