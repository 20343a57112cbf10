"""The shapes council plugins return, and the helpers they may use.

Plugins import only :mod:`core` (for ``hookimpl`` and ``CouncilFile``) and this package.
Every shape is a frozen dataclass; :func:`validate` turns what a hook returned (a shape, or
the same data as plain dicts and lists, e.g. read from TOML) into shapes, or raises
:class:`ContentError` naming each field that is wrong.
"""

from core.content.indicators import AdoptedMeasure, Indicator, IndicatorSet, RagRule
from core.content.principles import STATUTORY_PRINCIPLES, StatutoryPrinciple
from core.content.shapes import (
    Action,
    Council,
    JointArea,
    MeetingCycle,
    MembershipFinding,
    MembershipView,
    Panel,
    PartnerBody,
    Pledge,
    PledgeSet,
    Priority,
    Protocol,
    Quorum,
    Quote,
    ReportingLine,
    ReviewCycle,
    Role,
    Seat,
    Section,
    Signatory,
    StandingItem,
    Statement,
    StatusRule,
    Strategy,
    Timeline,
    Vocabulary,
)
from core.content.validation import ContentError, validate

__all__ = [
    "STATUTORY_PRINCIPLES",
    "Action",
    "AdoptedMeasure",
    "ContentError",
    "Council",
    "Indicator",
    "IndicatorSet",
    "JointArea",
    "MeetingCycle",
    "MembershipFinding",
    "MembershipView",
    "Panel",
    "PartnerBody",
    "Pledge",
    "PledgeSet",
    "Priority",
    "Protocol",
    "Quorum",
    "Quote",
    "RagRule",
    "ReportingLine",
    "ReviewCycle",
    "Role",
    "Seat",
    "Section",
    "Signatory",
    "StandingItem",
    "Statement",
    "StatusRule",
    "StatutoryPrinciple",
    "Strategy",
    "Timeline",
    "Vocabulary",
    "validate",
]
