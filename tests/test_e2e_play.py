"""The real `zone` in a pseudo-terminal (pexpect): what a player at a keyboard sees and does.

Every test fixes COLUMNS/LINES and uses a temporary saves folder. PROMPT_TOOLKIT_NO_CPR
stops prompt_toolkit asking the terminal for the cursor position, which pexpect
would never answer.
"""

from __future__ import annotations

import io
import os
import re
import signal
import sys
from pathlib import Path

import pexpect
import pytest

from tests.conftest import BUNDLED, PACKS, ROOT
from zone.pack import check_pack, load_pack
from zone.saves.slots import SaveStore

WALK = PACKS / "tui" / "walk"
HINT = "for commands"  # the end of the hint line under the choices: the prompt is ready
DOWN, UP = "\x1b[B", "\x1b[A"
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")


def zone_command() -> list[str]:
    script = Path(sys.executable).parent / "zone"
    return [str(script)] if script.exists() else [sys.executable, "-m", "zone"]


class Player:
    """A child `zone play` and everything it wrote."""

    def __init__(self, tmp_path: Path, *args: str, pack: Path = WALK, **env: str) -> None:
        full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "ZONE_SAVES")}
        full_env.update({"COLUMNS": "100", "LINES": "40", "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"})
        full_env.update(env)
        command = zone_command()
        self.saves = tmp_path / "saves"
        self.log = io.StringIO()
        self.child = pexpect.spawn(command[0], [*command[1:], "play", str(pack), "--saves", str(self.saves), *args],
                                   env=full_env, cwd=str(ROOT), encoding="utf-8", codec_errors="replace",
                                   dimensions=(40, 100), timeout=15)
        self.child.logfile_read = self.log

    def expect(self, pattern: str) -> None:
        self.child.expect_exact(pattern)

    def answer(self, keys: str, then: str = HINT) -> None:
        """Wait for the prompt, press `keys`, and wait for `then`."""
        self.child.send(keys)
        self.expect(then)

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        assert "Traceback" not in self.log.getvalue()
        status: int = self.child.exitstatus if self.child.exitstatus is not None else -self.child.signalstatus
        return status

    @property
    def text(self) -> str:
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", self.log.getvalue())


def test_title_screen_a_dozen_choices_by_number_and_arrows_status_journal_ending_quit(tmp_path: Path) -> None:
    p = Player(tmp_path, "--seed", "3")
    p.expect("The Long Way Round")
    p.expect("New run")
    p.expect(HINT)
    p.answer("\r", "You wake before the alarm")  # Enter takes the marked entry: New run
    p.expect(HINT)
    steps = [  # (keys, text of the next scene)
        (DOWN + "\r", "The stairwell smells"),  # 2. Wake her
        ("1\r", "Rain on the cobbles"),  # 1. Take the nuts
        ("1\r", "The Writer is already drinking"),
        (DOWN + "\r", "Does it grant anything"),  # 2. Sit with the Professor
        ("2\r", "A jeep without lights"),
        (DOWN + "\r", "Searchlights sweep"),  # 2. Drive fast
        ("1\r", "The trolley hums"),
        (DOWN + "\r", "Grass to the knee"),  # 2. Ask the Writer
        ("1\r", "The house is open to the sky"),  # 1. Throw a nut
        (DOWN + DOWN + UP + "\r", "A pipe as wide as a room"),  # stops at the last, back up: 2
        ("2\r", "Dunes of sand indoors"),
    ]
    for keys, scene in steps:
        p.answer(keys, scene)
        p.expect(HINT)
    p.answer(":sta", "what you carry")  # the completion menu opens as a command is typed
    p.answer("\t\r", "Carried")  # Tab completes it to :status
    p.expect(HINT)
    p.answer(DOWN + DOWN + "\r", "The door of the Room")  # 3. Pour out the bottle
    p.expect(HINT)
    p.child.send(":journal\r")
    p.expect("The story so far")
    while p.child.expect_exact(["any key for the next page", HINT]) == 0:
        p.child.send(" ")
    p.answer("\r", "Nobody speaks")  # Enter: 1. Step inside
    p.expect("Endings found: 1 of 4")
    p.expect(HINT)
    p.child.send(DOWN + "\r")  # the ending menu: 2. Quit
    assert p.finish() == 0
    text = p.text
    assert "› Wake her and say goodbye." in text and "› Pour out the bottle." in text
    assert "Trust     ━━━━──────  4 / 10" in text  # 4, fast drive -1, asked why he came +1
    assert "Bottle    yes" in text and "Nuts      ━━━━━─────  6 / 12" in text
    assert "You wake before the alarm" in text.split("The story so far")[1]
    assert "THE END" in text and "Into the Room" in text
    assert "[bold] at the top of a page, [/] at the bottom, and" in text
    assert COLOUR.search(p.log.getvalue()), "colour is on by default in a terminal"
    store = SaveStore(p.saves, load_pack(WALK))
    assert store.latest() is not None
    assert (p.saves / "records.zone.json").exists()


