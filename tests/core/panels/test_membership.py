"""Membership services: who holds a seat on a date, vacancies, terms ending, appointments,
endings, history, and the membership rules (plugins' and the core's)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from core import CouncilFile, dates, hookimpl
from core.audit import acting_as
from core.content import MembershipFinding
from core.extensions import db
from core.forms import EditConflict
from core.models import Council, Membership, Panel, Person, Seat
from core.panels.membership import (
    MembershipError,
    appoint,
    audit_events,
    current_memberships,
    end_membership,
    ending_within,
    panel_membership,
    panel_summaries,
    person_history,
    seat_history,
)
from core.panels.services import panel_or_404, panels_of
from tests.core.growth import plugin_of

HEREFORDSHIRE = "herefordshire"
PANEL = "corporate-parenting-panel"
CHAIR, YOUNG, DIRECTOR = "seat-cabinet-member", "seat-your-voice-matters", "seat-director-children"
TODAY = dt.date.today()


class Rules(CouncilFile):
    """Herefordshire's plugin with a rule of its own about its panel (a council's own rules
    come from its own plugin)."""

    @hookimpl
    def check_panel_membership(self, council: str, panel: str, seats: Any,
                               memberships: Any) -> list[MembershipFinding] | None:
        if council != HEREFORDSHIRE:
            return None
        self.seen = (panel, [s.key for s in seats], [(m.seat, m.person) for m in memberships])
        return [MembershipFinding(level="warning", seat="seat-lay-member",
                                  message="Our rule: the lay member must be appointed by May.")]


@pytest.fixture(autouse=True)
def _one_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """The services' clock held at ``TODAY``: a run that crosses midnight still means by
    "today" the day these tests' dates were counted from."""
    monkeypatch.setattr(dates, "today", lambda: TODAY)


@pytest.fixture
def rules() -> Rules:
    return Rules(plugin_of(HEREFORDSHIRE).path)


@pytest.fixture
def app(make_app: Any, rules: Rules) -> Flask:
    """Herefordshire alone (quicker to sync), its plugin with a rule of its own."""
    return make_app(plugins={HEREFORDSHIRE: rules})


@pytest.fixture
def ctx(app: Flask) -> Iterator[tuple[Council, Panel]]:
    with app.test_request_context():
        council = db.session.scalar(select(Council).where(Council.slug == HEREFORDSHIRE))
        yield council, panel_or_404(council, PANEL)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def add(council: Council, panel: Panel, seat: str, name: str, start: dt.date,
        end: dt.date | None = None, **extra: Any) -> Membership:
    return appoint(council, panel, seat_key=seat, person_id=None, new_name=name, start=start,
                   end=end, on_behalf_of=extra.get("on_behalf_of"))


def test_current_past_and_upcoming_memberships(ctx) -> None:
    council, panel = ctx
    add(council, panel, CHAIR, "Past", dt.date(2020, 5, 1), dt.date(2021, 5, 1))
    add(council, panel, CHAIR, "Now", dt.date(2024, 5, 1))
    add(council, panel, CHAIR, "Next", days(10), None)
    add(council, panel, DIRECTOR, "Ends today", dt.date(2024, 1, 1), TODAY)
    assert {m.person.name for m in current_memberships(panel)} == {"Now", "Ends today"}
    assert {m.person.name for m in current_memberships(panel, dt.date(2020, 6, 1))} == {"Past"}
    assert {m.person.name for m in current_memberships(panel, days(11))} == {"Now", "Next"}
    rows = {row.seat.key: row for row in panel_membership(council, panel).rows}
    assert [m.person.name for m in rows[CHAIR].holders] == ["Now"]
    assert [m.person.name for m in rows[CHAIR].upcoming] == ["Next"]
    assert [row.seat.key for row in panel_membership(council, panel).rows] == [
        seat.key for seat in panel.seats]


def test_vacancies_by_the_seats_places(ctx) -> None:
    council, panel = ctx
    director = next(seat for seat in panel.seats if seat.key == DIRECTOR)
    director.count = 2
    db.session.commit()
    state = panel_membership(council, panel)
    assert len(state.vacant_rows) == 14  # nobody appointed yet
    add(council, panel, CHAIR, "Chair", dt.date(2024, 5, 1))
    add(council, panel, DIRECTOR, "One", dt.date(2024, 5, 1))
    rows = {row.seat.key: row for row in panel_membership(council, panel).rows}
    assert rows[CHAIR].open_places == 0  # places not stated: one holder fills it
    assert rows[DIRECTOR].open_places == 1  # one of two places
    assert rows[YOUNG].open_places == 1
    add(council, panel, DIRECTOR, "Two", dt.date(2024, 5, 1))
    add(council, panel, DIRECTOR, "Three", dt.date(2024, 5, 1))  # allowed beyond count
    state = panel_membership(council, panel)
    rows = {row.seat.key: row for row in state.rows}
    assert rows[DIRECTOR].open_places == 0 and rows[DIRECTOR].over_count
    assert len(state.vacant_rows) == 12
    assert "Director of children and families has 3 members for 2 places." in [
        f.message for f in state.findings]
    [summary] = panel_summaries(council, panels_of(council))
    assert (summary.seats, summary.filled, summary.vacant) == (14, 2, 12)


