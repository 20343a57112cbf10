"""The action plan's progress over time: how many actions were complete, on track, at risk,
off track, past due or not started at the end of each month, for a council or one pledge,
as a chart and in words.

The counts are made in the database (:mod:`core.pledges.month_counts`): the past months'
are read as stored in the transaction of the council's last change, and today's are
counted live, in one statement; a past month not stored is counted live by a second. Never
more, whatever the number of actions or updates. A page that has read the actions as it
shows them (a pledge's cards) counts today's from those rows instead
(:func:`counts_today`), and reads only the stored months.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from core import row_reads
from core.charts.service import ChartText, Series, Table, stacked_bar_chart
from core.dates import format_date
from core.models import Council
from core.pledges.models import ActionStatus, is_overdue
from core.pledges.month_counts import (
    CATEGORY_KEYS,
    MONTHS,
    PAST_DUE,
    day_parameters,
    live_counts,
    month_ends,
    stored_and_today,
    stored_months,
)
from core.pledges.reads import AlikeToday
from core.pledges.status import STATUS_LABELS, RollUp
from core.translations import gettext as _
from core.translations import lazy_gettext as _l
from core.translations import page_locale_name
from core.widgets import keyed_memo

__all__ = ["MONTHS", "PAST_DUE", "Month", "counts_today", "month_ends", "progress_chart",
           "progress_history", "progress_history_read", "progress_text"]

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

@dataclass(frozen=True)
class Month:
    """How many actions counted as each category at the end of one month (or today)."""

    day: dt.date
    counts: Counter[str]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _month_params(council: Council, roll_up: RollUp, pledge_key: str | None
                  ) -> tuple[list[dt.date], dict[str, object]]:
    days = month_ends(roll_up.today)
    params: dict[str, object] = {"council_id": council.id,
                                 "grace_days": roll_up.rule.grace_days,
                                 "first": days[0], "last": days[-2]}
    if pledge_key is not None:
        params["pledge_key"] = pledge_key
    return days, params


_NOT_STARTED = ActionStatus.NOT_STARTED.value


def counts_today(actions: Iterable[AlikeToday], roll_up: RollUp) -> Counter[str] | None:
    """Today's counts of the live ``actions`` (as
    :data:`~core.pledges.reads.AlikeToday`), as the database
    counts them (:func:`core.pledges.month_counts.stored_and_today`): each action's status
    from its row (that of its latest update), not started without an update, past due when
    not complete after its due date and the grace days. ``None`` when an update is dated
    after today: that action's status today is another update's, which only the database
    can find."""
    today, cutoff = roll_up.today, roll_up.cutoff
    counts: Counter[str] = Counter()
    for status, due, count, dated, latest_on in actions:
        if latest_on is not None and latest_on > today:
            return None
        for shown, number in ((status, dated), (_NOT_STARTED, count - dated)):
            if number:
                counts[PAST_DUE if is_overdue(due, shown, cutoff) else shown] += number
    return counts


def progress_history_read(council: Council, roll_up: RollUp, pledge_key: str | None = None,
                          *, stored_only: bool = False) -> row_reads.Read:
    """The first statement :func:`progress_history` runs (the stored months and today's
    counts; the stored months alone when the page gives today's, ``stored_only``), for a
    page to send with others."""
    days, params = _month_params(council, roll_up, pledge_key)
    return _first_read(days, params, roll_up, pledge_key, stored_only)


def _first_read(days: list[dt.date], params: dict[str, object], roll_up: RollUp,
                pledge_key: str | None, stored_only: bool) -> row_reads.Read:
    if stored_only:
        return row_reads.Read(stored_months(pledge_key is not None), dict(params))
    return row_reads.Read(stored_and_today(pledge_key is not None), {
        **params, **day_parameters([days[-1]], roll_up.rule.grace_days)})


def progress_history(council: Council, roll_up: RollUp, pledge_key: str | None = None, *,
                     today_from: Iterable[AlikeToday] | None = None) -> list[Month]:
    """Each month end's counts for the council's live actions, or those of its pledge
    ``pledge_key`` (named by its key, so a page can send the read with the pledge's own):
    the past
    months stored with the council's rule, the others counted live. ``today_from``: the
    same live actions as the page read them (:data:`~core.pledges.reads.AlikeToday`), to
    count today's from (:func:`counts_today`) rather than in the database; the statement
    first sent is then :func:`progress_history_read`'s ``stored_only``."""
    days, params = _month_params(council, roll_up, pledge_key)
    history = [Month(day, Counter()) for day in days]
    position = {day: i for i, day in enumerate(days)}
    stored = set()
    first = _first_read(days, params, roll_up, pledge_key, today_from is not None)
    for is_stored, day, *counts in row_reads.rows(*first):
        if is_stored:
            i = position.get(day)
            if i is None:  # only month ends are stored; any other day is counted live instead
                continue
            stored.add(i)
        else:
            i = len(days) - 1
        history[i].counts.update({key: n for key, n in zip(CATEGORY_KEYS, counts, strict=True)
                                  if n})
    missing = [i for i in range(len(days) - 1) if i not in stored]
    if today_from is not None:
        today = counts_today(today_from, roll_up)
        if today is None:
            missing.append(len(days) - 1)
        else:
            history[-1].counts.update(today)
    if missing:
        params.update(day_parameters([days[i] for i in missing], roll_up.rule.grace_days))
        for j, category, count in row_reads.rows(
                live_counts(len(missing), pledge_key is not None), params):
            history[missing[j]].counts[category] += count
    return history


def _month_label(month: Month, last: bool) -> str:
    return _("Today") if last else format_date(month.day, "MMM yyyy")


def progress_chart(history: list[Month], title: str) -> bytes:
    """The history as a stacked bar chart (SVG)."""
    labels = [_month_label(m, i == len(history) - 1) for i, m in enumerate(history)]
    series = [Series(str(words), [m.counts[key] for m in history], colour)
              for key, words, colour in CATEGORIES]
    return stacked_bar_chart(title, labels, series, _("Actions"))


#: Where an app keeps its memo of progress in words, in ``app.extensions``.
TEXTS_EXTENSION = "cpt_progress_texts"


def progress_text(history: list[Month], subject: str) -> ChartText:
    """The history in words: the alternative text, a summary of today and of the first
    month end shown (eleven months back), and the table of every month's counts. Kept by
    what it says (the locale, the subject, each month's day, total and counts) in a memo of the
    process (:func:`core.widgets.keyed_memo`): the same figures are the same words until
    an action's status or the month changes. Shared by the pages that show it, so never
    changed by them."""
    key = (page_locale_name(), subject,
           tuple([(month.day, month.total,
                   *[month.counts[category] for category in CATEGORY_KEYS])
                  for month in history]))
    return keyed_memo(TEXTS_EXTENSION).get(key, lambda: _progress_text(history, subject))


def _progress_text(history: list[Month], subject: str) -> ChartText:
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
