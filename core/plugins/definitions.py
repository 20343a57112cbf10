"""The definition hooks: the one list of what a council's plugin defines.

Everything that needs to know which definitions exist reads :data:`DEFINITION_HOOKS`: the
host asks each council's plugin for them, :class:`~core.plugins.datafile.CouncilFile` reads
one TOML table for each, ``cpt sync`` writes them to the database, and the docs, the contract
tests and the reference plugins' tests check them. :func:`check_keys` holds the rules that
span a council's definitions (unique keys, references that resolve).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from core.content import (
    Council,
    IndicatorSet,
    Panel,
    PartnerBody,
    PledgeSet,
    Priority,
    Protocol,
    ReviewCycle,
    StatusRule,
    Strategy,
    Vocabulary,
)
from core.content.measures import BY_KEY as MEASURES_BY_KEY
from core.plugins.report import did_you_mean

#: Keys of rows added locally by administrators start with this; plugins may not use it.
LOCAL_KEY_PREFIX = "local-"


@dataclass(frozen=True)
class DefinitionHook:
    """A ``*_for_council`` hook: the shape of its answer and what the core gives instead."""

    name: str
    shape: type
    #: Whether the answer is a list of ``shape``.
    many: bool
    #: What a council gets when its plugin says nothing (called for a fresh value).
    default: Callable[[], Any]

    @property
    def part(self) -> str:
        """The name of this part of a council's definition: the :class:`CouncilDefinition`
        field and the ``council.toml`` table (``pledges`` for ``pledges_for_council``)."""
        return self.name.removesuffix("_for_council")


#: Every definition hook, in the order the host asks them.
DEFINITION_HOOKS: tuple[DefinitionHook, ...] = (
    DefinitionHook("vocabulary_for_council", Vocabulary, False, Vocabulary),
    DefinitionHook("strategy_for_council", Strategy, False, lambda: None),
    DefinitionHook("priorities_for_council", Priority, True, list),
    DefinitionHook("pledges_for_council", PledgeSet, False, PledgeSet),
    DefinitionHook("panels_for_council", Panel, True, list),
    DefinitionHook("review_cycles_for_council", ReviewCycle, True, list),
    DefinitionHook("partners_for_council", PartnerBody, True, list),
    DefinitionHook("protocols_for_council", Protocol, True, list),
    DefinitionHook("status_rule_for_council", StatusRule, False, StatusRule),
    DefinitionHook("indicators_for_council", IndicatorSet, False, IndicatorSet),
)

#: Definition hooks by name.
BY_NAME: dict[str, DefinitionHook] = {hook.name: hook for hook in DEFINITION_HOOKS}


@dataclass(frozen=True)
class CouncilDefinition:
    """Everything a council's plugin defines, validated (one field per definition hook)."""

    council: Council
    plugin: str
    vocabulary: Vocabulary
    strategy: Strategy | None
    priorities: list[Priority]
    pledges: PledgeSet
    panels: list[Panel]
    review_cycles: list[ReviewCycle]
    partners: list[PartnerBody]
    protocols: list[Protocol]
    status_rule: StatusRule
    indicators: IndicatorSet

    @classmethod
    def build(cls, council: Council, plugin: str, answers: dict[str, Any]
              ) -> CouncilDefinition:
        """From validated answers by hook name; a hook missing from ``answers`` (or answered
        with ``None``) takes its default."""
        parts = {hook.part: answers[hook.name] if answers.get(hook.name) is not None
                 else hook.default() for hook in DEFINITION_HOOKS}
        return cls(council=council, plugin=plugin, **parts)


