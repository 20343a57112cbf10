"""Small numbers: the one rule for showing a figure about children in public.

Official statistics never publish a count so small that it could point to a child. Every
public page, chart, table and export shows an indicator's figure through
:func:`suppress`:

- a count below the threshold (5 unless the deployment sets ``CPT_SMALL_NUMBER_THRESHOLD``)
  is shown as "fewer than 5", never as its number;
- a percentage whose base (the children it is a share of) is below the threshold is
  withheld, and so is a rate whose count of children is;
- a figure whose unit the source does not state is treated as a count.

Comparators (England, the region, statistical neighbours) are published figures for many
councils and are never suppressed. The admin shows figures as entered, to people who may
see them.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, has_app_context

#: Counts below this are suppressed when the deployment does not say otherwise.
DEFAULT_THRESHOLD = 5


def threshold() -> int:
    """The deployment's threshold (``SMALL_NUMBER_THRESHOLD``, from
    ``CPT_SMALL_NUMBER_THRESHOLD``), or :data:`DEFAULT_THRESHOLD` outside an app."""
    if not has_app_context():
        return DEFAULT_THRESHOLD
    return int(current_app.config.get("SMALL_NUMBER_THRESHOLD", DEFAULT_THRESHOLD))


@dataclass(frozen=True, slots=True)
class Shown:
    """A figure as the public may see it: its value, or ``None`` and why it is held back
    (``"fewer_than"`` for a small count, ``"withheld"`` for a share of a small base)."""

    value: float | None
    held_back: str | None = None

    @property
    def suppressed(self) -> bool:
        """Whether the figure is held back."""
        return self.held_back is not None


def suppress(unit: str | None, value: float | None, numerator: int | None = None,
             denominator: int | None = None, *, limit: int | None = None) -> Shown:
    """``value`` (with the ``numerator`` and ``denominator`` it comes from, where given) as
    the public may see it under the small-numbers rule; ``limit`` defaults to
    :func:`threshold`."""
    limit = threshold() if limit is None else limit
    if value is None:
        return Shown(None)
    if unit == "percentage":
        if denominator is not None and denominator < limit:
            return Shown(None, "withheld")
        return Shown(value)
    if unit == "rate_per_10000":
        if numerator is not None and numerator < limit:
            return Shown(None, "withheld")
        return Shown(value)
    if value < limit:
        return Shown(None, "fewer_than")
    return Shown(value)
