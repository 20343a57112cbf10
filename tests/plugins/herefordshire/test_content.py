"""Herefordshire's plugin carries its responsibilities, seven priorities and fourteen-seat panel."""

from __future__ import annotations

from typing import Any

from core.content import (
    Council,
    Panel,
    Priority,
    StandingItem,
    Strategy,
    Vocabulary,
    validate,
)
from core.plugins import DEFINITION_HOOKS
from core.testing import contract_tests
from plugins.herefordshire import plugin

SLUG = "herefordshire"

#: The plugin contract of core.testing, one test per rule, as a plugin's own suite runs it.
test_contract = contract_tests(SLUG)

PANEL = "corporate-parenting-panel"

#: What the source says nothing about: the core's defaults answer for these.
NOT_STATED = {
    "pledges_for_council",
    "review_cycles_for_council",
    "partners_for_council",
    "protocols_for_council",
    "status_rule_for_council",  # no published document says how pledges roll up
    "indicators_for_council",  # no published document names an indicator
}

ROLES = [
    "Cabinet member for children and families (Chair)",
    "Councillors from all the parties",
    "Director of children and families",
    "Director of adults and communities",
    "Director of economy and place",
    "Chief finance officer",
    "Head of service for looked after children",
    "Your Voice Matters representatives supported by participation officer",
    "Foster carer representatives",
    "Virtual school headteacher",
    "Lead nurse for children in care, Wye Valley NHS Trust",
    "Designated doctor for safeguarding and looked after children",
    "Community services manager, CAMHS",
    "Lay member for patient experience CCG governing body",
]

YOUR_VOICE_MATTERS = (
    "Our children in care council, Your Voice Matters, are on the panel and they always have a "
    "time in the meeting to talk about anything that they want to raise."
)


def panel() -> Panel:
    (result,) = validate(Panel, plugin.panels_for_council(council=SLUG), many=True)
    return result


def strategy() -> Strategy:
    return validate(Strategy, plugin.strategy_for_council(council=SLUG))


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


def test_registers_the_council() -> None:
    (council,) = validate(Council, plugin.register_councils(), many=True)
    assert council.slug == SLUG
    assert council.name == "Herefordshire Council"
    assert (council.nation, council.locale, council.colour) == ("england", "en_GB", "#1d70b8")
    assert council.website is None


def test_says_nothing_the_source_does_not_state() -> None:
    """The core's defaults answer for what the source leaves out; the plugin invents none."""
    silent = {hook.name for hook in DEFINITION_HOOKS
              if getattr(plugin, hook.name)(council=SLUG) is None}
    assert silent == NOT_STATED


def test_vocabulary() -> None:
    vocabulary = validate(Vocabulary, plugin.vocabulary_for_council(council=SLUG))
    assert vocabulary == Vocabulary(pledge="pledge", pledges="pledges", panel="panel",
                                    panels="panels")


def test_strategy_has_no_title_and_keeps_the_source_order() -> None:
    result = strategy()
    assert result.title is None
    assert result.period_start is None and result.period_end is None
    assert result.vision is None
    assert [s.heading for s in result.sections] == [
        "Our responsibility", None, "Corporate parenting strategy",
    ]
    assert len({s.key for s in result.sections}) == 3


def test_our_responsibility() -> None:
    first, second, _ = strategy().sections
    assert first.paragraphs[0] == (
        "Corporate parenting means the collective responsibility of the council, elected "
        "members, employees, and partner agencies to give care experienced children, young "
        "people and adults (care leavers) the best start in life."
    )
    assert len(first.paragraphs) == 2
    assert first.items_intro == "Every good parent wants the best for their child:"
    assert len(first.items) == 7
    assert first.items[0].text == "To see their child flourish"
    assert first.items[-1].text == (
        "To grow towards adulthood equipped to lead independent lives and to make their way as "
        "happy, healthy, successful and financially secure adults"
    )
    assert second.paragraphs == [
        "The role of corporate parent extends beyond children's social care. It is the "
        "responsibility of each elected councillor, every member of staff and wider partner "
        "agencies to enable children in the council's care to lead happy and fulfilled lives."
    ]
    assert second.items_intro == "Being a good corporate parent means we should:"
    assert [item.text for item in second.items] == [
        "Accept responsibility for children in the council's care",
        "Make their needs a priority",
        "Seek for them the same outcomes any good parent would want for their own children",
    ]


def test_seven_priorities() -> None:
    priorities = validate(Priority, plugin.priorities_for_council(council=SLUG), many=True)
    assert [p.number for p in priorities] == list(range(1, 8))
    assert [p.key for p in priorities] == [f"priority-{n}" for n in range(1, 8)]
    assert priorities[0].title == (
        "We want our corporate parents, and other key leaders to understand and act on their "
        "responsibilities"
    )
    assert priorities[5].title == "We want our voice to matter"
    assert priorities[6].title == (
        "When leaving care we want to live happy, healthy and financially secure lives"
    )
    assert all(p.description is None and p.principles == [] for p in priorities)


def test_the_panel() -> None:
    result = panel()
    assert result.key == PANEL
    assert result.name == "Corporate parenting panel"
    assert result.status is None
    assert result.purpose == [
        "The purpose of the corporate parenting panel is to make sure that the council is the "
        "best parent it can be to all the children and young people who are in their care or "
        "have been in their care."
    ]
    assert result.cycle is not None
    assert result.cycle.text == "The corporate parenting panel meets every two months."
    assert result.cycle.every_months == 2
    assert result.cycle.meetings_per_year is None
    assert result.quorum is None


def test_fourteen_seats_in_order() -> None:
    seats = panel().seats
    assert len(seats) == 14
    assert [seat.role for seat in seats] == ROLES
    assert len({seat.key for seat in seats}) == 14
    assert [seat.key for seat in seats if seat.chair] == ["seat-cabinet-member"]
    assert [seat.role for seat in seats if seat.young_people] == [
        "Your Voice Matters representatives supported by participation officer"
    ]
    assert {seat.role: seat.partner for seat in seats if seat.partner} == {
        "Lead nurse for children in care, Wye Valley NHS Trust": "Wye Valley NHS Trust",
        "Lay member for patient experience CCG governing body": "CCG governing body",
    }
    # The source gives no numbers of places and no voting rights.
    assert all(seat.count is None and seat.voting is None for seat in seats)


def test_your_voice_matters_stands_on_every_agenda() -> None:
    (item,) = panel().standing_items
    assert item == StandingItem(key="your-voice-matters", title="Your Voice Matters",
                                description=YOUR_VOICE_MATTERS)


def test_no_text_has_stray_whitespace() -> None:
    for text in _strings(plugin.data):
        assert text == text.strip()
        assert "  " not in text


def test_seats_keep_their_lead_in() -> None:
    assert panel().seats_intro == "The people who are on the corporate parenting panel are:"


def test_the_priorities_keep_their_lead_in() -> None:
    assert strategy().priorities_intro == (
        "The panel also progress the seven priorities, identified by care experienced children "
        "and young people, in the corporate parenting strategy, which are:")
