"""Serialising a hot endpoint's answer without marshmallow's per-call machinery.

`Schema.dump` re-dispatches every field of every nested schema through hooks, error
stores and accessors; on the instant check (a few dozen fields, a list of matches) that
was a tenth of the request's CPU. `compile_dumper(schema)` walks the schema's fields
once and returns a function that builds the same output from dicts: the same fields in
the same order, absent keys left out, leaf values converted by the field's own
`_serialize` (so strings, floats and integers come out exactly as marshmallow makes
them), nested schemas and lists compiled the same way. Anything it does not support
(hooks, dump defaults, non-dict input, custom fields) is refused at compile time or
handed to `schema.dump`, so the output never differs; the unit tests compare the two.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema, fields, missing

Dumper = Callable[[Any], Any]

# Leaf fields whose _serialize needs neither `attr` nor `obj`.
_LEAVES = (fields.String, fields.Float, fields.Integer, fields.Boolean)
# The exact value types each leaf field's _serialize returns as they are (None too): a
# str through str(), a float through float(), an int through int(). bool is not int
# here (int(True) is 1).
_UNCHANGED: dict[type[fields.Field], tuple[type, ...]] = {
    fields.String: (str,), fields.Float: (float,), fields.Integer: (int,),
}


def _leaf(field: fields.Field) -> Dumper:
    serialize = field._serialize
    if type(field)._serialize is fields.Field._serialize:  # Boolean: no conversion on dump
        return lambda value: value
    # Values the field's _serialize returns unchanged (str(s) is s, float(f) is f, ...)
    # skip the call: most of a response's leaves.
    same = _UNCHANGED.get(type(field), ()) if not getattr(field, "as_string", False) else ()
    if same:
        return lambda value: (value if value is None or type(value) in same
                              else serialize(value, None, None))
    return lambda value: serialize(value, None, None)


def _field_dumper(field: fields.Field) -> Dumper:
    if isinstance(field, fields.Nested):
        schema = field.schema
        inner = compile_dumper(schema)
        if schema.many or field.many:
            return lambda value: None if value is None else [inner(v) for v in value]
        return lambda value: None if value is None else inner(value)
    if isinstance(field, fields.List):
        item = _field_dumper(field.inner)
        return lambda value: None if value is None else [item(v) for v in value]
    if type(field) is fields.Dict and field.key_field is None and field.value_field is None:
        return _leaf(field)  # a shallow copy, as marshmallow makes
    if isinstance(field, _LEAVES) and type(field).__module__.startswith("marshmallow"):
        return _leaf(field)
    raise TypeError(f"compile_dumper: unsupported field {type(field).__name__}")


def compile_dumper(schema: Schema) -> Dumper:
    """A function equivalent to `schema.dump` for dict input (see the module doc)."""
    if schema._hooks and any(schema._hooks.values()):
        raise TypeError("compile_dumper: schemas with pre/post-dump hooks are not supported")
    plan: list[tuple[str, str, Dumper]] = []
    for attr, field in schema.dump_fields.items():
        if field.dump_default is not missing or "." in attr:
            raise TypeError(f"compile_dumper: field {attr!r} needs marshmallow's dump")
        plan.append((attr, field.data_key or attr, _field_dumper(field)))

    def dump(obj: Any) -> Any:
        if type(obj) is not dict:
            return schema.dump(obj)
        out = {}
        for attr, key, convert in plan:
            value = obj.get(attr, missing)
            if value is not missing:
                out[key] = convert(value)
        return out

    return dump
