"""Reading source nodes as the values a pack means: text, ids, numbers, expressions.

Every helper here reports what is wrong with a node as a diagnostic at the node's
position and returns None, so the compiler can go on and collect every problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from zone import inline
from zone.diagnostics import Diagnostic, Position, did_you_mean, make
from zone.expr import (
    MAX_BLOCK_DEPTH,
    MAX_CONSTANT,
    Compiled,
    CompiledEffect,
    ExprError,
    Symbols,
    compile_condition,
    compile_effect,
    conditional,
)
from zone.inline import InlineError, Lit
from zone.model import Text
from zone.packformat import ID_PATTERN, OBJECTS
from zone.source import Node, Source

__all__ = ["ID", "NodeReader", "describe", "reflow"]

ID = re.compile(ID_PATTERN)
_KIND_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
               type(None): "empty", dict: "a mapping", list: "a list"}


def describe(node: Node) -> str:
    if node.ambiguous:
        return f"'{node.value}'"
    return _KIND_NAMES.get(type(node.value), type(node.value).__name__)


def reflow(text: str) -> str:
    """Re-flow author text: blank lines separate paragraphs; single newlines are spaces."""
    paras = []
    for block in re.split(r"\n\s*\n", text.strip()):
        line = " ".join(part.strip() for part in block.splitlines() if part.strip())
        if line:
            paras.append(line)
    return "\n\n".join(paras)


class NodeReader:
    """The value readers of the compiler, with the diagnostics they collect."""

    def __init__(self) -> None:
        self.diags: list[Diagnostic] = []
        self.symbols = Symbols({}, {}, frozenset())
        self.memo: dict[tuple[str, str], object] = {}
        self.pending_targets: list[tuple[str, Position]] = []
        self.pending_visits: list[tuple[str, Position]] = []
        # False when story.yaml could not be read, or is empty or not a mapping: the names
        # it declares are unknown, so "unknown name" would be said of every name, and is not said.
        self.names_known = True

    def report(self, code: str, src: Source, node: Node | None, **fields: object) -> None:
        self.diags.append(make(code, src.pos(node), **fields))

    def fields(self, src: Source, node: Node, kind: str, where: str) -> dict[str, Node] | None:
        """Check that `node` is a mapping with only known keys and all required ones."""
        if not isinstance(node.value, dict):
            self.report("ZN010", src, node, what=where, expected="a mapping", got=describe(node))
            return None
        known = {f.name: f for f in OBJECTS[kind]}
        for key, key_node in node.keys.items():
            if key not in known:
                self.report("ZN011", src, key_node, key=key, where=where, hint=did_you_mean(key, known))
        for f in OBJECTS[kind]:
            if f.required and f.name not in node.value:
                self.report("ZN014", src, node, where=where, key=f.name)
        return node.value

    def string(self, src: Source, node: Node | None, what: str) -> str | None:
        if node is None:
            return None
        if node.ambiguous:
            self.report("ZN009", src, node, value=node.value, advice=f"{what} is text, so put it in quotes")
            return None
        if isinstance(node.value, str):
            return node.value
        self.report("ZN010", src, node, what=what, expected="text", got=describe(node))
        return None

    def ident(self, src: Source, node: Node | None, what: str) -> str | None:
        value = self.string(src, node, what)
        if value is None:
            return None
        if not ID.match(value):
            self.report("ZN023", src, node, name=value, what=what)
            return None
        return value

    def boolean(self, src: Source, node: Node | None, what: str) -> bool | None:
        if node is None:
            return None
        if node.ambiguous:
            self.report("ZN009", src, node, value=node.value, advice="write true or false")
            return None
        if isinstance(node.value, bool):
            return node.value
        self.report("ZN010", src, node, what=what, expected="true or false", got=describe(node))
        return None

    def integer(self, src: Source, node: Node | None, what: str) -> int | None:
        if node is None:
            return None
        if node.ambiguous:
            self.report("ZN009", src, node, value=node.value, advice="write a plain whole number such as 12")
            return None
        if isinstance(node.value, int) and not isinstance(node.value, bool):
            if abs(node.value) > MAX_CONSTANT:
                self.report("ZN024", src, node, what=f"{what} must be between -{MAX_CONSTANT} and {MAX_CONSTANT}")
                return None
            return node.value
        self.report("ZN010", src, node, what=what, expected="a whole number", got=describe(node))
        return None

    def expr_diag(self, src: Source, node: Node, exc: ExprError) -> None:
        if exc.code == "ZN016" and not self.names_known:
            return
        pos = src.within(node, node.value, exc.offset) if exc.offset and isinstance(node.value, str) else src.pos(node)
        self.diags.append(make(exc.code, pos, **exc.fields))

    def condition(self, src: Source, node: Node | None) -> Compiled | None:
        if node is None:
            return None
        if isinstance(node.value, bool) and not node.ambiguous:
            self.report("ZN010", src, node, what="a condition", expected="an expression such as 'writer.trust >= 2'",
                        got="a bare true/false")
            return None
        text = self.string(src, node, "a condition")
        if text is None:
            return None
        try:
            compiled: Compiled = self.cached("if", text, compile_condition)  # type: ignore[assignment]
            self.note_visits(compiled.reads, src, node)
            return compiled
        except ExprError as exc:
            self.expr_diag(src, node, exc)
            return None

    def cached(self, kind: str, text: str, compile_fn: Callable[[str, Symbols], object]) -> object:
        """Compile each distinct expression once: compiled expressions are immutable and shareable."""
        key = (kind, text)
        found = self.memo.get(key)
        if found is None:
            try:
                found = compile_fn(text, self.symbols)
            except ExprError as exc:
                found = exc
            self.memo[key] = found
        if isinstance(found, ExprError):
            raise found
        return found

    def effects(self, src: Source, node: Node | None, depth: int = 0) -> tuple[CompiledEffect, ...]:
        """Effects in order: each a line such as `nuts -= 1`, or a block `{if: ..., do: [...], else: [...]}`."""
        if node is None:
            return ()
        items = node.value if isinstance(node.value, list) else [node]
        out: list[CompiledEffect] = []
        for item in items:
            if isinstance(item.value, dict):
                block = self.block(src, item, depth + 1)
                if block is not None:
                    out.append(block)
                continue
            text = self.string(src, item, "an effect")
            if text is None:
                continue
            try:
                effect: CompiledEffect = self.cached("do", text, compile_effect)  # type: ignore[assignment]
                self.note_visits(effect.reads, src, item)
                out.append(effect)
            except ExprError as exc:
                self.expr_diag(src, item, exc)
        return tuple(out)

    def block(self, src: Source, node: Node, depth: int) -> CompiledEffect | None:
        """`{if: condition, do: [...], else: [...]}` inside a list of effects, nested at most MAX_BLOCK_DEPTH deep."""
        if depth > MAX_BLOCK_DEPTH:
            self.report("ZN024", src, node, what=f"effect blocks nest at most {MAX_BLOCK_DEPTH} deep")
            return None
        f = self.fields(src, node, "effect_block", "an effect block")
        if f is None:
            return None
        condition = self.condition(src, f.get("if"))
        then = self.effects(src, f.get("do"), depth)
        otherwise = self.effects(src, f.get("else"), depth)
        if condition is None:
            return None
        if not then and not otherwise:
            self.report("ZN024", src, node, what="an effect block changes nothing: give it 'do' or 'else' effects")
            return None
        return conditional(condition, then, otherwise)

    def text(self, src: Source, node: Node | None, what: str, *, flow: bool = True) -> Text | None:
        value = self.string(src, node, what)
        if value is None or node is None:
            return None
        if flow:
            value = reflow(value)
        if "{" not in value and "}" not in value:
            return Text((Lit(value),) if value else (), src.pos(node), value)
        try:
            pieces = inline.parse(value, self.symbols)
        except InlineError as exc:
            if exc.code != "ZN016" or self.names_known:
                code, fields = exc.code, exc.fields
                if code == "ZN016":  # said as narration, with the braces the author wrote
                    code, fields = "ZN022", {"reason": f"unknown name '{{{exc.fields['name']}}}'{exc.fields['hint']}"}
                self.diags.append(make(code, src.within(node, value, exc.offset), **fields))
            return None
        self.note_visits(inline.reads(pieces), src, node)
        return Text(pieces, src.pos(node), value)

    def target(self, src: Source, node: Node | None) -> str | None:
        sid = self.ident(src, node, "goto (a scene id)")
        if sid is not None:
            self.pending_targets.append((sid, src.pos(node)))
        return sid

    def note_visits(self, reads: frozenset[str], src: Source, node: Node) -> None:
        for name in reads:
            if name.startswith("visits."):
                self.pending_visits.append((name[7:], src.pos(node)))
