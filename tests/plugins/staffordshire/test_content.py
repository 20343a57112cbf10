"""Staffordshire's plugin carries the strategy foreword and declares four promises, listing none."""

from __future__ import annotations

from typing import Any

from core.content import (
    Council,
    Panel,
    PledgeSet,
    Quote,
    Signatory,
    Strategy,
    Vocabulary,
    validate,
)
from core.plugins import DEFINITION_HOOKS
from core.testing import contract_tests
from plugins.staffordshire import plugin

SLUG = "staffordshire"

#: The plugin contract of core.testing, one test per rule, as a plugin's own suite runs it.
test_contract = contract_tests(SLUG)

#: What the foreword says nothing about: the core's defaults answer for these.
NOT_STATED = {
    "priorities_for_council",
    "review_cycles_for_council",
    "partners_for_council",
    "protocols_for_council",
    "status_rule_for_council",  # no published document says how pledges roll up
    "indicators_for_council",  # no published document names an indicator
}

FOUR_PROMISES = (
    "Together with our cared for children/young people, care leavers and their carers, the "
    "Corporate Parenting Panel has developed four promises which set out how it will support "
    "them and deliver the vision."
)


def strategy() -> Strategy:
    return validate(Strategy, plugin.strategy_for_council(council=SLUG))


def section(key: str) -> Any:
    return next(s for s in strategy().sections if s.key == key)


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


def test_registers_the_council() -> None:
    (council,) = validate(Council, plugin.register_councils(), many=True)
    assert council.slug == SLUG
    assert council.name == "Staffordshire County Council"
    assert (council.nation, council.locale, council.colour) == ("england", "en_GB", "#1d70b8")
    assert council.website is None


def test_says_nothing_the_source_does_not_state() -> None:
    """The core's defaults answer for what the source leaves out; the plugin invents none."""
    silent = {hook.name for hook in DEFINITION_HOOKS
              if getattr(plugin, hook.name)(council=SLUG) is None}
    assert silent == NOT_STATED


def test_vocabulary_says_promise() -> None:
    vocabulary = validate(Vocabulary, plugin.vocabulary_for_council(council=SLUG))
    assert vocabulary == Vocabulary(pledge="promise", pledges="promises", panel="panel",
                                    panels="panels")


def test_four_promises_declared_and_none_invented() -> None:
    promises = validate(PledgeSet, plugin.pledges_for_council(council=SLUG))
    assert promises.declared == 4
    assert promises.items == []
    assert promises.intro == FOUR_PROMISES


def test_vision() -> None:
    result = strategy()
    assert result.title is None
    assert result.period_start is None and result.period_end is None
    assert result.vision is None
    assert result.vision_intro == (
        "Using a partnership approach, we will remain relentlessly focused on helping keep "
        "children and their families together. Our approach will continue to be responsive and "
        "respectful and when children and young people do need to come into our care, we will "
        "be committed to ensuring they have opportunities to experience:"
    )
    assert result.vision_items == [
        "A home where they feel loved, valued and nurtured",
        "Loving and lasting relationships",
        "A quality education",
        "Fulfilling work and training opportunities",
        "Good health",
    ]


def test_foreword_and_its_signatories() -> None:
    result = strategy()
    assert len(result.purpose) == 3
    assert result.purpose[0].startswith(
        "It is our shared privilege to introduce this strategy which is a cumulation of "
        "conversations with children and young people who are experts in their experience"
    )
    assert result.purpose[1].startswith(
        "We aim to build on the great progress and achievements made so far (see Appendix 1 "
        "for the detail)"
    )
    assert section("foreword").signatories == [
        Signatory(name="Nicholas Lakin", role="Cabinet Member for Children and Young People"),
        Signatory(name="Bernie Brown", role="Director for Children and Families"),
        Signatory(name="Leslie Gill", role="Head of Children in our Care and Care Leavers"),
    ]


def test_sections_in_source_order() -> None:
    assert [(s.key, s.heading) for s in strategy().sections] == [
        ("foreword", "Foreword"),
        ("children-in-care-council", "Children in care council and care leavers forum"),
        ("who-are-corporate-parents", "Who are corporate parents?"),
        ("making-it-happen", "Making it happen"),
    ]
    council = section("children-in-care-council")
    assert council.paragraphs[0] == (
        "We are a group of young people who are cared for and have joined together to form the "
        "Children in Care Council."
    )
    assert len(council.paragraphs) == 4


def test_quotes_and_who_said_them() -> None:
    parents = section("who-are-corporate-parents")
    assert len(parents.paragraphs) == 4
    assert parents.paragraphs[0].endswith(
        "it is our legal duty under the Children Act 1989 to act as corporate parents when they "
        "become cared for."
    )
    assert [q.attribution for q in parents.quotes] == [
        "Staffordshire Foster Carer", "Staffordshire Care Leaver",
    ]
    assert parents.quotes[1] == Quote(
        text="Immensely important and meaningful responsibility for people’s lives - it can’t "
        "be a dry paper/business response.",
        attribution="Staffordshire Care Leaver",
    )
    happen = section("making-it-happen")
    assert FOUR_PROMISES in happen.paragraphs
    (quote,) = happen.quotes
    assert quote.text.startswith(
        "Corporate parenting is also about being the voice and the advocate"
    )
    assert quote.attribution == "Registered manager at children's home."


def test_principles() -> None:
    result = strategy()
    assert result.principles_intro == "In Staffordshire, we will:"
    assert len(result.principles) == 10
    first = result.principles[0]
    assert first.text == "Make sure children and young people have access to:"
    assert first.items == [
        "Loving stable homes",
        "Quality education",
        "Fulfilling work or training opportunities",
        "Any other services that they need",
    ]
    assert all(p.items == [] for p in result.principles[1:])
    assert result.principles[1].text == "Act in the child's best interest"
    assert result.principles[-1].text == (
        "Appropriately prepare children and young people for adulthood and independent living "
        "throughout their care journey."
    )


def test_the_panel_as_critical_friend() -> None:
    (panel,) = validate(Panel, plugin.panels_for_council(council=SLUG), many=True)
    assert panel.key == "corporate-parenting-panel"
    assert panel.name == "Corporate Parenting Panel"
    assert panel.purpose == [
        "The Corporate Parenting Panel’s role is to raise awareness and promote a shared "
        "responsibility of corporate parenting with all councillors, County Council and partner "
        "colleagues.",
        "They are a critical friend to help and challenge the whole system to improve outcomes "
        "for our cared for children, young people and care leavers.",
        "The Panel will be working throughout the life of this strategy to raise awareness of "
        "corporate parenting so that they can influence colleagues and partners to help address "
        "the challenges that are being identified.",
    ]
    # Not stated in the foreword: nothing is recorded.
    assert panel.status is None
    assert panel.seats == []
    assert panel.cycle is None
    assert panel.quorum is None
    assert panel.standing_items == []


def test_no_text_has_stray_whitespace() -> None:
    for text in _strings(plugin.data):
        assert text == text.strip()
        assert "  " not in text
