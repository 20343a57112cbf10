"""The WSGI application for production servers: ``gunicorn -w 2 core.wsgi:app``.

Configured from the environment like ``cpt`` (``CPT_DATABASE_URL``, ``CPT_SECRET_KEY``,
``CPT_INSTANCE_PATH``); run ``cpt db upgrade`` and ``cpt sync`` before starting it.

Each worker imports this module, so each builds its own app and then freezes what start-up
made (modules, classes, mappers, templates: over a hundred thousand objects that live as long
as the worker) out of the cyclic garbage collector's way. Unfrozen, every full collection
walked them all again, some tens of milliseconds in the middle of whichever request set it
off: the slowest requests of a busy worker (docs/performance.md). Start-up's own garbage is
collected first, so that none of it is kept for the worker's life.
"""

import gc

from core.app import create_app

app = create_app()
gc.collect()
gc.freeze()
