"""The real `zone` against what a terminal, a pipe or a player can throw at it.

Bytes that are not UTF-8, a locale that cannot show the story, a megabyte
pasted at the prompt, scenes of a hundred or a thousand choices in a 40-row
terminal: each ends in one line of help or goes on, never a traceback. (Signals and a
closed terminal window are in test_e2e_play.)
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pexpect

from tests.conftest import PACKS, ROOT
from tests.screen import Screen
from tests.test_e2e_play import DOWN, HINT, Player, zone_command

WALK = PACKS / "tui" / "walk"
CYRILLIC = PACKS / "tui" / "cyrillic"  # Cyrillic and emoji, for locales that cannot show them
ROWS, COLS = 40, 100


def doors(tmp_path: Path, count: int) -> Path:
    """A pack whose first scene offers `count` choices, each to the one ending."""
    pack = tmp_path / f"doors{count}"
    pack.mkdir()
    (pack / "story.yaml").write_text("id: doors\ntitle: Many Doors\nversion: '1.0'\nstart: hall\n"
                                     "about: A hall of doors.\n", encoding="utf-8")
    choices = "".join(f"    - text: Door number {i}.\n      goto: room\n" for i in range(1, count + 1))
    (pack / "hall.yaml").write_text(
        "hall:\n  title: The hall\n  text: Doors on every side.\n  choices:\n" + choices
        + "room:\n  title: The room\n  text: A room behind the door.\n  ending: Through a door\n", encoding="utf-8")
    return pack


def screen_of(player: Player) -> Screen:
    screen = Screen(ROWS, COLS)
    screen.feed(player.log.getvalue())
    return screen


def wait_for(player: Player, shows: Callable[[Screen], bool]) -> Screen:
    """Read the child's output until the screen shows what `shows` looks for."""
    deadline = time.monotonic() + 20
    while True:
        screen = screen_of(player)
        if shows(screen):
            return screen
        assert time.monotonic() < deadline, "the screen never showed it:\n" + screen.text
        with contextlib.suppress(pexpect.TIMEOUT):
            player.child.read_nonblocking(1 << 16, timeout=0.2)


def marked(screen: Screen) -> str:
    """The choice the mark is on, as the screen shows it ("100. Door number 100.")."""
    return next((line.split("›", 1)[1].strip() for line in screen.lines if "› " in line and "." in line), "")


def bottom(screen: Screen) -> list[str]:
    """The last rows of the screen that hold anything: the hint and the prompt."""
    lines = [line for line in screen.lines if line.strip()]
    return [line.strip() for line in lines[-2:]]


def test_a_hundred_choices_scroll_and_keep_the_mark_and_the_hint_on_a_40_row_screen(tmp_path: Path) -> None:
    p = Player(tmp_path, "--from", "hall", pack=doors(tmp_path, 100))
    first = wait_for(p, lambda s: marked(s) == "1. Door number 1." and HINT in s.text)
    assert bottom(first)[0].startswith("1–") and bottom(first)[1] == "›"
    p.child.send(DOWN * 99)
    last = wait_for(p, lambda s: marked(s) == "100. Door number 100.")
    assert bottom(last) == ["64–100 of 100 · ↑ ↓ Enter, or a number · :help for commands", "›"]
    assert "Door number 63." not in last.text and "Door number 64." in last.text
    p.child.send("\r")
    p.expect("Through a door")
    p.child.send("\x1b[B\r")  # the ending menu: Quit
    assert p.finish() == 0


def test_a_key_in_a_scene_of_a_thousand_choices_is_answered(tmp_path: Path) -> None:
    p = Player(tmp_path, "--from", "hall", pack=doors(tmp_path, 1000))
    wait_for(p, lambda s: marked(s) == "1. Door number 1.")
    p.child.send("500")  # a typed number marks that choice, however far down
    five_hundred = wait_for(p, lambda s: marked(s) == "500. Door number 500.")
    assert bottom(five_hundred)[0].endswith("–500 of 1000 · ↑ ↓ Enter, or a number · :help for commands")
    p.child.send(DOWN)  # the arrows go on from the typed number
    wait_for(p, lambda s: marked(s) == "501. Door number 501.")
    p.child.send("\r")
    p.expect("Door number 501.")  # what was chosen
    p.expect("Through a door")
    p.child.send(":quit\r")
    assert p.finish() == 0


