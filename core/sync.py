"""``cpt sync``: every council's definitions into the database, by stable keys.

Nothing is ever lost:

- Idempotent: a second run changes nothing at all (no row, no revision, so no page cache is
  emptied). Changed wording updates rows in place; new items are added.
- An item a plugin no longer defines is archived, never deleted: it keeps its id, so
  operational data stays linked to it, and it is restored with the same id when the plugin
  defines it again.
- A sync that would archive more than :data:`REMOVAL_SHARE` of a council's definitions, or
  every row of a kind it had (every panel, every pledge), stops for that council and says
  what it would archive, unless removals are allowed (``cpt sync --allow-removals``).
- A council whose plugin is refused (see :attr:`core.plugins.PluginHost.failed`) is left
  exactly as it was; a council whose plugin is no longer installed is archived.
- Rows added locally by administrators are never touched.

``dry_run`` computes every change and rolls it back.

A sync that synced every council records the :func:`fingerprint` of the plugins' definitions
(:class:`~core.sync_state.SyncState`); :func:`sync_if_changed` (``cpt run``, ``cpt sync``)
skips the next sync while the fingerprint is the same. A sync that left a council unchanged
or held one back forgets it, so that the next one runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select

from core import __version__
from core.content import IndicatorSet, RagRule
from core.content.measures import BY_KEY as MEASURES
from core.content.validation import as_data
from core.councils.models import DEMO_PLUGIN
from core.extensions import db
from core.modelbase import ORIGIN_PLUGIN, Definition, utcnow
from core.models import (
    Action,
    Council,
    Indicator,
    JointArea,
    Panel,
    PartnerBody,
    Pledge,
    Priority,
    Protocol,
    ReportingLine,
    Review,
    ReviewCycle,
    Seat,
    StandingItem,
    Strategy,
)
from core.pledges.status import DEFAULT_RULE, status_rule_to_json
from core.plugins import CouncilDefinition, PluginHost
from core.schema import code_head
from core.sync_state import SyncState

#: Definition models in the order they are written (parents before children).
ORDER: tuple[type[Definition], ...] = (
    Strategy, Priority, Pledge, Action, Panel, Seat, StandingItem, ReviewCycle, PartnerBody,
    Protocol, JointArea, ReportingLine, Indicator,
)

#: Models whose keys are unique within their parent rather than the council.
KEYED_IN_PARENT: frozenset[type[Definition]] = frozenset(
    {Seat, StandingItem, JointArea, ReportingLine})

#: Each model's parent: the foreign-key attribute and the parent model.
PARENTS: dict[type[Definition], tuple[str, type[Definition]]] = {
    Action: ("pledge_id", Pledge),
    Seat: ("panel_id", Panel),
    StandingItem: ("panel_id", Panel),
    JointArea: ("protocol_id", Protocol),
    ReportingLine: ("protocol_id", Protocol),
}


@dataclass
class RowSpec:
    """One definition row as the plugin wants it."""

    model: type[Definition]
    key: str
    position: int
    values: dict[str, Any]
    parent_key: str | None = None
    #: Other foreign keys given by key: attribute -> (model, key).
    refs: dict[str, tuple[type[Definition], str]] = field(default_factory=dict)


#: A sync may archive at most this share of a council's live definitions without
#: ``allow_removals`` (and never every row of a kind the council had).
REMOVAL_SHARE = 0.1


@dataclass
class SyncReport:
    """What a sync changed, one line per change, and what it would not do."""

    lines: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    #: Councils left as they were because their plugin is refused, one line each.
    skipped: list[str] = field(default_factory=list)
    #: Councils held back because the sync would archive too much, with what it would archive.
    held: dict[str, list[str]] = field(default_factory=dict)
    dry_run: bool = False

    def add(self, kind: str, line: str) -> None:
        self.counts[kind] += 1
        self.lines.append(line)

    @property
    def changed(self) -> bool:
        return bool(self.lines)

    @property
    def ok(self) -> bool:
        """Whether every council was synced (none skipped for errors or held back)."""
        return not self.skipped and not self.held

    def summary(self) -> str:
        order = ("added", "updated", "restored", "archived")
        done = (", ".join(f"{self.counts[k]} {k}" for k in order if self.counts[k]) + "."
                if self.changed else "No changes.")
        if self.dry_run:
            done = f"Dry run, nothing written. Would have made: {done}"
        problems = []
        if self.skipped:
            problems.append(f"{len(self.skipped)} council(s) left unchanged because their "
                            "plugin has errors")
        if self.held:
            problems.append(f"{len(self.held)} council(s) held back: the sync would archive "
                            "too much (rerun with --allow-removals if that is intended)")
        return " ".join([done, *(f"{problem}." for problem in problems)])


def _label(model: type[Definition]) -> str:
    return model.__tablename__.replace("_", " ")


def row_specs(definition: CouncilDefinition) -> Iterator[RowSpec]:
    """The rows ``definition`` asks for, parents before children."""
    if strategy := definition.strategy:
        values = as_data(strategy)
        values.pop("key")
        yield RowSpec(Strategy, strategy.key, 0, values)
    for index, priority in enumerate(definition.priorities):
        yield RowSpec(Priority, priority.key, index, {
            "number": priority.number, "title": priority.title,
            "description": priority.description, "principles": priority.principles})
    for index, pledge in enumerate(definition.pledges.items):
        yield RowSpec(Pledge, pledge.key, index, {
            "number": pledge.number, "title": pledge.title, "statement": pledge.statement,
            "principles": pledge.principles})
        for position, action in enumerate(pledge.actions):
            timeline = action.timeline
            yield RowSpec(Action, action.key, position, {
                "number": action.number, "wording": action.wording, "officer": action.officer,
                "timeline_text": timeline.text if timeline else None,
                "due": timeline.due if timeline else None,
                "due_precision": timeline.due_precision if timeline else None,
                "every_months": timeline.every_months if timeline else None,
                "links": action.links, "outcomes": action.outcomes,
            }, parent_key=pledge.key)
    for index, panel in enumerate(definition.panels):
        cycle, quorum = panel.cycle, panel.quorum
        yield RowSpec(Panel, panel.key, index, {
            "name": panel.name, "status": panel.status, "purpose": panel.purpose,
            "responsibilities_intro": panel.responsibilities_intro,
            "responsibilities": panel.responsibilities,
            "cycle_text": cycle.text if cycle else None,
            "cycle_every_months": cycle.every_months if cycle else None,
            "cycle_meetings_per_year": cycle.meetings_per_year if cycle else None,
            "quorum_text": quorum.text if quorum else None,
            "quorum_count": quorum.count if quorum else None,
            "quorum_young_people_count": quorum.young_people_count if quorum else None,
            "seats_intro": panel.seats_intro,
        })
        for position, seat in enumerate(panel.seats):
            values = as_data(seat)
            values.pop("key")
            yield RowSpec(Seat, seat.key, position, values, parent_key=panel.key)
        for position, item in enumerate(panel.standing_items):
            yield RowSpec(StandingItem, item.key, position,
                          {"title": item.title, "description": item.description},
                          parent_key=panel.key)
    for index, cycle_def in enumerate(definition.review_cycles):
        yield RowSpec(ReviewCycle, cycle_def.key, index, {
            "subject": cycle_def.subject, "interval_text": cycle_def.interval_text,
            "every_months": cycle_def.every_months, "owner": cycle_def.owner,
            "defined_next_due": cycle_def.next_due, "next_due_text": cycle_def.next_due_text})
    for index, partner in enumerate(definition.partners):
        values = as_data(partner)
        values.pop("key")
        yield RowSpec(PartnerBody, partner.key, index, values)
    for index, protocol in enumerate(definition.protocols):
        yield RowSpec(Protocol, protocol.key, index, {
            "title": protocol.title, "parties": protocol.parties, "purpose": protocol.purpose,
            "joint_areas_intro": protocol.joint_areas_intro, "roles": as_data(protocol.roles),
            "escalation": protocol.escalation, "approved_by": protocol.approved_by,
            "approved_text": protocol.approved_text,
        }, refs={"review_cycle_id": (ReviewCycle, protocol.review_cycle or "")})
        for position, area in enumerate(protocol.joint_areas):
            yield RowSpec(JointArea, area.key, position,
                          {"title": area.title, "description": area.description},
                          parent_key=protocol.key)
        for position, line in enumerate(protocol.reporting_lines):
            values = as_data(line)
            values.pop("key")
            yield RowSpec(ReportingLine, line.key, position, values, parent_key=protocol.key)
    yield from indicator_specs(definition.indicators)


def indicator_specs(indicators: IndicatorSet) -> Iterator[RowSpec]:
    """The indicator rows: each adopted measure as the default set words it, with what it
    evidences in the council's plan, then the council's own indicators."""
    position = 0
    for adoption in indicators.adopt:
        measure = MEASURES[adoption.measure]
        values = as_data(measure)
        values.pop("key")
        values.update(priorities=adoption.priorities, pledges=adoption.pledges,
                      measure=measure.key, named_in=adoption.named_in)
        yield RowSpec(Indicator, measure.key, position, values)
        position += 1
    for item in indicators.items:
        values = as_data(item)
        values.pop("key")
        values.update(measure=None, named_in=None)
        yield RowSpec(Indicator, item.key, position, values)
        position += 1


class CouncilSync:
    """Bring one council's rows in line with its definition."""

    def __init__(self, definition: CouncilDefinition, report: SyncReport, now: dt.datetime
                 ) -> None:
        self.definition = definition
        self.report = report
        self.now = now
        self.slug = definition.council.slug

    def removals(self) -> list[str]:
        """Why this sync must be held back: each live row it would archive, when they are
        more than :data:`REMOVAL_SHARE` of the council's live definitions or every row of a
        kind; ``[]`` when it may go ahead."""
        council = db.session.scalar(select(Council).where(Council.slug == self.slug))
        if council is None:
            return []
        wanted = {(spec.model, spec.parent_key if spec.model in KEYED_IN_PARENT else None,
                   spec.key) for spec in row_specs(self.definition)}
        keys: dict[tuple[type[Definition], int], str] = {}
        live = 0
        every_row_of: list[str] = []
        gone: list[str] = []
        for model in ORDER:
            rows = list(self._existing(model, council).values())
            keys.update(((model, row.id), row.key) for row in rows)
            rows = [row for row in rows if row.archived_at is None]
            leaving = [row for row in rows
                       if (model, self._parent_key(row, keys), row.key) not in wanted]
            live += len(rows)
            if rows and len(leaving) == len(rows):
                every_row_of.append(_label(model))
            gone.extend(f"{self.slug}: {_label(model)} {row.key} would be archived"
                        for row in leaving)
        if every_row_of or len(gone) > REMOVAL_SHARE * live:
            reason = (f"every {', every '.join(every_row_of)}" if every_row_of
                      else f"{len(gone)} of its {live} definitions")
            return [f"{self.slug}: held back, the sync would archive {reason}:", *gone]
        return []

    @staticmethod
    def _parent_key(row: Definition, keys: dict[tuple[type[Definition], int], str]
                    ) -> str | None:
        """The key of the row's parent, for a model keyed within its parent."""
        model = type(row)
        if model not in KEYED_IN_PARENT:
            return None
        attribute, parent = PARENTS[model]
        return keys.get((parent, getattr(row, attribute)))

    def run(self) -> None:
        council = self._council()
        db.session.flush()
        resolved: dict[tuple[type[Definition], str], Definition] = {}
        seen: set[tuple[type[Definition], int]] = set()
        specs = list(row_specs(self.definition))
        for model in ORDER:
            existing = self._existing(model, council)
            for spec in (s for s in specs if s.model is model):
                row = self._write(council, spec, existing, resolved)
                resolved[(model, spec.key)] = row
            db.session.flush()
            seen.update((model, row.id) for (m, _), row in resolved.items() if m is model)
        for model in reversed(ORDER):
            for row in self._existing(model, council).values():
                if (model, row.id) not in seen and row.archived_at is None:
                    self._remove(row)
            db.session.flush()
        self._refresh_next_due(council)
        self._keep_charts(council)

    @staticmethod
    def _keep_charts(council: Council) -> None:
        """Draw again the council's kept indicator charts whose words the sync changed
        (an indicator's title or unit, the council's name): only those, by their digests
        (:mod:`core.charts.kept`)."""
        from core.indicators.charts import keep_every_trend_chart

        keep_every_trend_chart(council)

    def _council(self) -> Council:
        spec = self.definition.council
        council = db.session.scalar(select(Council).where(Council.slug == spec.slug))
        values = {
            "name": spec.name, "nation": spec.nation, "locale": spec.locale,
            "colour": spec.colour, "website": spec.website, "plugin": self.definition.plugin,
            "vocabulary": as_data(self.definition.vocabulary),
            "pledges_intro": self.definition.pledges.intro,
            "pledges_declared": self.definition.pledges.declared,
            "young_people_names": spec.young_people_names,
            # NULL is the core's default rule, so a default rule stays NULL.
            "status_rule": (None if self.definition.status_rule == DEFAULT_RULE
                            else status_rule_to_json(self.definition.status_rule)),
            "rag_rule": (None if self.definition.indicators.rag == RagRule()
                         else as_data(self.definition.indicators.rag)),
        }
        if council is None:
            council = Council(slug=spec.slug, **values)
            db.session.add(council)
            self.report.add("added", f"{self.slug}: council added")
        else:
            changed = self._assign(council, values)
            if changed:
                self.report.add("updated", f"{self.slug}: council updated ({', '.join(changed)})")
            if council.archived_at is not None:
                council.archived_at = None
                self.report.add("restored", f"{self.slug}: council restored")
        return council

    def _existing(self, model: type[Definition], council: Council
                  ) -> dict[tuple[int | None, str], Definition]:
        parent = PARENTS[model][0] if model in KEYED_IN_PARENT else None
        rows = db.session.scalars(select(model).where(
            model.council_id == council.id, model.origin == ORIGIN_PLUGIN))
        return {(getattr(row, parent) if parent else None, row.key): row for row in rows}

    def _write(self, council: Council, spec: RowSpec,
               existing: dict[tuple[int | None, str], Definition],
               resolved: dict[tuple[type[Definition], str], Definition]) -> Definition:
        values = dict(spec.values, position=spec.position)
        parent_id = None
        if spec.model in PARENTS:
            attribute, parent_model = PARENTS[spec.model]
            parent_id = resolved[(parent_model, spec.parent_key or "")].id
            values[attribute] = parent_id
        for attribute, (model, key) in spec.refs.items():
            values[attribute] = resolved[(model, key)].id if key else None
        name = f"{self.slug}: {_label(spec.model)} {spec.key}"
        row = existing.get((parent_id if spec.model in KEYED_IN_PARENT else None, spec.key))
        if row is None:
            row = spec.model(council_id=council.id, key=spec.key, origin=ORIGIN_PLUGIN, **values)
            db.session.add(row)
            self.report.add("added", f"{name} added")
            return row
        changed = self._assign(row, values)
        if row.archived_at is not None:
            row.archived_at = None
            self.report.add("restored", f"{name} restored")
        elif changed:
            self.report.add("updated", f"{name} updated ({', '.join(changed)})")
        return row

    @staticmethod
    def _assign(row: Any, values: dict[str, Any]) -> list[str]:
        changed = []
        for attribute, value in values.items():
            if getattr(row, attribute) != value:
                setattr(row, attribute, value)
                changed.append(attribute)
        return [c for c in changed if c != "position"] or (["order"] if changed else [])

    def _remove(self, row: Definition) -> None:
        """Archive a row the plugin no longer defines (never delete it: it keeps its id for
        whatever points at it, and comes back with it)."""
        row.archived_at = self.now
        self.report.add("archived",
                        f"{self.slug}: {_label(type(row))} {row.key} archived (no longer "
                        "defined)")

    @staticmethod
    def _refresh_next_due(council: Council) -> None:
        reviewed = select(Review.review_cycle_id).where(Review.council_id == council.id)
        cycles = db.session.scalars(select(ReviewCycle).where(
            ReviewCycle.council_id == council.id, ReviewCycle.id.not_in(reviewed)))
        for cycle in cycles:
            if cycle.next_due != cycle.defined_next_due:
                cycle.next_due = cycle.defined_next_due


