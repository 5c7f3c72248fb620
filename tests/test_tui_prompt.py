"""The interactive prompt, driven with prompt_toolkit's pipe input and a dummy output."""

from __future__ import annotations

import asyncio
import re
import signal
from collections.abc import Iterator

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput

from zone.tui.glyphs import ASCII
from zone.tui.ingame import LINE_LIMIT
from zone.tui.prompt import CommandCompleter, PromptReader
from zone.tui.view import MenuItem, Party, StatLine, StatusLine

UP, DOWN, ENTER = "\x1b[A", "\x1b[B", "\r"
ITEMS = [MenuItem("Go into the bar."), MenuItem("Wait.", False, "Not now."), MenuItem("Walk to the road.")]


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as inp:
        yield inp


def reader_for(pipe: PipeInput) -> PromptReader:
    return PromptReader(no_color=True, color_system=None, input=pipe, output=DummyOutput())


def test_a_number_and_enter_takes_that_choice(pipe: PipeInput) -> None:
    pipe.send_text("3" + ENTER)
    assert reader_for(pipe).read(ITEMS) == "3"


def test_enter_takes_the_marked_choice_the_first_enabled_one(pipe: PipeInput) -> None:
    pipe.send_text(ENTER)
    assert reader_for(pipe).read([MenuItem("No", False, "x"), MenuItem("Yes")]) == "2"


def test_arrow_keys_move_the_mark_and_skip_disabled_choices(pipe: PipeInput) -> None:
    reader = reader_for(pipe)
    pipe.send_text(DOWN + ENTER)
    assert reader.read(ITEMS) == "3"
    pipe.send_text(DOWN + DOWN + UP + ENTER)  # the mark stops at the last choice, then moves back
    assert reader.read([MenuItem("a"), MenuItem("b"), MenuItem("c")]) == "2"


def test_arrows_start_from_a_typed_number(pipe: PipeInput) -> None:
    pipe.send_text("3" + UP + ENTER)
    assert reader_for(pipe).read(ITEMS) == "1"


def test_the_mark_is_drawn_on_the_typed_number(pipe: PipeInput) -> None:
    reader = reader_for(pipe)
    reader.items = ITEMS
    drawn = reader.draw(80, "3")
    assert "› 3. Walk to the road." in drawn and "  1. Go into the bar." in drawn
    assert "Not now." in drawn


def test_an_ascii_terminal_gets_an_ascii_mark_hint_and_prompt_sign(pipe: PipeInput) -> None:
    reader = PromptReader(no_color=True, color_system=None, input=pipe, output=DummyOutput(), glyphs=ASCII)
    reader.items = [MenuItem(f"Choice {n}") for n in range(1, 31)]
    drawn = reader.draw(80, "3", height=10)
    assert drawn.isascii()
    assert ">  3. Choice 3" in drawn
    assert "1-7 of 30 - up/down Enter, or a number - :help for commands" in drawn
    assert drawn.endswith("> ")


def test_commands_are_returned_as_typed(pipe: PipeInput) -> None:
    pipe.send_text(":save before-bar" + ENTER)
    assert reader_for(pipe).read(ITEMS) == ":save before-bar"


def test_ctrl_c_raises_keyboardinterrupt_and_ctrl_d_eoferror(pipe: PipeInput) -> None:
    reader = reader_for(pipe)
    pipe.send_text("12\x03")
    with pytest.raises(KeyboardInterrupt):
        reader.read(ITEMS)
    pipe.send_text("\x04")
    with pytest.raises(EOFError):
        reader.read(ITEMS)


def test_up_recalls_earlier_commands_once_the_line_starts_with_a_colon(pipe: PipeInput) -> None:
    reader = reader_for(pipe)
    pipe.send_text(":status" + ENTER)
    assert reader.read(ITEMS) == ":status"
    pipe.send_text("1" + ENTER)
    assert reader.read(ITEMS) == "1"
    pipe.send_text(":" + UP + ENTER)  # the choice "1" is not in the history
    assert reader.read(ITEMS) == ":status"


def completions(text: str, slots: list[str] | None = None) -> list[str]:
    completer = CommandCompleter(lambda: slots or [])
    return [c.text for c in completer.get_completions(Document(text), CompleteEvent(completion_requested=True))]


def test_completion_of_commands_and_slots() -> None:
    assert completions(":") == [":save", ":load", ":undo", ":status", ":notes", ":journal", ":transcript", ":help",
                                ":restart", ":quit"]
    assert completions(":s") == [":save", ":status"]
    assert completions(":load b", ["autosave", "before-bar", "bar"]) == ["before-bar", "bar"]
    assert completions("1") == [] and completions(":undo ") == []


def test_the_pager_goes_on_with_enter_and_stops_with_q(pipe: PipeInput) -> None:
    reader = reader_for(pipe)
    pipe.send_text(ENTER)
    assert reader.more() is True
    pipe.send_text(" ")
    assert reader.more() is True
    pipe.send_text("q")
    assert reader.more() is False


