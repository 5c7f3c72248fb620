"""`zone schema`: a JSON Schema of pack files, made from `zone.packformat.OBJECTS`.

The compiler checks keys against the same tables, so the schema an editor uses
to complete and check keys cannot drift from what `zone check` accepts. A few
rules are not a key's kind (a choice has `goto` or `random`; a scene has
`choices` unless it is an ending or goes on by itself with `next`); they are
`_RULES` below, next to the code that writes them. The schema checks form only: whether a `goto` names a real
scene, or an expression makes sense, is for `zone check`.

Form includes how a value is written. An editor reads YAML 1.2 (as the YAML
language server does by default), where a plain `Off`, `yes` or `n` is text; Zone
refuses them (ZN009), because YAML 1.1 reads them as true or false, so wherever
text is expected the schema refuses the words and numbers that YAML 1.1 or 1.2
reads as something else (`zone.source.AMBIGUOUS_WORDS` and `AMBIGUOUS_NUMBER`).
The schema sees values, not how they were written, so two cases remain apart:
quoted, `"Off"` is text to Zone but still refused by the schema; and a whole
number written `012`, `0x1F` or `3.0` is a number to the editor, which Zone
refuses. tests/test_author_schema_agreement.py holds the two to this.

One schema covers both kinds of file: a file whose every top-level value is a
mapping (or that is empty) is a scene file, anything else is a `story.yaml`.
"""

from __future__ import annotations

from typing import Any

from zone.expr import MAX_CONSTANT, MAX_LENGTH
from zone.packformat import ID_PATTERN, OBJECTS, Field
from zone.source import AMBIGUOUS_NUMBER, AMBIGUOUS_WORDS

__all__ = ["KINDS", "schema"]

DRAFT = "http://json-schema.org/draft-07/schema#"
SCHEMA_ID = "https://zone.invalid/schema/pack.json"
KINDS = ("pack", "story", "scenes")

_SHORTHAND = {"flag": "its one-line description", "ending": "its title"}  # objects that may be written as text
_ID_KEYS = {"character", "stat", "flag", "item", "var"}  # maps whose keys are ids


def _ways(call_needs_goto: bool) -> dict[str, Any]:
    """Exactly one way on: goto, random, call (whose goto, one scene, is where the story goes on after it;
    a `next` that calls needs one), or `return: true`."""
    def without(*keys: str) -> dict[str, Any]:
        return {"not": {"anyOf": [{"required": [k]} for k in keys]}}
    call = {"required": ["call", "goto"] if call_needs_goto else ["call"],
            "properties": {"goto": {"type": "string"}}, **without("random", "return")}
    return {"oneOf": [{"required": ["goto"], **without("random", "call", "return")},
                      {"required": ["random"], **without("goto", "call", "return")},
                      call,
                      {"required": ["return"], "properties": {"return": {"const": True}},
                       **without("goto", "random", "call")}]}


_RULES: dict[str, dict[str, Any]] = {
    "choice": _ways(False),
    "next": _ways(True),
    "scene": {"anyOf": [{"required": ["choices"]}, {"required": ["ending"]}, {"required": ["next"]}]},
}
_MINIMUM = {("outcome", "weight"): 1, ("story", "max_call_depth"): 1}
_MAXIMUM = {("story", "max_call_depth"): 64}

Schema = dict[str, Any]


def _has(key: str, value: object = None) -> Schema:
    """An object that has `key` (set to `value`, when given)."""
    out: Schema = {"required": [key]}
    if value is not None:
        out["properties"] = {key: {"const": value}}
    return out


def _typed_value() -> Schema:
    """How a stat's or value's `type`, `default`, `range` and `percent` go together: a true/false one (by its
    type, or by a true/false default without one) takes no range or percent; a number needs a range unless it
    is a percentage, which takes none."""
    true_false = {"anyOf": [_has("type", "bool"),
                            {"not": _has("type"), "required": ["default"],
                             "properties": {"default": {"type": "boolean"}}}]}
    return {"allOf": [
        {"if": _has("type", "bool"), "then": {"properties": {"default": {"type": "boolean"}}}},
        {"if": _has("type", "int"), "then": {"properties": {"default": {"type": "integer"}}}},
        {"if": true_false, "then": {"not": {"anyOf": [_has("range"), _has("percent")]}},
         "else": {"if": _has("percent", True), "then": {"not": _has("range")}, "else": _has("range")}},
    ]}


