"""Isle of Wight's plugin carries the Caring together strategy and the board-IOWSCP protocol."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.content import (
    Council,
    Panel,
    PartnerBody,
    Priority,
    Protocol,
    ReviewCycle,
    Strategy,
    Vocabulary,
    validate,
)
from core.plugins import DEFINITION_HOOKS
from core.testing import contract_tests
from plugins.isle_of_wight import plugin

SLUG = "isle_of_wight"

#: The plugin contract of core.testing, one test per rule, as a plugin's own suite runs it.
test_contract = contract_tests(SLUG)

BOARD = "corporate-parenting-board"
IOWSCP = "iowscp"

#: The sources publish no pledges: the core's default answers.
NOT_STATED = {"pledges_for_council", "status_rule_for_council"}

PI_TEXT = (
    "Local and National Performance Indicators for Looked after Children and Care Leavers are "
    "reported to both the Isle of Wight Corporate Parenting Board and the Isle of Wight "
    "Safeguarding Children Partnership."
)


def strategy() -> Strategy:
    return validate(Strategy, plugin.strategy_for_council(council=SLUG))


def board() -> Panel:
    (panel,) = validate(Panel, plugin.panels_for_council(council=SLUG), many=True)
    return panel


def protocol() -> Protocol:
    (result,) = validate(Protocol, plugin.protocols_for_council(council=SLUG), many=True)
    return result


def cycles() -> dict[str, ReviewCycle]:
    answer = validate(ReviewCycle, plugin.review_cycles_for_council(council=SLUG), many=True)
    return {cycle.key: cycle for cycle in answer}


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


def test_registers_the_council() -> None:
    (council,) = validate(Council, plugin.register_councils(), many=True)
    assert council.slug == SLUG
    assert council.name == "Isle of Wight Council"
    assert (council.nation, council.locale, council.colour) == ("england", "en_GB", "#1d70b8")
    assert council.website is None


def test_says_nothing_the_source_does_not_state() -> None:
    """The core's defaults answer for what the source leaves out; the plugin invents none."""
    silent = {hook.name for hook in DEFINITION_HOOKS
              if getattr(plugin, hook.name)(council=SLUG) is None}
    assert silent == NOT_STATED


def test_vocabulary_calls_the_panel_a_board() -> None:
    vocabulary = validate(Vocabulary, plugin.vocabulary_for_council(council=SLUG))
    assert vocabulary == Vocabulary(pledge="pledge", pledges="pledges", panel="board",
                                    panels="boards")


def test_strategy() -> None:
    result = strategy()
    assert result.title == "Caring together - a parenting in partnership strategy 2025 to 2028"
    assert (result.period_start, result.period_end) == (2025, 2028)
    assert result.vision == (
        "“Through caring together, we will foster a community where every child in our care "
        "feels a true sense of belonging: safe, valued, and empowered to thrive. Supported by a "
        "council and partners who act with the love, ambition, and commitment of a good parent.”"
    )
    assert len(result.purpose) == 2
    assert result.purpose[0].startswith(
        "Our caring together, parenting in partnership strategy, outlines the Isle of Wight "
        "Council’s unwavering commitment to its role as a corporate parent."
    )
    assert result.purpose[1] == (
        "This strategy serves as a guiding document for all council departments, elected "
        "members, and partners (statutory and voluntary), ensuring a unified and consistent "
        "approach to fulfilling our corporate parenting responsibilities."
    )
    assert result.principles == []


def test_next_steps() -> None:
    (section,) = strategy().sections
    assert (section.key, section.heading) == ("next-steps", "Next steps")
    assert [item.text.split(" – ")[0] for item in section.items] == [
        "Implementation and dissemination",
        "Training and awareness",
        "Monitoring and evaluation",
        "Continuous engagement",
        "Partnership working",
    ]
    assert section.items[0].text == (
        "Implementation and dissemination – This strategy will be widely disseminated across "
        "all council departments, partner agencies, and relevant stakeholders. Clear action "
        "plans will be developed for each commitment, outlining specific responsibilities, "
        "timelines, and performance indicators."
    )
    assert all(item.items == [] for item in section.items)


