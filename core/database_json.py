"""An item's JSON, as its marshmallow schema dumps it, written by the database.

An API list of a council's actions, or of its meetings with their agendas, is hundreds of
items of plain fields. Read as rows, each column of each item became a Python value (a
date parsed from its text, a JSON column parsed into a list), was dumped field by field
(:mod:`core.api.dumping`) and written out again by orjson: most of the list's time, for
values the database holds already as text. Both engines write JSON themselves, so for a
schema of plain fields :func:`json_of` gives the expression of one item's JSON, and the
API sends that text as it comes (an ``orjson.Fragment``, which orjson writes as it is).

What the database writes is what the schema dumps, key for key and value for value:

- the expression is made from the schema's own fields (each field's key, the attribute
  it reads, its type), once, at import; a field whose value the database cannot write as
  marshmallow would is refused there, naming the schema, the field and why;
- the fields it writes are text (``String``: the column's text), whole numbers
  (``Integer``), days (``Date``: ``YYYY-MM-DD``, as SQLite stores a date and as
  PostgreSQL writes one in JSON whatever its ``DateStyle``) and lists of text kept in a
  JSON column (``List(String())``; what the column holds is taken to be such a list, as
  everything that writes those columns writes them); null stays null. A column whose
  type changes its values as they are read (an ``Enum``, a ``TypeDecorator``) is refused:
  the database would write what it stores, not what Python reads;
- keys come in the order the app's JSON provider writes them, sorted
  (:mod:`core.json_provider`);
- SQLite writes it with ``json_object`` (a JSON column through ``json()``, so that it is
  embedded, not quoted). PostgreSQL writes a row of the values, each named by its key,
  with ``row_to_json`` (a JSON column's value embedded as it is), read as text (its
  ``json`` result would be parsed back into Python by psycopg): ``json_build_object``
  works out how to write each argument on every row;
- ``tests/core/test_database_json.py`` holds the two equal for every item of the
  reference councils and for any text, on both engines.

Both engines write compact JSON, as orjson does. What a JSON reader cannot see may
differ from orjson's: the escape each engine chooses for a control character, and a JSON
column's value, which comes as it was stored (the standard library's ``json.dumps``:
``\\uXXXX`` escapes, and on PostgreSQL a space after each comma).

An expression printed without a database (``str(statement)``) shows the object as
``cpt_json_object(...)``; compiled for another database it is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, fields
from sqlalchemy import JSON, Date, Enum, Integer, String, Text, TypeDecorator, cast
from sqlalchemy.exc import CompileError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement, literal_column
from sqlalchemy.sql.compiler import SQLCompiler, StrSQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeEngine


class _JsonObject(FunctionElement[str]):
    """An object of keys and values, written as JSON text by the database."""

    type = Text()
    name = "cpt_json_object"
    inherit_cache = True


class _Embedded(FunctionElement[Any]):
    """A JSON column's value as JSON inside an object (not as the text of it)."""

    name = "cpt_embedded_json"
    inherit_cache = True


