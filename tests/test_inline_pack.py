"""Inline text in a real pack: checked by `zone check` at its own column, and played as written."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_main, write_pack

STORY = """\
id: inline
title: Inline
version: "1"
start: yard
characters:
  writer:
    name: The Writer
    stats:
      trust: {default: 6, range: [0, 10], about: Trust}
items:
  nuts: {default: 1, range: [0, 5], about: Nuts}
"""

YARD = """\
yard:
  title: The yard
  text: |
    {seq: Rain on the tin roof. | The rain again. | Still the rain.}
    You have {plural nuts: nut | nuts}. {if writer.trust > 5: The Writer nods. | The Writer looks away.}
  choices:
    - text: "Tie a strip to {agree nuts: it | them}."
      do: nuts += 1
      goto: yard
    - text: Go.
      goto: gone
gone:
  title: Gone
  text: Gone.
  ending: Gone
"""


def pack(tmp_path: Path, yard: str = YARD) -> Path:
    return write_pack(tmp_path, STORY, {"yard.yaml": yard})


def test_a_pack_with_inline_text_checks_clean_and_plays_as_written(tmp_path: Path) -> None:
    folder = pack(tmp_path)
    assert run_main("check", str(folder)).status == 0
    played = run_main("play", str(folder), "--plain", "--saves", str(tmp_path / "saves"), stdin="1\n1\n2\n")
    assert played.status == 0, played.err
    out = played.out
    assert "Rain on the tin roof. You have 1 nut. The Writer nods." in out
    assert "1. Tie a strip to it." in out
    assert "The rain again. You have 2 nuts." in out and "1. Tie a strip to them." in out
    assert "Still the rain. You have 3 nuts." in out


def test_a_mistake_inside_braces_is_reported_at_its_own_column(tmp_path: Path) -> None:
    folder = pack(tmp_path, YARD.replace('"Tie a strip to {agree nuts: it | them}."',
                                         '"Tie a strip to {if nuts: it | them}."'))
    result = run_main("check", str(folder))
    assert result.status == 1
    assert result.out.splitlines()[0] == (
        f"{folder / 'yard.yaml'}:7:33: error ZN017: type error: a condition must be true or false, "
        "and 'nuts' is a number")


def test_ten_thousand_nested_conditions_in_a_pack_are_refused_at_the_limit(tmp_path: Path) -> None:
    deep = "{if nuts > 0: " * 10_000 + "x" + "}" * 10_000
    folder = pack(tmp_path, YARD.replace("text: Gone.", f"text: '{deep}'"))
    result = run_main("check", str(folder))
    assert result.status == 1
    line = result.out.splitlines()[0]
    assert line == f"{folder / 'yard.yaml'}:14:{10 + len('{if nuts > 0: ') * 8}: error ZN022: narration: braces " \
                   "nested deeper than 8"


def test_an_unclosed_brace_in_a_pack_is_refused_at_its_column(tmp_path: Path) -> None:
    folder = pack(tmp_path, YARD.replace("text: Gone.", "text: 'Gone {if nuts > 0: far.'"))
    result = run_main("check", str(folder))
    assert result.out.splitlines()[0] == (f"{folder / 'yard.yaml'}:14:15: error ZN022: narration: '{{' is never "
                                          "closed (write '{{' for a literal brace)")


def first_error(tmp_path: Path, yard: str) -> str:
    folder = pack(tmp_path, yard)
    result = run_main("check", str(folder))
    assert result.status == 1
    return result.out.splitlines()[0].removeprefix(f"{folder / 'yard.yaml'}:")


def test_a_mistake_in_a_literal_block_is_reported_at_its_line_and_column_in_the_block(tmp_path: Path) -> None:
    third = "    The rain {if nust > 0: stops | goes on}.\n"
    yard = YARD.replace("  choices:\n", third + "  choices:\n", 1)
    assert first_error(tmp_path, yard) == (
        "6:18: error ZN022: narration: unknown name '{nust}' (did you mean 'nuts'?)")
    unclosed = YARD.replace("  choices:\n", "    The rain {seq: stops | goes on.\n  choices:\n", 1)
    assert first_error(tmp_path, unclosed).startswith("6:14: error ZN022: narration: '{' is never closed")


def test_a_mistake_in_a_folded_block_or_a_quoted_text_over_lines_is_reported_where_it_is(tmp_path: Path) -> None:
    folded = YARD.replace("  text: |\n", "  text: >\n", 1).replace(
        "  choices:\n", "    The rain {if nust > 0: stops | goes on}.\n  choices:\n", 1)
    assert first_error(tmp_path, folded).startswith("6:18: error ZN022: narration: unknown name '{nust}'")
    quoted = YARD.replace("text: Gone.", 'text: "Gone,\n    and gone {if nust > 0: far}."')
    assert first_error(tmp_path, quoted).startswith("15:18: error ZN022: narration: unknown name '{nust}'")
