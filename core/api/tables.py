"""The API's lists as CSV: one row per item of the JSON, one column per field.

A spreadsheet has no nesting, so a list's rows are its JSON items flattened by the same
schema that dumps them: a nested object (a panel's meeting cycle) becomes one column per
field, named ``cycle.text``, ``cycle.every_months``; a list becomes one cell with an entry
per line (a list of objects gives each object's title, role, name, subject, party or key);
an object with free keys (a council's vocabulary) gives one ``name: value`` line each, by
name; ``null`` is an empty cell and booleans are ``true`` and ``false``, as in the JSON.

The file is written by :func:`core.downloads.rows_as_csv`: UTF-8 with a byte order mark
(so that Excel reads it as UTF-8), quoted by the csv module.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from marshmallow import Schema, fields

from core.downloads import CSV_MIMETYPE, rows_as_csv

__all__ = ["CSV_MIMETYPE", "columns", "csv_body"]
#: What an object in a list is named by in its cell, in order of preference.
NAMING_FIELDS = ("title", "role", "name", "subject", "party", "key")


def columns(schema: Schema, prefix: str = "") -> list[str]:
    """The CSV columns of ``schema``'s objects, in the schema's order."""
    names: list[str] = []
    for name, field in schema.dump_fields.items():
        key = f"{prefix}{field.data_key or name}"
        if isinstance(field, fields.Nested) and not field.many:
            names += columns(field.schema, f"{key}.")
        else:
            names.append(key)
    return names


def _cell(value: Any) -> str:
    kind = type(value)  # the common types first, without the ABCs' slower checks
    if kind is str:
        return value
    if value is None:
        return ""
    if kind is bool:  # bool has no subclasses
        return "true" if value else "false"
    if kind is int or kind is float:
        return str(value)
    if isinstance(value, Mapping):
        return "\n".join(f"{key}: {_cell(item)}" for key, item in sorted(value.items()))
    if isinstance(value, list | tuple):
        return "\n".join(_named(item) for item in value)
    return str(value)


def _named(item: Any) -> str:
    if isinstance(item, Mapping):
        for name in NAMING_FIELDS:
            if item.get(name) is not None:
                return str(item[name])
        return json.dumps(item, ensure_ascii=False)
    return _cell(item)


def _lookup(item: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = item
    for part in path:
        value = value.get(part) if type(value) is dict or isinstance(value, Mapping) else None
    return value


#: Where a schema instance keeps its CSV columns and row maker (as :mod:`core.api.dumping`
#: keeps its plan).
_PLAN = "_cpt_csv_plan"

Cells = Callable[[Mapping[str, Any]], list[str]]


def _plan(schema: Schema) -> tuple[list[str], Cells]:
    """``schema``'s CSV columns and the function giving an item's cells, made on first use
    and kept on the schema instance. Most columns are a field of the item itself, read by
    key; a nested object's are looked up along their path."""
    here = vars(schema)
    if _PLAN not in here:
        names = columns(schema)
        paths = [tuple(name.split(".")) for name in names]
        if all(len(path) == 1 for path in paths):
            keys = [path[0] for path in paths]

            def cells(item: Mapping[str, Any]) -> list[str]:
                get = item.get
                return [value if type(value := get(key)) is str else _cell(value)
                        for key in keys]
        else:
            def cells(item: Mapping[str, Any]) -> list[str]:
                return [_cell(_lookup(item, path)) for path in paths]
        here[_PLAN] = (names, cells)
    return here[_PLAN]


def csv_body(schema: Schema, items: Iterable[Mapping[str, Any]]) -> bytes:
    """``items`` (as ``schema`` dumped them) as a CSV file, header row first, in UTF-8
    with a byte order mark."""
    names, cells = _plan(schema)
    return rows_as_csv(names, map(cells, items))
