"""A minimal Flask-Admin app on the benchmark's database, for the admin comparison.

One ModelView: the list of a council's actions (``/admin/action/?council=<slug>``, 80
rows on one page). It runs in the comparison tools' virtualenv (``bench/.tools``, see
:mod:`bench.compare`), never the project's, served by gunicorn:
``BENCH_DATABASE_URL=… bench/.tools/bin/gunicorn -w 2 bench.flask_admin_app:app``. Tables
are reflected (automap), so it shares no code with the project. No sign-in: Flask-Admin
has none of its own.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, request
from flask_admin import Admin
from flask_admin.contrib.sqla import ModelView
from sqlalchemy import create_engine
from sqlalchemy.ext.automap import automap_base
from sqlalchemy.orm import scoped_session, sessionmaker

engine = create_engine(os.environ["BENCH_DATABASE_URL"])
Base: Any = automap_base()
Base.prepare(autoload_with=engine, reflection_options={"only": ["council", "pledge", "action"]})
Council, Action = Base.classes.council, Base.classes.action
session = scoped_session(sessionmaker(bind=engine))


class CouncilActions(ModelView):
    """A council's actions (the council named by ``?council=``), read-only."""

    can_create = can_edit = can_delete = False
    page_size = 80
    column_list = ("key", "wording", "officer", "due", "status", "status_on")
    column_default_sort = ("id", False)

    def _for_council(self, query: Any) -> Any:
        return query.join(Council, Council.id == Action.council_id).filter(
            Council.slug == request.args.get("council", ""), Action.archived_at.is_(None))

    def get_query(self) -> Any:
        """The listed rows: the council's actions only."""
        return self._for_council(super().get_query())

    def get_count_query(self) -> Any:
        """Their count, for the pager."""
        return self._for_council(super().get_count_query())


app = Flask(__name__)
app.secret_key = "benchmark"
admin = Admin(app, name="Flask-Admin benchmark")
admin.add_view(CouncilActions(Action, session, name="Actions", endpoint="action"))


@app.teardown_appcontext
def remove_session(_: BaseException | None) -> None:
    """Give the request's connection back."""
    session.remove()
