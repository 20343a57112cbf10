"""Bracknell Forest's plugin carries the action plan's ten pledges and 45 actions as published."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.content import (
    Council,
    PledgeSet,
    Strategy,
    Vocabulary,
    validate,
)
from core.plugins import DEFINITION_HOOKS
from core.testing import contract_tests
from plugins.bracknell_forest import plugin

SLUG = "bracknell_forest"

#: The plugin contract of core.testing, one test per rule, as a plugin's own suite runs it.
test_contract = contract_tests(SLUG)

#: What the plan says nothing about: the core's defaults answer for these.
NOT_STATED = {
    "priorities_for_council",
    "panels_for_council",
    "review_cycles_for_council",
    "partners_for_council",
    "protocols_for_council",
    "status_rule_for_council",  # no published document says how pledges roll up
}

ACTIONS_PER_PLEDGE = [6, 4, 4, 3, 2, 9, 5, 3, 4, 5]


def pledges() -> PledgeSet:
    return validate(PledgeSet, plugin.pledges_for_council(council=SLUG))


def action(key: str) -> Any:
    return next(a for p in pledges().items for a in p.actions if a.key == key)


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


def test_registers_the_council() -> None:
    (council,) = validate(Council, plugin.register_councils(), many=True)
    assert council.slug == SLUG
    assert council.name == "Bracknell Forest Council"
    assert council.nation == "england"
    assert council.locale == "en_GB"
    assert council.colour == "#1d70b8"
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


def test_strategy() -> None:
    strategy = validate(Strategy, plugin.strategy_for_council(council=SLUG))
    assert strategy.title == "Corporate Parenting Strategy action plan 2025 to 2028"
    assert (strategy.period_start, strategy.period_end) == (2025, 2028)
    assert strategy.purpose == [
        "The Corporate Parenting Strategy commits to 10 pledges that outline how we, as "
        "Corporate Parents, will support Children Looked After and Care Leavers. These 10 "
        "pledges outline what that will look like, forming this action plan, keeping the "
        "strategy measurable and accountable across the 3-year period."
    ]
    assert strategy.vision is None
    assert strategy.principles == []


def test_ten_pledges_declared_and_published() -> None:
    result = pledges()
    assert result.intro == "The 10 pledges outline that we promise to do our best to:"
    assert result.declared == 10
    assert [p.number for p in result.items] == list(range(1, 11))
    assert [p.key for p in result.items] == [f"pledge-{n}" for n in range(1, 11)]


def test_45_actions_with_the_published_count_under_each_pledge() -> None:
    result = pledges()
    assert [len(p.actions) for p in result.items] == ACTIONS_PER_PLEDGE
    assert sum(len(p.actions) for p in result.items) == 45
    for pledge in result.items:
        assert [a.number for a in pledge.actions] == list(range(1, len(pledge.actions) + 1))
        assert [a.key for a in pledge.actions] == [
            f"action-{pledge.number}.{a.number}" for a in pledge.actions
        ]
    keys = [a.key for p in result.items for a in p.actions]
    assert len(set(keys)) == 45


def test_pledge_titles_and_statements_verbatim() -> None:
    first, *_, fifth, sixth, _, _, _, tenth = pledges().items
    assert first.title == (
        "Support you in the same way as if you were our own child but acknowledge your "
        "individual circumstances."
    )
    assert first.statement == (
        "We promise to do our best to support you in the same way as if you were our own "
        "child but acknowledge your individual circumstances"
    )
    # The short form and the heading differ in the source; both are kept as published.
    assert fifth.title == "Work with you, so you know how to be safe."
    assert fifth.statement == (
        "We promise to do our best to work with you so you know how to be safe"
    )
    assert sixth.title == (
        "Support you to get the education and training you need to help you to develop your "
        "skills and achieve your goals in life."
    )
    assert sixth.statement == (
        "We promise to do our best to support you to get the education and training you need "
        "to help you develop your skills and achieve your goals in life"
    )
    assert tenth.title == (
        "Commit to engaging with every child in our care, including those living out of borough."
    )
    for pledge in pledges().items:
        assert pledge.statement.startswith("We promise to do our best to ")
        assert pledge.principles == []


def test_no_action_has_wording_of_its_own() -> None:
    raw = plugin.pledges_for_council(council=SLUG)
    for pledge in raw["items"]:
        for item in pledge["actions"]:
            assert "wording" not in item
    assert all(a.wording is None for p in pledges().items for a in p.actions)


def test_every_action_has_officer_timeline_and_outcome() -> None:
    for pledge in pledges().items:
        for item in pledge.actions:
            assert item.officer
            assert item.timeline is not None and item.timeline.text
            assert item.outcomes


def test_pledge_9_repeats_the_first_four_actions_of_pledge_10() -> None:
    items = pledges().items
    ninth, tenth = items[8], items[9]

    def published(a: Any) -> tuple[Any, ...]:
        return (a.officer, a.timeline, a.links, a.outcomes)

    assert [published(a) for a in ninth.actions] == [published(a) for a in tenth.actions[:4]]
    assert [a.key for a in ninth.actions] == ["action-9.1", "action-9.2", "action-9.3",
                                               "action-9.4"]


def test_action_details_verbatim() -> None:
    first = action("action-1.1")
    assert first.officer == "Team Manager: Life Chances"
    assert first.links == []
    assert first.outcomes == [
        "Comprehensive care plans with multi-disciplinary input, ensuring holistic support for "
        "children."
    ]

    assert action("action-1.4").links == [
        "Care Leaver review - Mark Riddell (DfE advisor)",
        "leaving care self-assessment",
    ]
    assert action("action-1.5").outcomes == [
        "Pathway plans are thorough and address all aspects of a young person’s transition to "
        "adulthood."
    ]
    assert action("action-1.6").links == ["Care Leavers Covenant", "My Things Matter campaign"]
    assert action("action-1.6").outcomes == [
        "Enhanced support and resources for care-experienced children and young people through "
        "partnerships with organisations dedicated to their wellbeing.",
        "Increased advocacy and awareness of the needs and rights of care-experienced "
        "individuals.",
        "Improved outcomes through coordinated efforts and shared expertise.",
    ]
    assert action("action-3.1").officer == "Team Manager: CLA, CSST, Family Safeguarding"
    assert action("action-6.2").officer == (
        "SEND Service Lead, Children’s Social Care and Adult’s Social Care"
    )
    assert action("action-6.6").links == ["Care Leaver review - Mark Riddell"]
    assert action("action-6.7").officer == (
        "Virtual School Headteacher (Elevate Lead), Leaving Care ATM, Head of Standards and "
        "Effectiveness"
    )
    assert action("action-6.8").links == ["Life Chances action plan (CYP review)"]
    # The source's own spelling stays.
    assert action("action-6.9").outcomes == [
        "Additional support to compliment school and college education."
    ]
    # The published officer ends in a stray space; it is trimmed.
    assert action("action-7.3").officer == (
        "Senior Safeguarding Lead and Designated Nurse for Children and Young People in Care"
    )
    assert action("action-10.5").officer == (
        "Head of Service: Life Chances and Child Participation Development Worker"
    )
    assert action("action-10.5").outcomes == [
        "Care leavers have a voice in decision-making processes."
    ]


def test_timelines_are_read_from_the_published_words() -> None:
    assert action("action-1.1").timeline.text == "September 2025"
    assert action("action-1.1").timeline.due == dt.date(2025, 9, 30)
    assert action("action-1.1").timeline.due_precision == "month"
    assert action("action-1.6").timeline.due == dt.date(2026, 4, 30)
    assert action("action-2.2").timeline.text == "April 2025"
    assert action("action-2.2").timeline.due == dt.date(2025, 4, 30)
    reviewed = action("action-2.1").timeline
    assert reviewed.text == "Reviewed annually"
    assert reviewed.due is None
    assert reviewed.every_months == 12
    texts = {a.timeline.text for p in pledges().items for a in p.actions}
    assert texts == {"September 2025", "April 2025", "April 2026", "Reviewed annually"}


def test_not_applicable_links_are_empty() -> None:
    linked = {a.key for p in pledges().items for a in p.actions if a.links}
    assert linked == {
        "action-1.4", "action-1.5", "action-1.6", "action-2.4", "action-6.6", "action-6.7",
        "action-6.8", "action-6.9", "action-7.3", "action-7.4", "action-7.5", "action-8.3",
        "action-9.3", "action-10.3", "action-10.5",
    }
    for pledge in pledges().items:
        for item in pledge.actions:
            assert "Not applicable" not in item.links


def test_no_text_has_stray_whitespace() -> None:
    for text in _strings(plugin.data):
        assert text == text.strip()
        assert "  " not in text