def test_bytes_that_are_not_utf8_typed_at_the_prompt_get_a_hint(tmp_path: Path) -> None:
    p = Player(tmp_path, "--from", "stairs", PYTHONIOENCODING="utf-8")
    p.expect(HINT)
    os.write(p.child.child_fd, b"\xff\xfe\r")
    p.expect("Type a number from 1 to 3")
    os.write(p.child.child_fd, b":\xff\r")
    p.expect("There is no command ':\ufffd'")
    p.answer("2\r", "Rain on the cobbles")
    p.child.send(":quit\r")
    assert p.finish() == 0


def test_a_megabyte_pasted_at_the_prompt_is_cut_and_answered_with_one_line(tmp_path: Path) -> None:
    p = Player(tmp_path, "--from", "stairs")
    p.expect(HINT)
    p.child.send("\x1b[200~" + "9" * 1_000_000 + "\x1b[201~\r")  # a bracketed paste, as terminals send one
    p.expect("That line is too long to be a choice or a command.")
    p.child.send("x" * 3000 + "\r")  # typed, not pasted: keys past the limit are dropped
    p.expect("That line is too long")
    p.answer("2\r", "Rain on the cobbles")
    p.child.send(":quit\r")
    assert p.finish() == 0


def test_a_latin1_terminal_shows_cyrillic_and_emoji_as_question_marks(tmp_path: Path) -> None:
    p = Player(tmp_path, pack=CYRILLIC, LANG="en_US.ISO-8859-1", LC_ALL="", PYTHONIOENCODING="latin-1")
    p.expect("Zona (????)")  # the title, "Зона" in a locale that cannot show it
    p.expect("for commands")
    p.answer("\r", "????. ? The gate is open.")
    p.expect("for commands")
    p.answer(":status\r", "????? ?")  # the item's display name, "Гайки 🔩"
    p.expect("for commands")
    p.child.send(":quit\r")
    assert p.finish() == 0


def plain(pack: Path, saves: Path, stdin: bytes, **env: str) -> subprocess.CompletedProcess[bytes]:
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **env}
    return subprocess.run([*zone_command(), "play", str(pack), "--plain", "--saves", str(saves)], input=stdin,
                          capture_output=True, timeout=60, env=full_env, cwd=ROOT)


def test_plain_mode_reads_bytes_that_are_not_utf8_and_megabyte_lines(tmp_path: Path) -> None:
    done = plain(WALK, tmp_path / "saves", b"\xff\n" + b"7" * 1_000_000 + b"\n1\n")
    out = done.stdout.decode("utf-8")
    assert done.returncode == 0 and not done.stderr
    assert "> \ufffd\nType a number from 1 to 2" in out
    assert "That line is too long to be a choice or a command. Type a number from 1 to 2" in out
    assert "You chose: Dress quietly." in out
    assert len(out) < 20_000  # the long line is not echoed whole


def test_plain_mode_in_a_latin1_locale_degrades_what_it_cannot_show(tmp_path: Path) -> None:
    done = plain(CYRILLIC, tmp_path / "saves", b"1\n:status\n", LANG="en_US.ISO-8859-1",
                 PYTHONIOENCODING="latin-1")
    out = done.stdout.decode("latin-1")
    assert done.returncode == 0 and not done.stderr
    assert "????. ? The gate is open." in out and "You chose: ?????." in out
    assert "Carried\n  ????? ?: 2\n" in out


def test_every_command_in_a_latin1_locale_degrades_what_it_cannot_show(tmp_path: Path) -> None:
    import sys

    env = {**os.environ, "LANG": "en_US.ISO-8859-1", "PYTHONIOENCODING": "latin-1", "ZONE_CACHE": "off"}
    for command in (["check"], ["stats"], ["graph", "--format", "mermaid"], ["playtest", "--runs", "3"]):
        done = subprocess.run([sys.executable, "-m", "zone", command[0], str(CYRILLIC), *command[1:]],
                              capture_output=True, env=env, cwd=tmp_path, timeout=60)
        assert done.returncode == 0, (command, done.stderr)
        assert b"internal error" not in done.stderr and b"Traceback" not in done.stderr
