"""How a serving process sets Python's cyclic garbage collector once its app is built.

What start-up made (modules, classes, mappers, templates: over a hundred thousand objects
that live as long as the process) is frozen out of the collector's way. Unfrozen, every
full collection walked them all again, some tens of milliseconds in the middle of whichever
request set it off: the slowest requests of a busy worker (docs/performance.md). Start-up's
own garbage is collected first, so that none of it is kept for the process's life.

The youngest generation is then collected after :data:`YOUNG_OBJECTS` more objects are
made than freed, rather than Python's 700. A page of a list (a hundred meetings with their
agendas, a council's actions as CSV) holds a few thousand objects at once, all freed by
their counts when the response is sent; at 700 the collector ran two or three times in the
middle of each such request, walking the objects being built (about 60 µs of an API list's
1.7 ms), and found nothing to free. What a request does leave in reference cycles is still
collected, a few thousand requests later; pages leave none of their own
(``tests/core/test_web.py``).
"""

from __future__ import annotations

import gc

#: Objects made and not yet freed (tracked containers) before the youngest generation is
#: collected: more than a request of the largest page holds at once.
YOUNG_OBJECTS = 20_000


def settle_after_start_up() -> None:
    """Collect start-up's garbage, freeze what is left, and collect the youngest
    generation after :data:`YOUNG_OBJECTS` objects: once the app is built, before serving."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])
