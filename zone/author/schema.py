"""`zone schema`: a JSON Schema of pack files, made from `zone.packformat.OBJECTS`.

The compiler checks keys against the same tables, so the schema an editor uses
to complete and check keys cannot drift from what `zone check` accepts. A few
rules are not a key's kind (a choice has `goto` or `random`; a scene has
`choices` unless it is an ending or goes on by itself with `next`); they are
`_RULES` below, next to the code that writes them. The schema checks form only: whether a `goto` names a real
scene, or an expression makes sense, is for `zone check`.

One schema covers both kinds of file: a file whose every top-level value is a
mapping (or that is empty) is a scene file, anything else is a `story.yaml`.
"""

from __future__ import annotations

from typing import Any

from zone.expr import MAX_LENGTH
from zone.packformat import ID_PATTERN, OBJECTS, Field

__all__ = ["KINDS", "schema"]

DRAFT = "http://json-schema.org/draft-07/schema#"
SCHEMA_ID = "https://zone.invalid/schema/pack.json"
KINDS = ("pack", "story", "scenes")

_SHORTHAND = {"flag": "its one-line description", "ending": "its title"}  # objects that may be written as text
_ID_KEYS = {"character", "stat", "flag", "item", "var"}  # maps whose keys are ids
_WAYS = {"oneOf": [{"required": ["goto"], "not": {"anyOf": [{"required": [k]} for k in ("random", "call", "return")]}},
                   {"required": ["random"], "not": {"anyOf": [{"required": [k]} for k in ("goto", "call", "return")]}},
                   {"required": ["call"], "not": {"anyOf": [{"required": [k]} for k in ("random", "return")]}},
                   {"required": ["return"], "not": {"anyOf": [{"required": [k]} for k in ("goto", "random", "call")]}}]}
_RULES: dict[str, dict[str, Any]] = {
    "choice": _WAYS,
    "next": _WAYS,
    "scene": {"anyOf": [{"required": ["choices"]}, {"required": ["ending"]}, {"required": ["next"]}]},
}
_MINIMUM = {("outcome", "weight"): 1, ("story", "max_call_depth"): 1}
_MAXIMUM = {("story", "max_call_depth"): 64}

Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/definitions/{name}"}


def _expr() -> Schema:
    return {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH}


def _kind(owner: str, f: Field) -> Schema:
    kind = f.kind
    if kind.startswith("map:"):
        inner = kind[4:]
        out: Schema = {"type": "object", "additionalProperties": _ref(inner)}
        if inner in _ID_KEYS:
            out["propertyNames"] = {"pattern": ID_PATTERN}
        return out
    if kind.startswith("list:"):
        return {"type": "array", "items": _ref(kind[5:])}
    simple: dict[str, Schema] = {
        "str": {"type": "string"},
        "id": {"type": "string", "pattern": ID_PATTERN},
        "goto": {"anyOf": [{"type": "string", "pattern": ID_PATTERN},
                           {"type": "array", "items": _ref("branch"), "minItems": 1}]},
        "next": {"anyOf": [{"type": "string", "pattern": ID_PATTERN},
                           {"type": "array", "items": _ref("branch"), "minItems": 1}, _ref("next")]},
        "int": {"type": "integer"},
        "bool": {"type": "boolean"},
        "number_or_bool": {"type": ["integer", "boolean"]},
        "value": {"anyOf": [{"type": ["integer", "boolean"]}, {"type": "string", "pattern": ID_PATTERN}]},
        "ids": {"type": "array", "items": {"type": "string", "pattern": ID_PATTERN}, "minItems": 2,
                "uniqueItems": True},
        "range": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2},
        "expr": _expr(),
        "effects": {"anyOf": [_expr(), {"type": "array", "items": {"anyOf": [_expr(), _ref("effect_block")]}}]},
        "narration": {"anyOf": [{"type": "string"},
                                {"type": "array", "items": {"anyOf": [{"type": "string"}, _ref("passage")]}}]},
        "stat_type": {"enum": ["int", "bool"]},
        "ending": _ref("ending"),
    }
    if kind not in simple:
        raise ValueError(f"zone.packformat: field '{owner}.{f.name}' has kind '{kind}', which the schema does not know")
    out = dict(simple[kind])
    minimum = _MINIMUM.get((owner, f.name))
    if minimum is not None:
        out["minimum"] = minimum
    if (owner, f.name) in _MAXIMUM:
        out["maximum"] = _MAXIMUM[owner, f.name]
    return out


def _object(name: str, fields: tuple[Field, ...]) -> Schema:
    if not fields:
        return {"type": "string"}
    properties = {}
    for f in fields:
        shape = _kind(name, f)
        properties[f.name] = {"allOf": [shape], "description": f.about} if "$ref" in shape else {
            **shape, "description": f.about}
    out: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
    required = [f.name for f in fields if f.required]
    if required:
        out["required"] = required
    out.update(_RULES.get(name, {}))
    if name in _SHORTHAND:
        return {"anyOf": [{"type": "string", "description": f"{name.capitalize()}: {_SHORTHAND[name]}"}, out]}
    return out


def schema(kind: str = "pack") -> Schema:
    """The JSON Schema (draft 7) of a story file, a scene file, or either ("pack")."""
    if kind not in KINDS:
        raise ValueError(f"unknown schema kind '{kind}'")
    definitions = {name: _object(name, fields) for name, fields in OBJECTS.items()}
    definitions["story_file"] = definitions.pop("story")
    definitions["scene_file"] = {
        "type": ["object", "null"], "propertyNames": {"pattern": ID_PATTERN},
        "additionalProperties": _ref("scene"), "description": "A scene file: scene ids mapped to scenes."}
    out: Schema = {"$schema": DRAFT, "$id": SCHEMA_ID, "definitions": definitions}
    if kind == "story":
        out.update(title="Zone story.yaml", allOf=[_ref("story_file")])
    elif kind == "scenes":
        out.update(title="Zone scene file", allOf=[_ref("scene_file")])
    else:
        out.update(title="Zone pack file (story.yaml or a scene file)",
                   **{"if": {"anyOf": [{"type": "null"},
                                       {"type": "object", "additionalProperties": {"type": "object"}}]},
                      "then": _ref("scene_file"), "else": _ref("story_file")})
    return out
