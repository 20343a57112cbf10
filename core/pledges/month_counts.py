"""Counting the action plan's categories at month ends, in the database, and keeping the
past months' counts (:class:`~core.pledges.models.ProgressMonth`) so that pages read them.

An action's category at a day is the status of its latest update by then (not started
before its first), or "past due" when it is not complete after its due date and the
council's grace days (:class:`~core.content.StatusRule`), as the pledges' roll-up counts it.
Every live action of the council counts at every month end.

Two kinds of statement count them, built once for each number of month ends they take
(bound parameters ``day0``… and ``cutoff0``…, the cutoff being the day less the grace days):

- :func:`live_counts` gives ``(idx, category, count)`` rows for the council, or one pledge;
- :func:`stored_and_today` reads the stored months and counts today's, in one statement
  (today's status from each action's row, which keeps its latest update's:
  :mod:`core.pledges.latest_status`);
- :data:`_STORE` writes each pledge's counts at the past months' ends into
  ``progress_month``.

A past month's counts are a function of the rows alone (the actions, their updates and the
council's rule): :func:`refresh_progress_months` rewrites them, through
:func:`core.revisions.keep_derived`, in the transaction of every change to those rows. The
history (:mod:`core.pledges.history`) reads the stored months its window needs and counts
the others (always today's, and any past month not stored, such as one that has ended
since the council's last change) live; so a stored month can be missing, which costs time,
but never out of date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    CompoundSelect,
    Connection,
    Date,
    Insert,
    Integer,
    Label,
    Select,
    Subquery,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    inspect,
    literal,
    null,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from core import row_reads
from core.councils.models import Council
from core.pledges.models import Action, ActionStatus, Pledge, ProgressMonth, ProgressUpdate
from core.pledges.status import council_rule
from core.revisions import Write, Written, keep_derived

_TABLE = ProgressMonth.__table__
#: How many month ends the history shows (the last is today).
MONTHS = 12
#: Where a past-due action is counted, besides the statuses.
PAST_DUE = "past_due"
#: Every category, in the order of the chart's layers (bottom up); each is a column of
#: ``progress_month``.
CATEGORY_KEYS: tuple[str, ...] = (
    ActionStatus.COMPLETE.value, ActionStatus.ON_TRACK.value, ActionStatus.AT_RISK.value,
    ActionStatus.OFF_TRACK.value, PAST_DUE, ActionStatus.NOT_STARTED.value)


def month_ends(today: dt.date, months: int = MONTHS) -> list[dt.date]:
    """The last day of each of the ``months - 1`` months before today's, then today."""
    return list(_month_ends(today, months))


@lru_cache(maxsize=32)
def _month_ends(today: dt.date, months: int) -> tuple[dt.date, ...]:
    # worked out once a day (a pledge's page asks twice a render; about 10 µs each)
    ends = []
    end = today.replace(day=1) - dt.timedelta(days=1)  # the last day of last month
    for _month in range(months - 1):
        ends.append(end)
        end = end.replace(day=1) - dt.timedelta(days=1)
    return (*reversed(ends), today)


def last_month_end_stored(today: dt.date) -> dt.date:
    """The last month end any process may have stored on ``today``: last month's, or today
    on a month's last day (another process's clock may already be in tomorrow, whose
    window ends today)."""
    return (today + dt.timedelta(days=1)).replace(day=1) - dt.timedelta(days=1)


def day_parameters(days: Sequence[dt.date], grace_days: int) -> dict[str, dt.date]:
    """The bound parameters of the month ends ``days``: each day and its cutoff."""
    grace = dt.timedelta(days=grace_days)
    params = {}
    for i, day in enumerate(days):
        params[f"day{i}"], params[f"cutoff{i}"] = day, day - grace
    return params


def _month_ends_table(months: int) -> CTE:
    """The month ends as a table of bound parameters: ``idx``, ``day`` and ``cutoff``."""
    return union_all(*(
        select(literal(i, Integer).label("idx"), bindparam(f"day{i}", type_=Date).label("day"),
               bindparam(f"cutoff{i}", type_=Date).label("cutoff"))
        for i in range(months))).cte("month_end")


