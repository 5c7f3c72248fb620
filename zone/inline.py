"""Inline text: what may stand between braces in narration, choice text, reasons and titles.

    {writer.trust}                          any expression, shown as a number or yes/no
    {if writer.trust > 5: He nods. | He looks away.}     a condition, with an optional else
    {seq: First. | Again. | And again.}     by how often the scene was seen: stops on the last
    {cycle: Drip. | Drop.}                  goes round
    {once: The first time. | The second.}   each once, then nothing
    {shuffle: Crows. | Wind. | Nothing.}    a seeded order, every option before any repeats
    {plural items.nuts: nut | nuts}         "1 nut", "3 nuts"
    {agree items.nuts: lies | lie}          the word alone: "lies" for 1, "lie" otherwise
    {{ }} and, inside a branch, ||          a literal brace or bar

Branches hold text and further braces, nested at most MAX_DEPTH deep. Parsing
happens once, at load, and every mistake is an `InlineError` at its offset in the
text. Rendering is a pure function of the state, the scene, how often it was seen
and the run's seed: it never draws from the random stream that moves the traps, so
the same seed and choices give the same run whether or not any text was shown.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from zone.expr import Compiled, ExprError, Symbols, compile_condition, compile_value, is_enum

if TYPE_CHECKING:
    from zone.expr import Env

__all__ = ["MAX_DEPTH", "Cond", "InlineError", "Lit", "Plural", "Seen", "Show", "Vary", "conditions", "expressions",
           "literal_words", "parse", "plain_text", "reads", "render", "taken"]

MAX_DEPTH = 8
VARIATIONS = ("seq", "cycle", "once", "shuffle")
_HEAD = re.compile(r"\s*(if|seq|cycle|once|shuffle|plural|agree)(?=[\s:])")


class Lit(NamedTuple):
    text: str


class Show(NamedTuple):
    value: Compiled
    names: tuple[str, ...] = ()  # an enumeration's members, shown by name


class Cond(NamedTuple):
    test: Compiled
    then: Pieces
    otherwise: Pieces


class Vary(NamedTuple):
    kind: str  # one of VARIATIONS
    options: tuple[Pieces, ...]
    at: int  # the offset of its brace, so that two shuffles in one text differ


class Plural(NamedTuple):
    number: Compiled
    one: Pieces
    many: Pieces
    with_number: bool  # plural shows "3 nuts"; agree shows "nuts"


Piece = Lit | Show | Cond | Vary | Plural
Pieces = tuple[Piece, ...]


class InlineError(Exception):
    """A mistake in inline text: a catalogue code, the offset in the text, and the template's fields."""

    def __init__(self, code: str, offset: int, **fields: object) -> None:
        super().__init__(code, offset, fields)
        self.code = code
        self.offset = offset
        self.fields = fields


def _reason(offset: int, reason: str) -> InlineError:
    return InlineError("ZN022", offset, reason=reason)


