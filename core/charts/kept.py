"""Charts drawn when what they show changes, kept in the database for every process.

pygal takes 5–25 ms to draw a chart. Each process keeps what it drew
(:func:`core.charts.service.forget_drawings`), but a host of several workers and servers
draws each chart once in every process, and the first reader after a change always waits
for the drawing: at national scale, with a chart for every indicator of every council, most
requests for a chart were its first in that process.

So a chart whose figures change through the toolkit's own writes is drawn in the
transaction of that change, in the council's language, and kept in a row
(:class:`~core.charts.models.KeptDrawing`) by its subject, with the digest of everything
it was drawn from: the chart's kind, its title, labels, series and axis title (words
already translated), the drawing code's version (:data:`DRAWING_VERSION`) and pygal's. A
request for the chart works out what it would draw, as it must anyway, and its digest: the
kept drawing answers when the digests agree, and otherwise the chart is drawn as before (a
change made some other way, such as the council renamed, a page in another language, or
the drawing code changed). A kept drawing is therefore never stale, and no request writes.
"""

from __future__ import annotations

import functools
import hashlib
import zlib
from collections.abc import Callable, Sequence
from importlib.metadata import version

from sqlalchemy import bindparam, select

from core import row_reads
from core.charts.models import KeptDrawing
from core.charts.service import Series
from core.extensions import db

#: Raise when a change to the drawing code changes what a chart looks like for the same
#: figures: every kept drawing then stops matching, and is drawn again when next asked.
DRAWING_VERSION = 1

#: A chart drawing function's arguments: title, labels, series and axis title.
Drawn = Callable[[str, Sequence[str], Sequence[Series], str], bytes]

_KEPT = (select(KeptDrawing.digest, KeptDrawing.svg)
         .where(KeptDrawing.council_id == bindparam("council_id"),
                KeptDrawing.subject == bindparam("subject")))


@functools.cache
def _pygal_version() -> str:
    return version("pygal")


def digest_of(draw: Drawn, title: str, labels: Sequence[str], series: Sequence[Series],
              y_title: str) -> str:
    """The digest of everything ``draw`` would draw from (see the module's docstring)."""
    what = (DRAWING_VERSION, _pygal_version(), draw.__name__, str(title),
            tuple(str(label) for label in labels),
            tuple((str(one.name), tuple(one.values), one.colour) for one in series),
            str(y_title))
    return hashlib.sha256(repr(what).encode()).hexdigest()


def kept_or_drawn(council_id: int, subject: str, draw: Drawn, title: str,
                  labels: Sequence[str], series: Sequence[Series], y_title: str) -> bytes:
    """The chart ``draw`` draws from these arguments: the council's kept drawing of
    ``subject`` when it was drawn from the same (one statement), or drawn now."""
    kept = row_reads.rows(_KEPT, {"council_id": council_id, "subject": subject}).first()
    if kept is not None and kept.digest == digest_of(draw, title, labels, series, y_title):
        return zlib.decompress(kept.svg)
    return draw(title, labels, series, y_title)


def keep_drawing(council_id: int, subject: str, draw: Drawn, title: str,
                 labels: Sequence[str], series: Sequence[Series], y_title: str) -> bool:
    """Keep the chart as the council's drawing of ``subject``, in the session's
    transaction (the caller commits, with the change it was drawn for): drawn only when
    the drawing kept is missing or was drawn from something else. Whether it was drawn."""
    digest = digest_of(draw, title, labels, series, y_title)
    kept = db.session.scalar(select(KeptDrawing).where(KeptDrawing.council_id == council_id,
                                                       KeptDrawing.subject == subject))
    if kept is not None and kept.digest == digest:
        return False
    svg = zlib.compress(draw(title, labels, series, y_title), 1)
    if kept is None:
        db.session.add(KeptDrawing(council_id=council_id, subject=subject, digest=digest,
                                   svg=svg))
    else:
        kept.digest, kept.svg = digest, svg
    return True

