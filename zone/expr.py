"""The condition and effect language: parsed once at load, compiled to closures.

Authors write `writer.cynicism >= 3 and not flags.knapsack_left` or
`stalker.faith += 1`. Python's `ast` parses the text; an allow-list decides what
may appear (whole-number and boolean constants, declared names, `entity.stat`,
comparisons, `and`/`or`/`not`, `+ - * // %`, unary minus) and everything else is
refused with a reason. Nothing is ever evaluated by Python: each allowed node
becomes a small closure, so author text cannot reach calls, attributes of
objects, subscripts, strings or powers.

Division and remainder by zero give 0, so a running game never fails on an
expression that passed the checks.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple, TypeGuard

from zone.diagnostics import did_you_mean

__all__ = [
    "MAX_CONSTANT",
    "MAX_LENGTH",
    "ExprError",
    "Symbols",
    "Compiled",
    "CompiledEffect",
    "compile_condition",
    "compile_effect",
    "compile_name",
]

MAX_LENGTH = 240
MAX_DEPTH = 24
MAX_CONSTANT = 10**9

Value = int | bool

if TYPE_CHECKING:
    from typing import Protocol

    class Env(Protocol):
        """What an expression reads: variable values, scene visits and the turn."""

        @property
        def values(self) -> Mapping[str, Value]: ...

        @property
        def visits(self) -> Mapping[str, int]: ...

        @property
        def turn(self) -> int: ...

    Fn = Callable[[Env], Value]


class ExprError(Exception):
    """A refused expression: `code` is a catalogue code, `fields` fill its template."""

    def __init__(self, code: str, offset: int = 0, **fields: object) -> None:
        super().__init__(code)
        self.code = code
        self.offset = offset
        self.fields = fields


class Symbols(NamedTuple):
    """The names an expression may use, with their types ('int', 'bool', or 'enum:NAME').

    An enumeration's value is the index of its member in `members[NAME]`: plain data in a
    state and a save, compared and assigned by the members' names in expressions.
    """

    variables: Mapping[str, str]
    ranges: Mapping[str, tuple[int, int]]
    entities: frozenset[str]
    scenes: frozenset[str] = frozenset()
    members: Mapping[str, tuple[str, ...]] = MappingProxyType({})


def is_enum(type_: str) -> bool:
    return type_.startswith("enum:")


def describe(type_: str, symbols: Symbols) -> str:
    """A type as an author reads it in a message."""
    if is_enum(type_):
        return f"one of {', '.join(symbols.members.get(type_[5:], ()))}"
    return type_


class Compiled(NamedTuple):
    source: str
    fn: Fn
    type: str
    reads: frozenset[str]


class CompiledEffect(NamedTuple):
    """One effect; or, with op "if", a block: effects run only when a condition holds, and others when not.

    A block's `value` is its condition, `branches` its two lists of effects, `reads`
    what the condition and the branches read, and `writes` every name a branch may change.
    """

    source: str
    apply: Callable[[dict[str, Value], Env], None]
    target: str
    reads: frozenset[str]
    op: str  # "=", "+=", ..., "%+", "%-", "if"
    value: Compiled
    writes: frozenset[str] = frozenset()
    branches: tuple[tuple[CompiledEffect, ...], tuple[CompiledEffect, ...]] = ((), ())

    @property
    def targets(self) -> frozenset[str]:
        """Every name this effect may change."""
        return self.writes if self.op == "if" else frozenset((self.target,))


MAX_BLOCK_DEPTH = 8


def conditional(condition: Compiled, then: tuple[CompiledEffect, ...],
                otherwise: tuple[CompiledEffect, ...] = ()) -> CompiledEffect:
    """The block `if condition: then, else: otherwise`; the condition is read once, before either branch."""
    test = condition.fn

    def apply(values: dict[str, Value], env: Env) -> None:
        for effect in then if test(env) else otherwise:
            effect.apply(values, env)

    every = then + otherwise
    writes = frozenset().union(*(e.targets for e in every)) if every else frozenset()
    reads = condition.reads.union(*(e.reads for e in every))
    first = next(iter(sorted(writes)), "")
    return CompiledEffect(f"if {condition.source}", apply, first, reads, "if", condition, writes, (then, otherwise))


_BINOPS: dict[type, tuple[str, Callable[[int, int], int]]] = {
    ast.Add: ("+", operator.add),
    ast.Sub: ("-", operator.sub),
    ast.Mult: ("*", operator.mul),
    ast.FloorDiv: ("//", lambda a, b: a // b if b else 0),
    ast.Mod: ("%", lambda a, b: a % b if b else 0),
}
_FORBIDDEN_OPS = {
    ast.Pow: "'**'", ast.LShift: "'<<'", ast.RShift: "'>>'", ast.BitAnd: "'&'", ast.BitOr: "'|'",
    ast.BitXor: "'^'", ast.Div: "'/' (use '//' for whole-number division)", ast.MatMult: "'@'",
}
_CMPOPS: dict[type, Callable[[Value, Value], bool]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt,
    ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
}
_BOOL_NAMES = {"true": True, "false": False, "True": True, "False": False}
_DESCRIBE = {
    ast.Call: "calls are not allowed",
    ast.Subscript: "subscripts are not allowed",
    ast.Lambda: "lambdas are not allowed",
    ast.JoinedStr: "strings are not allowed",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples are not allowed",
    ast.Dict: "dictionaries are not allowed",
    ast.Set: "sets are not allowed",
    ast.IfExp: "'if ... else' is not allowed in an expression",
    ast.NamedExpr: "':=' is not allowed",
    ast.Starred: "'*' unpacking is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.Await: "'await' is not allowed",
}


def _col(node: ast.AST) -> int:
    return int(getattr(node, "col_offset", 0))


class _Compiler:
    def __init__(self, symbols: Symbols) -> None:
        self.symbols = symbols
        self.reads: set[str] = set()

    def name_of(self, node: ast.expr) -> str | None:
        """The variable a Name/Attribute denotes (None for constants like true)."""
        if isinstance(node, ast.Name):
            ident = node.id
            if ident.startswith("_"):
                raise ExprError("ZN015", _col(node), reason=f"'{ident}': names starting with '_' are not allowed")
            if ident in _BOOL_NAMES:
                return None
            if ident == "turn" or ident in self.symbols.variables:
                return ident
            candidates = list(self.symbols.variables) + ["turn", "true", "false"]
            if ident in self.symbols.entities or ident in ("flags", "visits"):
                raise ExprError("ZN016", _col(node), name=ident,
                                hint=f" (write '{ident}.<name>')")
            raise ExprError("ZN016", _col(node), name=ident, hint=did_you_mean(ident, candidates))
        if isinstance(node, ast.Attribute):
            if node.attr.startswith("_"):
                raise ExprError("ZN015", _col(node), reason=f"'{node.attr}': names starting with '_' are not allowed")
            if not isinstance(node.value, ast.Name):
                raise ExprError("ZN015", _col(node), reason="only 'entity.stat' names are allowed")
            owner, attr = node.value.id, node.attr
            if owner.startswith("_") or attr.startswith("_"):
                raise ExprError(
                    "ZN015", _col(node), reason=f"'{owner}.{attr}': names starting with '_' are not allowed",
                )
            if owner == "visits":
                if attr not in self.symbols.scenes and self.symbols.scenes:
                    raise ExprError("ZN016", _col(node), name=f"visits.{attr}",
                                    hint=did_you_mean(attr, self.symbols.scenes))
                return f"visits.{attr}"
            key = f"{owner}.{attr}"
            if key in self.symbols.variables:
                return key
            prefix = owner + "."
            known = [k for k in self.symbols.variables if k.startswith(prefix)]
            raise ExprError("ZN016", _col(node), name=key, hint=did_you_mean(key, known or self.symbols.variables))
        return None

    def type_of_name(self, name: str) -> str:
        if name == "turn" or name.startswith("visits."):
            return "int"
        return self.symbols.variables[name]

    def compile(self, node: ast.expr, depth: int = 0) -> tuple[Fn, str]:
        if depth > MAX_DEPTH:
            raise ExprError("ZN015", _col(node), reason="too deeply nested")
        d = depth + 1
        if isinstance(node, ast.Constant):
            return self._constant(node)
        if isinstance(node, (ast.Name, ast.Attribute)):
            return self._name(node)
        if isinstance(node, ast.UnaryOp):
            return self._unary(node, d)
        if isinstance(node, ast.BinOp):
            return self._binop(node, d)
        if isinstance(node, ast.BoolOp):
            return self._boolop(node, d)
        if isinstance(node, ast.Compare):
            return self._compare(node, d)
        reason = _DESCRIBE.get(type(node), f"'{type(node).__name__}' is not allowed")
        raise ExprError("ZN015", _col(node), reason=reason)

    def _constant(self, node: ast.Constant) -> tuple[Fn, str]:
        value = node.value
        if isinstance(value, bool):
            return (lambda e, v=value: v), "bool"
        if isinstance(value, int):
            if abs(value) > MAX_CONSTANT:
                raise ExprError("ZN015", _col(node), reason=f"the number {value} is larger than {MAX_CONSTANT}")
            return (lambda e, v=value: v), "int"
        if isinstance(value, str):
            raise ExprError("ZN015", _col(node), reason="strings are not allowed")
        if isinstance(value, float):
            raise ExprError("ZN015", _col(node), reason="only whole numbers are allowed")
        raise ExprError("ZN015", _col(node), reason=f"{value!r} is not allowed")

    def _name(self, node: ast.Name | ast.Attribute) -> tuple[Fn, str]:
        if isinstance(node, ast.Name) and node.id in _BOOL_NAMES:
            flag = _BOOL_NAMES[node.id]
            return (lambda e, v=flag: v), "bool"
        name = self.name_of(node)
        assert name is not None
        self.reads.add(name)
        if name == "turn":
            return (lambda e: e.turn), "int"
        if name.startswith("visits."):
            scene = name[7:]
            return (lambda e, s=scene: e.visits.get(s, 0)), "int"
        return (lambda e, k=name: e.values[k]), self.type_of_name(name)

    def _unary(self, node: ast.UnaryOp, d: int) -> tuple[Fn, str]:
        inner, t = self.compile(node.operand, d)
        if isinstance(node.op, ast.Not):
            self.expect(t, "bool", node, "'not' needs a true/false value")
            return (lambda e: not inner(e)), "bool"
        if isinstance(node.op, ast.USub):
            self.expect(t, "int", node, "'-' needs a number")
            return (lambda e: -inner(e)), "int"
        if isinstance(node.op, ast.UAdd):
            self.expect(t, "int", node, "'+' needs a number")
            return inner, "int"
        raise ExprError("ZN015", _col(node), reason="'~' is not allowed")

    def _binop(self, node: ast.BinOp, d: int) -> tuple[Fn, str]:
        op_type = type(node.op)
        if op_type in _FORBIDDEN_OPS:
            raise ExprError("ZN015", _col(node), reason=f"{_FORBIDDEN_OPS[op_type]} is not allowed")
        symbol, fn = _BINOPS[op_type]
        left, lt = self.compile(node.left, d)
        right, rt = self.compile(node.right, d)
        self.expect(lt, "int", node.left, f"'{symbol}' needs numbers on both sides")
        self.expect(rt, "int", node.right, f"'{symbol}' needs numbers on both sides")
        return (lambda e: fn(int(left(e)), int(right(e)))), "int"

    def _boolop(self, node: ast.BoolOp, d: int) -> tuple[Fn, str]:
        parts = []
        for operand in node.values:
            part, t = self.compile(operand, d)
            self.expect(t, "bool", operand, "'and'/'or' need true/false values on both sides")
            parts.append(part)
        items = tuple(parts)
        if isinstance(node.op, ast.And):
            return (lambda e: all(p(e) for p in items)), "bool"
        return (lambda e: any(p(e) for p in items)), "bool"

    def _compare(self, node: ast.Compare, d: int) -> tuple[Fn, str]:
        operands = self.operands([node.left, *node.comparators], d)
        steps = []
        for i, op in enumerate(node.ops):
            if type(op) not in _CMPOPS:
                raise ExprError("ZN015", _col(node), reason=f"'{type(op).__name__}' comparisons are not allowed")
            (lf, lt), (rf, rt) = operands[i], operands[i + 1]
            if lt != rt:
                raise ExprError("ZN017", _col(node), reason=f"cannot compare {describe(lt, self.symbols)} "
                                                            f"with {describe(rt, self.symbols)}")
            if lt != "int" and not isinstance(op, (ast.Eq, ast.NotEq)):
                raise ExprError("ZN017", _col(node), reason=f"{describe(lt, self.symbols)} can only be compared "
                                                            "with == or !=")
            steps.append((lf, _CMPOPS[type(op)], rf))
        if len(steps) == 1:
            (lf, cmp, rf), = steps
            return (lambda e: cmp(lf(e), rf(e))), "bool"
        chain = tuple(steps)
        return (lambda e: all(c(a(e), b(e)) for a, c, b in chain)), "bool"

    def member(self, node: ast.expr) -> str | None:
        """The bare word of `node` when it names no variable: perhaps a member of an enumeration.

        A character's id alone is never a value, so beside an enumeration it may be a member
        (`first_in == writer`); anywhere else it is still reported as a character without a stat."""
        if isinstance(node, ast.Name) and node.id not in _BOOL_NAMES and node.id != "turn" \
                and node.id not in self.symbols.variables:
            return node.id
        return None

    def member_value(self, node: ast.expr, type_: str) -> Fn:
        """The index of the member `node` names in the enumeration `type_`, or an unknown-name error."""
        word = self.member(node)
        members = self.symbols.members.get(type_[5:], ())
        assert word is not None
        if word not in members:
            raise ExprError("ZN016", _col(node), name=word,
                            hint=f"; '{type_[5:]}' is one of {', '.join(members)}{did_you_mean(word, members)}")
        index = members.index(word)

        def value(e: Env, v: int = index) -> Value:
            return v
        return value

    def operands(self, nodes: list[ast.expr], depth: int) -> list[tuple[Fn, str]]:
        """The sides of a comparison; a bare word beside an enumeration is one of its members."""
        compiled: list[tuple[Fn, str] | None] = [
            None if self.member(n) is not None else self.compile(n, depth) for n in nodes]
        for i, n in enumerate(nodes):
            if compiled[i] is None:
                near = [c[1] for c in (compiled[i - 1] if i else None, compiled[i + 1] if i + 1 < len(nodes) else None)
                        if c is not None and is_enum(c[1])]
                compiled[i] = (self.member_value(n, near[0]), near[0]) if near else self.compile(n, depth)
        return [c for c in compiled if c is not None]

    @staticmethod
    def expect(got: str, want: str, node: ast.AST, reason: str) -> None:
        if got != want:
            raise ExprError("ZN017", _col(node), reason=f"{reason} (got {got})")


def _parse(source: str, mode: str) -> ast.AST:
    if not isinstance(source, str):
        raise ExprError("ZN015", reason="an expression must be text")
    text = source.strip()
    if not text:
        raise ExprError("ZN015", reason="the expression is empty")
    if len(text) > MAX_LENGTH:
        raise ExprError("ZN021", length=len(text), limit=MAX_LENGTH)
    depth = 0
    for ch in text:
        if ch in "([{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ExprError("ZN015", reason="too deeply nested")
        elif ch in ")]}":
            depth -= 1
    if "\n" in text:
        raise ExprError("ZN015", reason="an expression is one line")
    try:
        return ast.parse(text, mode=mode)
    except SyntaxError as exc:
        offset = max((exc.offset or 1) - 1, 0)
        raise ExprError("ZN015", offset, reason=f"cannot read '{text}': {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError, OverflowError):
        raise ExprError("ZN015", reason=f"cannot read '{text}'") from None


_LONE_EQUALS = re.compile(r"(?<![=!<>])=(?!=)")


def _misread_equals(source: str, exc: ExprError) -> ExprError:
    """A condition that cannot be read because it sets (`nuts = 1`) or writes `=>`: said so, at the `=`."""
    text = source.strip() if isinstance(source, str) else ""
    unread = exc.code == "ZN015" and str(exc.fields.get("reason", "")).startswith("cannot read")
    found = _LONE_EQUALS.search(text) if unread else None
    if found is None:
        return exc
    after = text[found.end():found.end() + 1]
    if after in ("<", ">"):
        return ExprError("ZN015", found.start(), reason=f"'={after}' in '{text}': write '{after}='")
    return ExprError("ZN015", found.start(), reason=f"a condition compares with '==', and '=' sets a value (in "
                                                    f"an effect): write '{text[:found.start()].rstrip()} == "
                                                    f"{text[found.end():].lstrip()}'")


def compile_condition(source: str, symbols: Symbols) -> Compiled:
    """Compile a true/false condition such as `writer.trust >= 2 and not flags.x`."""
    try:
        tree = _parse(source, "eval")
    except ExprError as exc:
        raise _misread_equals(source, exc) from None
    assert isinstance(tree, ast.Expression)
    compiler = _Compiler(symbols)
    fn, t = compiler.compile(tree.body)
    if t != "bool":
        raise ExprError("ZN017", reason=f"a condition must be true or false, and '{source.strip()}' is a number")
    return Compiled(source.strip(), fn, t, frozenset(compiler.reads))


def compile_value(source: str, symbols: Symbols) -> Compiled:
    """Compile any allowed expression (used for interpolation and tests)."""
    tree = _parse(source, "eval")
    assert isinstance(tree, ast.Expression)
    compiler = _Compiler(symbols)
    fn, t = compiler.compile(tree.body)
    return Compiled(source.strip(), fn, t, frozenset(compiler.reads))


def compile_name(source: str, symbols: Symbols) -> Compiled:
    """Compile a bare name (for `{writer.trust}` interpolation)."""
    tree = _parse(source, "eval")
    assert isinstance(tree, ast.Expression)
    if not isinstance(tree.body, (ast.Name, ast.Attribute)):
        raise ExprError("ZN015", reason=f"'{source.strip()}' is not a name")
    return compile_value(source, symbols)


def _clamp(lo: int, hi: int) -> Callable[[int], int]:
    return lambda x: lo if x < lo else hi if x > hi else x


def _is_fairmath(node: ast.expr) -> TypeGuard[ast.BinOp]:
    """`name %+ n` or `name %- n`, which Python reads as `name % (+n)` and `name % (-n)`."""
    return (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.right, ast.UnaryOp)
            and isinstance(node.right.op, (ast.UAdd, ast.USub)))


def fair_add(value: int, change: int) -> int:
    """ChoiceScript's `%+`: a step toward 100 in proportion to the room left, rounded down, at most 99
    (a value already at 100 stays there)."""
    result = math.floor(value + change * ((100 - value) / 100))  # the same float steps as ChoiceScript's
    return min(result, max(value, 99))


def fair_subtract(value: int, change: int) -> int:
    """ChoiceScript's `%-`: a step toward 0 in proportion to the value, rounded up, at least 1
    (a value already at 0 stays there)."""
    result = math.ceil(value - change * (value / 100))
    return max(result, min(value, 1))


def _changeable(compiler: _Compiler, node: ast.expr) -> str:
    """The declared name an effect changes; `turn`, visit counts and anything else cannot be."""
    if not isinstance(node, (ast.Name, ast.Attribute)):
        raise ExprError("ZN015", _col(node), reason="only a declared name can be changed")
    target = compiler.name_of(node)
    if target is None or target == "turn" or target.startswith("visits."):
        raise ExprError("ZN015", _col(node), reason=f"'{ast.unparse(node)}' cannot be changed")
    return target


def _effect_parts(stmt: ast.stmt, source: str) -> tuple[ast.expr, str, ast.expr, Callable[[int, int], int] | None]:
    """An effect statement's target, its operator ("=", "+=", ...), its value, and how `op=` combines;
    `source` is the effect as parsed, for saying where a mistaken `==` stands."""
    if isinstance(stmt, ast.Assign):
        if len(stmt.targets) != 1:
            raise ExprError("ZN015", _col(stmt), reason="assign one name at a time")
        return stmt.targets[0], "=", stmt.value, None
    if isinstance(stmt, ast.AugAssign):
        if type(stmt.op) not in _BINOPS:
            name = _FORBIDDEN_OPS.get(type(stmt.op), "that operator")
            raise ExprError("ZN015", _col(stmt), reason=f"{name} is not allowed")
        symbol, combine = _BINOPS[type(stmt.op)]
        return stmt.target, symbol + "=", stmt.value, combine
    if isinstance(stmt, ast.Expr):
        value = stmt.value
        if isinstance(value, ast.Compare) and len(value.ops) == 1 and isinstance(value.ops[0], ast.Eq):
            at = source.find("==", value.left.end_col_offset or 0)
            raise ExprError("ZN015", max(at, 0), reason="'==' compares, and an effect sets a value with '=': write "
                                                        f"'{source[:at].rstrip()} = {source[at + 2:].lstrip()}'")
        raise ExprError("ZN015", _col(stmt), reason="an effect changes a value: write 'name = ...' or 'name += ...'")
    raise ExprError("ZN015", _col(stmt), reason=f"'{type(stmt).__name__}' is not allowed in an effect")


def _compile_fairmath(source: str, node: ast.BinOp, symbols: Symbols) -> CompiledEffect:
    """`writer.trust %+ 20`: fair arithmetic on a percentage, as ChoiceScript's fairmath."""
    assert isinstance(node.right, ast.UnaryOp)
    compiler = _Compiler(symbols)
    adding = isinstance(node.right.op, ast.UAdd)
    op = "%+" if adding else "%-"
    target = _changeable(compiler, node.left)
    lo, hi = symbols.ranges.get(target, (-MAX_CONSTANT, MAX_CONSTANT))
    if symbols.variables[target] != "int" or lo < 0 or hi > 100:
        raise ExprError("ZN017", _col(node), reason=f"'{op}' works on a percentage (a number within 0 to 100), "
                                                    f"and '{target}' is not one")
    value_node = node.right.operand
    value_fn, value_type = compiler.compile(value_node)
    if value_type != "int":
        raise ExprError("ZN017", _col(value_node), reason=f"'{op}' needs a number, and the change is true/false")
    value_reads = frozenset(compiler.reads)
    value = Compiled(ast.get_source_segment(source.strip(), value_node) or "", value_fn, value_type, value_reads)
    fair = fair_add if adding else fair_subtract
    clamp = _clamp(lo, hi)

    def update(values: dict[str, Value], env: Env, k: str = target, f: Fn = value_fn) -> None:
        values[k] = clamp(fair(int(values[k]), int(f(env))))
    return CompiledEffect(source.strip(), update, target, value_reads, op, value)


