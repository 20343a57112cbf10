"""A marshmallow schema's dump, planned once: the same output as ``schema.dump`` in a
fraction of the time.

marshmallow decides, for every field of every object, how to read the value and how to
write it: a chain of method calls (``Field.serialize``, ``get_value``, the schema's
accessor, ``_serialize``) that was half the time of the API's longest lists. A schema does
not change once made, so :func:`dumper` makes those decisions once per schema instance
(kept on it; a nested schema's when first needed) and keeps a plain function per field:
read the attribute, turn it into JSON's types. Each field type's function does exactly
what marshmallow's ``_serialize`` of that type does (``String``: ``None`` stays, text
stays, anything else becomes text; ``Integer``: ``int``; ``Date``: its format's function;
``Function``: the function, given the object; ``Dict`` of plain keys and values: each
converted…).

Anything whose behaviour is not one of those is left to marshmallow, field by field (a
field type not listed here, a field that overrides how it reads its value) or whole (a
schema with ``pre_dump``/``post_dump`` hooks, or its own ``dump``, ``get_attribute`` or
``_serialize``), so the output is marshmallow's in every case;
``tests/core/api/test_dumping.py`` holds every schema of the API to that, on the demo's
data.

An object or a list already written as JSON (an ``orjson.Fragment``: items the database
wrote, :mod:`core.database_json`) is given as it is, where an object or a ``List`` or
``Nested`` field's value is: orjson writes it into the answer unchanged.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, fields, missing, utils
from marshmallow.decorators import POST_DUMP, PRE_DUMP
from orjson import Fragment
from sqlalchemy.engine import Row

#: What turns a value read for a field into its JSON: given the value and the object it was
#: read from (a ``Function`` field, and a field left to marshmallow, need the object).
Convert = Callable[[Any, Any], Any]


def _text(value: Any, _obj: Any) -> Any:
    if value is None or type(value) is str:
        return value
    return utils.ensure_text_type(value)


def _same(value: Any, _obj: Any) -> Any:
    return value


def _number(kind: type) -> Convert:
    def convert(value: Any, _obj: Any) -> Any:
        if value is None or type(value) is kind:
            return value
        return kind(value)
    return convert


def _formatted(format_func: Callable[[Any], Any]) -> Convert:
    def convert(value: Any, _obj: Any) -> Any:
        return None if value is None else format_func(value)
    return convert


def _listed(inner: Convert) -> Convert:
    def convert(value: Any, obj: Any) -> Any:
        if value is None or type(value) is Fragment:
            return value
        return [inner(each, obj) for each in value]
    return convert


def _nested(field: fields.Nested) -> Convert:
    """What ``Nested._serialize`` does, with the nested schema's own plan, made when first
    needed (not when the outer schema is planned: a schema may nest itself) and kept."""
    made: list[Callable[[Any], Any]] = []

    def made_once() -> Callable[[Any], Any]:
        schema = field.schema
        many = bool(schema.many or field.many)
        one = _one(schema)
        if one is None:
            made.append(functools.partial(schema.dump, many=many))
        elif many:
            made.append(lambda value: [one(each) for each in value])
        else:
            made.append(one)
        return made[0]

    def convert(value: Any, _obj: Any) -> Any:
        if value is None or type(value) is Fragment:
            return value
        return (made[0] if made else made_once())(value)
    return convert


def _mapped(key: Convert, value: Convert) -> Convert:
    """What ``Dict._serialize`` does with keys and values of plain types (each converted
    as their field's ``_serialize`` would, given no attribute or object)."""
    def convert(mapping: Any, _obj: Any) -> Any:
        if mapping is None:
            return None
        return {key(k, None): value(v, None) for k, v in mapping.items()}
    return convert


#: The field types whose values a ``Dict``'s keys and values are planned for.
_PLAIN_FIELDS = (fields.String, fields.Boolean, fields.Raw, fields.Integer, fields.Float)


def _left_to_marshmallow(field: fields.Field, name: str) -> Convert:
    def convert(value: Any, obj: Any) -> Any:
        return field._serialize(value, name, obj)
    return convert


def _called(func: Callable[[Any], Any]) -> Convert:
    def convert(_value: Any, obj: Any) -> Any:
        return func(obj)
    return convert


def _converter(field: fields.Field, name: str) -> Convert:
    """What turns the value read for ``field`` (named ``name``) into its JSON, as the
    field's own ``_serialize`` does."""
    kind = type(field)
    if kind is fields.String:
        return _text
    if kind is fields.Boolean or kind is fields.Raw:
        return _same
    if kind is fields.Function:
        return _called(field.serialize_func)  # type: ignore[attr-defined]
    if kind in (fields.Integer, fields.Float) and not field.as_string:  # type: ignore[attr-defined]
        return _number(field.num_type)  # type: ignore[attr-defined]
    if kind in (fields.Date, fields.DateTime):
        format_func = kind.SERIALIZATION_FUNCS.get(  # type: ignore[attr-defined]
            field.format or kind.DEFAULT_FORMAT)  # type: ignore[attr-defined]
        if format_func is not None:
            return _formatted(format_func)
    if kind is fields.List:
        return _listed(_converter(field.inner, name))  # type: ignore[attr-defined]
    if kind is fields.Nested:
        return _nested(field)  # type: ignore[arg-type]
    if kind is fields.Dict:
        keys, values = field.key_field, field.value_field  # type: ignore[attr-defined]
        if all(type(each) in _PLAIN_FIELDS for each in (keys, values)):
            return _mapped(_converter(keys, name), _converter(values, name))
    return _left_to_marshmallow(field, name)


def _plannable(schema: Schema) -> bool:
    """Whether ``schema`` dumps by its fields alone: no dump hooks, and marshmallow's own
    ``dump``, ways of reading attributes and putting the fields together."""
    kind = type(schema)
    return (not schema._hooks[PRE_DUMP] and not schema._hooks[POST_DUMP]
            and kind.dump is Schema.dump
            and kind.get_attribute is Schema.get_attribute
            and kind._serialize is Schema._serialize)


#: One field in a plan: its key in the output, the attribute to read (``None``: the field
#: reads nothing, or reads for itself), whether that has dots, its ``dump_default``, and its
#: converter.
Step = tuple[str, str | None, bool, Any, Convert]


def _steps(schema: Schema) -> list[Step]:
    steps = []
    for name, field in schema.dump_fields.items():
        out = field.data_key if field.data_key is not None else name
        kind = type(field)
        if (kind.serialize is not fields.Field.serialize
                or kind.get_value is not fields.Field.get_value):
            steps.append((out, None, False, missing, _serialized_by_field(field, name, schema)))
            continue
        key = (field.attribute if field.attribute is not None else name
               ) if field._CHECK_ATTRIBUTE else None
        steps.append((out, key, key is not None and "." in key, field.dump_default,
                      _converter(field, name)))
    return steps


def _serialized_by_field(field: fields.Field, name: str, schema: Schema) -> Convert:
    def convert(_value: Any, obj: Any) -> Any:
        return field.serialize(name, obj, accessor=schema.get_attribute)
    return convert


class Reading(enum.Enum):
    """How an object's attributes are read, by its type."""

    #: ``getattr`` alone.
    ATTRIBUTES = enum.auto()
    #: A plain dict: its key, else its attribute.
    KEYS = enum.auto()
    #: marshmallow's own ``utils.get_value``.
    GENERAL = enum.auto()
    #: None: already written as JSON (an ``orjson.Fragment``), given as it is.
    WRITTEN = enum.auto()


@functools.cache
def _reading(kind: type) -> Reading:
    """How to read attributes of objects of ``kind`` as marshmallow's ``get_value`` does
    (``obj[key]`` where the object has ``__getitem__``, its attribute where that fails): by
    attribute alone where it has no ``__getitem__``, or is a SQLAlchemy ``Row`` (whose
    ``__getitem__`` takes only positions, so a name always falls back to the attribute),
    or a tuple whose ``__getitem__`` is the tuple's own (a named tuple: likewise). JSON
    already written (an ``orjson.Fragment``) is read not at all."""
    if kind is Fragment:
        return Reading.WRITTEN
    if (kind is Row or not hasattr(kind, "__getitem__")
            or (issubclass(kind, tuple) and kind.__getitem__ is tuple.__getitem__)):
        return Reading.ATTRIBUTES
    return Reading.KEYS if kind is dict else Reading.GENERAL


def _planned(schema: Schema) -> Callable[[Any], dict[str, Any]]:
    """One object's dump by ``schema`` (which :func:`_plannable` accepts)."""
    steps = _steps(schema)
    make = schema.dict_class

    def dump(obj: Any) -> dict[str, Any]:
        how = _reading(type(obj))
        if how is Reading.WRITTEN:
            return obj  # type: ignore[no-any-return]
        out = make()
        for key, attribute, dotted, default, convert in steps:
            if attribute is None:
                value = None
            elif dotted or how is Reading.GENERAL:
                value = utils.get_value(obj, attribute, missing)
            elif how is Reading.ATTRIBUTES or attribute not in obj:
                value = getattr(obj, attribute, missing)
            else:
                value = obj[attribute]
            if value is missing:
                value = default() if callable(default) else default
                if value is missing:
                    continue
            value = convert(value, obj)
            if value is not missing:
                out[key] = value
        return out

    return _straight(steps, make, dump)


def _straight(steps: list[Step], make: Callable[[], dict[str, Any]],
              general: Callable[[Any], dict[str, Any]]) -> Callable[[Any], dict[str, Any]]:
    """The dump of ``steps`` as one function without a loop, for objects read by attribute
    alone (rows, records, models): what the loop of :func:`_planned` does for them, each
    step written out, with text and values kept as they are converted in place. Objects
    read otherwise go to ``general``, the loop (which gives JSON already written as it
    is). A list of a hundred meetings with their
    agendas is a few thousand steps; written out, each costs about half."""
    names: dict[str, Any] = {
        "_reading": _reading, "ATTRIBUTES": Reading.ATTRIBUTES, "general": general,
        "make": make, "missing": missing, "get_value": utils.get_value,
        "ensure_text": utils.ensure_text_type}
    lines = ["def dump(obj):",
             "    if _reading(type(obj)) is not ATTRIBUTES:",
             "        return general(obj)",
             "    out = make()"]
    for n, (key, attribute, dotted, default, convert) in enumerate(steps):
        names.update({f"key{n}": key, f"attribute{n}": attribute,
                      f"default{n}": default, f"convert{n}": convert})
        if attribute is None:
            lines.append("    value = None")
        elif dotted:
            lines.append(f"    value = get_value(obj, attribute{n}, missing)")
        else:
            lines.append(f"    value = getattr(obj, attribute{n}, missing)")
        if attribute is not None and default is not missing:
            lines += ["    if value is missing:",
                      f"        value = default{n}() if callable(default{n}) else default{n}"]
        lines.append("    if value is not missing:")
        if convert is _text:
            lines += ["        if value is not None and type(value) is not str:",
                      "            value = ensure_text(value)",
                      f"        out[key{n}] = value"]
        elif convert is _same:
            lines.append(f"        out[key{n}] = value")
        else:
            lines += [f"        value = convert{n}(value, obj)",
                      "        if value is not missing:",
                      f"            out[key{n}] = value"]
    lines.append("    return out")
    exec(compile("\n".join(lines), f"<dump of {len(steps)} fields>", "exec"), names)
    return names["dump"]


#: Where a schema instance keeps its plan (``None``: not plannable, left to marshmallow).
_PLAN = "_cpt_dump_plan"


@dataclass(frozen=True, slots=True)
class Read:
    """How a planned dump reads and writes one field of an object read by attribute: the
    attribute (``None``: the field reads nothing, its converter is given ``None`` and the
    object), its ``dump_default`` (``missing``: none) and what turns the value into JSON:
    :data:`TEXT` (a ``String``), :data:`SAME` (kept as it is) or a converter given the value
    and the object."""

    key: str
    attribute: str | None
    default: Any
    convert: Convert


#: The converters of :class:`Read` that writers may do without calling: text kept as
#: text, and values kept as they are.
TEXT, SAME = _text, _same


def reads(schema: Schema) -> list[Read] | None:
    """The fields ``schema``'s plan reads, in order, for a writer that reads objects
    itself (the API's CSV, :mod:`core.api.tables`); ``None`` when the schema is left to
    marshmallow or has a field read along a dotted path."""
    if _one(schema) is None:
        return None
    found = []
    for key, attribute, dotted, default, convert in _steps(schema):
        if dotted:
            return None
        found.append(Read(key, attribute, default, convert))
    return found


def read_by_attribute(kind: type) -> bool:
    """Whether a planned dump reads objects of ``kind`` by attribute alone (rows, records,
    named tuples), as :class:`Read` describes."""
    return _reading(kind) is Reading.ATTRIBUTES


def _one(schema: Schema) -> Callable[[Any], dict[str, Any]] | None:
    """The planned dump of one object by ``schema``, made on first use and kept on the
    schema instance itself (gone with it); ``None`` where :func:`_plannable` refuses it."""
    here = vars(schema)
    if _PLAN not in here:
        here[_PLAN] = _planned(schema) if _plannable(schema) else None
    return here[_PLAN]


def dumper(schema: Schema) -> Callable[[Any], Any]:
    """A function giving what ``schema.dump(obj)`` gives (a list for a schema made with
    ``many``), through ``schema``'s plan; marshmallow's own ``dump`` where the schema has
    dump hooks, its own ``dump``, or its own way of reading attributes."""
    one = _one(schema)
    if one is None:
        return schema.dump
    if schema.many:
        return lambda objs: one(objs) if objs is None else [one(obj) for obj in objs]
    return one
