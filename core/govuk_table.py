"""GOV.UK Frontend's table, written by Python for the shapes the pages use.

The library's ``govukTable`` macro costs 12–17 us a cell in Jinja (a ``{% set %}`` block,
an attributes macro and half a dozen attribute lookups on ``Undefined`` per cell), so a
table of a hundred cells was most of a page's render. :func:`table_markup` writes the same
elements, classes and text for the parameters the pages give (caption and its classes,
classes, ``firstCellIsHeader``, a head and rows of cells with ``text`` or ``html``,
``format``, ``classes``, ``colspan`` and ``rowspan``, and attributes of text values on the
table and its cells, such as a row's anchor), in about a tenth of the time. It answers
``None`` for anything else (an attribute that is a boolean, a number or an option's
mapping, an unknown key, parameters or cells that are not plain dicts: Jinja looks an
attribute up before a key, so another mapping could answer differently), and the caller
then renders the library's macro, which stays the definition:
``tests/core/test_govuk_table.py`` compares the two, whitespace between tags aside, for
every shape this module writes.

The rules follow the macro: a falsy ``caption``, ``head``, ``classes`` or cell option is
left out; a falsy row is skipped; a cell's ``html`` is written as it is when truthy, else
its ``text`` is escaped (a missing ``text`` writes nothing, ``None`` writes "None", as
Jinja does).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

#: The table's parameters written here; any other makes :func:`table_markup` answer None.
TABLE_KEYS = frozenset({"caption", "captionClasses", "classes", "firstCellIsHeader", "head",
                        "rows", "attributes"})
#: A cell's parameters written here (``attributes`` only of text values).
CELL_KEYS = frozenset({"text", "html", "format", "classes", "colspan", "rowspan",
                       "attributes"})


class _Unwritten(Exception):
    """A parameter this module does not write: the library's macro renders the table."""


def _content(cell: Mapping[str, Any]) -> str:
    """A cell's content as the macro writes it: ``html`` as given, else ``text`` escaped."""
    html = cell.get("html")
    if html:
        return Markup(html)
    return escape(cell["text"]) if "text" in cell else ""


def _attributes(attributes: Any) -> str:
    """``attributes`` as the library's ``govukAttributes`` writes a dict of text values:
    `` name="value"`` each, both escaped (leading space included; nothing for a falsy
    one). Any other value (a boolean, a number, an option's mapping) is left to it."""
    if not attributes:
        return ""
    if type(attributes) is not dict:
        raise _Unwritten
    written = ""
    for name, value in attributes.items():
        if not isinstance(value, str):
            raise _Unwritten
        written += f' {escape(name)}="{escape(value)}"'
    return written


def _options(cell: Mapping[str, Any]) -> str:
    """A cell's ``colspan``, ``rowspan`` and other attributes (leading space included)."""
    if type(cell) is not dict or not CELL_KEYS.issuperset(cell):
        raise _Unwritten
    written = ""
    if cell.get("colspan"):
        written += f' colspan="{escape(cell["colspan"])}"'
    if cell.get("rowspan"):
        written += f' rowspan="{escape(cell["rowspan"])}"'
    return written + _attributes(cell.get("attributes"))


def _classes(base: str, cell: Mapping[str, Any], modifier: str | None) -> str:
    """``base``, its ``format`` modifier (as ``base--format``) when ``modifier`` is asked
    for, and the cell's own classes."""
    written = base
    if modifier is not None and cell.get("format"):
        written += f" {base}--{escape(cell['format'])}"
    if cell.get("classes"):
        written += f" {escape(cell['classes'])}"
    return written


def _head(cells: Sequence[Mapping[str, Any]]) -> list[str]:
    """The ``<thead>``: one column header per cell."""
    parts = ['<thead class="govuk-table__head"><tr class="govuk-table__row">']
    for cell in cells:
        options = _options(cell)
        classes = _classes("govuk-table__header", cell, "format")
        parts.append(f'<th scope="col" class="{classes}"{options}>{_content(cell)}</th>')
    parts.append("</tr></thead>")
    return parts


#: The class attribute of a data cell by its ``format`` (made once for each format met).
_CELL_CLASSES: dict[str, str] = {}


def _plain_cell(cell: Any) -> str | None:
    """A data cell of the commonest shapes (``text`` alone, ``html`` alone, or ``text``
    with a ``format``), written without the general path's lookups; None for any other."""
    if type(cell) is not dict:
        return None
    size = len(cell)
    if size == 1:
        if "text" in cell:
            return f'<td class="govuk-table__cell">{escape(cell["text"])}</td>'
        if "html" in cell:
            return f'<td class="govuk-table__cell">{cell["html"] or ""}</td>'
    elif size == 2 and "text" in cell and "format" in cell:
        format_ = cell["format"]
        if format_ and type(format_) is str:
            classes = _CELL_CLASSES.get(format_)
            if classes is None:
                classes = _CELL_CLASSES[format_] = (
                    f"govuk-table__cell govuk-table__cell--{escape(format_)}")
            return f'<td class="{classes}">{escape(cell["text"])}</td>'
    return None


def _row(cells: Sequence[Mapping[str, Any]], first_is_header: bool) -> str:
    """One body row: a row header first when ``first_is_header``, then data cells."""
    parts = ['<tr class="govuk-table__row">']
    data = cells
    if first_is_header and cells:
        cell = cells[0]
        options = _options(cell)
        classes = _classes("govuk-table__header", cell, None)
        parts.append(f'<th scope="row" class="{classes}"{options}>{_content(cell)}</th>')
        data = cells[1:]
    for cell in data:
        written = _plain_cell(cell)
        if written is None:
            options = _options(cell)
            classes = _classes("govuk-table__cell", cell, "format")
            written = f'<td class="{classes}"{options}>{_content(cell)}</td>'
        parts.append(written)
    parts.append("</tr>")
    return "\n".join(parts)


def table_markup(params: Mapping[str, Any]) -> Markup | None:
    """The markup ``govukTable(params)`` writes, or None when ``params`` uses anything this
    module does not write (the caller then renders the library's macro)."""
    if type(params) is not dict or not TABLE_KEYS.issuperset(params):
        return None
    head, rows = params.get("head"), params.get("rows", ())
    if (head and not isinstance(head, list | tuple)) or not isinstance(rows, list | tuple):
        return None
    try:
        parts = [f'<table class="{_classes("govuk-table", params, None)}"'
                 f'{_attributes(params.get("attributes"))}>']
        if params.get("caption"):
            classes = "govuk-table__caption"
            if params.get("captionClasses"):
                classes += f" {escape(params['captionClasses'])}"
            parts.append(f'<caption class="{classes}">{escape(params["caption"])}</caption>')
        if head:
            parts.extend(_head(head))
        parts.append('<tbody class="govuk-table__body">')
        first_is_header = bool(params.get("firstCellIsHeader"))
        for row in rows:
            if row:
                if isinstance(row, str) or not isinstance(row, list | tuple):
                    return None
                parts.append(_row(row, first_is_header))
    except _Unwritten:
        return None
    parts.append("</tbody></table>")
    return Markup("\n".join(parts))