def compile_effect(source: str, symbols: Symbols) -> CompiledEffect:
    """Compile an effect: `name = expr`, or `name += expr` (also -=, *=, //=, %=), or fairmath `name %+ expr`."""
    tree = _parse(source, "exec")
    assert isinstance(tree, ast.Module)
    if len(tree.body) != 1:
        raise ExprError("ZN015", reason="one effect per line")
    stmt = tree.body[0]
    if isinstance(stmt, ast.Expr) and _is_fairmath(stmt.value):
        return _compile_fairmath(source, stmt.value, symbols)
    compiler = _Compiler(symbols)
    target_node, op, value_node, combine = _effect_parts(stmt, source.strip())
    target = _changeable(compiler, target_node)
    target_type = symbols.variables[target]
    if is_enum(target_type) and compiler.member(value_node) is not None:
        value_fn, value_type = compiler.member_value(value_node, target_type), target_type
    else:
        value_fn, value_type = compiler.compile(value_node)
    value_reads = frozenset(compiler.reads)
    if op != "=" and target_type != "int":
        raise ExprError("ZN017", _col(stmt), reason=f"'{op}' needs a number, and '{target}' is "
                                                    f"{describe(target_type, symbols)}")
    if value_type != target_type:
        raise ExprError("ZN017", _col(value_node), reason=f"'{target}' is {describe(target_type, symbols)}, "
                                                          f"the value is {describe(value_type, symbols)}")
    value_text = ast.get_source_segment(source.strip(), value_node) or ""
    value = Compiled(value_text, value_fn, value_type, value_reads)
    if target_type == "bool":
        def assign_bool(values: dict[str, Value], env: Env, k: str = target, f: Fn = value_fn) -> None:
            values[k] = bool(f(env))
        return CompiledEffect(source.strip(), assign_bool, target, value_reads, op, value)
    lo, hi = symbols.ranges.get(target, (-MAX_CONSTANT, MAX_CONSTANT))
    clamp = _clamp(lo, hi)
    if op == "=":
        def assign(values: dict[str, Value], env: Env, k: str = target, f: Fn = value_fn) -> None:
            values[k] = clamp(int(f(env)))
        return CompiledEffect(source.strip(), assign, target, value_reads, op, value)
    assert combine is not None  # `op` is not "=", so the statement was an augmented assignment

    def update(values: dict[str, Value], env: Env, k: str = target, f: Fn = value_fn) -> None:
        values[k] = clamp(combine(int(values[k]), int(f(env))))
    return CompiledEffect(source.strip(), update, target, value_reads, op, value)