def _counted(months: int, *criteria: ColumnElement[bool], materialized: bool = False
             ) -> Subquery:
    """Each of the council's live actions (meeting ``criteria``) at each month end: its
    ``idx``, ``day``, ``pledge_id`` and ``category``.

    The status at a day is one probe of the ``(action_id, reported_on, id, status)`` index
    per action and month. A statement that uses the category more than once asks for the
    statuses ``materialized``: SQLite otherwise copies the probe into each use (it probed
    twelve times a row when the stored months summed each category: 3.4 ms a council
    against 1.9). Counting live, where it is used twice, the table costs more than it
    saves (1.17 ms for twelve months against 0.96).
    """
    days = _month_ends_table(months)
    statuses = (select(days.c.idx, days.c.day, days.c.cutoff, Action.pledge_id, Action.due,
                       _status_by(days.c.day, days).label("status"))
                .select_from(Action).join(days, true())
                .where(Action.council_id == bindparam("council_id"),
                       Action.archived_at.is_(None), *criteria)
                .cte("action_status"))
    if materialized:
        statuses = statuses.prefix_with("MATERIALIZED")
    category = _category(statuses.c.status, statuses.c.due, statuses.c.cutoff)
    return select(statuses.c.idx, statuses.c.day, statuses.c.pledge_id, category).subquery()


def _status_by(day: ColumnElement[Any], *correlated: Any) -> ColumnElement[str]:
    """An action's status at ``day``: that of its latest update by then (one probe of the
    ``(action_id, reported_on, id, status)`` index), or not started before its first."""
    then = (select(ProgressUpdate.status)
            .where(ProgressUpdate.action_id == Action.id, ProgressUpdate.reported_on <= day)
            .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc())
            .limit(row_reads.LIMIT_ONE).correlate(Action, *correlated).scalar_subquery())
    return func.coalesce(then, ActionStatus.NOT_STARTED.value)


def _category(status: ColumnElement[Any], due: ColumnElement[Any],
              cutoff: ColumnElement[Any]) -> Label[Any]:
    """The category an action with ``status`` and ``due`` date counts in at a day whose
    cutoff (the day less the grace days) is ``cutoff``: past due when not complete after
    it, else its status."""
    return case((and_(due.is_not(None), due < cutoff,
                      status != ActionStatus.COMPLETE.value), PAST_DUE),
                else_=status).label("category")


#: The id of the council's pledge ``pledge_key`` (parameters ``council_id`` and
#: ``pledge_key``), in place of the id in the counts of one pledge. A pledge's key is unique
#: in its council, so it names the pledge its id would; a pledge's page sends its counts
#: with the read of the pledge itself, in one round trip on PostgreSQL, rather than waiting
#: for the id (:func:`core.row_reads.together`).
PLEDGE_BY_KEY = (select(Pledge.id)
                 .where(Pledge.council_id == bindparam("council_id"),
                        Pledge.key == bindparam("pledge_key"))
                 .scalar_subquery())


@cache
def live_counts(months: int, one_pledge: bool) -> Select[tuple[int, str, int]]:
    """How many of the council's live actions (or pledge ``pledge_key``'s) counted as each
    category at each of ``months`` month ends, as ``(idx, category, count)`` rows."""
    criteria = (Action.pledge_id == PLEDGE_BY_KEY,) if one_pledge else ()
    counted = _counted(months, *criteria)
    return (select(counted.c.idx, counted.c.category, func.count())
            .group_by(counted.c.idx, counted.c.category))


def _sums(counted: Subquery | CTE) -> list[Label[Any]]:
    """How many of ``counted``'s rows are in each category, in the order of
    :data:`CATEGORY_KEYS`."""
    return [func.sum(case((counted.c.category == key, 1), else_=0)).label(key)
            for key in CATEGORY_KEYS]


def _store_statement(*criteria: ColumnElement[bool]) -> Insert:
    """Each pledge's counts at the ``MONTHS - 1`` past month ends, into ``progress_month``
    (parameters ``council_id``, ``grace_days`` and the days'), for the council's actions
    meeting ``criteria``."""
    counted = _counted(MONTHS - 1, *criteria, materialized=True)
    rows = (select(bindparam("council_id", type_=Integer), counted.c.pledge_id,
                   counted.c.day, bindparam("grace_days", type_=Integer), *_sums(counted))
            .group_by(counted.c.pledge_id, counted.c.day))
    # the table, not the model: a session runs an ORM insert as a bulk insert of objects
    return insert(_TABLE).from_select(
        ["council_id", "pledge_id", "month_end", "grace_days", *CATEGORY_KEYS], rows)


#: Every pledge of the council, and the pledges ``pledge_ids``.
_STORE = _store_statement()
_STORE_PLEDGES = _store_statement(Action.pledge_id.in_(bindparam("pledge_ids", expanding=True)))