def _var_rules() -> Schema:
    """A value with `values` is one of them, and takes no type, range or percent; without, it is a number or
    true/false."""
    return {"if": _has("values"),
            "then": {"properties": {"default": {"type": "string"}},
                     "not": {"anyOf": [_has("type"), _has("range"), _has("percent")]}},
            "else": {"allOf": [_typed_value(), {"properties": {"default": {"type": ["integer", "boolean"]}}}]}}


def _scene_rules() -> Schema:
    """An ending has no choices; a scene that goes on by itself (`next`) has no choices and is no ending; a
    scene that is neither has a choice, and not only a fallback one."""
    some = {"required": ["choices"], "properties": {"choices": {"type": "array", "minItems": 1}}}
    return {"allOf": [
        {"if": _has("ending"), "then": {"properties": {"choices": {"maxItems": 0}}}},
        {"if": _has("next"), "then": {"not": _has("ending"), "properties": {"choices": {"maxItems": 0}}}},
        {"anyOf": [some, _has("ending"), _has("next")]},
        {"if": some, "then": {"properties": {"choices": {"contains": {"not": _has("fallback", True)}}}}},
    ]}


# Rules between the values of one object's keys, added to the object's own rules.
_VALUE_RULES = {"stat": _typed_value, "var": _var_rules, "scene": _scene_rules}
# Text that is not written as a YAML 1.1 surprise (ZN009).
_UNAMBIGUOUS: dict[str, Any] = {"not": {"anyOf": [{"enum": sorted(AMBIGUOUS_WORDS)},
                                                  {"pattern": f"^(?:{AMBIGUOUS_NUMBER.pattern})$"}]}}
_WHOLE = {"type": "integer", "minimum": -MAX_CONSTANT, "maximum": MAX_CONSTANT}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/definitions/{name}"}


def _text() -> Schema:
    return {"type": "string", **_UNAMBIGUOUS}


def _ident() -> Schema:
    return {"type": "string", "pattern": ID_PATTERN, **_UNAMBIGUOUS}


def _expr() -> Schema:
    return {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH, **_UNAMBIGUOUS}


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
        "str": _text(),
        "id": _ident(),
        "goto": {"anyOf": [_ident(), {"type": "array", "items": _ref("branch"), "minItems": 1}]},
        "next": {"anyOf": [_ident(), {"type": "array", "items": _ref("branch"), "minItems": 1}, _ref("next")]},
        "int": dict(_WHOLE),
        "bool": {"type": "boolean"},
        "number_or_bool": {"anyOf": [_WHOLE, {"type": "boolean"}]},
        "value": {"anyOf": [_WHOLE, {"type": "boolean"}, _ident()]},
        "ids": {"type": "array", "items": _ident(), "minItems": 2},
        "range": {"type": "array", "items": _WHOLE, "minItems": 2, "maxItems": 2},
        "expr": _expr(),
        "effects": {"anyOf": [_expr(), {"type": "array", "items": {"anyOf": [_expr(), _ref("effect_block")]}}]},
        "narration": {"anyOf": [_text(), {"type": "array", "items": {"anyOf": [_text(), _ref("passage")]}}]},
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
        return _text()
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
    if name in _VALUE_RULES:
        out.setdefault("allOf", []).append(_VALUE_RULES[name]())
    if name in _SHORTHAND:
        return {"anyOf": [{**_text(), "description": f"{name.capitalize()}: {_SHORTHAND[name]}"}, out]}
    return out


def schema(kind: str = "pack") -> Schema:
    """The JSON Schema (draft 7) of a story file, a scene file, or either ("pack")."""
    if kind not in KINDS:
        raise ValueError(f"unknown schema kind '{kind}'")
    definitions = {name: _object(name, fields) for name, fields in OBJECTS.items()}
    definitions["story_file"] = definitions.pop("story")
    definitions["scene_file"] = {  # `return` is no scene id: `next: return` goes back from a called scene
        "type": ["object", "null"], "propertyNames": {"pattern": ID_PATTERN, "not": {"const": "return"}},
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
