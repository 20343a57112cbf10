"""The WSGI application for production servers: ``gunicorn -w 2 core.wsgi:app``.

Configured from the environment like ``cpt`` (``CPT_DATABASE_URL``, ``CPT_SECRET_KEY``,
``CPT_INSTANCE_PATH``); run ``cpt db upgrade`` and ``cpt sync`` before starting it.

Each worker imports this module, so each builds its own app and then freezes what start-up
made (modules, classes, mappers, templates: over a hundred thousand objects that live as long
as the worker) out of the cyclic garbage collector's way. Unfrozen, every full collection
walked them all again, some tens of milliseconds in the middle of whichever request set it
off: the slowest requests of a busy worker (docs/performance.md). Start-up's own garbage is
collected first, so that none of it is kept for the worker's life.

The youngest generation is then collected after :data:`YOUNG_OBJECTS` more objects are
made than freed, rather than Python's 700. A page of a list (a hundred meetings with their
agendas, a council's actions as CSV) holds a few thousand objects at once, all freed by
their counts when the response is sent; at 700 the collector ran two or three times in
the middle of each such request, walking the objects being built (about 60 µs of an API
list's 1.7 ms), and found nothing to free. What a request does leave in reference cycles
is still collected, a few thousand requests later.
"""

import gc

from core.app import create_app

#: Objects made and not yet freed (tracked containers) before the youngest generation is
#: collected: more than a request of the largest page holds at once.
YOUNG_OBJECTS = 20_000

app = create_app()
gc.collect()
gc.freeze()
gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])