def sync_all(host: PluginHost, *, now: dt.datetime | None = None, dry_run: bool = False,
             allow_removals: bool = False) -> SyncReport:
    """Sync every council the host serves, archive councils whose plugin is gone, and
    commit (or, with ``dry_run``, roll everything back).

    A council whose plugin is refused is left exactly as it was, and so is one whose sync
    would archive too much (see :meth:`CouncilSync.removals`) unless ``allow_removals``;
    the report lists both, and every other council is synced. Demo councils
    (``cpt demo``) have no plugin and are left as they are.
    """
    now = now or utcnow()
    report = SyncReport(dry_run=dry_run)
    for slug, definition in host.definitions.items():
        council_sync = CouncilSync(definition, report, now)
        held = [] if allow_removals else council_sync.removals()
        if held:
            report.held[slug] = held
            continue
        council_sync.run()
    live = select(Council).where(Council.archived_at.is_(None), Council.plugin != DEMO_PLUGIN)
    for council in db.session.scalars(live):
        if council.slug in host.definitions:
            continue
        if errors := host.failing(council.slug, council.plugin):
            report.skipped.append(
                f"{council.slug}: left unchanged, its definitions could not be loaded: "
                + "; ".join(str(error) for error in errors))
        elif allow_removals:
            council.archived_at = now
            report.add("archived",
                       f"{council.slug}: council archived (plugin {council.plugin!r} "
                       "is not installed)")
        else:
            report.held[council.slug] = [
                f"{council.slug}: held back, the sync would archive the council (plugin "
                f"{council.plugin!r} is not installed)"]
    if dry_run:
        db.session.rollback()
    else:
        _record(fingerprint(host) if report.ok else None, now)
        db.session.commit()
    return report