@pytest.mark.parametrize("width", [40, 80, 160])
def test_the_choice_list_fits_the_terminal_and_is_centred(pipe: PipeInput, width: int) -> None:
    import re

    from rich.cells import cell_len

    reader = reader_for(pipe)
    reader.items = [MenuItem("A long choice " * 8), *ITEMS]
    drawn = re.sub(r"\x1b\[[0-9;]*m", "", reader.draw(width, ""))
    lines = drawn.split("\n")
    assert all(cell_len(line) <= width for line in lines)
    left = (width - min(76, width)) // 2
    assert lines[-1] == " " * left + "› "
    assert " ".join(drawn.split()).count("A long choice") == 8


def test_ctrl_c_as_a_prompt_ends_stops_the_game_without_a_traceback(pipe: PipeInput) -> None:
    from zone.tui.signals import Stop

    reader = reader_for(pipe)
    pipe.send_text("1" + ENTER)
    assert reader.read(ITEMS) == "1"

    async def late_sigint() -> None:  # SIGINT's callback, run by the event loop once the prompt is over
        reader.session.app.key_processor.send_sigint()

    asyncio.run(late_sigint())
    with pytest.raises(Stop) as stop:
        reader.read(ITEMS)
    assert stop.value.signum == signal.SIGINT
    pipe.send_text("3" + ENTER)
    assert reader.read(ITEMS) == "3"  # only once


def test_sigint_while_the_prompt_runs_is_ctrl_c(pipe: PipeInput) -> None:
    reader = reader_for(pipe)
    reader.session.app.pre_run_callables.append(reader.session.app.key_processor.send_sigint)
    with pytest.raises(KeyboardInterrupt):
        reader.read(ITEMS)


def test_a_pasted_line_is_cut_one_character_past_the_limit(pipe: PipeInput) -> None:
    reader = reader_for(pipe)
    pipe.send_text("\x1b[200~" + "9" * 20_000 + "\x1b[201~" + ENTER)  # (a pipe holds 64 kB)
    assert reader.read(ITEMS) == "9" * (LINE_LIMIT + 1)
    pipe.send_text("x" * (LINE_LIMIT + 50) + ENTER)
    assert reader.read(ITEMS) == "x" * (LINE_LIMIT + 1)


def test_bytes_that_are_not_utf8_come_back_as_replacement_characters(pipe: PipeInput) -> None:
    pipe.send_bytes(b":load \xff\xfe" + ENTER.encode())
    assert reader_for(pipe).read(ITEMS) == ":load \ufffd\ufffd"


def test_a_long_list_is_drawn_as_a_window_that_follows_the_mark(pipe: PipeInput) -> None:
    import re

    reader = reader_for(pipe)
    reader.items = [MenuItem(f"Door {i}.") for i in range(1, 101)]
    for typed, first, last in (("", 1, 17), ("50", 34, 50), ("40", 34, 50), ("100", 84, 100), ("1", 1, 17)):
        drawn = re.sub(r"\x1b\[[0-9;]*m", "", reader.draw(80, typed, height=20))
        lines = drawn.split("\n")
        assert len(lines) == 20
        assert f"Door {first}." in lines[1] and f"Door {last}." in lines[-3]
        assert lines[-2].strip() == f"{first}–{last} of 100 · ↑ ↓ Enter, or a number · :help for commands"
        assert f"› {typed or 1:>3}. Door {typed or 1}." in drawn


def test_the_status_line_sits_under_the_choices_and_takes_its_rows_from_them(pipe: PipeInput) -> None:
    reader = reader_for(pipe)
    reader.items = [MenuItem(f"Choice {n}") for n in range(1, 31)]
    line = StatusLine("The road", (Party("The Writer", (StatLine("Trust", "int", 4, 0, 10),)),))
    without = re.sub(r"\x1b\[[0-9;]*m", "", reader.draw(80, "", height=12)).split("\n")
    reader.set_status(line)
    drawn = re.sub(r"\x1b\[[0-9;]*m", "", reader.draw(80, "", height=12)).split("\n")
    assert len(drawn) == len(without) == 12
    assert drawn[-3:-1] == ["  The road · The Writer: Trust 4/10",
                            "  1–7 of 30 · ↑ ↓ Enter, or a number · :help for commands"]
    assert drawn[-4] == "" and "7. Choice 7" in drawn[-5]
    reader.set_status(None)
    assert re.sub(r"\x1b\[[0-9;]*m", "", reader.draw(80, "", height=12)).split("\n") == without


def test_a_status_line_too_long_for_the_terminal_is_cut_short_on_one_row(pipe: PipeInput) -> None:
    reader = reader_for(pipe)
    reader.items = ITEMS
    stats = tuple(StatLine(f"Stat {n}", "int", n, 0, 10) for n in range(8))
    reader.set_status(StatusLine("A chapter", (Party("The Professor", stats),)))
    rows = re.sub(r"\x1b\[[0-9;]*m", "", reader.draw(40, "")).split("\n")
    status = next(row for row in rows if row.startswith("A chapter"))
    assert len(status) == 40 and status.endswith("…")


def test_a_terminal_too_short_to_spare_two_rows_keeps_them_for_the_choices(pipe: PipeInput) -> None:
    reader = reader_for(pipe)
    reader.items = [MenuItem(f"Choice {n}") for n in range(1, 31)]
    reader.set_status(StatusLine("The road", ()))
    assert "The road" in reader.draw(80, "", height=12) and "The road" not in reader.draw(80, "", height=11)
