"""Sending the day's reminders, each once a day, and saying what happened.

A digest already sent today (the mail log, :func:`core.mail.service.sent_on`) is not sent
again, so running twice in a day sends nothing the second time. A digest that fails is
logged as failed and is sent by the next run (a failed message does not count as sent).
After :data:`MAX_FAILURES_IN_A_ROW` failures in a row the mail server is taken to be down
and the rest are left for the next run rather than each waiting for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.extensions import db
from core.mail.service import send, sent_on
from core.reminders.digests import KEY_PREFIX, Digest, compose, digests
from core.reminders.due import councils

#: Failures in a row after which the rest wait for the next run.
MAX_FAILURES_IN_A_ROW = 5

SENT, FAILED, ALREADY, WOULD, NOT_TRIED = ("sent", "failed", "already sent today",
                                           "would send", "not tried")
#: How each kind is named in the command's output.
KIND_NAMES = {"reminder_actions": "actions", "reminder_reviews": "reviews",
              "reminder_clerk": "clerk's"}


@dataclass(frozen=True)
class Outcome:
    """What became of one digest."""

    digest: Digest
    result: str
    error: str | None = None

    def line(self) -> str:
        """One line of the command's output: what, to whom, in which council."""
        digest = self.digest
        text = (f"{self.result}: {KIND_NAMES.get(digest.kind, digest.kind)} reminder to "
                f"{digest.recipient.email} ({digest.council.slug}, {digest.items} "
                f"item{'s' if digest.items != 1 else ''})")
        return f"{text}: {self.error}" if self.error else text


@dataclass
class Report:
    """Every digest of the run and what became of it."""

    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, result: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.result == result)

    @property
    def ok(self) -> bool:
        """Nothing failed and nothing was left untried."""
        return not (self.count(FAILED) or self.count(NOT_TRIED))

    def summary(self) -> str:
        parts = [f"{self.count(result)} {result}"
                 for result in (SENT, WOULD, FAILED, NOT_TRIED, ALREADY) if self.count(result)]
        text = "Reminders: " + (", ".join(parts) if parts else "nothing is due") + "."
        if not self.ok:
            text += " Those not sent will be sent by the next run."
        return text


def remind(today: dt.date, *, council: str | None = None, dry_run: bool = False) -> Report:
    """Send (or, with ``dry_run``, only list) the reminders due ``today``, for every
    council or the one whose slug is ``council``; committing after each message. The
    reads are a fixed number of queries whatever the number of councils and of things
    due (:mod:`core.reminders.due`)."""
    report = Report()
    found = digests(councils(council), today)
    already = sent_on(today, KEY_PREFIX) if found else set()
    in_a_row = 0
    for digest in found:
        if (digest.recipient.email, digest.dedupe_key) in already:
            report.outcomes.append(Outcome(digest, ALREADY))
        elif dry_run:
            report.outcomes.append(Outcome(digest, WOULD))
        elif in_a_row >= MAX_FAILURES_IN_A_ROW:
            report.outcomes.append(Outcome(digest, NOT_TRIED, "the mail server failed "
                                                              f"{in_a_row} times in a row"))
        else:
            record = send(compose(digest, today), kind=digest.kind,
                          council_id=digest.council.id, dedupe_key=digest.dedupe_key)
            db.session.commit()
            in_a_row = 0 if record.sent else in_a_row + 1
            report.outcomes.append(Outcome(digest, SENT) if record.sent
                                   else Outcome(digest, FAILED, record.error))
    return report
