"""YAML source files read into nodes that remember where they came from.

One loader for every file a pack has. It is a subclass of libyaml's safe loader
(PyYAML's pure-Python `SafeLoader` where libyaml is missing), but we walk its
event stream ourselves instead of letting PyYAML construct objects. That is how
we keep a line and column on every node, and how hostile input is refused with
a position: tags, anchors and aliases, duplicate keys, nesting deeper than 64,
files over 1 MiB, bytes that are not UTF-8. Plain scalars are resolved by our own
small rules, stricter than YAML 1.1: `no`, `on`, `012`, `0x1F` and `1:30` stay
strings but are marked *ambiguous* (YAML 1.1 or 1.2 reads them as something else),
so the compiler can say so where a string, a number or a boolean is expected.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast

import yaml

from zone._files import MAX_BYTES, read_bytes
from zone.diagnostics import Diagnostic, Position, make

__all__ = ["AMBIGUOUS_NUMBER", "AMBIGUOUS_WORDS", "MAX_BYTES", "MAX_DEPTH", "Node", "Source", "parse_bytes",
           "parse_text", "read_bytes", "read_source"]

MAX_DEPTH = 64

class _Unresolved:
    """Our loaders compose without resolving: we resolve scalars ourselves.

    `resolve` marks every implicitly typed node with "?", so any other tag on a
    composed node was written explicitly by the author, and is refused.
    """

    def resolve(self, kind: object, value: object, implicit: object) -> str:
        return "?"


class _PurePositionLoader(_Unresolved, yaml.SafeLoader):
    """PyYAML's pure-Python reader: slower, and it has no nesting limit of its own."""


# libyaml's reader where it is installed; otherwise the pure-Python one.
_CLoader: type | None = getattr(yaml, "CSafeLoader", None)
_PositionLoader: type = (type("_PositionLoader", (_Unresolved, _CLoader), {})  # noqa: UP004
                         if _CLoader is not None else _PurePositionLoader)


# A file that may hold an anchor, an alias or a tag is read through the event stream,
# which pinpoints each of them. So is a file that might nest deeper than MAX_DEPTH:
# Zone's bound is decided by Zone, before libyaml sees the file, since libyaml's own
# limits (a recursive composer that crashes the process near 100,000 levels; a scanner
# that refuses 1,000 levels of its own accord in newer releases, and reads far ahead
# before it says so) differ between releases. Such a file goes to the pure-Python
# reader, which has no limit of its own, and is refused at its first level too many.
# Any other file is composed by libyaml in one call, several times faster, and its
# depth is then checked exactly while it is converted.
_MARKS = re.compile(r"[&*!]")
_SEPARATORS = frozenset(" \t\r\n,[{")
_BRACKETS = re.compile(r"[][{}]")
_BLOCK_PREFIX = re.compile(r"^[ ?:-]+", re.M)


def _may_hold_anchors_or_tags(text: str) -> bool:
    """An '&', '*' or '!' that starts a token (rare in prose, where they follow letters)."""
    return any(m.start() == 0 or text[m.start() - 1] in _SEPARATORS for m in _MARKS.finditer(text))


def _may_nest_past(text: str, limit: int) -> bool:
    """Whether the nesting could reach `limit` levels; False means it surely cannot.

    A bound, not a count: block collections nest at most twice per column of a line's
    prefix of spaces and compact indicators (`- - x`, `? `, `: `), and flow collections
    at most once per bracket still open (a stray closing bracket in prose is ignored).
    """
    block = max((len(m.group()) for m in _BLOCK_PREFIX.finditer(text)), default=0)
    budget = limit - 2 * (block + 1)
    if budget <= 0:
        return True
    depth = 0
    for m in _BRACKETS.finditer(text):
        if m.group() in "[{":
            depth += 1
            if depth >= budget:
                return True
        elif depth:
            depth -= 1
    return False


_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
# Plain words YAML 1.1 reads as true or false.
AMBIGUOUS_WORDS = frozenset(
    s for w in ("yes", "no", "on", "off", "y", "n") for s in (w, w.capitalize(), w.upper())
)
# Plain numbers that YAML 1.1 or 1.2 reads as a number but Zone keeps as text: hexadecimal, octal and
# binary, an exponent without a point, infinity and not-a-number, digits grouped with _, and base 60 (1:30).
AMBIGUOUS_NUMBER = re.compile(
    r"[-+]?0x[0-9a-fA-F_]+|[-+]?0o[0-7]+|[-+]?0b[01_]+|[-+]?[0-9]+[eE][-+]?[0-9]+|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN)|[-+]?[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")

Scalar = str | int | float | bool | None
_NO_KEYS = cast("dict[str, Node]", MappingProxyType({}))


