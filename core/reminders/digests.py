"""The reminders as messages: one digest per recipient, kind and council, in the council's
language and name.

Kinds (``SentMail.kind``): :data:`ACTIONS` to each action owner, :data:`REVIEWS` to each
review owner, :data:`CLERK` to each clerk (terms of office ending, and reviews due that
nobody owns). A digest's :attr:`Digest.dedupe_key` names it for the day's log, so that it
goes once a day (:mod:`core.reminders.run`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask import render_template
from flask_babel import force_locale

from core.mail.links import absolute_url
from core.mail.messages import Message
from core.models import Council
from core.panels.membership import TERM_ENDING_DAYS
from core.reminders import due
from core.reminders.due import DueAction, DueReview, EndingTerm, Owner
from core.translations import ngettext

ACTIONS, REVIEWS, CLERK = "reminder_actions", "reminder_reviews", "reminder_clerk"
#: The start of every reminder's dedupe key.
KEY_PREFIX = "remind:"


@dataclass
class Digest:
    """What one recipient is reminded of in one council, of one kind."""

    kind: str
    council: Council
    recipient: Owner
    actions: list[DueAction] = field(default_factory=list)
    reviews: list[DueReview] = field(default_factory=list)
    terms: list[EndingTerm] = field(default_factory=list)
    #: Reviews due that nobody owns (in a clerk's digest).
    unassigned: list[DueReview] = field(default_factory=list)

    @property
    def dedupe_key(self) -> str:
        return f"{KEY_PREFIX}{self.kind}:{self.council.slug}"

    @property
    def items(self) -> int:
        """How many things it reminds of."""
        return len(self.actions) + len(self.reviews) + len(self.terms) + len(self.unassigned)


def digests(councils: Sequence[Council], today: dt.date) -> list[Digest]:
    """Every digest due ``today`` for ``councils``, in council order, then kind, then
    recipient: four queries whatever the number of councils and of things due."""
    ids = [council.id for council in councils]
    found: dict[tuple[int, str, str], Digest] = {}
    by_id = {council.id: council for council in councils}

    def digest(council_id: int, kind: str, recipient: Owner) -> Digest:
        key = (council_id, kind, recipient.email.lower())
        if key not in found:
            found[key] = Digest(kind, by_id[council_id], recipient)
        return found[key]

    for action in due.due_actions(ids, today):
        digest(action.council_id, ACTIONS, action.owner).actions.append(action)
    unassigned: dict[int, list[DueReview]] = {}
    for review in due.due_reviews(ids, today):
        if review.owner is None:
            unassigned.setdefault(review.council_id, []).append(review)
        else:
            digest(review.council_id, REVIEWS, review.owner).reviews.append(review)
    terms: dict[int, list[EndingTerm]] = {}
    for term in due.terms_ending(ids, today):
        terms.setdefault(term.council_id, []).append(term)
    for council_id, clerks in due.clerks(ids).items():
        if not (terms.get(council_id) or unassigned.get(council_id)):
            continue
        for clerk in clerks:
            each = digest(council_id, CLERK, clerk)
            each.terms = terms.get(council_id, [])
            each.unassigned = unassigned.get(council_id, [])
    order = {ACTIONS: 0, REVIEWS: 1, CLERK: 2}
    positions = {council.id: n for n, council in enumerate(councils)}
    return sorted(found.values(), key=lambda d: (positions[d.council.id], order[d.kind],
                                                 d.recipient.email.lower()))


def _subject(digest: Digest) -> str:
    council = digest.council.name
    if digest.kind == ACTIONS:
        return ngettext("%(council)s: %(num)d of your actions is due or overdue",
                        "%(council)s: %(num)d of your actions are due or overdue",
                        len(digest.actions), council=council)
    if digest.kind == REVIEWS:
        return ngettext("%(council)s: %(num)d review you own is due or overdue",
                        "%(council)s: %(num)d reviews you own are due or overdue",
                        len(digest.reviews), council=council)
    return ngettext("%(council)s: %(num)d reminder for the clerk",
                    "%(council)s: %(num)d reminders for the clerk", digest.items,
                    council=council)


def _links(digest: Digest) -> dict[str, str | None]:
    slug = digest.council.slug
    links: dict[str, str | None] = {"home": absolute_url("council_admin.home", council=slug)}
    for action in digest.actions:
        links[f"action:{action.key}"] = absolute_url("pledge_admin.action", council=slug,
                                                     key=action.key)
    for review in [*digest.reviews, *digest.unassigned]:
        links[f"review:{review.key}"] = absolute_url("review_admin.show", council=slug,
                                                     key=review.key)
    for term in digest.terms:
        links[f"panel:{term.panel_key}"] = absolute_url("membership_admin.show",
                                                        council=slug, panel=term.panel_key)
    return links


def compose(digest: Digest, today: dt.date) -> Message:
    """The digest as a message (text and HTML), in the council's language and name."""
    context = {"digest": digest, "council": digest.council, "today": today,
               "links": _links(digest), "action_days": due.ACTION_DAYS,
               "review_days": due.REVIEW_DAYS, "term_days": TERM_ENDING_DAYS}
    with force_locale(digest.council.locale or "en_GB"):
        subject = _subject(digest)
        text = render_template("reminders/digest_text.html", **context)
        html = render_template("reminders/digest.html", subject=subject, **context)
    return Message(to=digest.recipient.email, subject=subject, text=text, html=html,
                   from_name=digest.council.name)
