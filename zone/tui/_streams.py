"""The player's streams, made to bear whatever a terminal or a pipe carries.

Bytes that are not UTF-8 (a pasted Latin-1 file, a stray 0xFF), a locale that
cannot show the story's letters (Cyrillic or emoji under ISO-8859-1), and lines
of any length must each cost the player one line of help at most, never the
game. So the program's streams replace what they cannot decode or encode (U+FFFD
coming in, `?` going out: `zone.environment.tolerant`), and a line is read up to
a bound and the rest of it dropped. This module imports nothing heavy: plain mode uses it without rich.
"""

from __future__ import annotations

import re
from typing import TextIO

__all__ = ["bounded_line", "repaired"]

_SURROGATE = re.compile("[\ud800-\udfff]")
_CHUNK = 1 << 16  # how much of an overlong line is read (and dropped) at a time


def repaired(text: str) -> str:
    """`text` with any surrogate (how `surrogateescape` keeps an undecodable byte) shown as U+FFFD.

    prompt_toolkit (and Python under the C locale) keeps undecodable input that
    way; a surrogate cannot be encoded, so it would break the first print or
    file name it reached.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def bounded_line(stream: TextIO, limit: int) -> str:
    """The next line, cut after `limit` characters (the rest of it is read and dropped); "" at the end."""
    line = stream.readline(limit)
    if len(line) == limit and not line.endswith("\n"):
        rest = stream.readline(_CHUNK)
        while rest and not rest.endswith("\n"):
            rest = stream.readline(_CHUNK)
    return line