class Node:
    """A value from a YAML file with its 1-based line and column.

    `value` is a scalar, a `dict[str, Node]` (mapping) or a `list[Node]`.
    For mappings, `keys` holds the node of each key, for positions.
    """

    __slots__ = ("value", "line", "col", "ambiguous", "quoted", "keys")

    def __init__(self, value: object, line: int, col: int, *, ambiguous: bool = False,
                 quoted: bool = False) -> None:
        self.value = value
        self.line = line
        self.col = col
        self.ambiguous = ambiguous
        self.quoted = quoted
        # Only mappings have keys; scalars and lists share one read-only empty view.
        self.keys: dict[str, Node] = {} if type(value) is dict else _NO_KEYS

    def __repr__(self) -> str:
        return f"Node({self.value!r} @{self.line}:{self.col})"


class Source:
    """One file of a pack: its display name and the root node (None when empty or unreadable).

    `readable` is False when the file could not be read or parsed at all, so that
    nothing it holds is known: an empty file is readable and holds nothing.
    """

    __slots__ = ("name", "root", "digest", "readable", "text")

    def __init__(self, name: str, root: Node | None, digest: str = "", *, readable: bool = True,
                 text: str = "") -> None:
        self.name = name
        self.root = root
        self.digest = digest  # sha256 of the file's bytes
        self.readable = readable
        self.text = text  # the file as read, kept with `root` to place mistakes inside multi-line text

    def pos(self, node: Node | None) -> Position:
        if node is None:
            return Position(self.name)
        return Position(self.name, node.line, node.col)

    def within(self, node: Node, value: str, offset: int) -> Position:
        """Where the character at `offset` of `value`, the text of a scalar `node`, stands in the file.

        `value` may be the scalar re-flowed or stripped: that changes only its white space, so the
        characters that are not white space are matched one by one from where the scalar's text
        begins (the line after a `|` or `>`, or after an opening quote). In a quoted scalar an escape
        such as `\\"` may shift the column, never the line. Without the file's text: the node itself.
        """
        text = self.text
        start = _index_of(text, node.line, node.col) if text else None
        if start is None:
            return self.pos(node)
        lead = text[start]
        if lead in "|>":
            start = text.find("\n", start) + 1
            if start == 0:
                return self.pos(node)
        elif lead in "\"'":
            start += 1
        wanted = sum(1 for ch in value[:offset] if not ch.isspace())
        for i in range(start, len(text)):
            if not text[i].isspace():
                if wanted == 0:
                    line, col = _line_col(text, i)
                    return Position(self.name, line, col)
                wanted -= 1
        return self.pos(node)


def _index_of(text: str, line: int, col: int) -> int | None:
    """The index in `text` of 1-based (line, col), None when there is no such place."""
    at = 0
    for _ in range(line - 1):
        at = text.find("\n", at) + 1
        if at == 0:
            return None
    index = at + col - 1
    end = text.find("\n", at)
    return index if col >= 1 and index < (len(text) if end < 0 else end) else None


def _resolve(text: str) -> tuple[Scalar, bool]:
    """Resolve a plain scalar; the flag says it is a YAML 1.1 surprise kept as a string."""
    if text in _NULLS:
        return None, False
    if text in _TRUE:
        return True, False
    if text in _FALSE:
        return False, False
    if text in AMBIGUOUS_WORDS or AMBIGUOUS_NUMBER.fullmatch(text):
        return text, True
    if _INT.fullmatch(text):
        digits = text.lstrip("+-")
        if len(digits) > 1 and digits[0] == "0":
            return text, True  # YAML 1.1 reads 012 as octal 10
        if len(digits) > 18:
            return text, True
        return int(text), False
    if _FLOAT.fullmatch(text):
        return float(text), False
    return text, False


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    return line, index - start + 1


def parse_text(text: str, name: str) -> tuple[Node | None, list[Diagnostic]]:
    """Parse one YAML document into nodes; refuse what a pack must not contain."""
    if _may_nest_past(text, MAX_DEPTH):
        return _parse_events(text, name, _PurePositionLoader)
    if _may_hold_anchors_or_tags(text):
        return _parse_events(text, name)
    return _parse_composed(text, name)


# The commonest YAML mistake in narration: `text: He said: go.` or `{if x: a | b}` in an unquoted text.
_COLON_IN_TEXT = "a ': ' inside a text starts a new key: put the text in quotes, or in a '|' block"


