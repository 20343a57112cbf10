"""The one red/amber/green rule for a figure against its target, and its words.

The rule (the core's default, :data:`DEFAULT_RAG_RULE`, or the council's own, from the
``rag`` table of its indicators, stored in ``Council.rag_rule`` by ``cpt sync``):

- **green** when the figure meets its target or beats it in the indicator's better
  direction;
- **amber** when it falls short by no more than ``amber_within_percent`` per cent of the
  target (10 by default);
- **red** when it falls further short.

No judgement is made when the figure or the target is missing, when the indicator does not
say whether higher is better, or when the figure is held back as a small number (a
judgement would hint at it).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from enum import StrEnum
from functools import lru_cache
from typing import Any

from core.content import RagRule
from core.content.validation import ContentError, validate
from core.councils.models import Council
from core.translations import gettext as _
from core.translations import lazy_gettext as _l

log = logging.getLogger(__name__)

#: The core's rule, for a council whose plugin states none (``Council.rag_rule`` NULL).
DEFAULT_RAG_RULE = RagRule()


class Rag(StrEnum):
    """A figure's judgement against its target."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"


#: How each judgement is named on the pages (always in words, never by colour alone).
RAG_LABELS = {Rag.GREEN: _l("Green: target met"), Rag.AMBER: _l("Amber: close to target"),
              Rag.RED: _l("Red: short of target")}


def judge(value: float | None, target: float | None, higher_is_better: bool | None,
          rule: RagRule = DEFAULT_RAG_RULE) -> Rag | None:
    """The judgement of ``value`` against ``target`` under ``rule`` (see the module's
    docstring), or ``None`` when none can be made."""
    if value is None or target is None or higher_is_better is None:
        return None
    shortfall = (target - value) if higher_is_better else (value - target)
    if shortfall <= 0:
        return Rag.GREEN
    if shortfall <= abs(target) * rule.amber_within_percent / 100:
        return Rag.AMBER
    return Rag.RED


def describe(rule: RagRule) -> str:
    """The rule in plain words, from its own parameters."""
    return _("Green when the latest figure meets its target or does better; amber when it "
             "falls short by no more than %(percent)d%% of the target; red when it falls "
             "further short. No judgement is made without a target, for an indicator where "
             "neither higher nor lower is better, or for a figure held back as a small "
             "number.", percent=rule.amber_within_percent)


@lru_cache(maxsize=256)
def _parse(text: str) -> RagRule:
    return validate(RagRule, json.loads(text))


def rag_rule_from_json(data: Mapping[str, Any] | None) -> RagRule:
    """The rule stored as JSON (``Council.rag_rule``); ``None`` gives the default. Raises
    :class:`~core.content.ContentError` naming each field that is wrong."""
    if data is None:
        return DEFAULT_RAG_RULE
    return _parse(json.dumps(dict(data), sort_keys=True))


def council_rag_rule(council: Council) -> RagRule:
    """The rule ``council`` uses; a stored rule that no longer validates is logged and the
    default is used (and described)."""
    try:
        return rag_rule_from_json(council.rag_rule)
    except ContentError as error:
        log.error("Council %s: its stored red/amber/green rule is not valid (%s); using the "
                  "core's default rule.", council.slug, error)
        return DEFAULT_RAG_RULE