def check_keys(definition: CouncilDefinition) -> list[tuple[str, str, str]]:
    """Keys that repeat within a kind, or references to keys that do not exist."""
    problems: list[tuple[str, str, str]] = []

    def unique(hook: str, path: str, keys: Iterable[str]) -> set[str]:
        seen: set[str] = set()
        for index, key in enumerate(keys):
            if key in seen:
                problems.append((hook, f"{path}[{index}].key", f"key {key!r} is used twice"))
            if key.startswith(LOCAL_KEY_PREFIX):
                problems.append((hook, f"{path}[{index}].key",
                                 f"key {key!r}: keys starting with {LOCAL_KEY_PREFIX!r} are "
                                 "reserved for items an administrator adds"))
            seen.add(key)
        return seen

    unique("priorities_for_council", "", (p.key for p in definition.priorities))
    unique("pledges_for_council", "items", (p.key for p in definition.pledges.items))
    for i, pledge in enumerate(definition.pledges.items):
        unique("pledges_for_council", f"items[{i}].actions", (a.key for a in pledge.actions))
    all_actions = [a.key for p in definition.pledges.items for a in p.actions]
    if len(all_actions) != len(set(all_actions)):
        duplicates = sorted({k for k in all_actions if all_actions.count(k) > 1})
        problems.append(("pledges_for_council", "items.actions.key",
                         f"action key(s) {', '.join(duplicates)} used under two pledges"))
    panels = unique("panels_for_council", "", (p.key for p in definition.panels))
    for i, panel in enumerate(definition.panels):
        unique("panels_for_council", f"[{i}].seats", (s.key for s in panel.seats))
        unique("panels_for_council", f"[{i}].standing_items",
               (s.key for s in panel.standing_items))
    cycles = unique("review_cycles_for_council", "", (c.key for c in definition.review_cycles))
    partners = unique("partners_for_council", "", (p.key for p in definition.partners))
    unique("protocols_for_council", "", (p.key for p in definition.protocols))
    parties = panels | partners
    for i, protocol in enumerate(definition.protocols):
        hook = "protocols_for_council"
        for j, party in enumerate(protocol.parties):
            if party not in parties:
                problems.append((hook, f"[{i}].parties[{j}]",
                                 f"{party!r} is neither a panel nor a partner body key"))
        for j, line in enumerate(protocol.reporting_lines):
            for end in ("from_party", "to_party"):
                if getattr(line, end) is not None and getattr(line, end) not in parties:
                    problems.append((hook, f"[{i}].reporting_lines[{j}].{end}",
                                     f"{getattr(line, end)!r} is neither a panel nor a "
                                     "partner body key"))
        for j, role in enumerate(protocol.roles):
            if role.party not in parties:
                problems.append((hook, f"[{i}].roles[{j}].party",
                                 f"{role.party!r} is neither a panel nor a partner body key"))
        if protocol.review_cycle and protocol.review_cycle not in cycles:
            problems.append((hook, f"[{i}].review_cycle",
                             f"{protocol.review_cycle!r} is not a review cycle key"))
        unique(hook, f"[{i}].joint_areas", (a.key for a in protocol.joint_areas))
        unique(hook, f"[{i}].reporting_lines", (r.key for r in protocol.reporting_lines))
    problems.extend(_indicator_problems(definition))
    return problems


def _indicator_problems(definition: CouncilDefinition) -> list[tuple[str, str, str]]:
    """Adopted measures that the default set does not have or that are adopted twice, own
    indicators whose key repeats (or is an adopted measure's), and priorities or pledges
    that do not exist."""
    hook, indicators = "indicators_for_council", definition.indicators
    problems: list[tuple[str, str, str]] = []
    priorities = {p.key for p in definition.priorities}
    pledges = {p.key for p in definition.pledges.items}

    def references(path: str, priority_keys: list[str], pledge_keys: list[str]) -> None:
        for j, key in enumerate(priority_keys):
            if key not in priorities:
                problems.append((hook, f"{path}.priorities[{j}]",
                                 f"{key!r} is not a priority key"))
        for j, key in enumerate(pledge_keys):
            if key not in pledges:
                problems.append((hook, f"{path}.pledges[{j}]", f"{key!r} is not a pledge key"))

    adopted: set[str] = set()
    for i, adoption in enumerate(indicators.adopt):
        path = f"adopt[{i}]"
        if adoption.measure not in MEASURES_BY_KEY:
            hint = did_you_mean(adoption.measure, MEASURES_BY_KEY)
            problems.append((hook, f"{path}.measure", f"{adoption.measure!r} is not a measure "
                             f"of the default set; {hint}use one of "
                             f"{', '.join(MEASURES_BY_KEY)}"))
        elif adoption.measure in adopted:
            problems.append((hook, f"{path}.measure", f"{adoption.measure!r} is adopted twice"))
        adopted.add(adoption.measure)
        references(path, adoption.priorities, adoption.pledges)
    seen: set[str] = set()
    for i, item in enumerate(indicators.items):
        path = f"items[{i}]"
        if item.key in seen:
            problems.append((hook, f"{path}.key", f"key {item.key!r} is used twice"))
        elif item.key in adopted:
            problems.append((hook, f"{path}.key", f"key {item.key!r} is an adopted measure's"))
        if item.key.startswith(LOCAL_KEY_PREFIX):
            problems.append((hook, f"{path}.key",
                             f"key {item.key!r}: keys starting with {LOCAL_KEY_PREFIX!r} are "
                             "reserved for items an administrator adds"))
        seen.add(item.key)
        references(path, item.priorities, item.pledges)
    return problems


