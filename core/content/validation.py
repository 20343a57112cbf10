"""Validating what a plugin's hook returned against the shapes, with errors that name fields.

Validation is strict, as docs/plugins.md promises: a value of the wrong type is refused, not
coerced (``count = "8"`` or ``chair = "yes"`` are errors, not 8 and true), and an unknown
field says which fields were expected and which one was probably meant.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping
from functools import cache
from typing import Any, TypeVar

import marshmallow
from marshmallow import fields
from marshmallow_dataclass import class_schema

T = TypeVar("T")


class ContentError(ValueError):
    """What a plugin returned does not fit its shape.

    ``problems`` maps a field path such as ``items[2].actions[0].officer`` to what is
    wrong with it; ``str()`` lists them one per line.
    """

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems.items()))


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    return f"a {type(value).__name__}"


class StrictInteger(fields.Integer):
    """A whole number, given as one: never text such as ``"8"``, nor true or false."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise marshmallow.ValidationError(
                f"Not a valid integer: got {_kind(value)}; write a whole number without "
                "quotes.")
        return value


class StrictBoolean(fields.Boolean):
    """``true`` or ``false``, given as one: never text such as ``"yes"``, nor 1 or 0."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise marshmallow.ValidationError(
                f"Not a valid boolean: got {_kind(value)}; write true or false without "
                "quotes.")
        return value


class StrictSchema(marshmallow.Schema):
    """The base of every shape's schema: numbers and booleans are never coerced."""

    TYPE_MAPPING = {**marshmallow.Schema.TYPE_MAPPING,  # noqa: RUF012
                    int: StrictInteger, bool: StrictBoolean}


def _child_schema(schema: marshmallow.Schema | None, name: str) -> marshmallow.Schema | None:
    """The schema of a nested field (or of a list's items), if ``name`` is one."""
    field = schema.fields.get(name) if schema is not None else None
    if isinstance(field, fields.List):
        field = field.inner
    return field.schema if isinstance(field, fields.Nested) else None


def _unknown_field(name: str, schema: marshmallow.Schema) -> str:
    expected = sorted(field.data_key or key for key, field in schema.fields.items()
                      if not field.dump_only)
    close = difflib.get_close_matches(name, expected, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return f"Unknown field.{hint} Expected some of: {', '.join(expected)}."


def flatten_messages(messages: Any, path: str = "",
                     schema: marshmallow.Schema | None = None) -> dict[str, str]:
    """marshmallow's nested error messages as ``{"a.b[0].c": "message"}``.

    With the ``schema`` that gave them, an unknown field's message lists the fields
    expected there and suggests the nearest.
    """
    if isinstance(messages, Mapping):
        flat: dict[str, str] = {}
        for name, value in messages.items():
            child_schema = schema
            if isinstance(name, int):
                child = f"{path}[{name}]"
            elif name == "_schema":
                child = path
            else:
                child = f"{path}.{name}" if path else str(name)
                if (schema is not None and name not in schema.fields
                        and value == ["Unknown field."]):
                    flat[child] = _unknown_field(str(name), schema)
                    continue
                child_schema = _child_schema(schema, str(name))
            flat.update(flatten_messages(value, child, child_schema))
        return flat
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return {path or "(value)": " ".join(messages)}
    return {path or "(value)": str(messages)}


@cache
def schema_for(shape: type[T]) -> marshmallow.Schema:
    """The marshmallow schema that validates and builds ``shape`` (one instance per shape)."""
    return class_schema(shape, base_schema=StrictSchema)()


def as_data(value: Any) -> Any:
    """Shapes as plain data (dataclasses become dicts, tuples lists); other values as they are."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, list | tuple):
        return [as_data(item) for item in value]
    return value


def validate(shape: type[T], value: Any, *, many: bool = False) -> Any:
    """``value`` (a shape or plain data) checked and built as ``shape``, or :class:`ContentError`.

    Shapes are turned back into plain data first so that a dataclass a plugin built by hand
    is checked exactly as the same content read from a data file would be.
    """
    if many and not isinstance(value, list | tuple):
        raise ContentError({"(value)": f"Expected a list of {shape.__name__}, got "
                            f"{type(value).__name__}."})
    data = as_data(value)
    try:
        return schema_for(shape).load(data, many=many)
    except marshmallow.ValidationError as error:
        raise ContentError(flatten_messages(error.messages, schema=schema_for(shape))) from None
