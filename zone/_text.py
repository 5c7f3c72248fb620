"""Text made safe for a terminal: the one sanitiser for everything Zone prints.

Packs, saves and replay files come from anyone. A control character in a title,
a key or a note (an ESC from a double-quoted "\\e", CSI 6n that makes the
terminal type an answer back, a C1 control such as U+009B, a bell, a carriage
return, NUL) would reach the terminal as a command; a bidi override (U+202E)
would make the text after it read backwards. `clean` removes them all: every
character of Unicode category Cc (controls), Cf (format: bidi embeddings,
overrides and isolates, zero-width marks) and Cs (lone surrogates, which no
stream can encode). Tabs become spaces; line breaks and the two zero-width
joiners that some scripts and emoji need stay.

The `Environment` passes everything a command writes through `clean`; the rich
game screen, which writes escape codes of its own, cleans author text itself.
This module imports nothing heavy.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean", "one_line"]

_JOINERS = frozenset({"\u200c", "\u200d"})
_DROP = frozenset({"Cc", "Cf", "Cs"})
# Printable ASCII and line breaks are safe as they are; only other characters are looked at.
_SUSPECT = re.compile(r"[^\x20-\x7e\n]")
_BREAKS = re.compile(r"\s*\n\s*")


def _replace(match: re.Match[str]) -> str:
    ch = match.group()
    if ch == "\t":
        return " "
    if ch in _JOINERS or unicodedata.category(ch) not in _DROP:
        return ch
    return ""


def clean(text: str) -> str:
    """`text` without control, format and surrogate characters (tabs become spaces, line breaks stay)."""
    if text.isascii() and text.isprintable():
        return text
    return _SUSPECT.sub(_replace, text)


def one_line(text: str) -> str:
    """`clean(text)` on one line: a line break inside a name or a message becomes a space."""
    return _BREAKS.sub(" ", clean(text).strip("\n"))
