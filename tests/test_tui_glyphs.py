"""The symbols Zone draws, and their ASCII stand-ins where the output's encoding cannot show them."""

from __future__ import annotations

import pytest

from zone.tui.glyphs import ASCII, UNICODE, for_encoding


@pytest.mark.parametrize("encoding", ["utf-8", "UTF8", "utf-16", None])
def test_an_encoding_that_can_write_them_gets_the_symbols(encoding: str | None) -> None:
    assert for_encoding(encoding) is UNICODE


@pytest.mark.parametrize("encoding", ["ascii", "ANSI_X3.4-1968", "latin-1", "cp1252", "no-such-encoding"])
def test_an_encoding_that_cannot_gets_ascii(encoding: str) -> None:
    assert for_encoding(encoding) is ASCII


def test_every_ascii_stand_in_is_ascii_and_stands_for_one_symbol() -> None:
    for field in ASCII.__dataclass_fields__:
        assert getattr(ASCII, field).isascii() and getattr(ASCII, field)
        assert not getattr(UNICODE, field).isascii()
