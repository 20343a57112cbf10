"""The schema as the models declare it: what keeps it fast as the councils' rows grow."""

from __future__ import annotations

from sqlalchemy import PrimaryKeyConstraint, UniqueConstraint

from core import models  # noqa: F401  (every model, so that the metadata holds them all)
from core.extensions import db


def test_every_foreign_key_leads_an_index() -> None:
    """Deleting or erasing a parent row (a membership, a person, a meeting, a user) checks
    each table that refers to it: without an index led by the referring column, that check
    reads the whole table for every row deleted (deleting the memberships of scale 10's
    demo councils on PostgreSQL took over ten minutes)."""
    unindexed = []
    for table in db.metadata.sorted_tables:
        leading = {index.columns.values()[0].name for index in table.indexes}
        leading |= {constraint.columns.values()[0].name for constraint in table.constraints
                    if isinstance(constraint, PrimaryKeyConstraint | UniqueConstraint)
                    and constraint.columns}
        unindexed += [f"{table.name}.{key.columns.values()[0].name}"
                      for key in table.foreign_key_constraints
                      if key.columns.values()[0].name not in leading]
    assert unindexed == []