class _Parser:
    def __init__(self, text: str, symbols: Symbols) -> None:
        self.text = text
        self.symbols = symbols

    def expression(self, start: int, end: int, compile_: Callable[[str, Symbols], Compiled]) -> Compiled:
        source = self.text[start:end]
        try:
            return compile_(source, self.symbols)
        except ExprError as exc:
            lead = len(source) - len(source.lstrip())
            raise InlineError(exc.code, start + lead + exc.offset, **exc.fields) from None

    def pieces(self, i: int, depth: int, in_branch: bool) -> tuple[Pieces, int]:
        """Text and braces from `i` up to a '|' or '}' that ends a branch (or the end of the text)."""
        out: list[Piece] = []
        literal: list[str] = []
        text, n = self.text, len(self.text)
        while i < n:
            ch = text[i]
            if ch in "{}|" and text.startswith(ch * 2, i) and (ch != "|" or in_branch):
                literal.append(ch)
                i += 2
            elif ch == "{":
                if literal:
                    out.append(Lit("".join(literal)))
                    literal = []
                piece, i = self.brace(i, depth + 1)
                out.append(piece)
            elif ch == "}" or (ch == "|" and in_branch):
                if not in_branch:
                    raise _reason(i, "'}' without '{' (write '}}' for a literal brace)")
                break
            else:
                literal.append(ch)
                i += 1
        if literal:
            out.append(Lit("".join(literal)))
        return tuple(out), i

    def options(self, i: int, depth: int, at: int) -> tuple[list[Pieces], int]:
        """Branches separated by '|' up to the closing '}'; `i` is just past the ':'."""
        branches: list[Pieces] = []
        while True:
            branch, i = self.pieces(i, depth, True)
            branches.append(_trimmed(branch))
            if i >= len(self.text):
                raise _reason(at, "'{' is never closed (write '{{' for a literal brace)")
            if self.text[i] == "}":
                return branches, i + 1
            i += 1  # past '|'

    def head_end(self, start: int, at: int, what: str) -> int:
        """The ':' that ends the head of `{if ...:` and the like."""
        colon = self.text.find(":", start)
        close = self.text.find("}", start)
        if colon < 0 or (0 <= close < colon):
            raise _reason(at, f"'{{{what} ...' needs a ':' before its text")
        return colon

    def brace(self, at: int, depth: int) -> tuple[Piece, int]:
        if depth > MAX_DEPTH:
            raise _reason(at, f"braces nested deeper than {MAX_DEPTH}")
        head = _HEAD.match(self.text, at + 1)
        if head is None:
            close = self.text.find("}", at)
            if close < 0:
                raise _reason(at, "'{' is never closed (write '{{' for a literal brace)")
            if "{" in self.text[at + 1:close] or "|" in self.text[at + 1:close]:
                raise _reason(at, "a brace holds an expression, or begins with if, seq, cycle, once, shuffle, "
                                  "plural or agree (write '{{' for a literal brace)")
            value = self.expression(at + 1, close, compile_value)
            return Show(value, self.symbols.members.get(value.type[5:], ()) if is_enum(value.type) else ()), close + 1
        word = head.group(1)
        start = head.end()
        while start < len(self.text) and self.text[start].isspace():
            start += 1
        if word in VARIATIONS:
            colon = self.head_end(start, at, word)
            if self.text[start:colon].strip():
                raise _reason(start, f"'{{{word}:' takes no condition; its options follow the ':'")
            options, end = self.options(colon + 1, depth, at)
            return Vary(word, tuple(options), at), end
        colon = self.head_end(start, at, word)
        compile_ = compile_condition if word == "if" else compile_value
        test = self.expression(start, colon, compile_)
        branches, end = self.options(colon + 1, depth, at)
        if word == "if":
            if len(branches) > 2:
                raise _reason(at, "'{if ...:' has one text and an optional else after one '|' "
                                  "(nest another {if} for more, or write '||' for a literal bar)")
            return Cond(test, branches[0], branches[1] if len(branches) == 2 else ()), end
        if test.type != "int":
            raise _reason(start, f"'{{{word}' counts a number, and '{test.source}' is true or false")
        if len(branches) != 2:
            raise _reason(at, f"'{{{word} COUNT: one | many}}' needs exactly two words")
        return Plural(test, branches[0], branches[1], word == "plural"), end


def _trimmed(branch: Pieces) -> Pieces:
    """A branch without the spaces that set it off from ':' and '|'."""
    if branch and isinstance(branch[0], Lit):
        branch = (Lit(branch[0].text.lstrip()), *branch[1:])
    if branch and isinstance(branch[-1], Lit):
        branch = (*branch[:-1], Lit(branch[-1].text.rstrip()))
    return tuple(p for p in branch if not (isinstance(p, Lit) and not p.text))


def parse(text: str, symbols: Symbols) -> Pieces:
    """The pieces of `text`; raises InlineError at the first mistake."""
    pieces, _ = _Parser(text, symbols).pieces(0, 0, False)
    return pieces


def reads(pieces: Pieces) -> frozenset[str]:
    """Every name the text reads, in any branch."""
    found: set[str] = set()
    for piece in pieces:
        if isinstance(piece, Show):
            found |= piece.value.reads
        elif isinstance(piece, Cond):
            found |= piece.test.reads | reads(piece.then) | reads(piece.otherwise)
        elif isinstance(piece, Vary):
            for option in piece.options:
                found |= reads(option)
        elif isinstance(piece, Plural):
            found |= piece.number.reads | reads(piece.one) | reads(piece.many)
    return frozenset(found)


class Seen(NamedTuple):
    """Where a text is shown: the variations read these, and nothing else of the run."""

    scene: str
    visit: int  # how often the scene has been entered, this time included (1 the first time)
    seed: int


