"""Indicators a council's administrators add themselves: its own local measures.

Most indicators come from the council's plugin (``indicators_for_council``, written by
``cpt sync``). Personal education plans and other local measures are a council's own, so
its administrators may add one in the admin without writing a plugin. Such an indicator has
``origin`` ``local`` and the key ``local-<its title as a slug>``, a prefix plugins may not
use (:data:`core.plugins.LOCAL_KEY_PREFIX`), so ``cpt sync`` never touches it. It is
changed and archived only here; archiving takes it off the report card and the API and
keeps its figures. Its figures are entered and imported like any other indicator's.

Every write is audited (the ORM's flush records an indicator added; a change or an archive
is a conditional update, :func:`core.concurrency.save_if_unchanged`, which records its own
event) and gives the council a new revision, so the public pages are drawn again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field

from flask import abort
from sqlalchemy import select

from core.concurrency import commit_or_conflict, lock_for_write, save_if_unchanged
from core.extensions import db
from core.forms import FieldError, check_version
from core.indicators.models import Indicator, IndicatorFigure
from core.indicators.operations import keep_charts
from core.indicators.words import unit_label
from core.modelbase import ORIGIN_LOCAL, utcnow
from core.models import Council
from core.plugins import LOCAL_KEY_PREFIX
from core.translations import gettext as _

#: Where local indicators sit on the report card: after the plugin's, in the order added.
LOCAL_POSITION = 1000
#: The longest key the ``indicator.key`` column holds.
KEY_LENGTH = 100


class LocalIndicatorError(FieldError):
    """A local indicator that cannot be saved as asked; ``field`` names the form field."""


@dataclass(frozen=True, slots=True)
class LocalIndicatorValues:
    """What an administrator says of a local indicator (the shape the hook's
    :class:`core.content.Indicator` has, less the key, which is made from the title)."""

    title: str
    definition: str | None
    unit: str
    higher_is_better: bool | None
    period: str
    priorities: list[str] = field(default_factory=list)
    pledges: list[str] = field(default_factory=list)
    source: str | None = None


def local_key(title: str) -> str:
    """The key of a local indicator called ``title``: ``local-`` and the title's runs of
    lower case ASCII letters and digits (accents dropped) joined by hyphens, whatever else
    stands between them ("Care leavers we’re in touch with!" is
    ``local-care-leavers-we-re-in-touch-with``), cut to fit the column. Just the prefix
    when the title has no such letter or digit."""
    letters = "".join(char for char in unicodedata.normalize("NFKD", title.lower())
                      if not unicodedata.combining(char))  # "ŵ" is "w", "é" is "e"
    slug = re.sub(r"[^a-z0-9]+", "-", letters).strip("-")
    return LOCAL_KEY_PREFIX + slug[:KEY_LENGTH - len(LOCAL_KEY_PREFIX)].rstrip("-")


def local_indicator_or_404(council: Council, key: str) -> Indicator:
    """One live indicator of ``council`` added locally, or a 404 (a plugin's indicator is
    changed in its plugin, never here)."""
    found = db.session.scalar(select(Indicator).where(
        Indicator.council_id == council.id, Indicator.key == key,
        Indicator.origin == ORIGIN_LOCAL, Indicator.archived_at.is_(None)))
    if found is None:
        abort(404)
    return found


def _refuse(field_name: str, message: str) -> LocalIndicatorError:
    db.session.rollback()  # release the lock taken for the check
    return LocalIndicatorError(field_name, message)


def add_local_indicator(council: Council, values: LocalIndicatorValues) -> Indicator:
    """Add a local indicator to ``council``, keyed by its title (see :func:`local_key`).

    The council is held until the commit, so two added at once with the same title get
    one indicator and one clear refusal; a key in use (also by an archived indicator,
    whose figures keep it) is refused on the title.
    """
    key = local_key(values.title)
    if key == LOCAL_KEY_PREFIX:
        raise LocalIndicatorError("title", _("Enter a title with letters or numbers in it"))
    lock_for_write(council)
    taken = db.session.execute(select(Indicator.title, Indicator.archived_at).where(
        Indicator.council_id == council.id, Indicator.key == key)).first()
    if taken is not None:
        message = (_("The title gives the key %(key)s, which the archived indicator "
                     "“%(title)s” still uses: choose a different title", key=key,
                     title=taken.title) if taken.archived_at is not None
                   else _("The title gives the key %(key)s, which the indicator “%(title)s” "
                          "already uses: choose a different title", key=key,
                          title=taken.title))
        raise _refuse("title", message)
    indicator = Indicator(council_id=council.id, key=key, origin=ORIGIN_LOCAL,
                          position=LOCAL_POSITION, measure=None, named_in=None,
                          **asdict(values))
    db.session.add(indicator)
    commit_or_conflict()
    return indicator


def _has_figures(indicator: Indicator) -> bool:
    return db.session.scalar(select(IndicatorFigure.id).where(
        IndicatorFigure.council_id == indicator.council_id,
        IndicatorFigure.indicator_id == indicator.id).limit(1)) is not None


def change_local_indicator(indicator: Indicator, values: LocalIndicatorValues,
                           version: str | int | None) -> None:
    """Change a local indicator's words and settings (its key stays: figure files name
    it), if it is still at ``version`` (the one the form was filled from), else raise
    :class:`~core.forms.EditConflict` and save nothing. Its unit cannot change once it has
    figures, which were checked and entered in that unit."""
    check_version(indicator, None if version is None else str(version))
    if values.unit != indicator.unit and _has_figures(indicator):
        raise LocalIndicatorError("unit", _("Its figures were entered as %(unit)s: the unit "
                                            "cannot change while it has figures",
                                            unit=unit_label(indicator.unit).lower()))
    save_if_unchanged(indicator, version, **asdict(values))
    # its title and unit are the chart's title and axis
    keep_charts(indicator.council_id, [indicator.key])
    commit_or_conflict()


def archive_local_indicator(indicator: Indicator, version: str | int | None) -> None:
    """Take a local indicator off the report card, the API and the admin's list, keeping
    it and its figures (and so its key), if it is still at ``version``; else raise
    :class:`~core.forms.EditConflict`."""
    save_if_unchanged(indicator, version, archived_at=utcnow())
    commit_or_conflict()