def test_six_priorities() -> None:
    priorities = validate(Priority, plugin.priorities_for_council(council=SLUG), many=True)
    assert [p.number for p in priorities] == list(range(1, 7))
    assert [p.key for p in priorities] == [f"priority-{n}" for n in range(1, 7)]
    assert priorities[0].title == "Promoting educational attainment and aspiration"
    assert priorities[3].title == "Fostering participation and amplifying young people’s voices"
    assert priorities[5].title == (
        "Opening doors to opportunities through the ‘family business’ approach"
    )
    assert all(p.description is None and p.principles == [] for p in priorities)


def test_the_board() -> None:
    panel = board()
    assert panel.key == BOARD
    assert panel.name == "Isle of Wight Corporate Parenting Board"
    assert panel.status == "full committee of the Council"
    assert len(panel.purpose) == 1
    assert panel.purpose[0].startswith(
        "The Isle of Wight Corporate Parenting Board (previously a subgroup of the Child and "
        "Families Advisory Panel) became a full committee of the Council in 2020"
    )
    assert panel.responsibilities_intro == (
        "The Isle of Wight Corporate Parenting Board ensures that;"
    )
    assert len(panel.responsibilities) == 8
    assert panel.responsibilities[0] == (
        "There are the best outcomes for Looked after Children and Care Leavers."
    )
    assert panel.responsibilities[6] == (
        "Reviewing the Children in care/care leavers Pledge annually."
    )
    # Not stated in the sources: nothing is recorded.
    assert panel.seats == []
    assert panel.cycle is None
    assert panel.quorum is None
    assert panel.standing_items == []


def test_the_safeguarding_children_partnership() -> None:
    (partner,) = validate(PartnerBody, plugin.partners_for_council(council=SLUG), many=True)
    assert partner.key == IOWSCP
    assert partner.name == "Isle of Wight Safeguarding Children Partnership"
    assert partner.short_name == "IOWSCP"
    assert partner.status == "statutory partnership"
    assert partner.description[0] == (
        "The key objectives of the Isle of Wight Safeguarding Children Partnership as set out in "
        "Working Together to Safeguard Children 2018 are:"
    )
    assert "Safeguarding and promoting the welfare of children is defined as:" in (
        partner.description
    )
    assert partner.description[-1].endswith(
        "The Isle of Wight Safeguarding Children Partnership is not operationally responsible "
        "for managers and staff in constituent agencies."
    )


def test_protocol_parties_purpose_and_approval() -> None:
    result = protocol()
    assert result.parties == [BOARD, IOWSCP]
    assert len(result.purpose) == 3
    assert result.purpose[0].startswith(
        "Both the Isle of Wight Corporate Parenting Board and Isle of Wight Safeguarding "
        "Children Partnership (IOWSCP) have important, but distinct roles"
    )
    assert result.approved_by == "IOWSCP Executive"
    assert result.approved_text == "TBC - September 2023"
    assert result.escalation == (
        "If there are any areas of significant concern that cannot be resolved in accordance "
        "with this protocol then an escalation meeting will be held between the Independent "
        "Chair of the Isle of Wight Safeguarding Children Partnership, the Director of "
        "Children’s Services (or their nominated person) and the Chair of the Isle of Wight "
        "Corporate Parenting Board, and any other senior person that is regarded as being "
        "required."
    )


