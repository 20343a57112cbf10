"""The shapes of a council's indicators: the report card its board reviews.

An indicator is an aggregate figure about the children a council looks after (never a
child's record). A council names its indicators through ``indicators_for_council``
(:class:`IndicatorSet`): it adopts measures of the core's default set by key
(:data:`core.content.measures.MEASURES`, the Department for Education's published measures
from the SSDA903 return) and adds its own (:class:`Indicator`). Figures are operational
data, entered or imported in the admin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from marshmallow import ValidationError, validates

#: What an indicator's figures count: a number of children, a percentage, or a rate per
#: 10,000 children.
Unit = Literal["count", "percentage", "rate_per_10000"]
#: How often an indicator has a figure.
Period = Literal["month", "quarter", "year"]


@dataclass(frozen=True, kw_only=True)
class Indicator:
    """One indicator, in the council's (or the Department for Education's) words.

    ``unit``, ``higher_is_better`` and ``period`` are ``None`` where the source does not
    say: then figures are shown without a red/amber/green judgement (which needs a
    direction), and small numbers are treated as counts (suppressed below the threshold).
    """

    key: str
    title: str
    #: What is counted, in words a board member can follow.
    definition: str | None = None
    unit: Unit | None = None
    higher_is_better: bool | None = None
    period: Period | None = None
    #: Keys of the strategy's priorities the indicator evidences.
    priorities: list[str] = field(default_factory=list)
    #: Keys of the pledges or promises the indicator evidences.
    pledges: list[str] = field(default_factory=list)
    #: Where the figures come from, e.g. the council's SSDA903 return or a published release.
    source: str | None = None


@dataclass(frozen=True, kw_only=True)
class AdoptedMeasure:
    """A measure of the core's default set that the council reports, by its key, with
    what it evidences in the council's own plan."""

    measure: str
    priorities: list[str] = field(default_factory=list)
    pledges: list[str] = field(default_factory=list)
    #: Where the council's own documents name the measure (a citation), if anywhere.
    named_in: str | None = None


@dataclass(frozen=True, kw_only=True)
class RagRule:
    """How a figure is judged red, amber or green against its target
    (see :mod:`core.indicators.rag`).

    Green when the figure meets its target or beats it in the better direction; amber when
    it falls short by no more than ``amber_within_percent`` per cent of the target; red
    when it falls further short.
    """

    amber_within_percent: int = 10

    @validates("amber_within_percent")
    def _amber(self, value: int, **_: Any) -> None:
        if not 0 <= value <= 100:
            raise ValidationError("Give a whole number of per cent from 0 to 100.")


@dataclass(frozen=True, kw_only=True)
class IndicatorSet:
    """The council's indicators: measures of the default set it adopts, its own, and its
    red/amber/green rule. Say nothing and the council reports no indicators."""

    adopt: list[AdoptedMeasure] = field(default_factory=list)
    items: list[Indicator] = field(default_factory=list)
    rag: RagRule = field(default_factory=RagRule)
