"""What the cursor stands in, read from the lines around it.

The file being typed in is often not valid YAML, so this reads lines, not nodes:
the key whose value the cursor is in (on its line, inside a flow mapping, or the
key above that a list item or a block of text belongs to), and whether that value
names a scene, is an expression, or is text with an inline `{...}` open.

Which keys name a scene and which hold expressions is taken from the pack format
(`zone.packformat`), so the two cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from zone.packformat import OBJECTS

__all__ = ["EXPRESSION_KEYS", "SCENE_KEYS", "Context", "context", "word_at"]

# Keys whose value names a scene: every key of kind "goto" or "next" in the format, each `goto`, the
# story's `start`, and `call` (a scene entered and returned from).
SCENE_KEYS = frozenset({f.name for fields in OBJECTS.values() for f in fields if f.kind in ("goto", "next")}
                       | {"goto", "start", "call"})
# Keys whose value is a condition or effects.
EXPRESSION_KEYS = frozenset(f.name for fields in OBJECTS.values() for f in fields if f.kind in ("expr", "effects"))

_LEAD = re.compile(r"^(\s*)((?:-\s+)*)")
_KEY = re.compile(r"([a-z_][a-z0-9_]*)[ \t]*:(?:[ \t]+|$)")
_FLOW_KEY = re.compile(r"[{,\[]\s*([a-z_][a-z0-9_]*)[ \t]*:[ \t]*")
_NAME = re.compile(r"[A-Za-z0-9_.]")


class Context(NamedTuple):
    kind: str  # "scene", "expression", "inline" (inside `{...}` of text), "text", or "" (no key at all)
    key: str  # the key whose value holds the cursor
    value: str  # that value as written up to the cursor, on the cursor's line


def _indent_key(line: str) -> tuple[int, str | None]:
    """Where a line's content begins (past indentation and list dashes), and the key it starts with."""
    lead = _LEAD.match(line)
    at = lead.end() if lead else 0
    key = _KEY.match(line, at)
    return at, key.group(1) if key else None


def _parent_key(lines: Sequence[str], line: int, indent: int) -> str:
    """The key above that a line indented by `indent` belongs to."""
    for above in range(line - 1, max(line - 400, -1), -1):
        text = lines[above]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        at, key = _indent_key(text)
        if key is not None and at < indent:
            return key
        if len(text) - len(text.lstrip()) < indent and key is None and not text.lstrip().startswith("-"):
            return ""
    return ""


def _in_braces(value: str) -> bool:
    depth = 0
    for ch in value:
        if ch == "{":
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
    return depth > 0


def context(lines: Sequence[str], line: int, col: int) -> Context:
    """The context of the cursor at a 0-based line and column."""
    if not 0 <= line < len(lines):
        return Context("", "", "")
    before = lines[line][:col]
    at, key = _indent_key(before)
    if key is not None:
        value = before[_KEY.match(before, at).end():]  # type: ignore[union-attr]
    else:
        value = before[at:]
    if value.lstrip()[:1] in ("{", "["):  # a flow mapping or list: the innermost key counts
        inner = list(_FLOW_KEY.finditer(value))
        if inner:
            key, value = inner[-1].group(1), value[inner[-1].end():]
        elif key is None:
            key = _parent_key(lines, line, at)
    elif key is None:
        key = _parent_key(lines, line, at)
    if not key:
        return Context("", "", value)
    if key in SCENE_KEYS:
        return Context("scene", key, value)
    if _in_braces(value):
        return Context("inline", key, value)
    if key in EXPRESSION_KEYS:
        return Context("expression", key, value)
    return Context("text", key, value)


def word_at(line: str, col: int) -> tuple[str, int]:
    """The dotted name (`writer.trust`, `visits.gate`) at or just before a column, and where it begins."""
    start = col
    while start > 0 and _NAME.match(line[start - 1]):
        start -= 1
    end = col
    while end < len(line) and _NAME.match(line[end]):
        end += 1
    return line[start:end].strip("."), start + (len(line[start:end]) - len(line[start:end].lstrip(".")))