def _yaml_error(exc: yaml.YAMLError, text: str, name: str) -> Diagnostic:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        pos = Position(name, mark.line + 1, mark.column + 1) if mark is not None else Position(name, 1, 1)
        if "nesting" in (exc.problem or ""):
            # A library's own depth limit, should one ever come before ours.
            return make("ZN008", pos, limit=MAX_DEPTH)
        reason = exc.problem or exc.context or "unreadable"
        if exc.context and exc.problem:
            reason = f"{exc.problem} ({exc.context})"
        if (exc.problem or "").startswith("mapping values are not allowed"):
            reason += f"; {_COLON_IN_TEXT}"
        return make("ZN004", pos, reason=reason)
    if isinstance(exc, yaml.reader.ReaderError):
        line, col = _line_col(text, exc.position) if isinstance(exc.position, int) else (1, 1)
        reason = f"character {exc.character!r} is not allowed" if exc.character else str(exc)
        return make("ZN004", Position(name, line, col), reason=reason)
    first = str(exc).splitlines()[0] if str(exc) else "unreadable"
    return make("ZN004", Position(name, 1, 1), reason=first)


class _Refused(Exception):
    """A node that stops the whole file from being read; its diagnostic is already recorded."""


class _Converter:
    """libyaml's composed nodes to our nodes, checking as we go."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.diags: list[Diagnostic] = []
        self.seen: set[int] = set()

    def here(self, mark: yaml.Mark) -> Position:
        return Position(self.name, mark.line + 1, mark.column + 1)

    def convert(self, node: yaml.Node, depth: int, is_key: bool = False) -> Node:
        mark = node.start_mark
        if id(node) in self.seen:
            self.diags.append(make("ZN006", self.here(mark)))
            raise _Refused
        self.seen.add(id(node))
        if node.tag != "?":
            self.diags.append(make("ZN007", self.here(mark), tag=node.tag))
            raise _Refused
        if isinstance(node, yaml.ScalarNode):
            if node.style:
                return Node(node.value, mark.line + 1, mark.column + 1, quoted=True)
            if is_key:
                return Node(node.value, mark.line + 1, mark.column + 1)
            value, ambiguous = _resolve(node.value)
            return Node(value, mark.line + 1, mark.column + 1, ambiguous=ambiguous)
        if depth >= MAX_DEPTH:
            self.diags.append(make("ZN008", self.here(mark), limit=MAX_DEPTH))
            raise _Refused
        if isinstance(node, yaml.SequenceNode):
            return Node([self.convert(item, depth + 1) for item in node.value], mark.line + 1, mark.column + 1)
        return self.mapping(node, depth)

    def mapping(self, node: yaml.Node, depth: int) -> Node:
        mark = node.start_mark
        mapping: dict[str, Node] = {}
        out = Node(mapping, mark.line + 1, mark.column + 1)
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.diags.append(make("ZN010", self.here(key_node.start_mark), what="a key",
                                       expected="plain text", got="a list or mapping"))
                raise _Refused
            key = self.convert(key_node, depth + 1, is_key=True)
            k = str(key.value)
            if k in out.keys:
                self.diags.append(make("ZN005", Position(self.name, key.line, key.col), key=k,
                                       first=out.keys[k].line))
                continue
            out.keys[k] = key
            mapping[k] = self.convert(value_node, depth + 1)
        return out


def _parse_composed(text: str, name: str) -> tuple[Node | None, list[Diagnostic]]:
    """The fast path: libyaml composes the tree; we convert it, checking as we go."""
    try:
        loader = _PositionLoader(text)
    except yaml.YAMLError as exc:  # the pure-Python reader checks every character first
        return None, [_yaml_error(exc, text, name)]
    try:
        composed = loader.get_single_node()
    except yaml.YAMLError as exc:
        return None, [_yaml_error(exc, text, name)]
    finally:
        loader.dispose()
    if composed is None:
        return None, []
    converter = _Converter(name)
    try:
        return converter.convert(composed, 0), converter.diags
    except _Refused:
        return None, converter.diags


class _EventTree:
    """Our nodes built from the YAML event stream, pinpointing anchors, aliases, tags and depth.

    Each handler returns False when the file is refused (its diagnostic recorded)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.diags: list[Diagnostic] = []
        # Each frame: [container node, pending key node or None]; lists have no key.
        self.stack: list[tuple[Node, list[Node | None]]] = []
        self.root: Node | None = None
        self.documents = 0

    def here(self, mark: yaml.Mark) -> Position:
        return Position(self.name, mark.line + 1, mark.column + 1)

    def refuse(self, diagnostic: Diagnostic) -> bool:
        self.diags.append(diagnostic)
        return False

    def refusal(self, ev: Any) -> Diagnostic:
        if ev.anchor is not None:
            return make("ZN006", self.here(ev.start_mark))
        return make("ZN007", self.here(ev.start_mark), tag=ev.tag)

    def attach(self, node: Node) -> bool:
        if not self.stack:
            self.root = node
            return True
        parent, pending = self.stack[-1]
        if isinstance(parent.value, list):
            parent.value.append(node)
            return True
        key = pending[0]
        if key is None:
            if isinstance(node.value, (dict, list)):
                return self.refuse(make("ZN010", Position(self.name, node.line, node.col), what="a key",
                                        expected="plain text", got="a list or mapping"))
            pending[0] = node
            return True
        pending[0] = None
        mapping = parent.value
        assert isinstance(mapping, dict)
        k = str(key.value)
        if k in parent.keys:
            first = parent.keys[k]
            self.diags.append(make("ZN005", Position(self.name, key.line, key.col), key=k, first=first.line))
            return True
        parent.keys[k] = key
        mapping[k] = node
        return True

    def scalar(self, ev: Any) -> bool:
        if ev.anchor is not None or ev.tag is not None:
            return self.refuse(self.refusal(ev))
        mark = ev.start_mark
        if not ev.style:
            value, ambiguous = _resolve(ev.value)
            node = Node(value, mark.line + 1, mark.column + 1, ambiguous=ambiguous)
            if self.stack and not isinstance(self.stack[-1][0].value, list) and self.stack[-1][1][0] is None:
                node.value = ev.value  # keys keep their text
        else:
            node = Node(ev.value, mark.line + 1, mark.column + 1, quoted=True)
        return self.attach(node)

    def start(self, ev: Any, mapping: bool) -> bool:
        if ev.anchor is not None or ev.tag is not None:
            return self.refuse(self.refusal(ev))
        if len(self.stack) >= MAX_DEPTH:
            return self.refuse(make("ZN008", self.here(ev.start_mark), limit=MAX_DEPTH))
        mark = ev.start_mark
        node = Node({} if mapping else [], mark.line + 1, mark.column + 1)
        if not self.attach(node):
            return False
        self.stack.append((node, [None]))
        return True

    def document(self, ev: Any) -> bool:
        self.documents += 1
        if self.documents > 1:
            return self.refuse(make("ZN004", self.here(ev.start_mark),
                                    reason="a file holds one document; remove the second '---'"))
        return True

    def walk(self, loader: Any) -> bool:
        """Take every event of the stream; False when the file is refused."""
        while True:
            ev = loader.get_event()
            kind = type(ev)
            if ev is None or kind is yaml.StreamEndEvent:
                return True
            if kind is yaml.ScalarEvent:
                ok = self.scalar(ev)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                ok = self.start(ev, kind is yaml.MappingStartEvent)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self.stack.pop()
                ok = True
            elif kind is yaml.AliasEvent:
                ok = self.refuse(make("ZN006", self.here(ev.start_mark)))
            elif kind is yaml.DocumentStartEvent:
                ok = self.document(ev)
            else:
                ok = True
            if not ok:
                return False