@compiles(_JsonObject, "sqlite")
def _sqlite_object(element: _JsonObject, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_object({compiler.process(element.clauses, **kw)})"


@compiles(_JsonObject, "postgresql")
def _postgresql_object(element: _JsonObject, compiler: SQLCompiler, **kw: Any) -> str:
    # One row of the values named by their keys, written by row_to_json: it looks up how to
    # write each column once for the statement. json_build_object looks that up for each
    # argument on every row, and text put together from each value's to_json makes a new
    # string at every join: a page of a council's 80 actions took PostgreSQL 0.32 ms with
    # the joins, 0.27 with this (pgbench, prepared; json_build_object was slower still).
    clauses = list(element.clauses)
    named = ", ".join(
        f"{compiler.process(value, **kw)} AS "
        f"{compiler.preparer.quote_identifier(key.name.strip(chr(39)))}"
        for key, value in zip(clauses[::2], clauses[1::2], strict=True))
    return f"(SELECT CAST(row_to_json(cpt_item) AS TEXT) FROM (SELECT {named}) AS cpt_item)"


@compiles(_Embedded, "sqlite")
def _sqlite_embedded(element: _Embedded, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json({compiler.process(element.clauses, **kw)})"


@compiles(_Embedded, "postgresql")
def _postgresql_embedded(element: _Embedded, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(_JsonObject)
@compiles(_Embedded)
def _elsewhere(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> str:
    if type(compiler) is StrSQLCompiler:  # printed, for a reader: the generic form
        return compiler.visit_function(element, **kw)
    raise CompileError("JSON written by the database is made for SQLite and PostgreSQL, "
                       f"not {compiler.dialect.name}")


def json_text(column: ColumnElement[Any]) -> ColumnElement[str]:
    """A JSON column's value as the text it is kept as, under the column's name: for a
    statement that repeats one row's value on many (a pledge's on the row of each of its
    actions, a panel's on each of its seats'), for the caller to parse once a row of its
    own (:data:`core.json_provider.loads`), where psycopg's loader or SQLAlchemy's
    processor would parse it on every row: the API's page of pledges parsed eighty lists
    of principles for ten pledges, a tenth of its time in the worker on PostgreSQL."""
    return cast(column, Text).label(column.key)


#: The longest key written (PostgreSQL's longest name: it names a column by the key).
LONGEST_KEY = 63


class UnwritableField(TypeError):
    """A schema's field whose value the database cannot write as marshmallow would."""


#: The column types each field type is written from.
_WRITTEN_FROM: dict[type[fields.Field], type[TypeEngine[Any]]] = {
    fields.String: String, fields.Integer: Integer, fields.Date: Date}


def _value(schema: Schema, name: str, field: fields.Field, column: ColumnElement[Any]
           ) -> ColumnElement[Any]:
    """``column`` as the value of ``field`` in the object's JSON."""
    kind, written = type(field), column.type
    where = f"{type(schema).__name__}.{name}"
    if isinstance(written, Enum | TypeDecorator):
        raise UnwritableField(f"{where}: its {type(written).__name__} column changes its "
                              "values as they are read, which the database would not")
    if kind is fields.List:
        inner = field.inner  # type: ignore[attr-defined]
        if type(inner) is not fields.String or not isinstance(written, JSON):
            raise UnwritableField(f"{where}: only a list of text kept in a JSON column is "
                                  f"written by the database, not {inner!r} from {written!r}")
        return _Embedded(column)
    wanted = _WRITTEN_FROM.get(kind)
    if wanted is None:
        raise UnwritableField(f"{where}: a {kind.__name__} field is not written by the "
                              "database (text, whole numbers, days and lists of text are)")
    if kind is fields.Integer and field.as_string:  # type: ignore[attr-defined]
        raise UnwritableField(f"{where}: a number written as text is not written by the "
                              "database")
    if kind is fields.Date and field.format not in (None, "iso"):  # type: ignore[attr-defined]
        raise UnwritableField(f"{where}: a day in the format {field.format!r} is not "  # type: ignore[attr-defined]
                              "written by the database (only ISO's)")
    if not isinstance(written, wanted):
        raise UnwritableField(f"{where}: a {kind.__name__} field is written from a "
                              f"{wanted.__name__} column, not {written!r}")
    return column


def json_of(schema: Schema, columns: Mapping[str, ColumnElement[Any]]) -> ColumnElement[str]:
    """The JSON text of what ``schema.dump`` gives for an object whose attributes are the
    values of ``columns`` (by the attribute each field reads), written by the database
    (see the module). Raises :class:`UnwritableField` for a field it cannot write or a
    column missing, naming the schema and the field."""
    pairs: list[ColumnElement[Any]] = []
    written = sorted((name if field.data_key is None else field.data_key, name, field)
                     for name, field in schema.dump_fields.items())
    for key, name, field in written:
        attribute = field.attribute or name
        if attribute not in columns:
            raise UnwritableField(f"{type(schema).__name__}.{name}: no column given for "
                                  f"its attribute {attribute!r}")
        if not key.isidentifier():  # written into the SQL as it is
            raise UnwritableField(f"{type(schema).__name__}.{name}: the key {key!r} is not "
                                  "a plain name")
        if len(key.encode()) > LONGEST_KEY:  # PostgreSQL would cut the column's name
            raise UnwritableField(f"{type(schema).__name__}.{name}: the key {key!r} is "
                                  f"longer than {LONGEST_KEY} bytes")
        pairs += [literal_column(f"'{key}'"), _value(schema, name, field, columns[attribute])]
    return _JsonObject(*pairs)