def test_nine_joint_areas() -> None:
    result = protocol()
    assert result.joint_areas_intro == (
        "Joint areas of interest for Looked After Children and Care Leavers between the Isle of "
        "Wight Safeguarding Children Partnership and the Isle of Wight Corporate Parenting "
        "Board include, but are not restricted to:"
    )
    assert len(result.joint_areas) == 9
    first = result.joint_areas[0]
    assert first.title == (
        "Holding all partner agencies to account for the support, provision and access to "
        "resources they offer to Looked After Children and Care Leavers,"
    )
    assert first.description is None
    assert [area.title for area in result.joint_areas[1:]] == [
        "Child’s Voice",
        "Sufficiency of placements",
        "Out of Area Placements",
        "Stability of Placements",
        "Children who go missing or run away from Care",
        "Unaccompanied Asylum-Seeking Children (UASC)",
        "Care Planning",
        "Health and Education Needs",
    ]
    assert result.joint_areas[4].description == (
        "Monitoring the stability of placement for Looked After Children."
    )
    assert len({area.key for area in result.joint_areas}) == 9


def test_roles_of_both_parties() -> None:
    board_role, partnership_role = protocol().roles
    assert board_role.party == BOARD
    assert board_role.items_intro == "The Isle of Wight Corporate Parenting Board ensures that;"
    assert board_role.items == board().responsibilities
    assert board_role.paragraphs == board().purpose
    assert partnership_role.party == IOWSCP
    assert partnership_role.items == [
        "To coordinate local arrangements to safeguard and promote the wellbeing of children.",
        "To ensure the effectiveness of that work.",
    ]
    assert partnership_role.paragraphs[0] == (
        "A key objective in undertaking these roles is to enable children to have optimum life "
        "chances and transition into adulthood successfully."
    )


def test_reporting_lines() -> None:
    lines = {line.key: line for line in protocol().reporting_lines}
    assert len(lines) == 5
    annual = lines["board-annual-report"]
    assert (annual.from_party, annual.to_party, annual.frequency) == (BOARD, IOWSCP, "annual")
    partnership = lines["iowscp-annual-report"]
    assert (partnership.from_party, partnership.to_party) == (IOWSCP, BOARD)
    audits = lines["qa-audit-findings"]
    assert (audits.from_party, audits.to_party) == (IOWSCP, BOARD)
    assert audits.frequency == "in a timely manner"
    to_board, to_partnership = lines["performance-indicators-to-board"], lines[
        "performance-indicators-to-iowscp"]
    assert to_board.to_party == BOARD
    assert to_partnership.to_party == IOWSCP
    for line in (to_board, to_partnership):
        assert line.text == PI_TEXT
        assert line.from_party is None  # 4.3 does not say who reports them
        assert line.frequency is None


def test_references_name_existing_keys() -> None:
    parties = {board().key} | {
        p.key for p in validate(PartnerBody, plugin.partners_for_council(council=SLUG),
                                many=True)
    }
    result = protocol()
    assert set(result.parties) <= parties
    assert {role.party for role in result.roles} <= parties
    for line in result.reporting_lines:
        assert {line.from_party, line.to_party} - {None} <= parties
    assert result.review_cycle in cycles()


def test_review_cycles() -> None:
    result = cycles()
    assert list(result) == ["protocol-review", "strategy-action-plan-review", "pledge-review"]
    review = result[protocol().review_cycle]
    assert review.key == "protocol-review"
    assert review.interval_text == "bi-annually"
    assert review.every_months == 24
    assert review.owner == (
        "The Isle of Wight Corporate Parenting Board and the Isle of Wight Safeguarding Children "
        "Partnership"
    )
    assert review.next_due == dt.date(2025, 9, 30)
    assert review.next_due_text == "September 2025"

    plan = result["strategy-action-plan-review"]
    assert (plan.interval_text, plan.every_months) == ("annually", 12)
    assert plan.owner is None
    assert plan.next_due is None and plan.next_due_text is None

    pledge = result["pledge-review"]
    assert pledge.subject == "Children in care/care leavers Pledge"
    assert (pledge.interval_text, pledge.every_months) == ("annually", 12)
    assert pledge.owner == "Isle of Wight Corporate Parenting Board"
    assert pledge.next_due is None


def test_no_text_has_stray_whitespace() -> None:
    for text in _strings(plugin.data):
        assert text == text.strip()


def test_priorities_keep_their_heading() -> None:
    assert strategy().priorities_intro == "Isle of Wight Council’s specific priorities"
