"""The few symbols Zone draws itself, and their ASCII stand-ins for a terminal that cannot show them.

Under `LC_ALL=C`, or with an output encoding such as ASCII or Latin-1, a `›`
would reach the screen as `?`. So the set is chosen once, from the encoding of
the stream the game writes to (`for_encoding`), and every front end draws from
that one set. This module imports nothing heavy: plain mode uses it without rich.
"""

from __future__ import annotations

import codecs
from dataclasses import astuple, dataclass

__all__ = ["ASCII", "UNICODE", "Glyphs", "for_encoding"]


@dataclass(frozen=True)
class Glyphs:
    """One way to draw each symbol."""

    mark: str  # the marked choice, the prompt sign, what was chosen
    full: str  # a filled cell of a stat's bar
    empty: str  # an empty cell of a stat's bar
    keys: str  # the arrow keys, in the hint under the choices
    dot: str  # between a chapter and a scene title, and between parts of the hint
    span: str  # between the first and last of the choices shown
    arrow: str  # between the places of an ending's route
    none: str  # an empty route


UNICODE = Glyphs(mark="›", full="━", empty="─", keys="↑ ↓", dot="·", span="–", arrow="→", none="—")
ASCII = Glyphs(mark=">", full="=", empty="-", keys="up/down", dot="-", span="-", arrow="->", none="-")


def for_encoding(encoding: str | None) -> Glyphs:
    """`UNICODE` when `encoding` can write every one of its symbols, else `ASCII` (also for an unknown encoding).

    A stream with no encoding of its own (an `io.StringIO`) holds text, not bytes: it takes any symbol.
    """
    try:
        "".join(astuple(UNICODE)).encode(codecs.lookup(encoding or "utf-8").name)
    except (LookupError, UnicodeEncodeError):
        return ASCII
    return UNICODE