def test_terms_ending_within_60_days_include_both_ends(ctx) -> None:
    council, panel = ctx
    for name, end in [("Yesterday", days(-1)), ("Today", TODAY), ("Day 60", days(60)),
                      ("Day 61", days(61)), ("Open", None)]:
        add(council, panel, CHAIR, name, dt.date(2024, 1, 1), end)
    add(council, panel, DIRECTOR, "Not started", days(5), days(20))
    state = panel_membership(council, panel)
    assert [m.person.name for m in state.ending_soon] == ["Today", "Day 60"]
    assert [m.person.name for m in ending_within(state.current, TODAY, days=61)] == [
        "Today", "Day 60", "Day 61"]
    [summary] = panel_summaries(council, panels_of(council))
    assert summary.ending_soon == 2


def test_the_same_person_cannot_hold_a_seat_twice_over_one_period(ctx) -> None:
    council, panel = ctx
    first = add(council, panel, CHAIR, "Cllr Jones", dt.date(2024, 5, 1), dt.date(2025, 4, 30))
    person = first.person_id

    def again(start: dt.date, end: dt.date | None, seat: str = CHAIR) -> Membership:
        return appoint(council, panel, seat_key=seat, person_id=person, new_name=None,
                       start=start, end=end, on_behalf_of=None)

    for start, end in [(dt.date(2025, 4, 30), None), (dt.date(2023, 1, 1), dt.date(2024, 5, 1)),
                       (dt.date(2024, 6, 1), dt.date(2024, 7, 1))]:
        with pytest.raises(MembershipError) as refused:
            again(start, end)
        assert refused.value.field == "person"
        assert str(refused.value) == (
            "Cllr Jones already holds this seat from 1 May 2024 to 30 April 2025. Choose "
            "dates that do not overlap, or end that membership first.")
    again(dt.date(2025, 5, 1), None)  # the next term
    again(dt.date(2024, 6, 1), None, seat=DIRECTOR)  # another seat
    with pytest.raises(MembershipError, match="from 1 May 2025 with no end date"):
        again(dt.date(2030, 1, 1), None)
    assert len(db.session.scalars(select(Membership)).all()) == 3


def test_appointing_checks_its_input(ctx) -> None:
    council, panel = ctx
    add(council, panel, CHAIR, "J.S.", dt.date(2024, 5, 1))
    cases = [
        ({"seat_key": "seat-of-another-panel"}, "seat", "Choose a seat of this panel"),
        ({"end": dt.date(2024, 4, 30)}, "end", "End of term must be the same as or after "
                                                "the start"),
        ({"new_name": None}, "person", "Choose someone already recorded or type the name of "
                                       "someone new"),
        ({"person_id": 1}, "person", "Choose someone already recorded or type a new name, "
                                     "not both"),
        ({"new_name": " j.s. "}, "new_name", "Someone called J.S. is already recorded. Choose "
                                             "them from the list, or type a name that tells "
                                             "them apart."),
        ({"new_name": None, "person_id": 999}, "person", "Choose someone from the list"),
    ]
    for changes, field, message in cases:
        arguments = {"seat_key": DIRECTOR, "person_id": None, "new_name": "New",
                     "start": dt.date(2024, 5, 1), "end": None, "on_behalf_of": None, **changes}
        with pytest.raises(MembershipError) as refused:
            appoint(council, panel, **arguments)
        assert (refused.value.field, str(refused.value)) == (field, message)
    assert db.session.scalars(select(Person.name)).all() == ["J.S."]


def test_ending_a_membership(ctx) -> None:
    council, panel = ctx
    membership = add(council, panel, CHAIR, "Cllr Jones", dt.date(2024, 5, 1),
                     dt.date(2028, 4, 30), on_behalf_of="Conservative group")
    with pytest.raises(MembershipError, match=r"after the start of the membership \(1 May 2024"):
        end_membership(membership, end=dt.date(2024, 4, 1), reason="x")
    with pytest.raises(MembershipError, match=r"on or before the end of term \(30 April 2028"):
        end_membership(membership, end=dt.date(2028, 5, 1), reason="x")
    end_membership(membership, end=days(-1), reason=" Resigned ")
    assert (membership.end, membership.ended_reason, membership.version) == (
        days(-1), "Resigned", 2)
    assert current_memberships(panel) == []
    assert [m.id for m in seat_history(membership.seat)] == [membership.id]


