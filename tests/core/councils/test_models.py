"""The council's table: the lists of councils read from its index of active names."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import Select, text

from core.api.reads import COUNCILS
from core.councils.services import ACTIVE_BY_NAME
from core.extensions import db


@pytest.mark.parametrize("statement", [ACTIVE_BY_NAME, COUNCILS.statement.limit(100)],
                         ids=["home page", "API page"])
def test_the_lists_of_councils_are_read_in_order_from_the_index(
        app: Flask, statement: Select) -> None:
    """Without the index, either engine sorts every active council for a page of them.
    PostgreSQL is told to avoid sequential and bitmap scans: with four councils it would
    rightly prefer one, and a bitmap scan gives no order."""
    with app.app_context():
        connection = db.session.connection()
        sqlite = connection.dialect.name == "sqlite"
        if not sqlite:
            connection.execute(text("SET LOCAL enable_seqscan = off"))
            connection.execute(text("SET LOCAL enable_bitmapscan = off"))
        sql = str(statement.compile(connection, compile_kwargs={"literal_binds": True}))
        explain = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
        plan = " ".join(str(row[-1]) for row in connection.execute(text(explain + sql)))
        db.session.rollback()
    assert "ix_council_active_by_name" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan
