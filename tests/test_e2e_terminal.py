"""The real `zone` at terminals of every kind, seen through pyte: the status line, a resize storm, an
ASCII-only locale, a 40-column window, a pipe, and transcripts written at the ending.

Each test drives the program in a pseudo-terminal (pexpect) and looks at the screen a player would see.
COLUMNS and LINES are left out, so the width is the window's own, as when a player resizes it.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

import html5lib
import pexpect

from tests.conftest import PACKS, ROOT
from tests.screen import Terminal
from tests.test_e2e_play import HINT, zone_command
from zone.engine import Engine
from zone.pack import load_pack
from zone.run import Run
from zone.tui._text import paragraphs

WALK = PACKS / "tui" / "walk"
TO_THE_ROOM = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]  # woke her, took the nuts, into the bar, ... the door


def pinned(tmp_path: Path) -> Path:
    """The walk with the Stalker's faith and the Writer's trust pinned; the Writer is met in the bar."""
    pack = tmp_path / "walk"
    shutil.copytree(WALK, pack)
    story = (pack / "story.yaml").read_text(encoding="utf-8")
    story = story.replace("faith: {default: 5, range: [0, 10], about",
                          "faith: {default: 5, range: [0, 10], pin: true, about")
    story = story.replace("trust: {default: 4, range: [0, 10], about: How far he trusts you}",
                          "trust: {default: 4, range: [0, 10], pin: true, shown: visits.bar > 0, about: How far he "
                          "trusts you}")
    (pack / "story.yaml").write_text(story, encoding="utf-8")
    return pack


def terminal(tmp_path: Path, *args: str, pack: Path = WALK, rows: int = 30, cols: int = 100,
             **env: str) -> Terminal:
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("NO_COLOR", "FORCE_COLOR", "ZONE_SAVES", "COLUMNS", "LINES")}
    full_env.update({"TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1", **env})
    tmp_path.mkdir(exist_ok=True)
    return Terminal([*zone_command(), "play", str(pack), "--saves", str(tmp_path / "saves"), *args], rows, cols,
                    full_env, str(tmp_path))


def status_line(term: Terminal) -> str:
    """The row above the hint: the status line, when there is one."""
    row = next(i for i, line in enumerate(term.lines) if HINT in line)
    return term.lines[row - 1].strip()


def scene_texts() -> list[str]:
    """The first words of each scene of the walk to the Room, to know when each is on the screen."""
    run = Run.new(Engine(load_pack(WALK)), 3)
    texts = [run.frame().text]
    for index in TO_THE_ROOM:
        texts.append(run.choose(index).text)
    return [" ".join(text.split()[:3]) for text in texts]


def ready(term: Terminal) -> bool:
    """The prompt is drawn: its last row holds only the prompt sign."""
    shown = [line.strip() for line in term.lines if line.strip()]
    return bool(shown) and shown[-1] in ("›", ">")


def take(term: Terminal, keys: str, then: str) -> None:
    term.child.send(keys)
    term.wait(then)
    term.wait(ready)


def finish(term: Terminal) -> int:
    term.child.expect(pexpect.EOF)
    term.child.close()
    assert "Traceback" not in "".join(term.raw)
    status: int = term.child.exitstatus if term.child.exitstatus is not None else -term.child.signalstatus
    return status


def test_the_status_line_shows_the_pinned_stats_of_characters_met_follows_a_choice_and_hides(
        tmp_path: Path) -> None:
    term = terminal(tmp_path, "--seed", "3", pack=pinned(tmp_path))
    term.wait("New run")
    term.wait(HINT)
    assert "Faith" not in term.text, "the title screen has no status line"
    take(term, "\r", "You wake before")
    assert status_line(term) == "Before dawn · The Stalker: Faith 5/10"
    for keys, scene in (("2\r", "The stairwell"), ("1\r", "Rain on the cobbles")):
        take(term, keys, scene)
        assert status_line(term) == "Before dawn · The Stalker: Faith 5/10"
    take(term, "1\r", "The Writer is already drinking")  # the bar: the Writer is met
    assert status_line(term) == "The road · The Stalker: Faith 5/10 · The Writer: Trust 4/10"
    before_the_bar = "".join(term.raw).split("The Writer is already drinking")[0]
    assert "The Writer:" not in before_the_bar, "a character not met yet was on the status line"
    take(term, "1\r", "The Writer: Trust rises to 5.")  # buy him a drink: the note, then the line
    assert status_line(term) == "The road · The Stalker: Faith 5/10 · The Writer: Trust 5/10"
    take(term, ":status line\r", "The status line is off.")
    assert "The Stalker: Faith 5/10" not in term.text
    take(term, "1\r", "A jeep without lights")  # tell them the truth: faith 6, and still no line
    assert "The Stalker: Faith 6/10" not in term.text and "The Stalker: Faith rises to 6." in term.text
    take(term, ":status line\r", "The status line is on")
    assert status_line(term) == "The road · The Stalker: Faith 6/10 · The Writer: Trust 5/10"
    offs = "".join(term.raw).count("The status line is off.")
    term.child.send("\x1bOQ")  # F2 switches it too
    term.wait(lambda t: "".join(t.raw).count("The status line is off.") > offs)
    term.wait(ready)
    assert "The Stalker: Faith 6/10 · The Writer" not in term.text
    ons = "".join(term.raw).count("The status line is on")
    term.child.send("\x1bOQ")
    term.wait(lambda t: "".join(t.raw).count("The status line is on") > ons)
    term.wait(ready)
    assert status_line(term) == "The road · The Stalker: Faith 6/10 · The Writer: Trust 5/10"
    term.child.send(":quit\r")
    assert finish(term) == 0


def test_a_resize_storm_leaves_the_screen_a_fresh_render_at_the_final_width(tmp_path: Path) -> None:
    widths = [50, 100, *random.Random(15).choices(range(30, 201), k=48)]  # 100 -> 50 -> 100, then anything
    final = widths[-1]

    def played(term: Terminal) -> None:
        term.wait("New run")
        term.wait(ready)
        take(term, "\r", "You wake before")
        take(term, "2\r", "The stairwell")
        take(term, "1\r", "Rain on the cobbles")

    pack = pinned(tmp_path)
    fresh = terminal(tmp_path / "fresh", "--seed", "3", pack=pack, rows=24, cols=final)
    played(fresh)
    fresh.settle()
    fresh.child.terminate(force=True)

    stormed = terminal(tmp_path / "stormed", "--seed", "3", pack=pack, rows=24, cols=100)
    played(stormed)
    for width in widths:
        stormed.resize(24, width)
    stormed.wait(lambda term: term.lines == fresh.lines)  # not a line of any other width is left
    assert "Rain on the cobbles" in stormed.text and "Go into the bar." in stormed.text
    stormed.child.send(":quit\r")
    assert finish(stormed) == 0


def test_an_ascii_terminal_gets_no_byte_outside_ascii_from_the_first_screen_to_the_ending(tmp_path: Path) -> None:
    term = terminal(tmp_path, "--seed", "3", pack=pinned(tmp_path), LC_ALL="C", LANG="C",
                    PYTHONIOENCODING="ascii")
    term.wait("New run")
    take(term, "\r", "You wake before")
    assert status_line(term) == "Before dawn - The Stalker: Faith 5/10"  # the status line, in ASCII
    for index, (step, then) in enumerate(zip(TO_THE_ROOM[:-1], scene_texts()[1:], strict=False)):
        take(term, f"{step + 1}\r", then)
        if index == 4:
            take(term, ":status\r", "Carried")
            term.resize(30, 40)  # drawn again, in ASCII too
            term.wait(ready)
    term.child.send(":journal\r")
    term.wait("The story so far")
    term.wait(lambda t: ready(t) or "any key for the next page" in t.text)
    if not ready(term):
        term.child.send("q")  # a page is enough
        term.wait(ready)
    term.resize(30, 100)
    take(term, "1\r", "Endings found")
    term.child.send("2\r")
    assert finish(term) == 0
    written = "".join(term.raw)
    assert "UnicodeEncodeError" not in written
    assert all(ord(ch) < 128 for ch in written), {ch for ch in written if ord(ch) >= 128}


def test_plain_text_to_a_pipe_keeps_each_paragraph_on_one_line(tmp_path: Path) -> None:
    out = subprocess.run([*zone_command(), "play", str(WALK), "--seed", "3", "--saves", str(tmp_path / "saves")],
                         input="".join(f"{i + 1}\n" for i in TO_THE_ROOM), capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "40"}, timeout=60)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    run = Run.new(Engine(load_pack(WALK)), 3)
    for index in TO_THE_ROOM:
        run.choose(index)
    said = [para for entry in run.journal() for para in paragraphs(entry.text)]
    assert max(len(p) for p in said) > 100
    for para in said:
        assert para in lines, f"not one line: {para!r}"


def blocks(lines: list[str]) -> list[str]:
    """Runs of lines between blank ones, each joined with single spaces, as a reader would read them on."""
    joined, block = [], list[str]()
    for line in [*lines, ""]:
        if line.strip():
            block.append(line.strip())
        elif block:
            joined.append(" ".join(block))
            block = []
    return joined


def test_at_40_columns_no_word_is_broken_in_plain_text_or_on_the_game_screen(tmp_path: Path) -> None:
    dawn = paragraphs(Run.new(Engine(load_pack(WALK)), 3).frame().text)
    plain = terminal(tmp_path / "plain", "--plain", "--seed", "3", rows=40, cols=40)
    plain.wait(ready)
    plain.child.send(":quit\r")
    assert finish(plain) == 0
    written = "".join(plain.raw).replace("\r\n", "\n").split("\n")
    assert max(len(line) for line in written) <= 40
    assert all(para in blocks(written) for para in dawn)

    screen = terminal(tmp_path / "screen", "--seed", "3", rows=60, cols=40)
    screen.wait("New run")
    screen.wait(ready)
    take(screen, "\r", "You wake before")
    assert all(para in blocks(screen.lines) for para in dawn), screen.text
    screen.child.send(":quit\r")
    assert finish(screen) == 0


def test_transcripts_written_at_the_ending_tell_the_ending_and_the_final_state(tmp_path: Path) -> None:
    term = terminal(tmp_path, "--seed", "3", pack=pinned(tmp_path))
    term.wait("New run")
    take(term, "\r", "You wake before")
    for step, then in zip(TO_THE_ROOM, scene_texts()[1:], strict=True):
        take(term, f"{step + 1}\r", then)
    term.wait("Endings found")
    take(term, ":transcript end.html\r", "The story so far is in end.html.")
    take(term, ":transcript end.txt\r", "The story so far is in end.txt.")
    term.child.send("2\r")
    assert finish(term) == 0
    page = (tmp_path / "end.html").read_text(encoding="utf-8")
    html5lib.HTMLParser(strict=True).parse(page)
    assert '<p class="end-title">Into the Room</p>' in page and "<h3>The final state</h3>" in page
    assert "<dt>Faith</dt><dd>" in page and "The Writer: Trust rises to 5." in page
    text = (tmp_path / "end.txt").read_text(encoding="utf-8")
    assert "*** The end: Into the Room ***" in text and "The Stalker\n  Faith: 7 of 10" in text


def test_a_window_resized_while_the_journal_pages_is_drawn_again_at_the_prompt(tmp_path: Path) -> None:
    stairs = "The stairwell smells of wet plaster. You have 3 nuts in your pocket."  # wider than 60 columns
    term = terminal(tmp_path, "--seed", "3", rows=12, cols=100)
    term.wait("New run")
    term.wait(ready)
    take(term, "\r", "You wake before")
    take(term, "1\r", "The stairwell")
    term.child.send(":journal\r")
    term.wait("any key for the next page")
    term.resize(12, 60)  # the pager has the window, not the game's prompt: the text is wrapped anew at the prompt
    term.child.send("q")
    term.wait(lambda t: ready(t) and any(stairs in b for b in blocks(t.lines)))
    term.child.send(":quit\r")
    assert finish(term) == 0
