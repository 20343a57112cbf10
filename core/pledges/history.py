"""The action plan's progress over time: how many actions were complete, on track, at risk,
off track, past due or not started at the end of each month, for a council or one pledge.

One statement (built once, at import, for the council and for one pledge) reads each live
action's due date with its progress updates, as narrow rows; the months are counted here.
An action's status at a month's end is that of its latest update by then (not started
before its first); an action not complete after its due date (and the council's grace
days, :class:`~core.content.StatusRule`) counts as past due, as the pledges' roll-up does.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.orm import aliased

from core.charts.service import ChartText, Series, Table, stacked_bar_chart
from core.dates import format_date
from core.extensions import db
from core.models import Action, Council, ProgressUpdate
from core.pledges.models import ActionStatus, is_overdue
from core.pledges.status import STATUS_LABELS, RollUp
from core.translations import gettext as _
from core.translations import lazy_gettext as _l

#: How many month ends the chart shows (the last is today).
MONTHS = 12
#: Where a past-due action is counted, besides the statuses.
PAST_DUE = "past_due"
#: The chart's layers, bottom up, with their words and colours.
CATEGORIES: tuple[tuple[str, object, str], ...] = (
    (ActionStatus.COMPLETE.value, STATUS_LABELS[ActionStatus.COMPLETE], "#00703c"),
    (ActionStatus.ON_TRACK.value, STATUS_LABELS[ActionStatus.ON_TRACK], "#1d70b8"),
    (ActionStatus.AT_RISK.value, STATUS_LABELS[ActionStatus.AT_RISK], "#f47738"),
    (ActionStatus.OFF_TRACK.value, STATUS_LABELS[ActionStatus.OFF_TRACK], "#d4351c"),
    (PAST_DUE, _l("Past due"), "#4c2c92"),
    (ActionStatus.NOT_STARTED.value, STATUS_LABELS[ActionStatus.NOT_STARTED], "#b1b4b6"),
)

#: Of the updates on or before the first month end (``since``), only an action's latest
#: tells its status there and after: the rest are not read (a plan with years of monthly
#: updates reads about a year's worth).
_EARLIER = aliased(ProgressUpdate)
_LATEST_BY_SINCE = (select(_EARLIER.id)
                    .where(_EARLIER.action_id == Action.id,
                           _EARLIER.reported_on <= bindparam("since"))
                    .order_by(_EARLIER.reported_on.desc(), _EARLIER.id.desc())
                    .limit(1).correlate(Action).scalar_subquery())
_BASE = (
    select(Action.id, Action.due, ProgressUpdate.reported_on, ProgressUpdate.status)
    .outerjoin(ProgressUpdate, and_(ProgressUpdate.action_id == Action.id,
                                    ProgressUpdate.reported_on <= bindparam("until"),
                                    or_(ProgressUpdate.reported_on > bindparam("since"),
                                        ProgressUpdate.id == _LATEST_BY_SINCE)))
    .where(Action.council_id == bindparam("council_id"), Action.archived_at.is_(None))
    .order_by(Action.id, ProgressUpdate.reported_on, ProgressUpdate.id)
)
_COUNCIL = _BASE
_PLEDGE = _BASE.where(Action.pledge_id == bindparam("pledge_id"))


@dataclass(frozen=True)
class Month:
    """How many actions counted as each category at the end of one month (or today)."""

    day: dt.date
    counts: Counter[str]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def month_ends(today: dt.date, months: int = MONTHS) -> list[dt.date]:
    """The last day of each of the ``months - 1`` months before today's, then today."""
    first_of_month = today.replace(day=1)
    ends = [first_of_month - relativedelta(months=back) - dt.timedelta(days=1)
            for back in range(months - 1, 0, -1)]
    return [*ends, today]


def progress_history(council: Council, roll_up: RollUp, pledge_id: int | None = None
                     ) -> list[Month]:
    """Each month end's counts for the council's live actions, or one pledge's (one
    statement)."""
    days = month_ends(roll_up.today)
    params = {"council_id": council.id, "until": roll_up.today, "since": days[0]}
    statement = _COUNCIL if pledge_id is None else _PLEDGE
    if pledge_id is not None:
        params["pledge_id"] = pledge_id
    actions: dict[int, tuple[dt.date | None, list[tuple[dt.date, str]]]] = {}
    for row in db.session.execute(statement, params):
        due, updates = actions.setdefault(row.id, (row.due, []))
        if row.reported_on is not None:
            updates.append((row.reported_on, row.status))
    grace = dt.timedelta(days=roll_up.rule.grace_days)
    history = []
    for day in days:
        counts: Counter[str] = Counter()
        for due, updates in actions.values():
            status = ActionStatus.NOT_STARTED.value
            for reported_on, update_status in updates:  # oldest first
                if reported_on > day:
                    break
                status = update_status
            counts[PAST_DUE if is_overdue(due, status, day - grace) else status] += 1
        history.append(Month(day, counts))
    return history


def _month_label(month: Month, last: bool) -> str:
    return _("Today") if last else format_date(month.day, "MMM yyyy")


def progress_chart(history: list[Month], title: str) -> bytes:
    """The history as a stacked bar chart (SVG)."""
    labels = [_month_label(m, i == len(history) - 1) for i, m in enumerate(history)]
    series = [Series(str(words), [m.counts[key] for m in history], colour)
              for key, words, colour in CATEGORIES]
    return stacked_bar_chart(title, labels, series, _("Actions"))


def progress_text(history: list[Month], subject: str) -> ChartText:
    """The history in words: the alternative text, a summary of today and a year before,
    and the table of every month's counts."""
    def sentence(month: Month) -> str:
        parts = [f"{month.counts[key]} {str(words).lower()}" for key, words, _c in CATEGORIES
                 if month.counts[key]]
        return ", ".join(parts) if parts else _("none")

    now, then = history[-1], history[0]
    summary = [_("Today, of %(total)d actions: %(counts)s.", total=now.total,
                 counts=sentence(now)),
               _("At the end of %(month)s: %(counts)s.",
                 month=format_date(then.day, "MMMM yyyy"), counts=sentence(then))]
    alt = _("Bar chart of the progress of %(subject)s over the last %(months)d months, "
            "actions by status; the summary and the table below give its figures.",
            subject=subject, months=len(history))
    table = Table(
        caption=_("Actions by status at the end of each month"),
        head=[_("Month"), *(str(words) for _k, words, _c in CATEGORIES), _("Total")],
        rows=[[_month_label(m, i == len(history) - 1),
               *(str(m.counts[key]) for key, _w, _c in CATEGORIES), str(m.total)]
              for i, m in enumerate(history)])
    return ChartText(alt=alt, summary=summary, table=table)