def _option(piece: Vary, seen: Seen) -> Pieces:
    n = len(piece.options)
    k = max(seen.visit, 1) - 1
    if piece.kind == "seq":
        return piece.options[min(k, n - 1)]
    if piece.kind == "cycle":
        return piece.options[k % n]
    if piece.kind == "once":
        return piece.options[k] if k < n else ()
    rounds, place = divmod(k, n)
    order = list(range(n))
    random.Random(f"{seen.seed}:{seen.scene}:{piece.at}:{rounds}").shuffle(order)  # noqa: S311 - not security
    return piece.options[order[place]]


def render(pieces: Pieces, env: Env, seen: Seen, show: Callable[[object], str],
           out: list[str] | None = None) -> str:
    """The text as the player reads it now. Pure: the same arguments always give the same text."""
    parts: list[str] = [] if out is None else out
    for piece in pieces:
        if isinstance(piece, Lit):
            parts.append(piece.text)
        elif isinstance(piece, Show):
            value = piece.value.fn(env)
            names = piece.names
            parts.append(names[value] if names and 0 <= value < len(names) else show(value))
        elif isinstance(piece, Cond):
            render(piece.then if piece.test.fn(env) else piece.otherwise, env, seen, show, parts)
        elif isinstance(piece, Vary):
            render(_option(piece, seen), env, seen, show, parts)
        else:
            count = piece.number.fn(env)
            if piece.with_number:
                parts.append(f"{count} ")
            render(piece.one if count == 1 else piece.many, env, seen, show, parts)
    return "".join(parts) if out is None else ""


def taken(pieces: Pieces, env: Env, seen: Seen, out: list[tuple[Cond, bool]]) -> None:
    """Each `{if}` that `render(pieces, env, seen, ...)` meets, with True when its text shows, False for its else.

    The same walk as `render`, for the tools that ask which texts a player can ever
    read; `render` itself stays as fast as before.
    """
    for piece in pieces:
        if isinstance(piece, Cond):
            holds = bool(piece.test.fn(env))
            out.append((piece, holds))
            taken(piece.then if holds else piece.otherwise, env, seen, out)
        elif isinstance(piece, Vary):
            taken(_option(piece, seen), env, seen, out)
        elif isinstance(piece, Plural):
            taken(piece.one if piece.number.fn(env) == 1 else piece.many, env, seen, out)


def conditions(pieces: Pieces) -> list[Cond]:
    """Every `{if}` of the text, in any branch, outer ones first."""
    found: list[Cond] = []
    for piece in pieces:
        if isinstance(piece, Cond):
            found += [piece, *conditions(piece.then), *conditions(piece.otherwise)]
        elif isinstance(piece, Vary):
            for option in piece.options:
                found += conditions(option)
        elif isinstance(piece, Plural):
            found += conditions(piece.one) + conditions(piece.many)
    return found


def expressions(pieces: Pieces) -> list[Compiled]:
    """Every expression the text evaluates, in any branch."""
    found: list[Compiled] = []
    for piece in pieces:
        if isinstance(piece, Show):
            found.append(piece.value)
        elif isinstance(piece, Cond):
            found += [piece.test, *expressions(piece.then), *expressions(piece.otherwise)]
        elif isinstance(piece, Vary):
            for option in piece.options:
                found += expressions(option)
        elif isinstance(piece, Plural):
            found += [piece.number, *expressions(piece.one), *expressions(piece.many)]
    return found


def literal_words(pieces: Pieces) -> str:
    """Every literal run of every branch, with a stand-in word for each value shown: for counting words."""
    parts: list[str] = []
    for piece in pieces:
        if isinstance(piece, Lit):
            parts.append(piece.text)
        elif isinstance(piece, Show):
            parts.append(" x ")
        elif isinstance(piece, Cond):
            parts += [" ", literal_words(piece.then), " ", literal_words(piece.otherwise), " "]
        elif isinstance(piece, Vary):
            parts += [f" {literal_words(option)} " for option in piece.options]
        else:
            parts += [" x ", literal_words(piece.one), " "]
    return "".join(parts)


def plain_text(pieces: Pieces) -> str | None:
    """The text when it holds no braces at all, else None."""
    if not pieces:
        return ""
    if len(pieces) == 1 and isinstance(pieces[0], Lit):
        return pieces[0].text
    return None

