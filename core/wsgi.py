"""The WSGI application for production servers: ``gunicorn -w 2 core.wsgi:app``.

Configured from the environment like ``cpt`` (``CPT_DATABASE_URL``, ``CPT_SECRET_KEY``,
``CPT_INSTANCE_PATH``); run ``cpt db upgrade`` and ``cpt sync`` before starting it.
"""

from core.app import create_app

app = create_app()