def _stored_statement(*criteria: ColumnElement[bool]) -> Select[tuple[dt.date, ...]]:
    """The stored counts of the month ends from ``first`` to ``last`` made with
    ``grace_days``, a row per month: its day, then one count per category of
    :data:`CATEGORY_KEYS`. Only month ends are stored, so the range holds the months of a
    window and no other day (a range, not ``IN`` a list: an expanding parameter is rendered
    again on every run, about a tenth of the progress chart's time)."""
    return (select(ProgressMonth.month_end,
                   *(func.sum(getattr(ProgressMonth, key)) for key in CATEGORY_KEYS))
            .where(ProgressMonth.council_id == bindparam("council_id"),
                   ProgressMonth.grace_days == bindparam("grace_days"),
                   ProgressMonth.month_end.between(bindparam("first", type_=Date),
                                                   bindparam("last", type_=Date)),
                   *criteria)
            .group_by(ProgressMonth.month_end))


#: The council's stored months, and one pledge's.
STORED = _stored_statement()
STORED_PLEDGE = _stored_statement(ProgressMonth.pledge_id == PLEDGE_BY_KEY)


@cache
def stored_months(one_pledge: bool) -> Select[Any]:
    """The stored months (as :data:`STORED`, or :data:`STORED_PLEDGE` for one pledge) in
    the rows :func:`stored_and_today` gives them: 1 (stored), the day, then one count per
    category; for a page that counts today's itself
    (:func:`core.pledges.history.counts_today`)."""
    stored = STORED_PLEDGE if one_pledge else STORED
    return stored.with_only_columns(literal(1, Integer), *stored.selected_columns)


@cache
def stored_and_today(one_pledge: bool) -> CompoundSelect:
    """The stored months (as :data:`STORED`, or :data:`STORED_PLEDGE` for one pledge) and
    today's counts, counted live, in one statement: a row per month, whether it was stored
    (1) or is today's (0), its day, then one count per category of :data:`CATEGORY_KEYS`
    (``None`` for none; today's row has no day). Today is ``day0`` and its cutoff
    ``cutoff0`` (:func:`day_parameters`), written into the statement when it runs
    (:func:`_counted_today`). The history needs no other statement unless a past month is
    not stored."""
    counted = (_counted_today(Action.pledge_id == PLEDGE_BY_KEY) if one_pledge
               else _counted_today())
    today = select(literal(0, Integer), cast(null(), Date), *_sums(counted))
    return union_all(stored_months(one_pledge), today)


def _counted_today(*criteria: ColumnElement[bool]) -> CTE:
    """Each of the council's live actions (meeting ``criteria``) today (``day0``, cutoff
    ``cutoff0``): its ``pledge_id`` and ``category``, as :func:`_counted` gives them for
    one day, from the status the action's row keeps (that of its latest update,
    :mod:`core.pledges.latest_status`) instead of a probe of its updates for each action.
    An action whose latest update is dated after today (none the admin can post) is
    probed as before.

    The day and its cutoff are written into the statement as it runs (``literal_execute``),
    not bound: as parameters, PostgreSQL's plan of the statement prepared on a connection
    costed those probes by a guess (a third of an action's updates) above the plan made for
    each day, so it planned the statement afresh on every request (0.28 ms against 0.14 ms
    with the plan kept). Written in, the statement is prepared once a day on a connection,
    and its kept plan is chosen."""
    day = bindparam("day0", type_=Date, literal_execute=True)
    status = case((Action.status_on.is_(None), ActionStatus.NOT_STARTED.value),
                  (Action.status_on <= day, Action.status),
                  else_=_status_by(day))
    category = _category(status, Action.due,
                         bindparam("cutoff0", type_=Date, literal_execute=True))
    # Materialized, as :func:`_counted`'s statuses: the six sums each name the category,
    # and PostgreSQL otherwise works it out six times a row (0.33 → 0.67 ms a council).
    return (select(Action.pledge_id, category)
            .where(Action.council_id == bindparam("council_id"), Action.archived_at.is_(None),
                   *criteria)
            .cte("action_today").prefix_with("MATERIALIZED"))


