"""The benchmark's floor as issue 11 defines it: a minimal Flask app, on the same server,
returning 20 KB.

Nothing but Flask: no session interface of the project's, no hooks, no extensions, no
database. Its one route is the project's own floor page (:mod:`core.bench.floor`, the same
20 KB), so that the only difference from the app's floor route is what the app does on
every request. ``bench/run.py`` serves it with the same gunicorn (2 sync workers) from the
project's virtualenv; every ratio to "the floor" is to this app.
"""

from __future__ import annotations

from flask import Flask

from core.bench.floor import floor

app = Flask(__name__)
app.register_blueprint(floor)