def test_a_save_that_crossed_another_is_a_conflict_and_saves_nothing(ctx) -> None:
    council, panel = ctx
    membership = add(council, panel, CHAIR, "Cllr Jones", dt.date(2024, 5, 1))
    assert membership.version == 1
    # another save, in the database only: this session still holds version 1
    db.session.execute(update(Membership).where(Membership.id == membership.id)
                       .values(version=Membership.version + 1, ended_reason="Elsewhere")
                       .execution_options(synchronize_session=False))
    with pytest.raises(EditConflict):
        end_membership(membership, end=TODAY, reason="Resigned")
    db.session.expire_all()
    saved = db.session.get(Membership, membership.id)
    # nothing of this save is kept (the crossing update, in the same transaction here, is
    # rolled back with it; tests/core/panels/test_admin_views.py crosses two real saves)
    assert (saved.end, saved.ended_reason, saved.version) == (None, None, 1)


def test_history_of_a_seat_and_of_a_person_with_their_audit_events(ctx) -> None:
    council, panel = ctx
    with acting_as(None, "clerk@example.org"):
        old = add(council, panel, CHAIR, "Cllr Jones", dt.date(2020, 5, 1), dt.date(2024, 4, 30))
        new = add(council, panel, CHAIR, "Cllr Smith", dt.date(2024, 5, 1))
        again = appoint(council, panel, seat_key=DIRECTOR, person_id=old.person_id,
                        new_name=None, start=dt.date(2024, 5, 1), end=None, on_behalf_of=None)
        end_membership(again, end=days(-1), reason="Moved on")
    chair = db.session.scalar(select(Seat).where(Seat.key == CHAIR))
    assert [m.person.name for m in seat_history(chair)] == ["Cllr Smith", "Cllr Jones"]
    person = db.session.get(Person, old.person_id)
    history = person_history(person)
    assert [(m.seat.key, m.seat.panel.key) for m in history] == [(DIRECTOR, PANEL), (CHAIR, PANEL)]
    events = audit_events(council, history, person)
    assert [(e.record_type, e.record_id, e.action) for e in events] == [
        ("membership", again.id, "update"), ("membership", again.id, "create"),
        ("membership", old.id, "create"), ("person", person.id, "create")]
    assert events[0].after == {"end": days(-1).isoformat(), "ended_reason": "Moved on"}
    assert {e.actor for e in events} == {"clerk@example.org"}
    assert new.id not in {e.record_id for e in audit_events(council, history)}


def test_findings_come_from_the_core_and_from_plugins(ctx, rules: Rules) -> None:
    council, panel = ctx
    messages = [f.message for f in panel_membership(council, panel).findings]
    assert messages == [
        "Our rule: the lay member must be appointed by May.",
        "The chair's seat (Cabinet member for children and families (Chair)) is empty.",
        "No one holds the young people's seat (Your Voice Matters representatives supported "
        "by participation officer).",
    ]
    add(council, panel, CHAIR, "Cllr Smith", dt.date(2024, 5, 1), on_behalf_of="Cabinet")
    add(council, panel, YOUNG, "A.B.", dt.date(2024, 5, 1))
    add(council, panel, DIRECTOR, "Later", days(3))  # not yet a member: not passed on
    assert [f.message for f in panel_membership(council, panel).findings] == [
        "Our rule: the lay member must be appointed by May."]
    assert rules.seen == (PANEL, [seat.key for seat in panel.seats],
                          [(CHAIR, "Cllr Smith"), (YOUNG, "A.B.")])


def test_quorum_warns_when_too_few_can_count(ctx) -> None:
    council, panel = ctx
    panel.quorum_text, panel.quorum_count, panel.quorum_young_people_count = (
        "Quorum: 3", 3, False)
    db.session.commit()
    add(council, panel, CHAIR, "Cllr Smith", dt.date(2024, 5, 1))
    add(council, panel, YOUNG, "A.B.", dt.date(2024, 5, 1))
    add(council, panel, DIRECTOR, "Director", dt.date(2024, 5, 1))
    quorum = "The quorum is 3 but only 2 members can count towards it, so the panel cannot be " \
             "quorate."
    assert quorum in [f.message for f in panel_membership(council, panel).findings]
    panel.quorum_young_people_count = None  # not stated: young people do not count either
    db.session.commit()
    assert quorum in [f.message for f in panel_membership(council, panel).findings]
    panel.quorum_young_people_count = True  # the rule says they count
    db.session.commit()
    assert quorum[:20] not in " ".join(f.message for f in panel_membership(council, panel)
                                       .findings)