def _parse_events(text: str, name: str, loader_class: type | None = None) -> tuple[Node | None, list[Diagnostic]]:
    """The careful path: walk the event stream, pinpointing anchors, aliases, tags and depth."""
    try:
        loader = (loader_class or _PositionLoader)(text)
    except yaml.YAMLError as exc:  # the pure-Python reader checks every character first
        return None, [_yaml_error(exc, text, name)]
    tree = _EventTree(name)
    try:
        if not tree.walk(loader):
            return None, tree.diags
    except yaml.YAMLError as exc:
        tree.diags.append(_yaml_error(exc, text, name))
        return None, tree.diags
    finally:
        loader.dispose()
    return tree.root, tree.diags


def decode(data: bytes, name: str) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text: UTF-8 only (a BOM is allowed), at most MAX_BYTES."""
    if len(data) > MAX_BYTES:
        return None, [make("ZN002", Position(name, 1, 1), size=len(data), limit=MAX_BYTES)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [make("ZN003", Position(name, line, col), byte=data[exc.start])]
    if "\x00" in text:
        line, col = _line_col(text, text.index("\x00"))
        return None, [make("ZN004", Position(name, line, col), reason="a NUL character is not allowed")]
    return text, []


def parse_bytes(data: bytes | None, name: str) -> tuple[Source, list[Diagnostic]]:
    """Decode and parse one file's bytes; never raises for anything the bytes hold."""
    if data is None:
        return Source(name, None, readable=False), []
    digest = hashlib.sha256(data).hexdigest()
    text, diags = decode(data, name)
    if text is None:
        return Source(name, None, digest, readable=False), diags
    root, diags = parse_text(text, name)
    return Source(name, root, digest, readable=root is not None or not diags, text=text), diags


def read_source(path: Path, name: str | None = None) -> tuple[Source, list[Diagnostic]]:
    """Read and parse one file."""
    display = name or str(path)
    data, diags = read_bytes(path, display)
    if data is None:
        return Source(display, None, readable=False), diags
    return parse_bytes(data, display)
