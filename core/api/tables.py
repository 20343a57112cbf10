"""The API's lists as CSV: one row per item of the JSON, one column per field.

A spreadsheet has no nesting, so a list's rows are its JSON items flattened by the same
schema that dumps them: a nested object (a panel's meeting cycle) becomes one column per
field, named ``cycle.text``, ``cycle.every_months``; a list becomes one cell with an entry
per line (a list of objects gives each object's title, role, name, subject, party or key);
an object with free keys (a council's vocabulary) gives one ``name: value`` line each, by
name; ``null`` is an empty cell and booleans are ``true`` and ``false``, as in the JSON.

The file is written by :func:`core.downloads.rows_as_csv`: UTF-8 with a byte order mark
(so that Excel reads it as UTF-8), quoted as the csv module quotes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from marshmallow import Schema, fields, missing, utils

from core.api import dumping
from core.downloads import CSV_MIMETYPE, csv_line, rows_as_csv

__all__ = ["CSV_MIMETYPE", "columns", "csv_body", "csv_body_of_lines", "csv_body_of_objects",
           "line_writer"]
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
    if kind is list or isinstance(value, list | tuple):  # text items, the most common, as they are
        return "\n".join([item if type(item) is str else _named(item) for item in value])
    if isinstance(value, Mapping):
        return "\n".join(f"{key}: {_cell(item)}" for key, item in sorted(value.items()))
    return str(value)


def _named(item: Any) -> str:
    if type(item) is dict or isinstance(item, Mapping):
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


#: Where a schema instance keeps its function giving an object's cells straight from the
#: object (``None``: the schema's objects are dumped first).
_OBJECT_PLAN = "_cpt_csv_object_plan"


def csv_body_of_objects(schema: Schema, objects: Iterable[Any]) -> bytes:
    """``objects`` as a CSV file, as :func:`csv_body` writes what ``schema`` (made with
    ``many``, as a list's is) dumps of them.

    Where every column is a field of the object itself (no nested object), read by
    attribute, and the rows are read by attribute (rows, records: :mod:`core.api.dumping`),
    each row's cells are written straight from the object by a function made once for
    the schema, rather than dumped as a dict first and then read back out of it (two
    thirds of a list's time as CSV). Anything else is dumped and written by
    :func:`csv_body`."""
    if not isinstance(objects, list | tuple):  # read twice below
        objects = list(objects)
    here = vars(schema)
    if _OBJECT_PLAN not in here:
        here[_OBJECT_PLAN] = _object_cells(schema)
    cells = here[_OBJECT_PLAN]
    if cells is None or not all(dumping.read_by_attribute(type(each)) for each in objects):
        return csv_body(schema, dumping.dumper(schema)(objects))
    return rows_as_csv(_plan(schema)[0], map(cells, objects))


#: Where a schema instance keeps its :func:`line_writer`.
_LINE_WRITER = "_cpt_csv_line_writer"


def line_writer(schema: Schema) -> Callable[[Any], str]:
    """The function writing one object's CSV line (without its line break) as
    :func:`csv_body_of_objects` writes it among ``schema``'s (made with ``many``), made
    once for the schema and kept on it: the same function for every request, so that a
    line kept by its row can be kept by the writer too (:meth:`core.api.listing.Paged.lines`)."""
    here = vars(schema)
    if _LINE_WRITER not in here:
        if _OBJECT_PLAN not in here:
            here[_OBJECT_PLAN] = _object_cells(schema)
        cells, dict_cells = here[_OBJECT_PLAN], _plan(schema)[1]
        dump = dumping.dumper(schema)

        def write(obj: Any) -> str:
            if cells is not None and dumping.read_by_attribute(type(obj)):
                return csv_line(cells(obj))
            return csv_line(dict_cells(dump([obj])[0]))
        here[_LINE_WRITER] = write
    return here[_LINE_WRITER]  # type: ignore[no-any-return]


def csv_body_of_lines(schema: Schema, lines: Iterable[str]) -> bytes:
    """A CSV file of ``schema``'s columns (the header row) and ``lines`` already written
    (by :func:`line_writer`), as :func:`csv_body_of_objects` writes it."""
    return "\r\n".join([csv_line(_plan(schema)[0]), *lines, ""]).encode("utf-8-sig")


def _object_cells(schema: Schema) -> Cells | None:
    """The function giving an object's cells as :func:`_plan`'s gives them from the
    object's dump: each field read as the dump reads it, turned into JSON's types as the
    dump does (text and values kept as they are without a call), then into a cell as
    :func:`_cell` does; a field the dump leaves out (missing, without a default) is an
    empty cell, as a key the dump lacks is. ``None`` when the schema's columns are not all
    its own fields (:func:`dumping.reads`)."""
    fields_read = dumping.reads(schema)
    if fields_read is None or [read.key for read in fields_read] != _plan(schema)[0]:
        return None
    names: dict[str, Any] = {"missing": missing, "cell": _cell,
                             "ensure_text": utils.ensure_text_type}
    lines = ["def cells(obj):"]
    for n, read in enumerate(fields_read):
        names.update({f"attribute{n}": read.attribute, f"default{n}": read.default,
                      f"convert{n}": read.convert})
        lines.append("    value = None" if read.attribute is None
                     else f"    value = getattr(obj, attribute{n}, missing)")
        if read.attribute is not None and read.default is not missing:
            lines += ["    if value is missing:",
                      f"        value = default{n}() if callable(default{n}) else default{n}"]
        if read.convert is dumping.TEXT:
            lines.append(f"    cell{n} = value if type(value) is str else '' if value is None "
                         "or value is missing else cell(ensure_text(value))")
            continue
        if read.convert is not dumping.SAME:
            lines.append(f"    value = missing if value is missing else convert{n}(value, obj)")
        lines.append(f"    cell{n} = value if type(value) is str else '' if value is None "
                     "or value is missing else cell(value)")
    lines.append(f"    return [{', '.join(f'cell{n}' for n in range(len(fields_read)))}]")
    exec(compile("\n".join(lines), f"<cells of {len(fields_read)} fields>", "exec"), names)
    return names["cells"]  # type: ignore[no-any-return]