def test_no_color_in_a_terminal_has_no_colour_codes(tmp_path: Path) -> None:
    p = Player(tmp_path, NO_COLOR="1")
    p.expect(HINT)
    p.answer("\r", "You wake before")
    p.expect(HINT)
    p.answer("2\r", "The stairwell")
    p.expect(HINT)
    p.answer(":status\r", "Carried")
    p.expect(HINT)
    p.child.send(":quit\r")
    assert p.finish() == 0
    raw = p.log.getvalue()
    assert "\x1b[" in raw, "still a terminal: the cursor moves, text may be bold"
    assert not COLOUR.search(raw)
    assert "The Writer" in p.text


def test_a_terminal_that_shows_only_ascii_gets_ascii_marks_bars_and_hints(tmp_path: Path) -> None:
    p = Player(tmp_path, "--seed", "3", LC_ALL="C", LANG="C", PYTHONIOENCODING="ascii")
    p.expect("New run")
    p.expect("up/down Enter, or a number - :help for commands")
    p.answer("\r", "You wake before the alarm")  # New run
    p.expect(HINT)
    p.answer(DOWN + "\r", "The stairwell smells")  # 2. Wake her
    p.expect(HINT)
    p.answer(":status\r", "Carried")
    p.expect(HINT)
    p.answer(":journal\r", "The story so far")
    while p.child.expect_exact(["any key for the next page", HINT]) == 0:
        p.child.send(" ")
    p.child.send(":quit\r")
    assert p.finish() == 0
    text = p.text
    assert "> Wake her and say goodbye." in text
    assert "Trust     ====------  4 / 10" in text
    assert not set("›━─↑↓·–→—") & set(text), "a symbol it cannot show"


def test_plain_mode_in_a_terminal_wraps_at_its_width(tmp_path: Path) -> None:
    p = Player(tmp_path, "--plain", COLUMNS="")  # the width comes from the terminal itself: 100 columns
    p.expect("\n> ")
    p.child.send(":quit\r")
    assert p.finish() == 0
    lines = p.text.replace("\r\n", "\n").split("\n> ")[0].splitlines()
    assert 90 < max(len(line) for line in lines) <= 100
    assert "You wake before the alarm." in lines[3] and "someone meant to add a reference." not in lines[3]


def test_term_dumb_in_a_terminal_is_plain_with_no_escape_codes(tmp_path: Path) -> None:
    p = Player(tmp_path, TERM="dumb")
    p.expect("  2. Wake her and say goodbye.")
    p.answer("1\r", "You chose: Dress quietly.")
    p.expect("> ")
    p.answer(":status\r", "Carried")
    p.expect("> ")
    p.child.send(":quit\r")
    assert p.finish() == 0
    assert "\x1b" not in p.log.getvalue()


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP", "closed window"])
def test_a_signal_or_a_closed_window_saves_the_run_and_exits_130(tmp_path: Path, how: str) -> None:
    p = Player(tmp_path, "--seed", "3")
    p.expect(HINT)
    p.answer("\r", "You wake before")
    p.expect(HINT)
    p.answer("1\r", "The stairwell")
    p.expect(HINT)
    if how == "closed window":  # the terminal hangs up: SIGHUP, and every later write to it fails
        p.child.ptyproc.fileobj.close()
        p.child.closed = True
        assert p.child.ptyproc.wait() == 130
    else:
        p.child.kill(getattr(signal, how))
        assert p.finish() == 130
    store = SaveStore(p.saves, load_pack(WALK))
    slot = store.latest()
    assert slot is not None


