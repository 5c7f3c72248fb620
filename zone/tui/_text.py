"""Author text made safe for a terminal, shared by the plain and the rich front ends.

Narration comes from YAML files that anyone may write. A control character in
it (an ESC from a double-quoted "\\e", a bell, a carriage return) would reach the
terminal as a command, so every front end passes author text through `clean`.
This module imports nothing heavy: plain mode uses it without rich.
"""

from __future__ import annotations

import unicodedata

__all__ = ["clean", "paragraphs"]

_KEEP = {"\n"}
_JOINERS = {"\u200c", "\u200d"}  # needed by some scripts and emoji; harmless


def clean(text: str) -> str:
    """`text` without control characters (tabs become spaces, line breaks stay)."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch == "\t":
            out.append(" ")
        elif ch in _KEEP or unicodedata.category(ch) not in ("Cc", "Cf") or ch in _JOINERS:
            out.append(ch)
    return "".join(out)


def paragraphs(text: str) -> list[str]:
    """The paragraphs of narration, each on one line with single spaces."""
    return [" ".join(p.split()) for p in clean(text).split("\n\n") if p.strip()]
