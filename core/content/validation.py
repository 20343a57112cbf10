"""Validating what a plugin's hook returned against the shapes, with errors that name fields."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from functools import cache
from typing import Any, TypeVar

import marshmallow
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


def flatten_messages(messages: Any, path: str = "") -> dict[str, str]:
    """marshmallow's nested error messages as ``{"a.b[0].c": "message"}``."""
    if isinstance(messages, Mapping):
        flat: dict[str, str] = {}
        for name, value in messages.items():
            if isinstance(name, int):
                child = f"{path}[{name}]"
            elif name == "_schema":
                child = path
            else:
                child = f"{path}.{name}" if path else str(name)
            flat.update(flatten_messages(value, child))
        return flat
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return {path or "(value)": " ".join(messages)}
    return {path or "(value)": str(messages)}


@cache
def schema_for(shape: type[T]) -> marshmallow.Schema:
    """The marshmallow schema that validates and builds ``shape`` (one instance per shape)."""
    return class_schema(shape)()


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
        raise ContentError(flatten_messages(error.messages)) from None