def test_ctrl_c_clears_the_line_twice_quits_ctrl_d_quits_and_continue_resumes(tmp_path: Path) -> None:
    p = Player(tmp_path, "--seed", "3")
    p.expect(HINT)
    p.answer("\r", "You wake before")
    p.expect(HINT)
    p.answer("1\r", "The stairwell")
    p.expect(HINT)
    p.answer("12\x03", "Press Ctrl-C again to quit")
    p.expect(HINT)
    p.answer("2\r", "Rain on the cobbles")  # the cleared "12" is gone; a first Ctrl-C does not quit
    p.expect(HINT)
    p.child.send("\x03")
    p.expect("Press Ctrl-C again")
    p.child.send("\x03")
    p.expect("--continue")
    assert p.finish() == 0

    again = Player(tmp_path, "--continue")
    again.expect("Going on where you left off.")
    again.expect("Rain on the cobbles")
    again.expect(HINT)
    again.child.sendcontrol("d")
    assert again.finish() == 0
    assert "New run" not in again.text  # --continue skips the title screen


def test_a_resized_terminal_redraws_and_play_goes_on(tmp_path: Path) -> None:
    p = Player(tmp_path)
    p.expect(HINT)
    p.answer("\r", "You wake before")
    p.expect(HINT)
    p.child.setwinsize(24, 60)
    p.child.kill(signal.SIGWINCH)
    p.expect(HINT)
    p.child.setwinsize(50, 160)
    p.answer("1\r", "The stairwell")
    p.expect(HINT)
    p.child.send(":quit\r")
    assert p.finish() == 0


def test_continue_and_load_from_the_title_screen(tmp_path: Path) -> None:
    first = Player(tmp_path, "--seed", "3")
    first.expect(HINT)
    first.answer("\r", "You wake before")
    first.expect(HINT)
    first.answer("1\r", "The stairwell")
    first.expect(HINT)
    first.answer(":save mark\r", "Saved in slot 'mark'")
    first.expect(HINT)
    first.answer("1\r", "Rain on the cobbles")
    first.expect(HINT)
    first.child.send(":quit\r")
    assert first.finish() == 0

    second = Player(tmp_path)
    second.expect(HINT)
    second.answer("3\r", "mark: Before dawn")  # Load a saved run
    second.expect(HINT)
    second.child.send("1\r" if "1. mark" in second.text else "2\r")
    second.expect("Loaded 'mark'.")
    second.expect("The stairwell")
    second.expect(HINT)
    second.child.send(":quit\r")
    assert second.finish() == 0


def test_the_bundled_game_in_a_terminal(tmp_path: Path) -> None:
    story, diagnostics = check_pack(BUNDLED)
    errors = [d for d in diagnostics if d.is_error]
    if story is None or errors:
        pytest.skip(f"the bundled game does not pass 'zone check' yet: {errors[0].format() if errors else ''}")
    p = Player(tmp_path, pack=BUNDLED)
    p.expect(story.title)
    p.expect(HINT)
    p.answer("\r", story.scenes[story.start].title)
    for _ in range(12):
        index = p.child.expect_exact([HINT, "Endings found"])
        if index == 1:
            break
        p.child.send("\r")
    p.expect(HINT)
    p.answer(":status\r", next(iter(story.characters.values())).name)
    p.expect(HINT)
    p.child.send(":quit\r")
    assert p.finish() == 0
