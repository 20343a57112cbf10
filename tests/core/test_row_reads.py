"""Statements of columns past the ORM (core/row_reads.py): rows as named tuples give each
column by name and by position, as the row does, one class for each set of names."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from core import row_reads
from core.models import Council


def test_tuples_give_what_the_rows_give_by_name_and_position(app: Flask) -> None:
    statement = (select(Council.slug, Council.name.label("title"))
                 .order_by(Council.slug))
    with app.app_context():
        rows = row_reads.rows(statement).all()
        tuples = row_reads.tuples(statement)
        again = row_reads.tuples(statement)
    assert rows and [tuple(row) for row in rows] == [tuple(each) for each in tuples]
    assert [(row.slug, row.title) for row in rows] == [(t.slug, t.title) for t in tuples]
    assert type(tuples[0]) is type(again[0])
    assert type(tuples[0])._fields == ("slug", "title")
