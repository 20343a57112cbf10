"""The action plan's progress over time: how many actions were complete, on track, at risk,
off track, past due or not started at the end of each month, for a council or one pledge.

One statement (built once, at import, for the council and for one pledge) counts them in the
database: a row per month end and category, whatever the number of actions or updates.
An action's status at a month's end is that of its latest update by then (not started
before its first); an action not complete after its due date (and the council's grace
days, :class:`~core.content.StatusRule`) counts as past due, as the pledges' roll-up does.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import (
    CTE,
    ColumnElement,
    Date,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal,
    select,
    true,
    union_all,
)

from core.charts.service import ChartText, Series, Table, stacked_bar_chart
from core.dates import format_date
from core.extensions import db
from core.models import Action, Council, ProgressUpdate
from core.pledges.models import ActionStatus
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
    # GOV.UK dark grey: 7:1 against the white page (its mid grey was 2:1, under the 3:1
    # graphics need)
    (ActionStatus.NOT_STARTED.value, STATUS_LABELS[ActionStatus.NOT_STARTED], "#505a5f"),
)

def _month_ends_table(months: int) -> CTE:
    """The month ends as a table of bound parameters: ``idx``, ``day`` and ``cutoff`` (the
    day less the council's grace days, after which an action not complete is past due)."""
    return union_all(*(
        select(literal(i, Integer).label("idx"), bindparam(f"day{i}", type_=Date).label("day"),
               bindparam(f"cutoff{i}", type_=Date).label("cutoff"))
        for i in range(months))).cte("month_end")


def _counts_statement(*criteria: ColumnElement[bool]) -> Select[tuple[int, str, int]]:
    """How many of the council's live actions (meeting ``criteria``) counted as each
    category at each month end, as ``(idx, category, count)`` rows. An action's status at a
    day is its latest update's by then (one probe of the ``(action_id, reported_on)`` index
    per action and month); not started before its first."""
    days = _month_ends_table(MONTHS)
    status_then = (select(ProgressUpdate.status)
                   .where(ProgressUpdate.action_id == Action.id,
                          ProgressUpdate.reported_on <= days.c.day)
                   .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc())
                   .limit(1).correlate(Action, days).scalar_subquery())
    status = func.coalesce(status_then, ActionStatus.NOT_STARTED.value)
    category = case((and_(Action.due.is_not(None), Action.due < days.c.cutoff,
                          status != ActionStatus.COMPLETE.value), PAST_DUE),
                    else_=status).label("category")
    counted = (select(days.c.idx, category)
               .select_from(Action).join(days, true())
               .where(Action.council_id == bindparam("council_id"),
                      Action.archived_at.is_(None), *criteria)
               .subquery())
    return (select(counted.c.idx, counted.c.category, func.count())
            .group_by(counted.c.idx, counted.c.category))


_COUNCIL = _counts_statement()
_PLEDGE = _counts_statement(Action.pledge_id == bindparam("pledge_id"))


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
    ends = []
    end = today.replace(day=1) - dt.timedelta(days=1)  # the last day of last month
    for _month in range(months - 1):
        ends.append(end)
        end = end.replace(day=1) - dt.timedelta(days=1)
    return [*reversed(ends), today]


def progress_history(council: Council, roll_up: RollUp, pledge_id: int | None = None
                     ) -> list[Month]:
    """Each month end's counts for the council's live actions, or one pledge's (one
    statement, counted by the database)."""
    days = month_ends(roll_up.today)
    grace = dt.timedelta(days=roll_up.rule.grace_days)
    params: dict[str, object] = {"council_id": council.id}
    for i, day in enumerate(days):
        params[f"day{i}"], params[f"cutoff{i}"] = day, day - grace
    statement = _COUNCIL
    if pledge_id is not None:
        statement, params["pledge_id"] = _PLEDGE, pledge_id
    history = [Month(day, Counter()) for day in days]
    for idx, category, count in db.session.execute(statement, params):
        history[idx].counts[category] += count
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
    """The history in words: the alternative text, a summary of today and of the first
    month end shown (eleven months back), and the table of every month's counts."""
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
