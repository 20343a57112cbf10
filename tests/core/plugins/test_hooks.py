"""One test named for each hook of core.hookspecs: what the core makes of its answer, and of
its silence (tests/test_docs.py requires a test named for every hook)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core import hookimpl
from core.content import MembershipFinding, PledgeSet, Seat, StatusRule, Vocabulary
from core.extensions import db
from core.models import Council, StandingItem
from core.plugins import DEFINITION_HOOKS, CouncilDefinition, make_plugin_host
from tests.core.fakes import DictCouncil, small_council

PARTNER = {"key": "partnership", "name": "Testshire Safeguarding Children Partnership"}
PROTOCOL = {"key": "protocol", "title": "Joint working protocol",
            "parties": ["panel", "partnership"], "review_cycle": "review-strategy",
            "joint_areas": [{"key": "missing", "title": "Children who go missing"}]}


def loaded(data: dict[str, Any]) -> CouncilDefinition:
    """The definition the core loads from a plugin holding ``data``, with no error."""
    host = make_plugin_host({"testshire": DictCouncil(data)})
    assert host.errors == []
    return host.definitions["testshire"]


def silent(part: str) -> CouncilDefinition:
    """The definition when the plugin says nothing about ``part``."""
    data = small_council()
    data.pop(part, None)
    return loaded(data)


def test_the_definition_holds_one_part_per_definition_hook() -> None:
    fields = list(CouncilDefinition.__dataclass_fields__)
    assert fields == ["council", "plugin", *(hook.part for hook in DEFINITION_HOOKS)]


def test_register_councils_names_the_council_served() -> None:
    host = make_plugin_host({"testshire": DictCouncil(small_council(
        council={"slug": "testshire", "name": "Testshire Council", "colour": "#00703c"}))})
    council = host.councils["testshire"]
    assert (council.name, council.colour, council.nation) == (
        "Testshire Council", "#00703c", "england")
    assert host.infos["testshire"].councils == ["testshire"]


def test_vocabulary_for_council_gives_the_councils_words() -> None:
    assert loaded(small_council()).vocabulary == Vocabulary(pledge="promise",
                                                            pledges="promises")
    assert silent("vocabulary").vocabulary == Vocabulary()


def test_strategy_for_council_gives_the_strategy_or_none() -> None:
    assert loaded(small_council()).strategy.title == "Our strategy"
    assert silent("strategy").strategy is None


def test_priorities_for_council_keeps_their_order() -> None:
    assert [p.key for p in loaded(small_council()).priorities] == ["priority-1", "priority-2"]
    assert silent("priorities").priorities == []


def test_pledges_for_council_gives_pledges_actions_and_the_number_declared() -> None:
    pledges = loaded(small_council()).pledges
    assert pledges.declared == 2
    assert [a.key for p in pledges.items for a in p.actions] == [
        "action-1.1", "action-1.2", "action-2.1"]
    assert silent("pledges").pledges == PledgeSet()


def test_panels_for_council_with_standing_items_reach_the_database(make_app) -> None:
    app = make_app({"testshire": DictCouncil(small_council())})
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == "testshire"))
        items = db.session.scalars(select(StandingItem).where(
            StandingItem.council_id == council.id)).all()
        assert [(item.key, item.title) for item in items] == [("voice", "Young people's voice")]
    assert silent("panels").panels == []


def test_review_cycles_for_council_gives_what_is_reviewed_and_when() -> None:
    (cycle,) = loaded(small_council()).review_cycles
    assert (cycle.subject, cycle.every_months) == ("The strategy", 12)
    assert silent("review_cycles").review_cycles == []


def test_partners_for_council_gives_the_bodies_the_panel_works_with() -> None:
    (partner,) = loaded(small_council(partners=[PARTNER])).partners
    assert partner.name == PARTNER["name"]
    assert silent("partners").partners == []


def test_protocols_for_council_refer_to_panels_partners_and_review_cycles() -> None:
    (protocol,) = loaded(small_council(partners=[PARTNER], protocols=[PROTOCOL])).protocols
    assert (protocol.parties, protocol.review_cycle) == (
        ["panel", "partnership"], "review-strategy")
    host = make_plugin_host({"testshire": DictCouncil(small_council(protocols=[PROTOCOL]))})
    assert [error.field for error in host.errors] == ["[0].parties[1]"]
    assert silent("protocols").protocols == []


def test_status_rule_for_council_reaches_the_council_row(make_app) -> None:
    rule = {"past_due_counts_as": "off_track", "grace_days": 14}
    assert loaded(small_council(status_rule=rule)).status_rule == StatusRule(
        past_due_counts_as="off_track", grace_days=14)
    assert silent("status_rule").status_rule == StatusRule()
    app = make_app({"testshire": DictCouncil(small_council(status_rule=rule)),
                    "elsewhere": DictCouncil(small_council("elsewhere"))})
    with app.app_context():
        stored = dict(db.session.execute(select(Council.slug, Council.status_rule)).all())
        assert stored == {"testshire": rule, "elsewhere": None}  # None: the core's default


class OwnRule(DictCouncil):
    """A council whose plugin adds a rule of its own about its panel's membership."""

    @hookimpl
    def check_panel_membership(self, council: str, panel: str, seats: Any,
                               memberships: Any) -> list[dict[str, str]] | None:
        return [{"level": "warning", "message": f"{council}: our own rule"}]


def test_check_panel_membership_asks_the_council_own_plugin_then_the_core() -> None:
    host = make_plugin_host({"testshire": OwnRule(small_council()),
                             "elsewhere": OwnRule(small_council("elsewhere"))})
    seats = [Seat(key="chair", role="Chair", chair=True)]
    findings = host.behaviour("check_panel_membership", MembershipFinding,
                              council="testshire", panel="panel", seats=seats, memberships=[])
    assert [f.message for f in findings] == ["testshire: our own rule",
                                             "The chair's seat (Chair) is empty."]
