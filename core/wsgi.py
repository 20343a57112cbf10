"""The WSGI application for production servers: ``gunicorn -w 2 core.wsgi:app``.

Configured from the environment like ``cpt`` (``CPT_DATABASE_URL``, ``CPT_SECRET_KEY``,
``CPT_INSTANCE_PATH``); run ``cpt db upgrade`` and ``cpt sync`` before starting it.

Each worker imports this module, so each builds its own app and then settles the garbage
collector for serving (:func:`core.collector.settle_after_start_up`): what start-up made
frozen out of its way, and the youngest generation collected after more objects than a
request holds at once.
"""

from core.app import create_app
from core.collector import settle_after_start_up

app = create_app()
settle_after_start_up()