def refresh_progress_months(connection: Connection | Session, council_ids: list[int],
                            written: Written | None = None, today: dt.date | None = None
                            ) -> None:
    """Count again, and store, the councils' past months (the ``MONTHS - 1`` before
    ``today``'s, by default the real today's) with each council's rule.

    Given the rows ``written`` in a council, only what they can change is counted again
    (:func:`_pledges_written`): nothing for an update dated this month or an action's new
    wording; the pledges of the rows when the council's stored months are this window's;
    otherwise every stored month of the council goes, and each of its pledges is counted.
    """
    today = today or dt.date.today()
    days = month_ends(today)[:-1]
    last_stored = last_month_end_stored(today)
    concerned = {council_id: _pledges_written(connection, (written or {}).get(council_id),
                                              last_stored)
                 for council_id in council_ids}
    concerned = {council_id: pledges for council_id, pledges in concerned.items()
                 if pledges is None or pledges}
    if not concerned:
        return
    councils = connection.execute(select(Council.id, Council.slug, Council.status_rule)
                                  .where(Council.id.in_(concerned))).all()
    whole = []
    for council in councils:
        grace_days = council_rule(council).grace_days
        params = {"council_id": council.id, "grace_days": grace_days,
                  **day_parameters(days, grace_days)}
        pledge_ids = concerned[council.id]
        if pledge_ids is None or not _window_stored(connection, council.id, days, grace_days):
            whole.append((council.id, params))
            continue
        connection.execute(delete(_TABLE).where(_TABLE.c.council_id == council.id,
                                                _TABLE.c.pledge_id.in_(pledge_ids)))
        connection.execute(_STORE_PLEDGES, {**params, "pledge_ids": sorted(pledge_ids)})
    if whole:
        connection.execute(delete(_TABLE).where(
            _TABLE.c.council_id.in_([council_id for council_id, _params in whole])))
        for _council_id, params in whole:
            connection.execute(_STORE, params)


#: The columns of an action whose change can change the counts (besides its pledge).
_ACTION_COUNTED = ("due", "archived_at")


def _pledges_written(connection: Connection | Session, writes: Sequence[Write] | None,
                     last_stored: dt.date) -> set[int] | None:
    """The pledges whose stored counts the ``writes`` of a flush in one council can change;
    ``None`` when any pledge's can, or when the writes do not say enough to tell: writes
    not said, a new status rule, an action moved to another pledge, an update moved to
    another action, or a change whose old value the session never loaded (an attribute set
    on an expired object has no old value in its history).

    An action counts when it is new or deleted or its due date or archiving changed; a
    progress update when it is dated (or was) on or before ``last_stored``, the last month
    end any stored month can have. The council's own row counts when its rule changed.
    """
    if not writes:
        return None
    pledge_ids, action_ids = set(), set()
    for write in writes:
        row, attrs = write.row, inspect(write.row).attrs
        changed = write.kind == "changed"
        if isinstance(row, Council):
            if attrs.status_rule.history.has_changes():
                return None
        elif isinstance(row, Action):
            pledge = attrs.pledge_id.history
            if changed and pledge.has_changes():
                return None
            if changed and not any(attrs[name].history.has_changes()
                                   for name in _ACTION_COUNTED):
                continue  # its wording, officer or latest status: not counted by month
            if not pledge.sum():
                return None  # its pledge was never loaded
            pledge_ids.update(pledge.sum())
        elif isinstance(row, ProgressUpdate):
            action, dated = attrs.action_id.history, attrs.reported_on.history
            if changed and action.has_changes():
                return None
            if changed and not (dated.has_changes()
                                or attrs.status.history.has_changes()):
                continue  # its note or author
            if not action.sum() or not dated.sum() or (
                    changed and dated.added and not dated.deleted):
                return None  # its action or the date it had is not known
            if min(dated.sum()) <= last_stored:
                action_ids.update(action.sum())
        else:
            return None
    if action_ids:
        pledge_ids.update(connection.execute(
            select(Action.pledge_id).where(Action.id.in_(action_ids))).scalars())
    return pledge_ids


def _window_stored(connection: Connection | Session, council_id: int,
                   days: Sequence[dt.date], grace_days: int) -> bool:
    """Whether the council's stored months are exactly those of the window ending before
    today's month, made with its rule's ``grace_days`` (a pledge counted again then agrees
    with the others; a rule changed outside the session, such as a new default, does not
    mix)."""
    stored = connection.execute(select(_TABLE.c.month_end, _TABLE.c.grace_days).distinct()
                                .where(_TABLE.c.council_id == council_id)).all()
    return {tuple(row) for row in stored} == {(day, grace_days) for day in days}


keep_derived((Action, ProgressUpdate, Council), refresh_progress_months)