def fingerprint(host: PluginHost) -> str | None:
    """A stable hash of every council's definitions as ``host`` loaded them, with the
    code's version and the newest migration; ``None`` when a plugin was refused, so that a
    sync always runs (and says which councils it left unchanged) while one is."""
    if host.errors or host.failed:
        return None
    loaded = {"version": __version__, "schema": code_head(),
              "councils": {slug: as_data(definition)
                           for slug, definition in host.definitions.items()}}
    text = json.dumps(loaded, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _record(synced: str | None, now: dt.datetime) -> None:
    """Keep the fingerprint of a sync that synced every council; forget it otherwise. (A
    sync with nothing to do, forced, leaves the row as it was.)"""
    if db.session.scalar(select(SyncState.fingerprint)) == synced:
        return
    db.session.execute(delete(SyncState))
    if synced is not None:
        db.session.add(SyncState(fingerprint=synced, synced_at=now))


def sync_if_changed(host: PluginHost, *, force: bool = False, allow_removals: bool = False
                    ) -> SyncReport | None:
    """Sync as :func:`sync_all` does, unless (without ``force``) the plugins' definitions
    are those the last complete sync wrote: then ``None``, and nothing is written."""
    if not force:
        current = fingerprint(host)
        recorded = db.session.scalar(select(SyncState.fingerprint))
        db.session.rollback()  # end the read: a skipped sync leaves no transaction open
        if current is not None and current == recorded:
            return None
    return sync_all(host, allow_removals=allow_removals)
