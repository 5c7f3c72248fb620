"""Reading what the player types: choice numbers, `:commands`, and a short hint for anything else."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from zone.errors import CommandError
from zone.tui.ingame import COMMANDS, Input, help_lines, read_line


def test_numbers_within_the_choices_are_choices() -> None:
    assert read_line(" 2 ", 3) == Input(number=2)
    assert read_line("", 3) is None and read_line("   ", 3) is None


@pytest.mark.parametrize("line", ["0", "4", "-1", "two", "1.5", "²", "go north", "[bold]"])
def test_anything_else_gets_a_short_hint(line: str) -> None:
    with pytest.raises(CommandError, match=r"Type a number from 1 to 3, or :help for the commands\."):
        read_line(line, 3)


def test_hints_for_one_choice_and_for_none() -> None:
    with pytest.raises(CommandError, match="Type 1 to go on"):
        read_line("x", 1)
    with pytest.raises(CommandError, match="Type a command"):
        read_line("x", 0)


def test_commands_with_and_without_arguments() -> None:
    assert read_line(":save", 2) == Input(command="save")
    assert read_line(":SAVE  Before-Bar ", 2) == Input(command="save", arg="Before-Bar")
    assert read_line(":transcript run.html", 2) == Input(command="transcript", arg="run.html")
    assert read_line(":q", 2) == Input(command="quit")


def test_unknown_commands_suggest_the_nearest() -> None:
    with pytest.raises(CommandError, match=r"There is no command ':sav' \(did you mean ':save'\?\)"):
        read_line(":sav", 2)
    with pytest.raises(CommandError, match="There is no command ':'"):
        read_line(":", 2)


def test_missing_and_unwanted_arguments() -> None:
    with pytest.raises(CommandError, match="Say where: :transcript FILE"):
        read_line(":transcript", 2)
    with pytest.raises(CommandError, match=":undo takes nothing after it"):
        read_line(":undo 3", 2)


def test_help_lists_every_command_of_the_issue() -> None:
    usages = [line.usage for line in help_lines(keys=False)]
    assert usages == [":save [slot]", ":load [slot]", ":undo", ":status [line]", ":notes [on/off]", ":journal",
                      ":transcript FILE", ":help", ":restart", ":quit"]
    assert set(COMMANDS) == {u.split()[0][1:] for u in usages}
    assert any("Ctrl-C" in line.usage for line in help_lines(keys=True))


def test_the_players_guide_lists_every_command_and_key() -> None:
    guide = (ROOT / "docs" / "playing.md").read_text(encoding="utf-8")
    for line in help_lines(keys=False):
        assert f"| `{line.usage}` |" in guide
    for key in ("Up / Down", "Enter", "Tab", "Ctrl-C", "Ctrl-D", "NO_COLOR", "FORCE_COLOR", "TERM=dumb", "--plain",
                "--watch", "--from", "--set", "--saves", "--continue"):
        assert key in guide
