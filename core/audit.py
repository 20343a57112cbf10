"""Who changed what, when, with the values before and after.

Every ORM flush made while an actor is set (a signed-in user's request, see
:func:`acting_as`) records one :class:`AuditEvent` per row created, changed or deleted,
so no view can forget to audit; a change written with a Core ``UPDATE`` records its own
with :func:`record_update` (see :func:`core.concurrency.save_if_unchanged`). ``cpt sync``
runs with no actor: plugin definitions are versioned in their plugin, not here.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import enum
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    String,
    bindparam,
    event,
    insert,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from core import row_reads
from core.dates import format_datetime
from core.extensions import db
from core.modelbase import utcnow
from core.translations import gettext as _

#: Columns never written to the log.
SECRET_COLUMNS = frozenset({"password_hash", "session_token", "totp_secret", "totp_last_step",
                            "recovery_codes", "token_hash"})
#: Columns that change on every write and say nothing of their own, and columns kept from
#: other rows or repeated from the row's own, which the log holds where those are written:
#: an action's or a pledge's latest update's day and words (the update's own entry), a
#: meeting's agenda as the API gives it (its items' entries), an action's JSON as the API
#: gives it (its fields), a pledge's live actions counted (the actions' entries).
NOISE_COLUMNS = frozenset({"version", "updated_at", "latest_note", "latest_author",
                           "latest_reported_on", "agenda_json", "api_json", "action_tally"})


@dataclass(frozen=True)
class Actor:
    """Who is making changes."""

    user_id: int | None
    label: str


_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("cpt_actor", default=None)


class AuditEvent(db.Model):
    """One row created, changed or deleted by someone."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_record", "record_type", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    council_id: Mapped[int | None] = mapped_column(ForeignKey("council.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(8))
    record_type: Mapped[str] = mapped_column(String(50))
    record_id: Mapped[int | None]
    before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


@contextmanager
def acting_as(user_id: int | None, label: str) -> Iterator[Actor]:
    """Record every change made inside the block as made by this actor."""
    actor = Actor(user_id, label)
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


@contextmanager
def unaudited() -> Iterator[None]:
    """Make the changes inside the block without the automatic audit events.

    For erasure alone (:mod:`core.panels.erasure`): the values it removes must be written
    nowhere, so it records one event of its own, without them, instead.
    """
    token = _actor.set(None)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> Actor | None:
    """Who is making changes now, if anyone."""
    return _actor.get()


def set_actor(user_id: int | None, label: str) -> contextvars.Token[Actor | None]:
    """Set the actor for the rest of a request; undo with :func:`reset_actor`."""
    return _actor.set(Actor(user_id, label))


def reset_actor(token: contextvars.Token[Actor | None]) -> None:
    _actor.reset(token)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return str(value)


def _columns(obj: Any) -> list[str]:
    return [attr.key for attr in inspect(obj).mapper.column_attrs
            if attr.key not in SECRET_COLUMNS]


def _values(obj: Any) -> dict[str, Any]:
    return {key: _plain(getattr(obj, key)) for key in _columns(obj)
            if key not in NOISE_COLUMNS}


def _changes(session: Session, obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Changed columns' values before and after, reading from the database the old values
    of attributes that were expired (not loaded) when they were set."""
    state = inspect(obj)
    before, after, unknown = {}, {}, []
    for key in _columns(obj):
        history = state.attrs[key].history
        if key in NOISE_COLUMNS or not history.has_changes():
            continue
        after[key] = _plain(history.added[0]) if history.added else None
        if history.deleted:
            before[key] = _plain(history.deleted[0])
        else:
            unknown.append(key)
    if unknown:
        mapper = state.mapper
        columns = [mapper.column_attrs[key].columns[0] for key in unknown]
        with session.no_autoflush:
            row = session.execute(select(*columns).where(
                *(column == value for column, value in zip(mapper.primary_key,
                                                           state.identity, strict=True)))
            ).one_or_none()
        for key, value in zip(unknown, row or [None] * len(unknown), strict=True):
            before[key] = _plain(value)
    return before, after


def _council_of(obj: Any) -> int | None:
    from core.councils.models import Council

    return obj.id if isinstance(obj, Council) else getattr(obj, "council_id", None)


def _row(actor: Actor, action: str, obj: Any, before: dict[str, Any], after: dict[str, Any]
         ) -> dict[str, Any]:
    return {"at": utcnow(), "council_id": _council_of(obj), "user_id": actor.user_id,
            "actor": actor.label, "action": action, "record_type": obj.__table__.name,
            "record_id": getattr(obj, "id", None), "before": before, "after": after}


def _audited(obj: Any) -> bool:
    """Whether writing ``obj`` is recorded: every model's rows but the log's own and those
    of a model marked ``audited = False`` (data derived from a change, which is recorded
    itself, such as a chart drawn from the figures just saved)."""
    return (hasattr(obj, "__table__") and not isinstance(obj, AuditEvent)
            and getattr(obj, "audited", True))


@event.listens_for(Session, "before_flush")
def _changes_before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    """Updates and deletes, read while the old values are still in the database."""
    actor = _actor.get()
    if actor is None:
        return
    pending = session.info.setdefault("audit_pending", [])
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj, include_collections=False):
            before, after = _changes(session, obj)
            if before or after:
                pending.append(_row(actor, "update", obj, before, after))
    for obj in session.deleted:
        if _audited(obj):
            pending.append(_row(actor, "delete", obj, _values(obj), {}))


@event.listens_for(Session, "after_flush")
def _record(session: Session, flush_context: Any) -> None:
    """Creations (now that they have ids), then everything gathered before the flush."""
    rows = session.info.pop("audit_pending", [])
    actor = _actor.get()
    if actor is not None:
        rows = [_row(actor, "create", obj, {}, _values(obj))
                for obj in session.new if _audited(obj)] + rows
    if rows:
        session.execute(insert(AuditEvent), rows)


def record_update(session: Session, obj: Any, before: dict[str, Any],
                  after: dict[str, Any]) -> None:
    """Record a change written with a Core ``UPDATE`` (which no flush sees), as a flush
    would: the columns changed, before and after. Nothing when no actor is set or nothing
    changed."""
    actor = _actor.get()
    before = {key: _plain(value) for key, value in before.items()
              if key not in NOISE_COLUMNS | SECRET_COLUMNS}
    after = {key: _plain(value) for key, value in after.items()
             if key not in NOISE_COLUMNS | SECRET_COLUMNS}
    if actor is not None and (before or after):
        session.execute(insert(AuditEvent), [_row(actor, "update", obj, before, after)])


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous_transaction: Any) -> None:
    """A flush that failed leaves nothing to record."""
    session.info.pop("audit_pending", None)


def last_change(record_type: str, record_id: int, council_id: int) -> AuditEvent | None:
    """The latest audit event of one record (one query), to say who changed it and when."""
    return db.session.scalar(
        select(AuditEvent).where(AuditEvent.record_type == record_type,
                                 AuditEvent.record_id == record_id,
                                 AuditEvent.council_id == council_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(1))


def who_and_when(event: AuditEvent | None) -> dict[str, str]:
    """``who`` changed a record and ``when``, for a message about a crossed edit."""
    if event is None:
        return {"who": _("Someone"), "when": _("a moment ago")}
    return {"who": event.actor, "when": format_datetime(event.at, "d MMMM yyyy 'at' HH:mm")}


#: An audit event's columns, as a change history shows them (``audit.html``).
HISTORY_COLUMNS = tuple(AuditEvent.__table__.c)
#: The order of a change history: newest first (of two at the same moment, the later
#: written).
HISTORY_ORDER = (AuditEvent.at.desc(), AuditEvent.id.desc())

#: Built once: one record's history in one council.
_HISTORY = (select(*HISTORY_COLUMNS)
            .where(AuditEvent.record_type == bindparam("record_type"),
                   AuditEvent.record_id == bindparam("record_id"),
                   AuditEvent.council_id == bindparam("council_id"))
            .order_by(*HISTORY_ORDER))


def history_of_read(record_type: str, record_id: int, council_id: int) -> row_reads.Read:
    """The statement :func:`history_of` runs, for a page to send with others."""
    return row_reads.Read(_HISTORY, {"record_type": record_type, "record_id": record_id,
                                     "council_id": council_id})


def history_of(record_type: str, record_id: int, council_id: int) -> list[Any]:
    """The audit events of one record in one council, newest first: rows of the event's
    columns, read past the ORM (:mod:`core.row_reads`; the admin pages show them and
    change nothing)."""
    return row_reads.tuples(*history_of_read(record_type, record_id, council_id))
